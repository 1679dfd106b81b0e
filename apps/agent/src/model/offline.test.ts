import { AIMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { createTools } from '../tools/index.js';
import { findExpression, findTimeZone, isGreeting } from './intents.js';
import { countTokens, OfflineChatModel } from './offline.js';

const model = new OfflineChatModel();
const withTools = model.bindTools(createTools());

/** A question, the model's calculator call for it, and the calculator's answer, as a conversation holds them. */
function calculatorTurn(question: string, expression: string, result: { content: string; status?: 'error' }) {
  return [
    new HumanMessage(question),
    new AIMessage({
      content: '',
      tool_calls: [{ id: 'c1', name: 'calculator', args: { expression }, type: 'tool_call' }],
    }),
    new ToolMessage({ tool_call_id: 'c1', name: 'calculator', ...result }),
  ];
}

describe('OfflineChatModel', () => {
  it.each([
    ['What is 17 * 23?', '17 * 23'],
    ['(2+3)^2', '(2+3)^2'],
    ['compute 10 / 4', '10 / 4'],
    ['what is 12 times 12?', '12 * 12'],
    ['square root of 81 plus 1', 'sqrt(81) + 1'],
  ])('asks the calculator for %j', async (question, expression) => {
    const reply = (await withTools.invoke([new HumanMessage(question)])) as AIMessage;
    expect(reply.tool_calls).toEqual([
      expect.objectContaining({ name: 'calculator', args: { expression }, id: expect.any(String) }),
    ]);
  });

  it.each([
    ['what time is it?', {}],
    ["what's the date today?", {}],
    ['What time is it in Europe/Paris?', { timezone: 'Europe/Paris' }],
    ['what time is it in New York', { timezone: 'America/New_York' }],
  ])('asks the clock for %j', async (question, args) => {
    const reply = (await withTools.invoke([new HumanMessage(question)])) as AIMessage;
    expect(reply.tool_calls).toEqual([expect.objectContaining({ name: 'clock', args })]);
  });

  it('answers from the tool result once it is in the conversation', async () => {
    const reply = await withTools.invoke(calculatorTurn('What is 17 * 23?', '17 * 23', { content: '391' }));
    expect(reply.text).toBe('17 * 23 = 391.');
    expect((reply as AIMessage).tool_calls ?? []).toHaveLength(0);
  });

  it('explains a failed calculation instead of inventing a number', async () => {
    const reply = await withTools.invoke(
      calculatorTurn('what is 1/0', '1/0', {
        status: 'error',
        content: 'Error: division by zero\n Please fix your mistakes.',
      }),
    );
    expect(reply.text).toBe('I could not calculate 1/0: division by zero.');
  });

  it('uses the previous result for a follow-up', async () => {
    const reply = (await withTools.invoke([
      ...calculatorTurn('What is 17 * 23?', '17 * 23', { content: '391' }),
      new AIMessage('17 * 23 = 391.'),
      new HumanMessage('and times 2?'),
    ])) as AIMessage;
    expect(reply.tool_calls?.[0]?.args).toEqual({ expression: '391 * 2' });
  });

  it('says honestly what it is for anything else, and how to configure a real provider', async () => {
    const reply = (await withTools.invoke([new HumanMessage('Write me a poem about the sea')])) as AIMessage;
    expect(reply.tool_calls ?? []).toHaveLength(0);
    expect(reply.text).toContain('offline model');
    expect(reply.text).toContain('cannot hold a general conversation');
    expect(reply.text).toContain('LLM_MODEL=openai:gpt-4.1-mini');
  });

  it('does not call tools it was not given', async () => {
    const reply = (await model.invoke([new HumanMessage('What is 17 * 23?')])) as AIMessage;
    expect(reply.tool_calls ?? []).toHaveLength(0);
    expect(reply.text).toContain('calculator tool');
    expect(reply.text).not.toContain('391');
  });

  it('streams its answer word by word, and a tool call whole on the last chunk', async () => {
    const words: string[] = [];
    for await (const chunk of await withTools.stream([new HumanMessage('hello')])) words.push(chunk.text);
    expect(words.length).toBeGreaterThan(10);
    expect(words.join('')).toBe(((await withTools.invoke([new HumanMessage('hello')])) as AIMessage).text);

    const chunks = [];
    for await (const chunk of await withTools.stream([new HumanMessage('add 6 to 144')])) chunks.push(chunk);
    expect(chunks.at(-1)!.tool_call_chunks).toEqual([
      expect.objectContaining({ name: 'calculator', args: JSON.stringify({ expression: '144 + 6' }) }),
    ]);
    expect(chunks.slice(0, -1).every((c) => (c.tool_call_chunks ?? []).length === 0)).toBe(true);
  });

  it('reports token usage counted from the conversation', async () => {
    const reply = (await withTools.invoke([new HumanMessage('tell me a story')])) as AIMessage;
    expect(countTokens('tell me a story')).toBe(4);
    expect(reply.usage_metadata).toEqual({
      input_tokens: 4,
      output_tokens: countTokens(reply.text),
      total_tokens: 4 + countTokens(reply.text),
    });
    expect(reply.usage_metadata!.output_tokens).toBeGreaterThan(20);
  });

  it('is deterministic', async () => {
    const conversation = [new HumanMessage('what is 2 + 2 and what time is it in UTC?')];
    const a = (await withTools.invoke(conversation)) as AIMessage;
    const b = (await withTools.invoke(conversation)) as AIMessage;
    expect(a.tool_calls).toEqual(b.tool_calls);
    // In the order asked: the sum first, then the time.
    expect(a.tool_calls?.map((c) => c.name)).toEqual(['calculator', 'clock']);
  });
});

describe('intents', () => {
  it('finds no arithmetic in ordinary sentences', () => {
    expect(findExpression('I have 3 cats')).toBeUndefined();
    expect(findExpression('hello there')).toBeUndefined();
    expect(findExpression('what happened on 2024-01-05?')).toBeUndefined();
    expect(findExpression('is 28/11/2026 a Saturday?')).toBeUndefined();
    expect(findExpression('what is 11-28?')).toBe('11-28');
    expect(findExpression('what is 2 to the power of 10?')).toBe('2 ^ 10');
    expect(findExpression('What is 10 divided by 4?')).toBe('10 / 4');
  });

  it('drops stray dots, dangling operators and unmatched parentheses at either end', () => {
    expect(findExpression('what is ((2 + 3) * 4?')).toBe('(2 + 3) * 4');
    expect(findExpression('compute (2 + 3)) * 4)')).toBe('(2 + 3)) * 4');
    expect(findExpression('what is * 2 + 3 - ?')).toBe('2 + 3');
    expect(findExpression('so. 2 + 2.')).toBe('2 + 2');
    expect(findExpression('(((')).toBeUndefined();
  });

  it('reads percentages and a negative previous result', () => {
    expect(findExpression('what is 15% of 80?')).toBe('(15 / 100 * 80)');
    expect(findExpression('squared?', '-5')).toBe('(-5) ^ 2');
  });

  it('knows a greeting with punctuation and "there" from a greeting with a question', () => {
    expect(isGreeting('hi')).toBe(true);
    expect(isGreeting('Hello there!')).toBe(true);
    expect(isGreeting('hey, there...')).toBe(true);
    expect(isGreeting('good morning!!')).toBe(true);
    expect(isGreeting('hi, what is 2 + 2?')).toBe(false);
    expect(isGreeting('hi there, friend')).toBe(false);
  });

  it('resolves time zones by IANA name, UTC and city', () => {
    expect(findTimeZone('time in asia/tokyo')).toBe('Asia/Tokyo');
    expect(findTimeZone('time in America/Port-au-Prince?')).toBe('America/Port-au-Prince');
    expect(findTimeZone('time in Mars/Tharsis-Rise/Olympus_Mons')).toBe('Mars/Tharsis-Rise/Olympus_Mons');
    expect(findTimeZone('time in Mars/Olympus_Mons')).toBe('Mars/Olympus_Mons');
    expect(findTimeZone('what time is it in UTC')).toBe('UTC');
    expect(findTimeZone('what time is it in Tokyo?')).toBe('Asia/Tokyo');
    expect(findTimeZone('what time is it')).toBeUndefined();
  });
});
