import { request } from 'node:http';
import { basicAuth } from '@mcp-langgraph/testing';
import { useAuthServer } from '../testing/setup.js';

/**
 * Every endpoint against malformed bodies, encodings, prototype keys, repeated parameters and
 * header abuse: each answer is a 4xx or a normal answer, never a 5xx, a stack trace or a hang.
 */
const { auth, edge } = useAuthServer({ users: { alice: 'secret-a' } });

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request as raw as node:http allows, abandoned (and failed) after 10 s: a hang is a failure. */
function raw(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer | string,
): Promise<Raw> {
  const url = new URL(auth().url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path, headers, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} hung`)));
    req.on('error', reject);
    req.end(body);
  });
}

const STACK =
  /\bat \S+ \(|\.(ts|js):\d+:\d+|node_modules|SqliteError|TypeError|ReferenceError|syntax error at/;

function expectCalm(res: Raw, what: string) {
  expect({ what, status: res.status < 500 ? 'below 500' : res.status }).toEqual({
    what,
    status: 'below 500',
  });
  expect({ what, leak: STACK.test(res.body) ? res.body.slice(0, 300) : undefined }).toEqual({
    what,
    leak: undefined,
  });
}

const POSTS = ['/token', '/register', '/revoke', '/introspect', '/authorize', '/authorize/consent'];
const GETS = [
  '/authorize',
  '/revocations',
  '/.well-known/oauth-authorization-server',
  '/.well-known/openid-configuration',
  '/.well-known/jwks.json',
  '/healthz',
  '/readyz',
  '/metrics',
];

const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

const BODIES: [string, string, Buffer | string][] = [
  ['malformed JSON', JSON_TYPE, '{"redirect_uris": ["https://a.example/cb"'],
  ['a JSON string', JSON_TYPE, '"just a string"'],
  ['JSON null', JSON_TYPE, 'null'],
  ['a JSON array', JSON_TYPE, '[1,2,3]'],
  ['deeply nested JSON', JSON_TYPE, nested(200)],
  ['very deeply nested JSON', JSON_TYPE, nested(5000)],
  ['deeply nested arrays', JSON_TYPE, `${'['.repeat(3000)}${']'.repeat(3000)}`],
  [
    'oversized JSON',
    JSON_TYPE,
    JSON.stringify({ redirect_uris: ['https://a.example/cb'], pad: 'x'.repeat(300_000) }),
  ],
  ['oversized form', FORM, `grant_type=client_credentials&pad=${'x'.repeat(300_000)}`],
  [
    'invalid UTF-8 in JSON',
    JSON_TYPE,
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  ],
  [
    'invalid UTF-8 in a form',
    FORM,
    Buffer.concat([Buffer.from('client_id='), Buffer.from([0xc3, 0x28, 0xff])]),
  ],
  ['bad percent-encoding', FORM, 'client_id=%E0%A4%A&state=%ZZ&grant_type=%'],
  ['encoded invalid UTF-8', FORM, 'client_id=%FF%FE&username=%C0%AF&grant_type=authorization_code'],
  [
    'NUL bytes',
    FORM,
    'client_id=a%00b&username=al%00ice&password=%00&grant_type=client%00_credentials&token=%00',
  ],
  ['raw NUL bytes', FORM, Buffer.from('client_id=a\u0000b&token=\u0000')],
  ['NUL in JSON', JSON_TYPE, '{"redirect_uris":["https://a.example/c\\u0000b"],"client_name":"\\u0000"}'],
  [
    'prototype keys in a form',
    FORM,
    '__proto__[admin]=1&constructor[prototype][admin]=1&__proto__=x&constructor=y&toString=z&hasOwnProperty=1',
  ],
  [
    'prototype keys in JSON',
    JSON_TYPE,
    '{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}},"redirect_uris":["https://a.example/cb"],"client_name":{"toString":1}}',
  ],
  [
    'repeated parameters',
    FORM,
    'grant_type=client_credentials&grant_type=refresh_token&client_id=a&client_id=b&token=a&token=b&state=1&state=2',
  ],
  [
    'bracketed parameters',
    FORM,
    'client_id[]=a&client_id[x]=b&scope[0]=mcp:tools&token[]=t&redirect_uri[a][b][c]=d',
  ],
  ['many parameters', FORM, Array.from({ length: 5000 }, (_, i) => `p${i}=${i}`).join('&')],
  ['an empty body', FORM, ''],
  ['a body of the wrong type', 'text/plain', 'grant_type=client_credentials'],
  ['a JSON body declared as a form', FORM, '{"grant_type":"client_credentials"}'],
  ['an unknown charset', 'application/json; charset=utf-7', '{"a":1}'],
  [
    'an odd content type',
    'multipart/form-data; boundary=x',
    '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
  ],
  ['a gzip body that is not gzip', JSON_TYPE, 'not gzip'],
];

describe('hostile bodies at every POST endpoint', () => {
  it.each(BODIES)('%s', async (name, type, body) => {
    for (const path of POSTS) {
      const headers: Record<string, string> = { 'content-type': type };
      if (name === 'a gzip body that is not gzip') headers['content-encoding'] = 'gzip';
      expectCalm(await raw('POST', path, headers, body), `${name} at ${path}`);
      expectCalm(
        await raw('POST', path, { ...headers, authorization: basicAuth(edge().id, edge().secret) }, body),
        `${name} at ${path} as the edge`,
      );
    }
  });

  it('a deeply nested JSON registration is refused with 400 naming the limit', async () => {
    const res = await raw('POST', '/register', { 'content-type': JSON_TYPE }, nested(200));
    expect(res.status).toBe(400);
    expect(res.body).toMatch(/json_too_deep|32/);
  });
});

const QUERIES = [
  'client_id=%00&redirect_uri=%FF&state=%E0%A4%A',
  '__proto__[x]=1&constructor[prototype][x]=1&client_id=__proto__',
  'client_id=a&client_id=b&redirect_uri=x&redirect_uri=y&state=1&state=2',
  'client_id[]=a&redirect_uri[x]=y&scope[a][b][c][d][e][f]=1',
  `state=${'x'.repeat(7000)}`,
  Array.from({ length: 2000 }, (_, i) => `p${i}=1`).join('&'),
];

describe('hostile query strings at every GET endpoint', () => {
  it.each(QUERIES.map((q) => [q.slice(0, 60), q]))('%s', async (_name, q) => {
    for (const path of GETS) {
      expectCalm(await raw('GET', `${path}?${q}`, { accept: 'text/html' }), `${path}?${q.slice(0, 40)}`);
      expectCalm(await raw('GET', `${path}?${q}`, { accept: 'application/json' }), `${path} as JSON`);
    }
  });
});

const HEADERS: [string, Record<string, string>][] = [
  ['a Basic header that is not base64', { authorization: 'Basic !!!!' }],
  ['a Basic header without a colon', { authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` }],
  [
    'a Basic header with bad percent-encoding',
    { authorization: `Basic ${Buffer.from('%ZZ:%E0%A4').toString('base64')}` },
  ],
  [
    'a Basic header with NUL bytes',
    { authorization: `Basic ${Buffer.from('a\u0000:b\u0000').toString('base64')}` },
  ],
  [
    'a Basic header with invalid UTF-8',
    { authorization: `Basic ${Buffer.from([0xff, 0x3a, 0xfe]).toString('base64')}` },
  ],
  ['a huge Basic header', { authorization: `Basic ${'QUFB'.repeat(3000)}` }],
  ['a Bearer header', { authorization: 'Bearer abc.def.ghi' }],
  ['an unknown scheme', { authorization: 'Digest username="x"' }],
  ['a garbage cookie', { cookie: `mcp-csrf=${'%'.repeat(4000)}; __proto__=1; =; ;;` }],
  ['many cookies', { cookie: Array.from({ length: 500 }, (_, i) => `c${i}=v`).join('; ') }],
  ['a garbage Origin', { origin: '::::not a url' }],
  ['a garbage Referer', { referer: 'http://[::1' }],
  ['an opaque Origin', { origin: 'null' }],
  ['garbage X-Forwarded-For', { 'x-forwarded-for': 'not-an-ip, , ::::, 999.999.999.999' }],
  ['a strange Host', { host: 'evil.example:99999' }],
  ['a strange Accept', { accept: '*/*;q=abc, text/html;q=-1' }],
  ['a huge Accept-Language', { 'accept-language': 'x'.repeat(8000) }],
];

