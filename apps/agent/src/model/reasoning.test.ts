import { AIMessage, type BaseMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { MAX_MESSAGE_CHARS } from '@mcp-langgraph/protocol';
import { costRatio } from '../testing/growth.js';
import { CALCULATOR_TOOL } from '../tools/calculator.js';
import { CLOCK_TOOL } from '../tools/clock.js';
import { decide } from './reasoning.js';

const TOOLS = new Set([CALCULATOR_TOOL, CLOCK_TOOL]);

/** How much more reading a conversation of 8× the characters costs (see `costRatio`). */
function growth(conversation: (chars: number) => BaseMessage[]): number {
  const small = conversation(MAX_MESSAGE_CHARS / 8);
  const large = conversation(MAX_MESSAGE_CHARS);
  return costRatio(
    () => decide(small, TOOLS),
    () => decide(large, TOOLS),
  );
}

/** A user message of exactly `chars` characters: `prefix`, `text` repeated, then `suffix`. */
const question =
  (prefix: string, text: string, suffix = '') =>
  (chars: number) => {
    const fill = chars - prefix.length - suffix.length;
    return [new HumanMessage(prefix + text.repeat(Math.ceil(fill / text.length)).slice(0, fill) + suffix)];
  };

describe('the offline model reads a message in time linear in its length', () => {
  it.each([
    ['opening parentheses', question('', '(')],
    ['closing parentheses', question('', ')')],
    ['parentheses and dots', question('', '(.')],
    ['spelled-out operators with nothing to apply them to', question('', 'times ')],
    ['dash-joined words after a time question', question('what time is it in ', 'ab-')],
    ['a greeting followed by spaces', question('hi', ' ', 'x')],
    ['a greeting followed by punctuation', question('hi', '.!', 'x')],
    ['digits', question('', '1')],
    ['a long sum', question('', '1+')],
    ['repeated questions', question('', 'what is ')],
    ['percentages', question('', '5% of ')],
    ['square roots', question('', 'square root of ')],
    ['numbers in words', question('what is ', 'twenty-three ')],
    ['spelled-out numbers joined by "and"', question('', 'one hundred and ')],
    ['instructions', question('', 'add 1 to ')],
    ['steps', question('2 + 2', ' and then divide by 2')],
    ['fractions of fractions', question('', 'half of ')],
    ['functions of parenthesised groups', question('', 'square root of (')],
    ['references to earlier results', question('', 'the previous result ')],
    ['percent questions', question('', 'what percent of ')],
    ['lists to average', question('average of ', '1, ')],
    ['thousands separators', question('', '1,000,')],
    ['"x" between numbers', question('2', ' x 2')],
    ['month names and days', question('what day is ', 'July 4, ')],
    ['dates with separators', question('how many days until ', '2026-12-25 ')],
    ['day counts', question('what day is it ', 'in 3 days ')],
    ['docs questions', question('', 'what do the docs say about ')],
    ['how-to questions', question('how do I ', 'share a ')],
  ])('%s', (_what, conversation) => {
    expect(growth(conversation)).toBeLessThan(24);
  });

  it('functions of groups nested inside each other', () => {
    const conversation = (chars: number) => {
      const n = Math.floor(chars / 17);
      return [new HumanMessage(`${'square root of ('.repeat(n)}1${')'.repeat(n)}`)];
    };
    expect(growth(conversation)).toBeLessThan(24);
  });

  it('a long conversation of earlier results', () => {
    const conversation = (chars: number) => {
      const messages: BaseMessage[] = [];
      for (let i = 0; i < chars / 40; i++) {
        const expression = `${i} + 1`;
        messages.push(
          new HumanMessage(`what is ${expression}`),
          new AIMessage({
            content: '',
            tool_calls: [{ id: `c${i}`, name: CALCULATOR_TOOL, args: { expression }, type: 'tool_call' }],
          }),
          new ToolMessage({ tool_call_id: `c${i}`, name: CALCULATOR_TOOL, content: String(i + 1) }),
          new AIMessage(`${expression} = ${i + 1}.`),
        );
      }
      messages.push(new HumanMessage('and the previous one?'));
      return messages;
    };
    expect(growth(conversation)).toBeLessThan(24);
  });

  it('a tool error with a long run of spaces', () => {
    const conversation = (chars: number) => [
      new HumanMessage('What is 1/0?'),
      new AIMessage({
        content: '',
        tool_calls: [{ id: 'c1', name: CALCULATOR_TOOL, args: { expression: '1/0' }, type: 'tool_call' }],
      }),
      new ToolMessage({
        tool_call_id: 'c1',
        name: CALCULATOR_TOOL,
        status: 'error',
        content: `Error: a${' '.repeat(chars)}b\n Please fix your mistakes.`,
      }),
    ];
    expect(growth(conversation)).toBeLessThan(24);
  });
});
