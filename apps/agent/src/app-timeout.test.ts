import { randomUUID } from 'node:crypto';
import { parseEvents } from '@mcp-langgraph/testing';
import { humanInput as ask, gatedCalculator } from './testing/gate.js';
import { useAgent } from './testing/setup.js';

// The calculator never answers until the end: every run that calls it outlasts the run timeout.
const gate = gatedCalculator();
const { agent, sdk, tokenFor } = useAgent({ tools: [gate.tool], runTimeoutMs: 300, streamHeartbeatMs: 20 });
afterAll(() => gate.open());

describe('a run that outlasts AGENT_RUN_TIMEOUT_MS', () => {
  it('ends `timeout`: runs/wait answers __error__ run_timeout, the thread shows the error, internals stay hidden', async () => {
    const client = sdk(randomUUID());
    const { thread_id } = await client.threads.create();
    const raw = await client.runs.wait(thread_id, 'agent', { ...ask('What is 2 * 2?'), raiseError: false });
    expect(raw).toEqual({
      __error__: { error: 'run_timeout', message: 'the run took longer than the agent allows' },
    });
    await expect(client.runs.wait(thread_id, 'agent', ask('What is 2 * 3?'))).rejects.toThrow(
      'run_timeout: the run took longer than the agent allows',
    );
    const [latest] = await client.runs.list(thread_id, { limit: 1 });
    expect(latest!.status).toBe('timeout');
    expect((await client.threads.get(thread_id)).status).toBe('error');
    const metrics = await (await fetch(`${agent().url}/metrics`)).text();
    expect(metrics).toMatch(/^agent_runs_total\{status="timeout"[^}]*\} 2$/m);
  });

  it('streams keep-alive comments while the run is quiet, then the error and the end', async () => {
    const token = tokenFor(randomUUID());
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${agent().url}/threads`, { method: 'POST', headers, body: '{}' });
    const { thread_id } = (await created.json()) as { thread_id: string };
    const streamed = await fetch(`${agent().url}/threads/${thread_id}/runs/stream`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ assistant_id: 'agent', stream_mode: 'updates', ...ask('What is 3 * 3?') }),
    });
    expect(streamed.status).toBe(200);
    const text = await streamed.text();
    expect(text).toContain('\n\n: heartbeat\n\n');
    const events = parseEvents(text);
    expect(events[0]!.event).toBe('metadata');
    expect(events.slice(-2)).toEqual([
      {
        event: 'error',
        data: { error: 'run_timeout', message: 'the run took longer than the agent allows' },
      },
      { event: 'end', data: null },
    ]);
  });
});
