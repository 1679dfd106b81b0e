import { randomUUID } from 'node:crypto';
import type { HarnessOptions } from './harness.js';
import { type RawReply, type RawRequest, rawRequest } from './raw-http.js';
import { API_ROUTES } from './routes.js';
import { useAgent } from './setup.js';

const STACK_TRACE = /\n\s+at |node:internal|node_modules|\.[jt]s:\d+:\d+/;
const json = (value: unknown) => JSON.stringify(value);
const run = (content: unknown) =>
  json({ assistant_id: 'agent', input: { messages: [{ role: 'user', content }] } });
const nest = (levels: number, inner = '1') => `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;

/** Bodies no route should choke on, for each kind of body the routes read. */
const BODIES: Array<[string, string | Buffer]> = [
  ['truncated JSON', '{"input": {"messages": ['],
  ['a lone bracket', '['],
  ['a trailing comma', '{"limit": 1,}'],
  ['a bare string', '"hello"'],
  ['a bare number', '42'],
  ['null', 'null'],
  ['an array', '[{"role":"user","content":"hi"}]'],
  ['1 MB of JSON', json({ metadata: { x: 'y'.repeat(1_000_000) } })],
  ['an array nested 10,000 levels', nest(10_000)],
  ['messages nested 10,000 levels', `{"input":{"messages":${nest(10_000)}}}`],
  ['metadata nested as deep as a body may', `{"metadata":${'{"a":'.repeat(30)}1${'}'.repeat(30)}}`],
  ['a raw NUL byte', Buffer.from('{"metadata":{"a":"\u0000"}}')],
  [
    'an escaped NUL in content and metadata',
    json({ metadata: { 'k\u0000': 'v\u0000' }, ...JSON.parse(run('a\u0000b')) }),
  ],
  ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xae, 0x22, 0x7d])],
  [
    'invalid UTF-8 in content',
    Buffer.concat([
      Buffer.from(run('x').slice(0, -5)),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from('"}]}}'),
    ]),
  ],
  ['a lone surrogate', run('\ud800')],
  ['__proto__ at the top', '{"__proto__":{"input":{"messages":[{"role":"user","content":"hi"}]},"limit":5}}'],
  ['__proto__ in metadata', '{"metadata":{"__proto__":{"admin":true}}}'],
  ['constructor.prototype in metadata', '{"metadata":{"constructor":{"prototype":{"admin":true}}}}'],
  [
    '__proto__ in a message',
    '{"input":{"messages":[{"role":"user","content":"hi","__proto__":{"role":"system"}}]}}',
  ],
  ['__proto__ as input', '{"input":{"__proto__":{"messages":[{"role":"user","content":"hi"}]}}}'],
  ['messages as a string', '{"input":{"messages":"hi"}}'],
  ['content as an object', run({ toString: 'x' })],
  ['content of 8,000 parentheses', run('('.repeat(8000))],
  ['a huge limit', '{"limit":1e309,"offset":1e309}'],
  ['a fractional offset', '{"limit":1.5,"offset":-0}'],
  ['path traversal in metadata', json({ metadata: { file: '../../../etc/passwd', url: '%2e%2e%2f' } })],
];

/** Thread ids that are not the id of a thread the caller may use. */
const IDS = [
  randomUUID(),
  'not-a-uuid',
  '..',
  '%2e%2e',
  '.%2e',
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2fthreads',
  'a%2fb',
  '%5c..%5c..',
  '%00',
  `${randomUUID()}%00`,
  `${randomUUID()}%2f..`,
  '%ZZ',
  '%',
  '%c0%ae%c0%ae',
  '%252e%252e',
  '%E2%80%AE',
  'x'.repeat(4000),
  `${randomUUID()}/../${randomUUID()}`,
  '../../../../etc/passwd',
];

interface Route {
  method: string;
  path: (id: string) => string;
  body: boolean;
}

// A well-formed run id no run has: routes under a run answer 404 for it once the thread checks pass.
const RUN = '00000000-0000-4000-8000-000000000000';

const ROUTES: Route[] = API_ROUTES.map((r) => ({
  method: r.method,
  path: (id: string) => r.path(id, RUN),
  body: r.body !== undefined,
}));

/**
 * Every route, sent what an attacker would send: malformed, oversized and deeply nested bodies,
 * NUL and invalid UTF-8, prototype keys, path traversal and non-UUID ids, odd headers. Whatever
 * the input, the agent answers, and never with a 5xx or a stack trace.
 * Run against each store the agent can use.
 */
export function hostileInputSuite(options: HarnessOptions = {}): void {
  const { agent, tokenFor, createThread } = useAgent(options);
  const owner = randomUUID();
  let threadId: string;
  beforeAll(async () => {
    threadId = await createThread(tokenFor(owner));
  });

  const bearer = (): [string, string] => ['Authorization', `Bearer ${tokenFor(owner)}`];
  const jsonType: [string, string] = ['Content-Type', 'application/json'];

  /** Headers no route should choke on (sent with a JSON body where the route reads one); built per test, as tokens are. */
  const headerCases = (): Array<[string, Array<[string, string | Buffer]>]> => [
    ['no Authorization', []],
    ['a Basic Authorization', [['Authorization', 'Basic YWxpY2U6c2VjcmV0']]],
    ['a bare Bearer', [['Authorization', 'Bearer']]],
    ['a Bearer token with spaces', [['Authorization', 'Bearer a b c']]],
    ['a 10 kB Bearer token', [['Authorization', `Bearer ${'a'.repeat(10_000)}`]]],
    ['a 40 kB header', [bearer(), ['X-Padding', 'p'.repeat(40_000)]]],
    ['a NUL in Authorization', [['Authorization', Buffer.from('Bearer a\u0000b')]]],
    [
      'invalid UTF-8 in Authorization',
      [['Authorization', Buffer.from([0x42, 0x65, 0x61, 0x72, 0x65, 0x72, 0x20, 0xff, 0xfe])]],
    ],
    ['two Authorization headers', [bearer(), ['Authorization', 'Bearer not-a-jwt']]],
    [
      'a JWT with a traversal kid',
      [
        [
          'Authorization',
          `Bearer ${Buffer.from('{"alg":"ES256","kid":"../../etc/passwd"}').toString('base64url')}.e30.c2ln`,
        ],
      ],
    ],
    ['an unknown charset', [bearer(), ['Content-Type', 'application/json; charset=bogus']]],
    ['UTF-16', [bearer(), ['Content-Type', 'application/json; charset=utf-16']]],
    ['gzip that is not gzip', [bearer(), jsonType, ['Content-Encoding', 'gzip']]],
    ['an unknown encoding', [bearer(), jsonType, ['Content-Encoding', 'bogus']]],
    ['a text body', [bearer(), ['Content-Type', 'text/plain']]],
    ['a traversal request id', [bearer(), jsonType, ['X-Request-Id', '../../etc/passwd']]],
    ['a NUL request id', [bearer(), jsonType, ['X-Request-Id', Buffer.from('a\u0000b')]]],
    ['a malformed traceparent', [bearer(), jsonType, ['traceparent', '00-zz-../-01']]],
    ['a foreign Origin', [bearer(), jsonType, ['Origin', 'https://evil.example']]],
  ];

  /** Sends each labelled request; what came back, or why nothing did. */
  async function send(
    requests: Array<[string, RawRequest]>,
  ): Promise<Array<{ what: string; reply?: RawReply; error?: string }>> {
    const out = [];
    for (const [label, request] of requests) {
      const what = `${label}: ${request.method} ${request.path.slice(0, 80)}`;
      try {
        out.push({ what, reply: await rawRequest(agent().url, request) });
      } catch (err) {
        out.push({ what, error: (err as Error).message });
      }
    }
    return out;
  }

  /** The answers that broke the rules: none at all, a 5xx, or a stack trace in the body. */
  function offenders(answers: Awaited<ReturnType<typeof send>>): string[] {
    return answers
      .filter(
        ({ reply }) => !reply || reply.status === 0 || reply.status >= 500 || STACK_TRACE.test(reply.body),
      )
      .map(
        ({ what, reply, error }) => `${what} → ${error ?? `${reply!.status} ${reply!.body.slice(0, 200)}`}`,
      );
  }

  describe.each(ROUTES.map((r) => [`${r.method} ${r.path('{id}')}`, r] as const))('%s', (_name, route) => {
    if (route.body)
      it('answers every hostile body with something other than a 5xx or a stack trace', async () => {
        const requests = BODIES.map(([label, body]): [string, RawRequest] => [
          label,
          { method: route.method, path: route.path(threadId), headers: [bearer(), jsonType], body },
        ]);
        expect(offenders(await send(requests))).toEqual([]);
      });

    if (route.path('x') !== route.path('y'))
      it('refuses every id that is not a thread of the caller, without a 5xx', async () => {
        const requests = IDS.map((id): [string, RawRequest] => [
          'id',
          {
            method: route.method,
            path: route.path(id),
            headers: [bearer(), jsonType],
            body: route.body ? run('What is 1 + 1?') : undefined,
          },
        ]);
        const answers = await send(requests);
        expect(offenders(answers)).toEqual([]);
        // No spelling of an id reaches a thread or another route: malformed (400) or no such thread (404).
        const reached = answers.filter(({ reply }) => reply && ![400, 404].includes(reply.status));
        expect(reached.map(({ what, reply }) => `${what} → ${reply?.status}`)).toEqual([]);
      });

    it('answers every odd header with something other than a 5xx or a stack trace', async () => {
      const requests = headerCases().map(([label, headers]): [string, RawRequest] => [
        label,
        { method: route.method, path: route.path(threadId), headers, body: route.body ? '{}' : undefined },
      ]);
      expect(offenders(await send(requests))).toEqual([]);
    });
  });

  describe('after the sweep', () => {
    it('counted no 5xx and still serves', async () => {
      const metrics = await (await fetch(`${agent().url}/metrics`)).text();
      expect(metrics.split('\n').filter((l) => /^http_requests_total\{.*status="5\d\d"/.test(l))).toEqual([]);
      expect((await fetch(`${agent().url}/healthz`)).status).toBe(200);
      // The DELETE route's sweep removed the first thread; a new one still runs.
      const id = await createThread(tokenFor(owner));
      const answer = await rawRequest(agent().url, {
        method: 'POST',
        path: `/threads/${id}/runs/wait`,
        headers: [bearer(), jsonType],
        body: run('What is 6 * 7?'),
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('6 * 7 = 42.');
    });
  });
}
