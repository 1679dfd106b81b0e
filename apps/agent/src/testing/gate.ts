import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { evaluateExpression, formatNumber } from '../tools/expression.js';

/**
 * A calculator that holds every call until the test opens the gate, so "a run in the middle of a
 * tool call" is a state a test can reach and hold, without timing.
 */
export function gatedCalculator() {
  let open = false;
  const held: Array<() => void> = [];
  let arrived: Array<() => void> = [];
  const calculator = tool(
    async ({ expression }) => {
      if (!open) {
        for (const notify of arrived.splice(0)) notify();
        await new Promise<void>((resolve) => held.push(resolve));
      }
      return formatNumber(evaluateExpression(expression));
    },
    {
      name: 'calculator',
      description: 'a calculator held by the test',
      schema: z.object({ expression: z.string() }),
    },
  );
  return {
    tool: calculator,
    /** Resolves when a call is (or next is) held at the gate. */
    reached(): Promise<void> {
      if (held.length > 0) return Promise.resolve();
      return new Promise((resolve) => arrived.push(resolve));
    },
    /** Lets every held call and every later one through. */
    open() {
      open = true;
      for (const release of held.splice(0)) release();
    },
    /** Holds later calls again. */
    close() {
      open = false;
      arrived = [];
    },
  };
}

export type GatedCalculator = ReturnType<typeof gatedCalculator>;

/** The body of a run with one human message, as the SDK sends it. */
export const humanInput = (content: string) => ({ input: { messages: [{ type: 'human', content }] } });

/** Polls `read` until `done` holds of its value (at most `tries` times, a few ms apart). */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  tries = 200,
): Promise<T> {
  let value = await read();
  for (let i = 0; i < tries && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    value = await read();
  }
  return value;
}
