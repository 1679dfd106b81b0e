import type { BaseMessage } from '@langchain/core/messages';
import { callsOf, describeCalls, nextMove } from './offline/progress.js';
import { conversationResults, recalledIndex } from './offline/results.js';
import { understand, whatIAm } from './offline/understand.js';

export type Decision =
  | { kind: 'tools'; calls: Array<{ name: string; args: Record<string, unknown> }> }
  | { kind: 'answer'; text: string };

/**
 * What the offline model does next, from the conversation alone. The latest user message is read
 * into a plan (calculations, clock questions, docs searches, questions about earlier results, in
 * the order asked); the tool results that arrived since that message say which steps are done.
 * Steps whose inputs are in are called now, together; once none is left the answer states every
 * result. Only tools in `tools` are ever called; without one the answer says it is not available.
 */
export function decide(messages: readonly BaseMessage[], tools: ReadonlySet<string>): Decision {
  let last = -1;
  for (let i = messages.length - 1; i >= 0; i--)
    if (messages[i]!.getType() === 'human') {
      last = i;
      break;
    }
  if (last < 0) return { kind: 'answer', text: `I have not been asked anything yet. ${whatIAm(tools)}` };
  const plan = understand({
    question: messages[last]!.text,
    results: conversationResults(messages, last),
    cursor: recalledIndex(messages, last),
    tools,
  });
  const made = callsOf(messages.slice(last + 1));
  const move = nextMove(plan, made);
  if (move.kind === 'unplanned') return { kind: 'answer', text: describeCalls(made) || whatIAm(tools) };
  return move;
}
