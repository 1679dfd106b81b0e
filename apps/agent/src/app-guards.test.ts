import { randomUUID } from 'node:crypto';
import { userMessageRun as ask } from '@mcp-langgraph/protocol';
import { startTestIssuer, type TestIssuer } from '@mcp-langgraph/resource-server/testing';
import { AUDIENCE } from './testing/harness.js';
import { API_ROUTES } from './testing/routes.js';
import { useAgent } from './testing/setup.js';

const { agent, call, tokenFor, createThread } = useAgent();
const alice = randomUUID();

describe('bad input', () => {
  let id: string;
  beforeAll(async () => {
    id = await createThread(tokenFor(alice));
  });
  const run = (input: unknown) => ({ assistant_id: 'agent', input });

  it.each([
    ['no body', undefined, 'assistant_id'],
    ['no assistant', { input: { messages: [{ type: 'human', content: 'hi' }] } }, 'assistant_id'],
    ['messages not a list', run({ messages: 'hi' }), 'input.messages'],
    ['empty messages', run({ messages: [] }), 'at least one message'],
    ['content over 8000 characters', ask('x'.repeat(8001)), 'at most 8000 characters'],
    ['an unknown type', run({ messages: [{ type: 'robot', content: 'hi' }] }), 'type must be'],
    ['a message without type or role', run({ messages: [{ content: 'hi' }] }), 'a type or a role'],
    ['non-string content', run({ messages: [{ role: 'user', content: 42 }] }), 'content must be'],
    [
      'a key the graph has no channel for',
      run({ messages: [{ type: 'human', content: 'hi' }], other: 1 }),
      'input',
    ],
    ['both input and command', { ...ask('hi'), command: { resume: 1 } }, 'not both'],
    ['a delayed run', { ...ask('hi'), after_seconds: 5 }, 'after_seconds'],
    ['an unknown stream mode', { ...ask('hi'), stream_mode: 'telepathy' }, 'stream_mode'],
  ])('run with %s → 422 naming the problem', async (_what, body, message) => {
    const res = await call('POST', `/threads/${id}/runs/wait`, tokenFor(alice), body);
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.error_description).toContain(message);
    expect(res.body.detail).toBe(res.body.error_description);
  });

  it('accepts content of exactly 8000 characters', async () => {
    const res = await call('POST', `/threads/${id}/runs/wait`, tokenFor(alice), ask('y'.repeat(8000)));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body.messages.at(-1).content)).toContain('offline model');
  });

  it('rejects malformed JSON with 400', async () => {
    const res = await call('POST', `/threads/${id}/runs/wait`, tokenFor(alice), undefined, '{"input": ');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_json');
    expect((await call('POST', '/threads', tokenFor(alice), undefined, '[')).status).toBe(400);
  });

  it('rejects metadata that is not an object, or too large', async () => {
    const res = await call('POST', '/threads', tokenFor(alice), { metadata: 'hello' });
    expect(res.status).toBe(422);
    expect(res.body.error_description).toContain('metadata');
    const big = await call('POST', '/threads', tokenFor(alice), { metadata: { x: 'z'.repeat(5000) } });
    expect(big.status).toBe(422);
    const run = await call('POST', `/threads/${id}/runs`, tokenFor(alice), {
      ...ask('hi'),
      metadata: { x: 'z'.repeat(5000) },
    });
    expect(run.status).toBe(422);
  });
});

describe('metadata', () => {
  const nestedJson = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

  it('refuses a body nested 10,000 levels deep with 400 naming the limit, and keeps serving', async () => {
    const res = await call(
      'POST',
      '/threads',
      tokenFor(alice),
      undefined,
      `{"metadata":${nestedJson(10_000)}}`,
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('json_too_deep');
    expect(res.body.error_description).toContain('32 levels');
    expect((await fetch(`${agent().url}/healthz`)).status).toBe(200);
  });

  it('stores metadata as deep as a body may nest as it was sent', async () => {
    const token = tokenFor(randomUUID());
    const metadata = JSON.parse(nestedJson(31));
    const created = await call('POST', '/threads', token, { metadata });
    expect(created.status).toBe(200);
    expect((await call('GET', `/threads/${created.body.thread_id}`, token)).body.metadata).toEqual(metadata);
  });

  it.each([
    ['{"__proto__":{"admin":true}}', 'metadata.__proto__'],
    ['{"a":{"b":{"constructor":{"prototype":{"x":1}}}}}', 'metadata.a.b.constructor'],
    ['{"tags":["x",{"prototype":1}]}', 'metadata.tags.1.prototype'],
  ])('refuses %s with a 422 naming %s, and creates nothing', async (json, path) => {
    const token = tokenFor(randomUUID());
    const res = await call('POST', '/threads', token, undefined, `{"metadata":${json}}`);
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.error_description).toContain(`${path}: `);
    expect((await call('POST', '/threads/search', token, {})).body).toEqual([]);
  });
});

