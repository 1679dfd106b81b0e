import { randomUUID } from 'node:crypto';
import { AGENT_PATHS, SCOPE, SCOPES } from '@mcp-langgraph/protocol';
import { bearerRouteTests } from '@mcp-langgraph/resource-server/testing';
import { AUDIENCE, EDGE_ACTOR } from './testing/harness.js';
import { API_ROUTES } from './testing/routes.js';
import { useAgent } from './testing/setup.js';

const { agent, call, tokenFor } = useAgent();
// Well-formed ids no thread or run has: a good token gets past the guard to the 404 of the handler.
const id = randomUUID();
const runId = randomUUID();

bearerRouteTests({
  target: () => ({ baseUrl: agent().url, issuer: agent().issuer }),
  allScopes: SCOPES,
  // What the edge's token exchange issues for the agent: its audience, the edge as the actor.
  claims: { aud: AUDIENCE, act: { sub: EDGE_ACTOR } },
  routes: API_ROUTES.map((r) => ({
    method: r.method,
    path: r.path(id, runId),
    ...(r.body === undefined ? {} : { body: r.body }),
    scopes: [r.scope],
  })),
});

describe('the agent as an internal resource server', () => {
  it('challenges for the conversation scopes, without resource metadata (the edge obtains its tokens)', async () => {
    const res = await call('POST', AGENT_PATHS.threads, undefined, {});
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer scope="conversations:read conversations:write"');
  });

  it('serves /info and /ok without a token, and nothing else', async () => {
    expect((await call('GET', AGENT_PATHS.info)).status).toBe(200);
    expect((await call('GET', AGENT_PATHS.ok)).body).toEqual({ ok: true });
    expect((await call('GET', '/assistants/agent')).status).toBe(401);
  });

  it('asks for a token on a path that names no route under /threads, /runs or /assistants, then answers 404', async () => {
    for (const path of [AGENT_PATHS.thread(id), '/runs/elsewhere', '/assistants/agent/versions']) {
      expect((await call('PUT', path)).status).toBe(401);
      expect((await call('PUT', path, tokenFor(randomUUID()))).status).toBe(404);
    }
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
