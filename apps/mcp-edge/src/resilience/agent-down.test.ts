import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { callTool, connectMcp, textOf } from '@mcp-langgraph/testing';
import type { Client } from '@modelcontextprotocol/client';
import { type EdgeUnderTest, startEdge } from '../testing/harness.js';

/**
 * The edge in front of an agent that is down: a TCP listener that drops every connection, so each
 * attempt the edge makes is counted and fails at once.
 */
let dead: Server;
let connections = 0;
let edge: EdgeUnderTest;
let client: Client;
/** The edge's default AGENT_BREAKER_FAILURES. */
const THRESHOLD = 5;

beforeAll(async () => {
  dead = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
  edge = await startEdge({ agentUrl: `http://127.0.0.1:${(dead.address() as { port: number }).port}` });
  client = await connectMcp(edge.mcpUrl, edge.token({ sub: randomUUID() }));
});
afterAll(async () => {
  await client.close();
  await edge.close();
  await new Promise<void>((r) => dead.close(() => r()));
});

describe('with the agent down', () => {
  it('fails chat with a clear tool error', async () => {
    const result = await callTool(client, 'chat', { message: 'anyone there?' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('the agent is unavailable right now; try again later');
  });

  it('opens the breaker: after the threshold, calls answer without reaching the agent', async () => {
    for (let i = 1; i < THRESHOLD; i += 1) await callTool(client, 'chat', { message: 'again' });
    const attempts = connections;
    expect(attempts).toBeGreaterThanOrEqual(THRESHOLD);
    const started = Date.now();
    const result = await callTool(client, 'chat', { message: 'and again' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('the agent is unavailable right now; try again later');
    // No connection was attempted, so nothing waited for a timeout.
    expect(connections).toBe(attempts);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('says so in /readyz', async () => {
    const res = await fetch(`${edge.url}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { checks: Record<string, string> };
    expect(body.checks.agent).toBe('unavailable');
    expect(body.checks.jwks).toBe('ok');
  });
});
