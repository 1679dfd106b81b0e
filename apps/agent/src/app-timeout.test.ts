import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { type Harness, startAgent } from './testing/harness.js';

describe('a run that outlasts AGENT_RUN_TIMEOUT_MS', () => {
  let agent: Harness;
  let release: () => void = () => {};
  const stuck = tool(
    () =>
      new Promise<string>((resolve) => {
        release = () => resolve('0');
      }),
    { name: 'calculator', description: 'never finishes', schema: z.object({ expression: z.string() }) },
  );

  beforeAll(async () => {
    agent = await startAgent({ tools: [stuck], runTimeoutMs: 300, streamHeartbeatMs: 20 });
  });
  afterAll(async () => {
    release();
    await agent.close();
  });

  it('answers 504 run_timeout, counts the failure, and hides internals', async () => {
    const token = agent.issuer.sign({});
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${agent.url}/threads`, { method: 'POST', headers, body: '{}' });
    const { thread_id } = (await created.json()) as { thread_id: string };
    const res = await fetch(`${agent.url}/threads/${thread_id}/runs/wait`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ input: { messages: [{ role: 'user', content: 'What is 2 * 2?' }] } }),
    });
    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({ error: 'run_timeout', error_description: 'internal error' });
    const metrics = await (await fetch(`${agent.url}/metrics`)).text();
    expect(metrics).toMatch(/^agent_runs_total\{status="error"[^}]*\} 1$/m);

    release();
    const streamed = await fetch(`${agent.url}/threads/${thread_id}/runs/stream`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ input: { messages: [{ role: 'user', content: 'What is 3 * 3?' }] } }),
    });
    // The stream had started, so the failure arrives as its last event.
    expect(streamed.status).toBe(200);
    const text = await streamed.text();
    expect(text).toMatch(/^event: metadata\n/);
    // While the tool hangs, keep-alive comments flow.
    expect(text).toContain('\n\n: keep-alive\n\n');
    expect(text).toMatch(
      /event: error\ndata: \{"error":"run_timeout","error_description":"internal error"\}\n\n$/,
    );
  });
});
