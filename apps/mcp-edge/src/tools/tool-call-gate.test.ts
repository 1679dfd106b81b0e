import { randomUUID } from 'node:crypto';
import { callTool, connectMcp, textOf } from '@mcp-langgraph/testing';
import type { Client } from '@modelcontextprotocol/client';
import { type EdgeUnderTest, startEdge } from '../testing/harness.js';

let edge: EdgeUnderTest;
beforeAll(async () => {
  edge = await startEdge({ toolCallsPerMinute: 2 });
});
afterAll(async () => {
  await edge.close();
});

const asUser = (sub: string, tier?: string) =>
  connectMcp(edge.mcpUrl, edge.token({ sub, ...(tier ? { tier } : {}) }), {
    mode: 'legacy',
    name: 'limit-test',
  });

const list = (client: Client) => callTool(client, 'list_conversations', {});

describe('per-user tool rate limit', () => {
  it('refuses calls over the limit with a retry hint, per user and per tool', async () => {
    const user = randomUUID();
    const alice = await asUser(user);
    expect((await list(alice)).isError).toBeFalsy();
    expect((await list(alice)).isError).toBeFalsy();
    const third = await list(alice);
    expect(third.isError).toBe(true);
    expect(textOf(third)).toMatch(/^too many calls to "list_conversations"; try again in \d+ s$/);

    // A new connection with a new token for the same subject does not reset the budget.
    const again = await asUser(user);
    expect((await list(again)).isError).toBe(true);

    // Another tool and another user have budgets of their own.
    const chat = await callTool(alice, 'chat', { message: 'hi' });
    expect(chat.isError).toBeFalsy();
    const bob = await asUser(randomUUID());
    expect((await list(bob)).isError).toBeFalsy();
    await Promise.all([alice.close(), again.close(), bob.close()]);

    const metrics = await edge.metrics.registry.metrics();
    expect(metrics).toMatch(/rate_limit_rejections_total\{tool="list_conversations"[^}]*\} 2/);
    expect(metrics).toMatch(/mcp_tool_calls_total\{tool="list_conversations",status="rate_limited"[^}]*\} 2/);
  });

  it("sizes the budget by the token's tier", async () => {
    const calls = async (tier: string | undefined) => {
      const client = await asUser(randomUUID(), tier);
      let allowed = 0;
      for (let i = 0; i < 10; i++) if (!(await list(client)).isError) allowed++;
      await client.close();
      return allowed;
    };
    // The harness allows 2 a minute for free (and unknown) tiers, 4 for premium, 8 for enterprise.
    expect(await calls(undefined)).toBe(2);
    expect(await calls('free')).toBe(2);
    expect(await calls('premium')).toBe(4);
    expect(await calls('enterprise')).toBe(8);
    expect(await calls('platinum')).toBe(2);
  });

  it('denies when the limiter cannot decide (fail closed)', async () => {
    const consume = jest.spyOn(edge.limiter, 'consume').mockRejectedValueOnce(new Error('redis down'));
    const client = await asUser(randomUUID());
    const r = await list(client);
    await client.close();
    consume.mockRestore();
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe('the service is busy right now; try again later');
  });
});