describe('token and scope checks on every route', () => {
  const routes: Array<[string, () => string, unknown]> = API_ROUTES.map((r) => [
    r.method,
    () => r.path(randomUUID(), randomUUID()),
    r.body,
  ]);

  // A key the agent's issuer never published, used under that issuer's name and key id.
  let impostor: TestIssuer;
  beforeAll(async () => {
    impostor = await startTestIssuer({ audience: AUDIENCE, issuer: agent().issuer.issuer });
  });
  afterAll(() => impostor.close());

  const now = () => Math.floor(Date.now() / 1000);
  const badTokens: Array<[string, () => string | undefined]> = [
    ['missing', () => undefined],
    ['expired', () => tokenFor(alice, { iat: now() - 1000, nbf: now() - 1000, exp: now() - 600 })],
    ['for another audience', () => tokenFor(alice, { aud: 'http://edge.test/mcp' })],
    [
      'signed by an unknown key',
      () =>
        impostor.sign(
          { sub: alice, client_id: 'x', scope: 'conversations:read conversations:write' },
          { kid: agent().issuer.kid },
        ),
    ],
    ['not a JWT', () => 'not-a-jwt'],
  ];

  for (const [method, path, body] of routes)
    for (const [what, token] of badTokens)
      it(`${method} ${path().replace(/[0-9a-f-]{36}/, '{id}')} with a token ${what} → 401`, async () => {
        const res = await call(method, path(), token(), body);
        expect(res.status).toBe(401);
        expect(res.body.error).toBe('invalid_token');
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      });

  it('requires conversations:write to create and run, conversations:read to search and read', async () => {
    const readOnly = tokenFor(alice, { scope: 'conversations:read' });
    const writeOnly = tokenFor(alice, { scope: 'conversations:write' });
    const id = await createThread(tokenFor(alice));
    const cases: Array<[string, string, string, unknown]> = [
      [readOnly, 'POST', '/threads', {}],
      [readOnly, 'POST', `/threads/${id}/runs/wait`, ask('What is 1 + 1?')],
      [readOnly, 'POST', `/threads/${id}/runs/stream`, ask('What is 1 + 1?')],
      [writeOnly, 'POST', '/threads/search', {}],
      [writeOnly, 'GET', `/threads/${id}/state`, undefined],
      [tokenFor(alice, { scope: 'mcp:tools' }), 'GET', `/threads/${id}/state`, undefined],
    ];
    for (const [token, method, path, body] of cases) {
      const res = await call(method, path, token, body);
      expect({ path, status: res.status, error: res.body.error }).toEqual({
        path,
        status: 403,
        error: 'insufficient_scope',
      });
    }
    const state = await call('GET', `/threads/${id}/state`, tokenFor(alice));
    expect(state.body.values).toEqual({});
  });
});

describe('when authorization cannot be decided', () => {
  afterEach(() => agent().setAuthzDown(false));

  it('denies with 503 and creates nothing', async () => {
    const token = tokenFor(randomUUID());
    const id = await createThread(token);
    const count = async () => {
      const { db } = agent().database;
      const { n } = await db
        .selectFrom('agent_threads')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return Number(n);
    };
    const before = await count();
    agent().setAuthzDown(true);
    const created = await call('POST', '/threads', token, {});
    expect(created.status).toBe(503);
    expect(created.body.error).toBe('authz_unavailable');
    expect(await count()).toBe(before);
    expect((await call('GET', `/threads/${id}/state`, token)).status).toBe(503);
    expect((await call('POST', `/threads/${id}/runs/wait`, token, ask('What is 1 + 1?'))).status).toBe(503);
    expect((await call('POST', '/threads/search', token, {})).status).toBe(503);
    const ready = await fetch(`${agent().url}/readyz`);
    expect(ready.status).toBe(503);

    agent().setAuthzDown(false);
    const state = await call('GET', `/threads/${id}/state`, token);
    expect(state.status).toBe(200);
    expect(state.body.values).toEqual({});
    const search = await call('POST', '/threads/search', token, {});
    expect(search.body.map((t: { thread_id: string }) => t.thread_id)).toEqual([id]);
  });
});
