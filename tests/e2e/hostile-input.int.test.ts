import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_EDGE_CLIENT_SECRET } from '@mcp-langgraph/config';
import { GRANT_TYPE, TOKEN_TYPE } from '@mcp-langgraph/protocol';
import { basicAuth, postForm } from '@mcp-langgraph/testing';
import { type Discovery, discover, register } from './oauth-client.js';
import { REDIRECT_URI, useStack } from './stack.js';

/**
 * A sweep of hostile requests over every endpoint of the three running services: malformed,
 * oversized and deeply nested bodies, NUL bytes and invalid UTF-8, prototype keys, repeated
 * parameters, path traversal in ids and abused headers. Every answer must be a 4xx (or a success
 * that ignores the junk): no 5xx, no stack trace, no hang.
 */

const stack = useStack();
let userToken: string;
let agentToken: string;
let clientId: string;

interface Probe {
  service: 'auth' | 'edge' | 'agent';
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const STACK_TRACE = /\n\s+at [\w.<>]+ \(|at Object\.<anonymous>|node:internal/;
const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const BODIES: Array<[string, string | Buffer]> = [
  ['truncated JSON', '{"a": [1, 2'],
  ['not JSON', 'hello world'],
  ['deeply nested', `{"metadata": ${deep(10_000)}, "input": ${deep(10_000)}}`],
  [
    'prototype keys',
    '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}, "metadata": {"__proto__": 1}}',
  ],
  ['NUL bytes', '{"message": "a\\u0000b", "thread_id": "\\u0000"}'],
  ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d])],
  ['oversized', `{"a": "${'x'.repeat(300_000)}"}`],
  ['wrong types', '{"input": "x", "messages": 7, "limit": "ten", "offset": -1, "metadata": [1]}'],
  [
    'repeated form parameters',
    'grant_type=authorization_code&grant_type=refresh_token&code=a&code=b&client_id=x&client_id=y',
  ],
];
const CONTENT_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/json; charset=utf-16',
];

const IDS = [
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e',
  '..',
  '%00',
  'not-a-uuid',
  `${'a'.repeat(5000)}`,
  '%zz',
  '00000000-0000-0000-0000-000000000000%2f..',
];

function urlOf(p: Probe): string {
  const { urls } = stack.services();
  const base = p.service === 'auth' ? urls.auth : p.service === 'edge' ? urls.edge : urls.agent;
  return `${base}${p.path}`;
}

async function send(p: Probe): Promise<{ status: number; text: string; what: string }> {
  const what = `${p.service} ${p.method} ${p.path.slice(0, 80)}`;
  try {
    const res = await fetch(urlOf(p), {
      method: p.method,
      headers: p.headers,
      body: p.method === 'GET' || p.method === 'HEAD' ? undefined : p.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    });
    return { status: res.status, text: await res.text(), what };
  } catch (err) {
    // A server that drops an abusive connection is fine; one that never answers is a hang.
    if ((err as Error).name === 'TimeoutError') return { status: 599, text: 'no answer: hang', what };
    return { status: 0, text: `connection closed: ${(err as Error).message}`, what };
  }
}

function endpoints(): Array<Omit<Probe, 'body' | 'headers'> & { auth?: string }> {
  const edgeBasic = basicAuth('mcp-edge', DEV_EDGE_CLIENT_SECRET);
  const id = '6f1c2a9e-4d7b-4c1e-9a55-2b7f7c1e0a11';
  return [
    { service: 'auth', method: 'GET', path: '/.well-known/oauth-authorization-server' },
    { service: 'auth', method: 'GET', path: '/.well-known/jwks.json' },
    {
      service: 'auth',
      method: 'GET',
      path: `/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&response_type=code&state=s&code_challenge=x&code_challenge_method=S256`,
    },
    { service: 'auth', method: 'POST', path: '/authorize' },
    { service: 'auth', method: 'POST', path: '/authorize/consent' },
    { service: 'auth', method: 'POST', path: '/token' },
    { service: 'auth', method: 'POST', path: '/token', auth: edgeBasic },
    { service: 'auth', method: 'POST', path: '/register' },
    { service: 'auth', method: 'POST', path: '/revoke', auth: edgeBasic },
    { service: 'auth', method: 'POST', path: '/introspect', auth: edgeBasic },
    { service: 'auth', method: 'GET', path: '/revocations', auth: edgeBasic },
    { service: 'edge', method: 'GET', path: '/.well-known/oauth-protected-resource/mcp' },
    { service: 'edge', method: 'POST', path: '/mcp', auth: `Bearer ${userToken}` },
    { service: 'edge', method: 'GET', path: '/mcp', auth: `Bearer ${userToken}` },
    { service: 'edge', method: 'DELETE', path: '/mcp', auth: `Bearer ${userToken}` },
    { service: 'agent', method: 'POST', path: '/threads', auth: `Bearer ${agentToken}` },
    { service: 'agent', method: 'POST', path: '/threads/search', auth: `Bearer ${agentToken}` },
    { service: 'agent', method: 'GET', path: `/threads/${id}`, auth: `Bearer ${agentToken}` },
    { service: 'agent', method: 'DELETE', path: `/threads/${id}`, auth: `Bearer ${agentToken}` },
    { service: 'agent', method: 'POST', path: `/threads/${id}/runs/wait`, auth: `Bearer ${agentToken}` },
    { service: 'agent', method: 'POST', path: `/threads/${id}/runs/stream`, auth: `Bearer ${agentToken}` },
    { service: 'agent', method: 'GET', path: `/threads/${id}/state`, auth: `Bearer ${agentToken}` },
  ];
}

