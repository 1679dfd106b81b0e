import { randomUUID } from 'node:crypto';
import type { AIMessage, BaseMessage, ToolMessage } from '@langchain/core/messages';
import type { Message } from '@langchain/langgraph-sdk';
import { OfflineChatModel } from './model/offline.js';
import { humanInput as ask, eventually, gatedCalculator } from './testing/gate.js';
import { useAgent } from './testing/setup.js';

/** Fails every call, as a provider that is down. */
class UnavailableModel extends OfflineChatModel {
  override async _generate(): Promise<never> {
    throw new Error('model unavailable: api key sk-secret-value rejected');
  }
}

/** Refuses histories with unanswered tool calls, as hosted providers do. */
class StrictModel extends OfflineChatModel {
  override async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']) {
    const answered = new Set(
      messages.filter((m) => m.getType() === 'tool').map((m) => (m as ToolMessage).tool_call_id),
    );
    for (const m of messages)
      for (const call of (m as AIMessage).tool_calls ?? [])
        if (!answered.has(call.id ?? '')) throw new Error(`tool call ${call.id} has no result`);
    return super._generate(messages, options);
  }
}

describe('a run whose model fails', () => {
  const { agent, sdk } = useAgent({ models: [new UnavailableModel()] });

  it('ends `error` with a run_failed error that hides the provider’s message, counted, and the queue moves on', async () => {
    const client = sdk(randomUUID());
    const { thread_id } = await client.threads.create();
    const before = await (await fetch(`${agent().url}/metrics`)).text();
    const count = (text: string) =>
      Number(/^agent_runs_total\{status="error"[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
    const first = await client.runs.create(thread_id, 'agent', ask('What is 1 + 1?'));
    const second = await client.runs.create(thread_id, 'agent', {
      ...ask('What is 2 + 2?'),
      multitaskStrategy: 'enqueue',
    });
    const answer = await client.runs.join(thread_id, second.run_id);
    expect(answer).toEqual({
      __error__: { error: 'run_failed', message: 'the agent could not complete the run' },
    });
    expect(JSON.stringify(answer)).not.toContain('sk-secret');
    expect((await client.runs.get(thread_id, first.run_id)).status).toBe('error');
    expect((await client.threads.get(thread_id)).status).toBe('error');
    expect(count(await (await fetch(`${agent().url}/metrics`)).text()) - count(before)).toBe(2);
    // The users' messages were kept: nothing the caller sent is lost with the run.
    const { values } = await client.threads.getState<{ messages: Message[] }>(thread_id);
    expect(values.messages.map((m) => m.content)).toEqual(['What is 1 + 1?', 'What is 2 + 2?']);
  });
});

describe('a thread after a run that was cut short in a tool call', () => {
  const gate = gatedCalculator();
  const { sdk } = useAgent({ models: [new StrictModel()], tools: [gate.tool] });
  afterAll(() => gate.open());

  it('answers the dangling tool call as interrupted, so the next run works with a strict provider', async () => {
    const client = sdk(randomUUID());
    const { thread_id } = await client.threads.create();
    const run = await client.runs.create(thread_id, 'agent', ask('What is 5 * 5?'));
    await gate.reached();
    await client.runs.cancel(thread_id, run.run_id, true);
    gate.open();
    const values = (await client.runs.wait(thread_id, 'agent', ask('What is 6 * 6?'))) as {
      messages: Message[];
    };
    expect(values.messages.map((m) => m.type)).toEqual(['human', 'ai', 'human', 'ai', 'tool', 'ai']);
    expect(values.messages.at(-1)!.content).toBe('6 * 6 = 36.');
    expect(
      (
        await eventually(
          () => client.threads.get(thread_id),
          (t) => t.status === 'idle',
        )
      ).status,
    ).toBe('idle');
  });
});
