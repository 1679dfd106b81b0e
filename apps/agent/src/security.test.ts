import { randomUUID } from 'node:crypto';
import { AGENT_PATHS, SCOPE, SCOPES, userMessageRun } from '@mcp-langgraph/protocol';
import { bearerRouteTests } from '@mcp-langgraph/resource-server/testing';
import { AUDIENCE, EDGE_ACTOR } from './testing/harness.js';
import { useAgent } from './testing/setup.js';

const { agent, call, tokenFor } = useAgent();
const read = [SCOPE.conversationsRead];
const write = [SCOPE.conversationsWrite];
// A well-formed id no thread has: a good token gets past the guard to the 404 of the handler.
const id = randomUUID();

bearerRouteTests({
  target: () => ({ baseUrl: agent().url, issuer: agent().issuer }),
  allScopes: SCOPES,
  // What the edge's token exchange issues for the agent: its audience, the edge as the actor.
  claims: { aud: AUDIENCE, act: { sub: EDGE_ACTOR } },
  routes: [
    { method: 'POST', path: AGENT_PATHS.threads, body: {}, scopes: write },
    { method: 'POST', path: AGENT_PATHS.searchThreads, body: {}, scopes: read },
    { method: 'GET', path: AGENT_PATHS.thread(id), scopes: read },
    { method: 'DELETE', path: AGENT_PATHS.thread(id), scopes: write },
    { method: 'POST', path: AGENT_PATHS.runWait(id), body: userMessageRun('hi'), scopes: write },
    { method: 'POST', path: AGENT_PATHS.runStream(id), body: userMessageRun('hi'), scopes: write },
    { method: 'GET', path: AGENT_PATHS.state(id), scopes: read },
  ],
});

describe('the agent as an internal resource server', () => {
  it('challenges for the conversation scopes, without resource metadata (the edge obtains its tokens)', async () => {
    const res = await call('POST', AGENT_PATHS.threads, undefined, {});
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer scope="conversations:read conversations:write"');
  });

  it('asks for a token on a path under /threads that names no route, and answers 404 once it has one', async () => {
    expect((await call('PUT', AGENT_PATHS.thread(id))).status).toBe(401);
    expect((await call('PUT', AGENT_PATHS.thread(id), tokenFor(randomUUID()))).status).toBe(404);
  });

  it('counts refused credentials in auth_failures_total by reason', async () => {
    await call('GET', AGENT_PATHS.state(id));
    await call('GET', AGENT_PATHS.state(id), 'not-a-jwt');
    await call('GET', AGENT_PATHS.state(id), tokenFor(randomUUID(), { scope: SCOPE.tools }));
    const text = await (await fetch(`${agent().url}/metrics`)).text();
    for (const reason of ['missing_token', 'malformed_token', 'insufficient_scope'])
      expect(
        Number(new RegExp(`^auth_failures_total\\{reason="${reason}"[^}]*\\} (\\d+)`, 'm').exec(text)?.[1]),
      ).toBeGreaterThan(0);
  });
});
