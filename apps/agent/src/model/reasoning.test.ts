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
  ])('%s', (_what, conversation) => {
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
