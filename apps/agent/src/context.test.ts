import type { BaseChatModelCallOptions } from '@langchain/core/language_models/chat_models';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { MemorySaver } from '@langchain/langgraph';
import { contextBudget, defaultContextTokens, estimateTokens, fitContext, TRIMMED_NOTE } from './context.js';
import { createAgentGraph, recursionLimitFor } from './graph.js';
import { createTools } from './tools/index.js';

const SYSTEM = 'You are the test assistant.';

/** Every tool call in `sent` has its result in `sent`, and every result its call. */
function pairsIntact(sent: readonly BaseMessage[]): boolean {
  const calls = new Set<string>();
  const results = new Set<string>();
  for (const m of sent) {
    if (m.getType() === 'ai') for (const c of (m as AIMessage).tool_calls ?? []) calls.add(c.id ?? '');
    if (m.getType() === 'tool') results.add((m as ToolMessage).tool_call_id);
  }
  return calls.size === results.size && [...calls].every((id) => results.has(id));
}

/**
 * A scripted model that records what it is sent: "What is N * 3?" gets a calculator call, a tool
 * result gets the answer, anything else "Noted.".
 */
class RecordingModel extends BaseChatModel<BaseChatModelCallOptions> {
  readonly received: BaseMessage[][] = [];
  private calls = 0;
  _llmType() {
    return 'recording';
  }
  override bindTools() {
    return this as never;
  }
  override async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.received.push(messages);
    const last = messages.at(-1)!;
    const ask = /^What is (\d+) \* 3\?$/.exec(last.text);
    const message =
      last.getType() === 'tool'
        ? new AIMessage(`The answer is ${last.text}.`)
        : ask
          ? new AIMessage({
              content: '',
              tool_calls: [
                { id: `call_${++this.calls}`, name: 'calculator', args: { expression: `${ask[1]} * 3` } },
              ],
            })
          : new AIMessage('Noted.');
    return { generations: [{ message, text: message.text }] };
  }
}

describe('fitContext', () => {
  it('sends everything, with the system prompt first, while it fits', () => {
    const messages = [new HumanMessage('one'), new HumanMessage('two')];
    const sent = fitContext(SYSTEM, messages, 10_000);
    expect(sent.map((m) => m.getType())).toEqual(['system', 'human', 'human']);
    expect(sent[0]!.text).toBe(SYSTEM);
  });

  it('keeps the current turn whole even when it alone is over budget, and says what was left out', () => {
    const messages = [new HumanMessage('old '.repeat(100)), new HumanMessage('new '.repeat(100))];
    const sent = fitContext(SYSTEM, messages, 10);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.text).toBe(`${SYSTEM}\n\n${TRIMMED_NOTE}`);
    expect(sent[1]!.text).toBe(messages[1]!.text);
  });

  it('is linear in the number of messages', () => {
    const many = Array.from({ length: 200_000 }, (_, i) => new HumanMessage(`m${i}`));
    let counted = 0;
    fitContext(SYSTEM, many, 1_000_000, (m) => {
      counted++;
      return estimateTokens(m);
    });
    expect(counted).toBeLessThanOrEqual(many.length + 1);
  });

  it('assumes each model family’s window when none is configured', () => {
    expect(defaultContextTokens('anthropic', 'claude-sonnet-4-5')).toBe(200_000);
    expect(defaultContextTokens('openai', 'gpt-4o-mini')).toBe(128_000);
    expect(defaultContextTokens('bedrock', 'anthropic.claude-3-5-sonnet-20240620-v1:0')).toBe(200_000);
    expect(defaultContextTokens('ollama', 'llama3.1:8b')).toBe(8_000);
    expect(defaultContextTokens('unknown-provider')).toBe(32_000);
  });

  it('budgets the smallest window of the model chain, less room for the answer', () => {
    // Claude's 200,000 with an Ollama fallback: the fallback's 8,000 bounds every call.
    expect(
      contextBudget(undefined, [
        { provider: 'anthropic', model: 'claude-sonnet-4-5' },
        { provider: 'ollama', model: 'llama3.1:8b' },
      ]),
    ).toBe(6_000);
    expect(contextBudget(undefined, [{ provider: 'openai', model: 'gpt-4o' }])).toBe(128_000 - 4_096);
    expect(contextBudget(50_000, [{ provider: 'openai', model: 'gpt-4o' }])).toBe(50_000 - 4_096);
  });
});

