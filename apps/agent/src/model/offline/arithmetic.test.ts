import { AIMessage, type BaseMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { ask, offlineModel } from './test-conversation.js';

/**
 * Arithmetic phrasings through the real offline model and the real calculator: each row is what
 * the user says (after `before`, earlier questions of the same conversation), the calculator calls
 * the model makes, and its answer.
 */
type Row = [say: string, expressions: string[], answer: string | RegExp, before?: string[]];

const model = offlineModel();

async function check(say: string, expressions: string[], answer: string | RegExp, before: string[] = []) {
  const messages: BaseMessage[] = [];
  for (const earlier of before) await ask(model, messages, earlier);
  const turn = await ask(model, messages, say);
  expect(turn.calls).toEqual(expressions.map((expression) => ['calculator', { expression }]));
  if (typeof answer === 'string') expect(turn.answer).toBe(answer);
  else expect(turn.answer).toMatch(answer);
}

describe('the offline model calculates what it is asked in words or symbols', () => {
  it.each<Row>([
    ['add 6 to 144', ['144 + 6'], '144 + 6 = 150.'],
    ['seventeen times twenty-three', ['17 * 23'], '17 * 23 = 391.'],
    ['increase 200 by 15%', ['200 * (1 + 15 / 100)'], '200 + 15% = 230.'],
    ['decrease 80 by 25 percent', ['80 * (1 - 25 / 100)'], '80 - 25% = 60.'],
    ['subtract 7 from 20', ['20 - 7'], '20 - 7 = 13.'],
    ['what is 12 squared', ['12 ^ 2'], '12 ^ 2 = 144.'],
    ['cube root of 27', ['(27 ^ (1 / 3))'], 'Cube root of 27 = 3.'],
    ['what is the cube root of -27?', ['-(27 ^ (1 / 3))'], 'Cube root of -27 = -3.'],
    ['square root of 144', ['sqrt(144)'], 'sqrt(144) = 12.'],
    ['2 to the power of 10', ['2 ^ 10'], '2 ^ 10 = 1024.'],
    ['what is 2 to the 10th power?', ['2 ^ 10'], '2 ^ 10 = 1024.'],
    ['15% of 80', ['(15 / 100 * 80)'], '15% of 80 = 12.'],
    ["what's 2.5 percent of 1,000?", ['(2.5 / 100 * 1000)'], '2.5% of 1000 = 25.'],
    ["what's 5 plus 5", ['5 + 5'], '5 + 5 = 10.'],
    ['divide 100 by 8', ['100 / 8'], '100 / 8 = 12.5.'],
    ['one hundred and five minus twelve', ['105 - 12'], '105 - 12 = 93.'],
    ['what is two thousand and twenty-six minus 1990?', ['2026 - 1990'], '2026 - 1990 = 36.'],
    ['three point five times two', ['3.5 * 2'], '3.5 * 2 = 7.'],
    ['half of 90', ['(90 / 2)'], 'Half of 90 = 45.'],
    ['a third of 90', ['(90 / 3)'], 'A third of 90 = 30.'],
    ['average of 3, 5 and 10', ['(3 + 5 + 10) / 3'], '(3 + 5 + 10) / 3 = 6.'],
    ['what is the sum of 1, 2, 3 and 4?', ['1 + 2 + 3 + 4'], '1 + 2 + 3 + 4 = 10.'],
    ['What is 1,234,567 + 1?', ['1234567 + 1'], '1234567 + 1 = 1234568.'],
    ['what is -5 + 3.5', ['-5 + 3.5'], '-5 + 3.5 = -1.5.'],
    ["what's negative 4 times 3", ['-4 * 3'], '-4 * 3 = -12.'],
    ['what percent of 80 is 20?', ['20 / 80 * 100'], '20 as a percentage of 80 = 25%.'],
    ['what is 200 plus 10%?', ['200 * (1 + 10 / 100)'], '200 + 10% = 220.'],
    ["what's 7 x 8", ['7 * 8'], '7 * 8 = 56.'],
    ['how much is 3.5 million divided by 7?', ['3500000 / 7'], '3500000 / 7 = 500000.'],
    ['please multiply 6 by 7', ['6 * 7'], '6 * 7 = 42.'],
    ["I'd like to divide 10 by 4", ['10 / 4'], '10 / 4 = 2.5.'],
    ['take 5 away from 12', ['12 - 5'], '12 - 5 = 7.'],
    ['what is the square root of 81 plus 1?', ['sqrt(81) + 1'], 'sqrt(81) + 1 = 10.'],
    ['What is 10 divided by 4?', ['10 / 4'], '10 / 4 = 2.5.'],
    ['what is 10 % 3', ['10 % 3'], '10 % 3 = 1.'],
    ['what is 0.1 + 0.2', ['0.1 + 0.2'], '0.1 + 0.2 = 0.3.'],
    ['What is (2+3)^2?', ['(2+3)^2'], '(2+3)^2 = 25.'],
    ['what is 1/0', ['1/0'], 'I could not calculate 1/0: division by zero.'],
    ['what is 5 factorial?', ['(5 * 4 * 3 * 2)'], '5! = 120.'],
    ['What is 20% off 50?', ['(50 * (1 - 20 / 100))'], '50 - 20% = 40.'],
    [
      'round 3.14159 to 2 decimal places',
      ['round(3.14159 * 100) / 100'],
      '3.14159 rounded to 2 decimal places = 3.14.',
    ],
    [
      'round 1234 to the nearest hundred',
      ['round(1234 / 100) * 100'],
      '1234 rounded to the nearest 100 = 1200.',
    ],
    ['round up 3.2', ['ceil(3.2)'], 'ceil(3.2) = 4.'],
    ['What is the difference between 50 and 20?', ['50 - 20'], '50 - 20 = 30.'],
    ['what is 150 increased by 20%', ['150 * (1 + 20 / 100)'], '150 + 20% = 180.'],
    ['what is the remainder when 17 is divided by 5?', ['17 % 5'], '17 % 5 = 2.'],
    ['What is the product of 6 and 7?', ['6 * 7'], '6 * 7 = 42.'],
  ])('%j', (...row: Row) => check(...row));
});

describe('follow-ups work on earlier results', () => {
  it.each<Row>([
    ['multiply that by 3', ['391 * 3'], '391 * 3 = 1173.', ['what is 17 * 23']],
    ['now subtract 50 from it', ['150 - 50'], '150 - 50 = 100.', ['add 6 to 144']],
    ['double it', ['144 * 2'], '144 * 2 = 288.', ['what is 12 * 12']],
    ['add 10 to the result', ['144 + 10'], '144 + 10 = 154.', ['what is 12 * 12']],
    ['and times 2?', ['391 * 2'], '391 * 2 = 782.', ['What is 17 * 23?']],
    ['squared?', ['(-5) ^ 2'], '(-5) ^ 2 = 25.', ['what is 5 - 10']],
    ['and minus 1?', ['4 - 1'], '4 - 1 = 3.', ['what is 2 + 2']],
    ['what is the square root of that', ['sqrt(81)'], 'sqrt(81) = 9.', ['what is 9 * 9']],
    ['and decrease it by 10%', ['230 * (1 - 10 / 100)'], '230 - 10% = 207.', ['increase 200 by 15%']],
    ['multiply the first result by 2', ['150 * 2'], '150 * 2 = 300.', ['add 6 to 144', 'double it']],
    ['what was the first result?', [], 'The first result was 391 (17 * 23).', ['what is 17 * 23', 'times 2']],
    [
      'and the previous one?',
      [],
      'The second result was 782 (391 * 2).',
      ['what is 17 * 23', 'times 2', 'plus 1'],
    ],
    [
      'and the next one?',
      [],
      'The second result was 782 (391 * 2).',
      ['what is 17 * 23', 'times 2', 'plus 1', 'what was the first result?'],
    ],
    [
      'what were the results?',
      [],
      'The results so far: 391 (17 * 23), 782 (391 * 2).',
      ['what is 17 * 23', 'times 2'],
    ],
    [
      'what was the third result?',
      [],
      'There is no such result: this conversation has 1 so far.',
      ['what is 2 + 2'],
    ],
    ['double it', [], 'I have no earlier result in this conversation to work with yet.'],
    ['what was the result?', [], 'There are no results in this conversation yet.'],
  ])('%j', (...row: Row) => check(...row));

  it('reads results from its own earlier answers when a client sends only the visible messages', async () => {
    const messages: BaseMessage[] = [new HumanMessage('what is 17 * 23'), new AIMessage('17 * 23 = 391.')];
    const turn = await ask(model, messages, 'times 2');
    expect(turn.calls).toEqual([['calculator', { expression: '391 * 2' }]]);
    expect(turn.answer).toBe('391 * 2 = 782.');
  });

  it('explains a tool error it was handed, such as a refused permission', async () => {
    const messages: BaseMessage[] = [
      new HumanMessage('what is 2 + 2'),
      new AIMessage({
        content: '',
        tool_calls: [{ id: 'c1', name: 'calculator', args: { expression: '2 + 2' }, type: 'tool_call' }],
      }),
      new ToolMessage({
        tool_call_id: 'c1',
        name: 'calculator',
        status: 'error',
        content: 'Error: You may not use the tool calculator\n Please fix your mistakes.',
      }),
    ];
    const reply = (await model.invoke(messages)) as AIMessage;
    expect(reply.tool_calls ?? []).toHaveLength(0);
    expect(reply.text).toBe('I could not calculate 2 + 2: You may not use the tool calculator.');
  });
});

describe('multi-step requests go one step at a time when a step needs the one before', () => {
  it.each<Row>([
    ['(3+4)*5 and then divide by 7', ['(3+4)*5', '35 / 7'], '(3+4)*5 = 35. Then 35 / 7 = 5.'],
    ['add 2 and 3, then multiply by 4', ['2 + 3', '5 * 4'], '2 + 3 = 5. Then 5 * 4 = 20.'],
    ['what is 5 times 3, and what is that times 2?', ['5 * 3', '15 * 2'], '5 * 3 = 15. Then 15 * 2 = 30.'],
    ['divide 10 by 0 and then add 1', ['10 / 0'], 'I could not calculate 10 / 0: division by zero.'],
    ['what is 2 + 2? And 3 * 3?', ['2 + 2', '3 * 3'], '2 + 2 = 4. 3 * 3 = 9.'],
  ])('%j', (...row: Row) => check(...row));
});
