import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { evaluateExpression, formatNumber, MAX_EXPRESSION_LENGTH } from './expression.js';

export const CALCULATOR_TOOL = 'calculator';

/**
 * Exact arithmetic for the model. Errors (syntax, division by zero, too long) are thrown so the
 * tool node hands them back to the model as an error result it can explain.
 */
export function createCalculatorTool() {
  return tool(({ expression }) => formatNumber(evaluateExpression(expression)), {
    name: CALCULATOR_TOOL,
    description:
      'Evaluates an arithmetic expression exactly. Supports + - * / % ^, parentheses, unary minus, decimals, ' +
      'the functions sqrt, abs, round, floor, ceil, ln, log and the constants pi and e. Returns the number.',
    schema: z.object({
      expression: z
        .string()
        .min(1)
        .max(MAX_EXPRESSION_LENGTH)
        .describe('The expression to evaluate, for example "(2 + 3) ^ 2" or "17 * 23"'),
    }),
  });
}