describe('a 500-turn conversation', () => {
  it('sends the model the system prompt, whole recent turns within the budget and the latest message', async () => {
    const BUDGET = 3_000;
    const model = new RecordingModel({});
    const received = model.received;
    const graph = createAgentGraph({
      model,
      tools: createTools(),
      checkpointer: new MemorySaver(),
      maxIterations: 6,
      systemPrompt: SYSTEM,
      contextTokens: BUDGET,
    });
    const config = { configurable: { thread_id: 'long' }, recursionLimit: recursionLimitFor(6) };
    const TURNS = 500;
    const SEEDED = 490;
    // Every other turn uses the calculator: tool-call pairs all through the history.
    const question = (i: number) =>
      i % 2 === 0 ? `What is ${i} * 3?` : `Please note item number ${i} for later.`;
    const seeded: BaseMessage[] = [];
    for (let i = 1; i <= SEEDED; i++) {
      seeded.push(new HumanMessage({ content: question(i), id: `h${i}` }));
      if (i % 2 === 0) {
        seeded.push(
          new AIMessage({
            content: '',
            id: `c${i}`,
            tool_calls: [{ id: `seed_${i}`, name: 'calculator', args: { expression: `${i} * 3` } }],
          }),
          new ToolMessage({
            content: String(i * 3),
            tool_call_id: `seed_${i}`,
            name: 'calculator',
            id: `t${i}`,
          }),
          new AIMessage({ content: `The answer is ${i * 3}.`, id: `a${i}` }),
        );
      } else seeded.push(new AIMessage({ content: 'Noted.', id: `a${i}` }));
    }
    // The first 490 turns as one state update, the last ten as real runs of the graph.
    await graph.updateState(config, { messages: seeded }, 'agent');
    for (let i = SEEDED + 1; i <= TURNS; i++) {
      received.length = 0;
      await graph.invoke({ messages: [new HumanMessage(question(i))] }, config);
      if (i !== TURNS) continue;
      const state = await graph.getState(config);
      const thread = state.values.messages as BaseMessage[];
      expect(thread.filter((m) => m.getType() === 'human')).toHaveLength(TURNS);
      // The last turn called the calculator: two model calls, both trimmed the same way.
      expect(received).toHaveLength(2);
      for (const sent of received) {
        expect(sent[0]!.getType()).toBe('system');
        expect(sent[0]!.text).toBe(`${SYSTEM}\n\n${TRIMMED_NOTE}`);
        expect(sent.slice(1).filter((m) => m.getType() === 'system')).toEqual([]);
        // Whole turns: the history sent starts at a user message, and no tool call lost its result.
        expect(sent[1]!.getType()).toBe('human');
        expect(pairsIntact(sent)).toBe(true);
        expect(sent.reduce((n, m) => n + estimateTokens(m), 0)).toBeLessThanOrEqual(BUDGET);
        // A contiguous, recent part of the thread, ending with the latest question.
        const endAt = thread.length - (sent === received[0] ? 3 : 1);
        const tail = thread.slice(endAt - (sent.length - 1), endAt);
        expect(sent.slice(1).map((m) => m.id)).toEqual(tail.map((m) => m.id));
        expect(sent.filter((m) => m.getType() === 'human').at(-1)!.text).toBe(`What is ${TURNS} * 3?`);
        // Far more than one turn fits in 3,000 tokens, far fewer than all.
        const turns = sent.filter((m) => m.getType() === 'human').length;
        expect(turns).toBeGreaterThan(20);
        expect(turns).toBeLessThan(TURNS);
      }
    }
    expect(received.at(-1)!.at(-1)!.getType()).toBe('tool');
  }, 120_000);
});
