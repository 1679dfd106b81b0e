import { type AIMessage, HumanMessage, type ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { createSqliteCheckpointer } from './checkpointer.js';
import {
  createAgentGraph,
  exhaustedMessage,
  recursionLimitFor,
  SYSTEM_PROMPT,
  systemPromptFor,
} from './graph.js';
import { OfflineChatModel } from './model/offline.js';
import { createTools } from './tools/index.js';

describe('agent graph', () => {
  const checkpointer = createSqliteCheckpointer(':memory:');
  afterAll(() => checkpointer.close());

  it('answers arithmetic through the calculator and keeps the history in the checkpointer', async () => {
    const usage: Array<{ input: number; output: number }> = [];
    const graph = createAgentGraph({
      model: new OfflineChatModel(),
      tools: createTools(),
      checkpointer: checkpointer.saver,
      maxIterations: 6,
      onUsage: (u) => usage.push(u),
    });
    const config = { configurable: { thread_id: 'graph-1' }, recursionLimit: recursionLimitFor(6) };
    const result = await graph.invoke({ messages: [new HumanMessage('What is 17 * 23?')] }, config);
    expect(result.messages.at(-1)!.text).toContain('391');

    const state = await graph.getState({ configurable: { thread_id: 'graph-1' } });
    const messages = state.values.messages as Array<HumanMessage | ToolMessage>;
    expect(messages.map((m) => m.getType())).toEqual(['human', 'ai', 'tool', 'ai']);
    const toolMessage = messages[2] as ToolMessage;
    expect(toolMessage.name).toBe('calculator');
    expect(toolMessage.text).toBe('391');
    expect(usage).toHaveLength(2);
    expect(usage.every((u) => u.input > 0 && u.output > 0)).toBe(true);

    const followUp = await graph.invoke({ messages: [new HumanMessage('and times 2?')] }, config);
    expect(followUp.messages.at(-1)!.text).toBe('391 * 2 = 782.');
    expect(followUp.messages).toHaveLength(8);
  });

  it('stops honestly when the iteration budget is spent', async () => {
    // A tool whose answer never satisfies the model: every result leads to another call.
    const echo = tool(async () => 'not yet', {
      name: 'calculator',
      description: 'always inconclusive',
      schema: z.object({ expression: z.string() }),
    });
    const stubborn = new OfflineChatModel();
    const original = stubborn._generate.bind(stubborn);
    stubborn._generate = async (messages, options, run) => {
      const last = messages.at(-1)!;
      // Keep asking: re-send the question's arithmetic after every tool result.
      const result = await original(last.getType() === 'tool' ? [messages[0]!] : messages, options, run);
      const reply = result.generations[0]!.message as AIMessage;
      for (const call of reply.tool_calls ?? []) call.id = `${call.id}_${messages.length}`;
      return result;
    };
    const graph = createAgentGraph({
      model: stubborn,
      tools: [echo],
      checkpointer: checkpointer.saver,
      maxIterations: 3,
    });
    const result = await graph.invoke(
      { messages: [new HumanMessage('What is 1 + 1?')] },
      { configurable: { thread_id: 'graph-2' }, recursionLimit: recursionLimitFor(3) },
    );
    const types = result.messages.map((m) => m.getType());
    expect(types.filter((t) => t === 'ai')).toHaveLength(4);
    expect(result.messages.at(-1)!.text).toBe(exhaustedMessage(3));
    // Every tool call in the history has an answer, so the thread stays usable.
    const calls = result.messages.flatMap(
      (m) => (m as { tool_calls?: Array<{ id?: string }> }).tool_calls ?? [],
    );
    const answered = new Set(
      result.messages.map((m) => (m as ToolMessage).tool_call_id).filter((id): id is string => Boolean(id)),
    );
    expect(calls.every((c) => answered.has(c.id ?? ''))).toBe(true);
    expect(calls).toHaveLength(3);
  });
});

describe('system prompt', () => {
  it('tells the model of the tools it has beyond the calculator and the clock, and of no others', () => {
    expect(systemPromptFor(['calculator', 'clock'])).toBe(SYSTEM_PROMPT);
    const prompt = systemPromptFor(['calculator', 'clock', 'knowledge_search', 'files__read']);
    expect(prompt).toContain('Use knowledge_search');
    expect(prompt).not.toContain('web_search');
    expect(prompt).toContain('Other tools you may use when they fit the request: files__read.');
  });
});
