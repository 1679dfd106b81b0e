import { join } from 'node:path';
import { type AIMessage, type BaseMessage, HumanMessage, type ToolMessage } from '@langchain/core/messages';
import { createDatabase, type Database } from '@mcp-langgraph/db';
import { createSqliteCheckpointer } from '../../checkpointer.js';
import { createAgentGraph, recursionLimitFor } from '../../graph.js';
import { type KnowledgeIndex, migrateKnowledgeIndex, openKnowledgeIndex } from '../../knowledge/index.js';
import { createTools } from '../../tools/index.js';
import { OfflineChatModel } from '../offline.js';
import { NOW } from './test-conversation.js';

/**
 * The offline model inside the real agent graph, with the real calculator and the clock pinned to
 * Wednesday, December 2, 2026: conversations over several runs on one thread, as a user has them.
 */
describe('the offline model in the agent graph', () => {
  const checkpointer = createSqliteCheckpointer(':memory:');
  afterAll(() => checkpointer.close());
  const graph = createAgentGraph({
    model: new OfflineChatModel(),
    tools: createTools({ now: () => NOW }),
    checkpointer: checkpointer.saver,
    maxIterations: 6,
  });

  /** Sends `text` on `thread` and returns this run's messages (from the user's message on). */
  async function send(thread: string, text: string): Promise<BaseMessage[]> {
    const config = { configurable: { thread_id: thread }, recursionLimit: recursionLimitFor(6) };
    const before = ((await graph.getState(config)).values.messages as BaseMessage[] | undefined)?.length ?? 0;
    const result = await graph.invoke({ messages: [new HumanMessage(text)] }, config);
    return (result.messages as BaseMessage[]).slice(before);
  }
  const answer = (run: BaseMessage[]) => run.at(-1)!.text;
  const calls = (run: BaseMessage[]) =>
    run.flatMap((m) => ((m as AIMessage).tool_calls ?? []).map((c) => [c.name, c.args]));

  it('keeps working on the latest result across runs, and recalls earlier ones', async () => {
    expect(answer(await send('follow-ups', 'add 6 to 144'))).toBe('144 + 6 = 150.');
    expect(answer(await send('follow-ups', 'multiply that by 3'))).toBe('150 * 3 = 450.');
    expect(answer(await send('follow-ups', 'now subtract 50 from it'))).toBe('450 - 50 = 400.');
    expect(answer(await send('follow-ups', 'double it'))).toBe('400 * 2 = 800.');
    expect(answer(await send('follow-ups', 'what was the first result?'))).toBe(
      'The first result was 150 (144 + 6).',
    );
    // "The previous one" is the one before the latest; "the next one" follows the one just named.
    const recall = await send('follow-ups', 'and the previous one?');
    expect(recall.map((m) => m.getType())).toEqual(['human', 'ai']);
    expect(answer(recall)).toBe('The third result was 400 (450 - 50).');
    expect(answer(await send('follow-ups', 'and the next one?'))).toBe(
      'The fourth result was 800 (400 * 2).',
    );
    expect(answer(await send('follow-ups', 'add 10 to the first result'))).toBe('150 + 10 = 160.');
  });

  it('runs a multi-step request one calculation after the other, each on the result before', async () => {
    const run = await send('steps', '(3+4)*5 and then divide by 7');
    expect(run.map((m) => m.getType())).toEqual(['human', 'ai', 'tool', 'ai', 'tool', 'ai']);
    expect(calls(run)).toEqual([
      ['calculator', { expression: '(3+4)*5' }],
      ['calculator', { expression: '35 / 7' }],
    ]);
    expect((run[4] as ToolMessage).text).toBe('5');
    expect(answer(run)).toBe('(3+4)*5 = 35. Then 35 / 7 = 5.');
    expect(answer(await send('steps', 'and times 3?'))).toBe('5 * 3 = 15.');
  });

  it('asks the clock for today before counting the days to the next Christmas', async () => {
    const run = await send('dates', 'how many days until Christmas?');
    expect(calls(run)).toEqual([
      ['clock', {}],
      ['clock', { operation: 'days_until', date: '2026-12-25' }],
    ]);
    expect(answer(run)).toBe('There are 23 days until Christmas (Friday, December 25, 2026).');
    expect(answer(await send('dates', 'what day is it in 3 days?'))).toBe(
      'In 3 days it will be Saturday, December 5, 2026.',
    );
  });

  it('answers a calculation and a time question asked together with one round of tool calls', async () => {
    const run = await send('together', 'what is 2 + 2 and what time is it in Tokyo?');
    expect(run.map((m) => m.getType())).toEqual(['human', 'ai', 'tool', 'tool', 'ai']);
    expect(answer(run)).toBe(
      '2 + 2 = 4. The current time in Asia/Tokyo is Wednesday, December 2, 2026 at 7:00:00 PM GMT+9 (2026-12-02T10:00:00.000Z).',
    );
  });

  it('explains a clock error instead of inventing a date', async () => {
    const run = await send('errors', 'what weekday is 2026-02-30?');
    expect((run[2] as ToolMessage).status).toBe('error');
    expect(answer(run)).toMatch(/^I could not work that out with the clock: .*2026-02-30/);
  });
});

/** Docs questions answered from the repository's own docs folder, indexed by the real knowledge index. */
describe('the offline model answers docs questions from the shipped docs', () => {
  const checkpointer = createSqliteCheckpointer(':memory:');
  let database: Database<unknown>;
  let index: KnowledgeIndex;
  beforeAll(async () => {
    database = createDatabase({ sqlitePath: ':memory:' });
    await migrateKnowledgeIndex(database);
    index = openKnowledgeIndex(database, { logger: { info() {}, warn() {} } });
    await index.sync(join(__dirname, '..', '..', '..', '..', '..', 'docs'));
  });
  afterAll(async () => {
    await index.close();
    await database.close();
    checkpointer.close();
  });

  async function send(text: string): Promise<BaseMessage[]> {
    const graph = createAgentGraph({
      model: new OfflineChatModel(),
      tools: createTools({ now: () => NOW, knowledge: index }),
      checkpointer: checkpointer.saver,
      maxIterations: 6,
    });
    const result = await graph.invoke(
      { messages: [new HumanMessage(text)] },
      { configurable: { thread_id: text }, recursionLimit: recursionLimitFor(6) },
    );
    return result.messages as BaseMessage[];
  }

  it.each([
    ['what do the docs say about rate limits?', 'rate limits', '(security.md)'],
    ['how do I share a conversation?', 'share a conversation', '(authorization.md)'],
  ])('%j', async (question, query, source) => {
    const run = await send(question);
    const call = (run[1] as AIMessage).tool_calls?.[0];
    expect(call).toMatchObject({ name: 'knowledge_search', args: { query } });
    const hits = JSON.parse((run[2] as ToolMessage).text).hits as Array<{ source: string; title: string }>;
    expect(hits.length).toBeGreaterThan(0);
    const answer = run.at(-1)!.text;
    expect(
      answer.startsWith(`From the docs on “${query}”:\n- ${hits[0]!.title} (${hits[0]!.source}): `),
    ).toBe(true);
    expect(answer).toContain(source);
  });
});
