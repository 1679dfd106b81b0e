import { costRatio } from '../testing/growth.js';
import { ExpressionError, evaluateExpression, formatNumber, MAX_EXPRESSION_LENGTH } from './expression.js';

const calc = (s: string) => formatNumber(evaluateExpression(s));

describe('evaluateExpression', () => {
  it.each([
    ['17 * 23', '391'],
    ['2 + 3 * 4', '14'],
    ['(2 + 3) * 4', '20'],
    ['(2+3)^2', '25'],
    ['2 ^ 3 ^ 2', '512'],
    ['-2 ^ 2', '-4'],
    ['(-2) ^ 2', '4'],
    ['2 ^ -1', '0.5'],
    ['10 / 4', '2.5'],
    ['10 % 4', '2'],
    ['10 - 4 - 3', '3'],
    ['100 / 10 / 5', '2'],
    ['--3', '3'],
    ['-(3 + 4) * 2', '-14'],
    ['0.1 + 0.2', '0.3'],
    ['.5 * 4', '2'],
    ['sqrt(16) + abs(-3)', '7'],
    ['round(2.5) + floor(2.9) + ceil(2.1)', '8'],
    ['2 × 3 ÷ 4', '1.5'],
    ['1e3 + 1', '1001'],
  ])('%s = %s', (expression, expected) => {
    expect(calc(expression)).toBe(expected);
  });

  it('knows pi', () => {
    expect(calc('2 * pi')).toBe('6.28318530718');
  });

  it.each([
    ['1 / 0', 'division by zero'],
    ['5 % 0', 'division by zero'],
    ['', 'empty'],
    ['2 +', 'ends too early'],
    ['(2 + 3', 'expected ")"'],
    ['2 + 3)', 'unexpected ")"'],
    ['2 $ 3', 'unexpected character "$"'],
    ['1..2', 'malformed number'],
    ['sqrt(-1)', 'negative'],
    ['(-8) ^ 0.5', 'not a real number'],
    ['10 ^ 400', 'too large'],
  ])('rejects %j (%s)', (expression, message) => {
    expect(() => evaluateExpression(expression)).toThrow(ExpressionError);
    expect(() => evaluateExpression(expression)).toThrow(message);
  });

  it('refuses expressions longer than 200 characters', () => {
    expect(() => evaluateExpression(`1${' + 1'.repeat(60)}`)).toThrow('longer than 200 characters');
  });

  it('refuses nesting deep enough to exhaust the stack', () => {
    expect(() => evaluateExpression(`${'('.repeat(90)}1${')'.repeat(90)}`)).toThrow('nested too deeply');
  });

  it.each([
    'constructor',
    'process.exit()',
    'this.constructor.constructor("return process")()',
    'require("fs")',
    '__proto__',
    'toString()',
    'x = 1',
    '[1].map(alert)',
    '`1`',
  ])('never executes code: %j is an error', (expression) => {
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => {
      throw new Error('process.exit was called');
    }) as never);
    try {
      expect(() => evaluateExpression(expression)).toThrow(ExpressionError);
      expect(exit).not.toHaveBeenCalled();
    } finally {
      exit.mockRestore();
    }
  });
});

describe('evaluateExpression on its longest input', () => {
  const attempt = (expression: string) => () => {
    try {
      evaluateExpression(expression);
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
    }
  };
  const sized = (unit: string, chars: number) => unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);

  it.each([
    ['a long sum', '1+'],
    ['long numbers', '12345.6789e1 '],
    ['names', 'pi*'],
    ['unknown names', 'abcdefgh'],
    ['unary minus', '-'],
    ['parentheses', '('],
  ])('costs time linear in its length: %s', (_what, unit) => {
    const ratio = costRatio(
      attempt(sized(unit, MAX_EXPRESSION_LENGTH / 8)),
      attempt(sized(unit, MAX_EXPRESSION_LENGTH)),
    );
    expect(ratio).toBeLessThan(24);
  });
});

describe('formatNumber', () => {
  it('writes integers and decimals plainly and negative zero as zero', () => {
    expect(formatNumber(391)).toBe('391');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(1 / 3)).toBe('0.333333333333');
    expect(formatNumber(2 ** 80)).toBe('1.20892581961e+24');
  });
});
