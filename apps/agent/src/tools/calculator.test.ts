import { createCalculatorTool } from './calculator.js';

describe('calculator tool', () => {
  const calculator = createCalculatorTool();

  it('returns the value of the expression', async () => {
    await expect(calculator.invoke({ expression: '(2+3)^2' })).resolves.toBe('25');
  });

  it('throws a readable error for bad input', async () => {
    await expect(calculator.invoke({ expression: '4 / (2 - 2)' })).rejects.toThrow('division by zero');
  });

  it('rejects input over the length limit before evaluating it', async () => {
    await expect(calculator.invoke({ expression: '1+'.repeat(150) })).rejects.toThrow();
  });
});
