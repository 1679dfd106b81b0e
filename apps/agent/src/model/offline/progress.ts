import type { AIMessage, BaseMessage, ToolMessage } from '@langchain/core/messages';
import { type Outcome, toolError } from './answers.js';
import type { Args } from './steps.js';
import type { Plan } from './understand.js';

/**
 * Where a plan stands in the current turn: which of its steps the tool calls already made answer,
 * which can be called now (all whose needed results are in), and the final answer once every
 * step is done or cannot be.
 */

export interface MadeCall {
  name: string;
  args: Args;
  outcome?: Outcome;
}

export type Move =
  | { kind: 'tools'; calls: Array<{ name: string; args: Args }> }
  | { kind: 'answer'; text: string }
  /** The turn's calls are not this plan's (another model made them): answer from them as they are. */
  | { kind: 'unplanned' };

const isAi = (m: BaseMessage): m is AIMessage => m.getType() === 'ai';
const isTool = (m: BaseMessage): m is ToolMessage => m.getType() === 'tool';

/** The tool calls of this turn, in the order made, each with its result when it came. */
export function callsOf(turn: readonly BaseMessage[]): MadeCall[] {
  const calls: MadeCall[] = [];
  const byId = new Map<string, MadeCall>();
  for (const m of turn) {
    if (isAi(m))
      for (const c of m.tool_calls ?? []) {
        const call: MadeCall = { name: c.name, args: c.args };
        calls.push(call);
        if (c.id) byId.set(c.id, call);
      }
    else if (isTool(m)) {
      const call = byId.get(m.tool_call_id);
      if (call) call.outcome = { ok: m.status !== 'error', text: m.text };
    }
  }
  return calls;
}

const sameArgs = (a: Args, b: Args) => JSON.stringify(a) === JSON.stringify(b);

/** The next move for `plan`, given the calls this turn already made. */
export function nextMove(plan: Plan, made: readonly MadeCall[]): Move {
  const { steps } = plan;
  const outcomes: (Outcome | undefined)[] = new Array(steps.length).fill(undefined);
  const state: Array<'done' | 'ready' | 'blocked' | 'skipped' | 'problem'> = new Array(steps.length).fill(
    'blocked',
  );
  const args: Array<Args | undefined> = new Array(steps.length).fill(undefined);
  const problems = new Map<number, string>();
  const used = new Array<boolean>(made.length).fill(false);

  steps.forEach((step, j) => {
    const failed = (n: number) =>
      state[n] === 'skipped' || state[n] === 'problem' || (state[n] === 'done' && !outcomes[n]!.ok);
    // A step whose input failed is left out: the failed step's own sentence says what went wrong.
    if (step.needs.some(failed)) {
      state[j] = 'skipped';
      return;
    }
    if (step.needs.some((n) => state[n] !== 'done')) return;
    const built = step.args(outcomes);
    if ('problem' in built && typeof built.problem === 'string') {
      state[j] = 'problem';
      problems.set(j, built.problem);
      return;
    }
    args[j] = built as Args;
    const at = made.findIndex((c, i) => !used[i] && c.name === step.tool && sameArgs(c.args, built as Args));
    if (at < 0) {
      state[j] = 'ready';
      return;
    }
    used[at] = true;
    state[j] = 'done';
    outcomes[j] = made[at]!.outcome ?? { ok: false, text: 'the tool gave no result' };
  });

  if (used.some((u) => !u)) return { kind: 'unplanned' };
  const ready = steps.flatMap((s, j) => (state[j] === 'ready' ? [{ name: s.tool, args: args[j]! }] : []));
  if (ready.length > 0) return { kind: 'tools', calls: ready };

  const sentences: string[] = [];
  for (const item of plan.items) {
    if ('say' in item) sentences.push(item.say);
    else if (state[item.step] === 'done')
      sentences.push(steps[item.step]!.say(outcomes[item.step]!, args[item.step]!, outcomes));
    else if (state[item.step] === 'problem') sentences.push(problems.get(item.step)!);
  }
  return { kind: 'answer', text: sentences.filter(Boolean).join(' ') };
}

/** Sentences for tool results the plan did not foresee, so the user still learns what came back. */
export function describeCalls(made: readonly MadeCall[]): string {
  return made
    .filter((c) => c.outcome)
    .map((c) =>
      c.outcome!.ok
        ? `The ${c.name} tool returned: ${c.outcome!.text.slice(0, 500)}.`
        : `The ${c.name} tool failed: ${toolError(c.outcome!.text)}.`,
    )
    .join(' ');
}