describe('header abuse at every endpoint', () => {
  it.each(HEADERS)('%s', async (name, headers) => {
    for (const path of POSTS)
      expectCalm(
        await raw(
          'POST',
          path,
          { 'content-type': FORM, ...headers },
          'grant_type=client_credentials&token=x',
        ),
        `${name} at POST ${path}`,
      );
    for (const path of GETS) expectCalm(await raw('GET', path, headers), `${name} at GET ${path}`);
  });

  it('headers too large for the server are answered 431, not dropped', async () => {
    const res = await raw('GET', '/healthz', { 'x-big': 'x'.repeat(40_000) });
    expect(res.status).toBe(431);
  });
});

describe('odd paths and methods', () => {
  it.each([
    ['GET', '/%ff'],
    ['GET', '/authorize%00'],
    ['GET', '/.well-known/%E0%A4%A'],
    ['GET', '//token'],
    ['POST', '/token/'],
    ['POST', '/TOKEN'],
    ['GET', '/token'],
    ['PUT', '/register'],
    ['DELETE', '/revocations'],
    ['HEAD', '/authorize'],
    ['OPTIONS', '/token'],
    ['PROPFIND', '/authorize'],
    ['GET', '/authorize/../revocations'],
    ['GET', `/${'a/'.repeat(2000)}`],
  ])('%s %s', async (method, path) => {
    expectCalm(
      await raw(method, path, { 'content-type': FORM, origin: 'https://evil.example' }, ''),
      `${method} ${path}`,
    );
  });
});

describe('after the sweep', () => {
  it('no prototype was polluted and the server still signs users in', async () => {
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect((await auth().userToken({ username: 'alice', password: 'secret-a' })).access_token).toBeTruthy();
  });
});
