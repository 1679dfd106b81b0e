import { randomUUID } from 'node:crypto';
import type { Message } from '@langchain/langgraph-sdk';
import { humanInput as ask } from '../testing/gate.js';
import { useAgent } from '../testing/setup.js';

const { sdk } = useAgent();

type Values = { messages: Message[] };
const last = (v: Values) => v.messages.at(-1)!;

describe('human in the loop: breakpoints and commands', () => {
  it('stops before the tools node, then resumes with command.resume', async () => {
    const client = sdk(randomUUID());
    const { thread_id } = await client.threads.create();
    const stopped = (await client.runs.wait(thread_id, 'agent', {
      ...ask('What is 12 * 12?'),
      interruptBefore: ['tools'],
    })) as Values;
    expect(last(stopped)).toMatchObject({ type: 'ai', tool_calls: [{ name: 'calculator' }] });
    // As the platform answers a run that stopped at a breakpoint.
    expect(stopped).toHaveProperty('__interrupt__');
    const thread = await client.threads.get(thread_id);
    expect(thread.status).toBe('interrupted');
    const state = await client.threads.getState(thread_id);
    expect(state.next).toEqual(['tools']);
    expect(state.tasks.map((t) => t.name)).toEqual(['tools']);

    const resumed = (await client.runs.wait(thread_id, 'agent', {
      command: { resume: 'approved' },
    })) as Values;
    expect(last(resumed).content).toBe('12 * 12 = 144.');
    expect((await client.threads.get(thread_id)).status).toBe('idle');
  });

  it('stops after the agent node and continues with a null input', async () => {
    const client = sdk(randomUUID());
    const { thread_id } = await client.threads.create();
    await client.runs.wait(thread_id, 'agent', { ...ask('What is 9 * 9?'), interruptAfter: ['agent'] });
    expect((await client.threads.getState(thread_id)).next).toEqual(['tools']);
    const done = (await client.runs.wait(thread_id, 'agent', { input: null })) as Values;
    expect(last(done).content).toBe('9 * 9 = 81.');
  });

  it('lets an editor change the state at a breakpoint before resuming (command.update)', async () => {
    const client = sdk(randomUUID());
    const { thread_id } = await client.threads.create();
    await client.runs.wait(thread_id, 'agent', { ...ask('What is 2 * 21?'), interruptBefore: ['tools'] });
    const done = (await client.runs.wait(thread_id, 'agent', {
      command: { update: { messages: [{ type: 'human', content: 'What is 2 * 22?' }] }, goto: 'agent' },
    })) as Values;
    expect(done.messages.filter((m) => m.type === 'human').map((m) => m.content)).toEqual([
      'What is 2 * 21?',
      'What is 2 * 22?',
    ]);
    // The pending call was answered too, so the model speaks to both.
    expect(last(done).content).toContain('2 * 22 = 44.');
  });
});