function expectClean(results: Array<{ status: number; text: string; what: string }>) {
  const bad = results.filter((r) => r.status >= 500 || r.status === 0 || STACK_TRACE.test(r.text));
  expect(bad.map((r) => `${r.what} -> ${r.status} ${r.text.slice(0, 160)}`)).toEqual([]);
}

describe('a sweep of hostile input over every endpoint', () => {
  beforeAll(async () => {
    const d: Discovery = await stack.explained(() => discover(stack.services().urls.mcp));
    clientId = await register(d, REDIRECT_URI);
    userToken = await stack.signIn(d, clientId, 'alice', 'secret-a');
    // The agent sees what the edge would send it: the user's token exchanged by the edge's client.
    const exchanged = await postForm(
      `${stack.services().urls.auth}/token`,
      {
        grant_type: GRANT_TYPE.tokenExchange,
        subject_token: userToken,
        subject_token_type: TOKEN_TYPE.accessToken,
        resource: stack.services().urls.agent,
      },
      { basic: { id: 'mcp-edge', secret: DEV_EDGE_CLIENT_SECRET } },
    );
    expect(exchanged.status).toBe(200);
    agentToken = exchanged.body.access_token;
  }, 60_000);

  it('answers hostile bodies under every content type without a 5xx', async () => {
    const results = [];
    for (const e of endpoints().filter((x) => x.method !== 'GET'))
      for (const [, body] of BODIES)
        for (const type of CONTENT_TYPES)
          results.push(
            await send({
              ...e,
              body,
              headers: { 'content-type': type, ...(e.auth ? { authorization: e.auth } : {}) },
            }),
          );
    expectClean(results);
    // The sweep reached the handlers, not only the guards: most answers are 4xx of their own.
    expect(
      results.filter((r) => r.status === 400 || r.status === 413 || r.status === 415).length,
    ).toBeGreaterThan(results.length / 2);
  }, 240_000);

  it('answers path traversal and junk ids without a 5xx', async () => {
    const results = [];
    for (const id of IDS)
      for (const path of [`/threads/${id}`, `/threads/${id}/state`, `/threads/${id}/runs/wait`])
        for (const method of ['GET', 'POST', 'DELETE'])
          results.push(
            await send({
              service: 'agent',
              method,
              path,
              headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
              body: '{"input":{"messages":[{"role":"user","content":"hi"}]}}',
            }),
          );
    for (const q of [
      '?client_id=%zz',
      '?client_id=a&client_id=b',
      `?${'x=1&'.repeat(2000)}`,
      '?__proto__[x]=1',
    ])
      results.push(await send({ service: 'auth', method: 'GET', path: `/authorize${q}` }));
    expectClean(results);
    expect(results.every((r) => r.status !== 200 || r.what.includes('/authorize'))).toBe(true);
  }, 120_000);

  it('answers abused headers without a 5xx', async () => {
    const headers: Array<Record<string, string>> = [
      { authorization: 'Bearer ' },
      { authorization: `Bearer ${'a'.repeat(9000)}` },
      { authorization: 'Basic !!!' },
      { authorization: `Basic ${Buffer.from(':'.repeat(500)).toString('base64')}` },
      { authorization: 'Bearer a.b.c, Bearer d.e.f' },
      { 'content-type': 'application/json; charset=nope' },
      { 'x-request-id': '\u0001'.replace('\u0001', 'bad id with spaces'.repeat(20)) },
      { 'mcp-protocol-version': '9999-99-99' },
      { origin: 'null' },
      { 'x-forwarded-for': '1.1.1.1, 2.2.2.2, not-an-ip' },
      { cookie: `${'a=b; '.repeat(300)}` },
    ];
    const results = [];
    for (const e of endpoints())
      for (const h of headers)
        results.push(await send({ ...e, headers: { 'content-type': 'application/json', ...h }, body: '{}' }));
    expectClean(results);
  }, 240_000);

  it('keeps every data file readable by the service user only', () => {
    const dir = stack.dataDir();
    expect((statSync(dir).mode & 0o777).toString(8)).toBe('700');
    const files = readdirSync(dir);
    expect(files).toEqual(expect.arrayContaining(['auth.db', 'agent.db', 'checkpoints.db', 'authz.db']));
    const loose = files
      .map((f) => [f, (statSync(join(dir, f)).mode & 0o777).toString(8)] as const)
      .filter(([, mode]) => mode !== '600');
    expect(loose).toEqual([]);
  });
});
