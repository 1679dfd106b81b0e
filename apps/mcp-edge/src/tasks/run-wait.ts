import type { ApiRun } from '@mcp-langgraph/protocol';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { AgentError, type RunOutcome } from '../agent-client.js';
import { describeFailure, type ToolDeps } from '../tools/tool-call-gate.js';
import type { TaskRef } from './task-id.js';
import { chatError, chatResult, POLL_INTERVAL_MS, runIsOver } from './task-state.js';

type Joined = { outcome: RunOutcome } | { failure: unknown };

const settle = (p: Promise<RunOutcome>): Promise<Joined> =>
  p.then(
    (outcome) => ({ outcome }),
    (failure: unknown) => ({ failure }),
  );

/**
 * Waits `ms`, or less when `signal` aborts or `until` settles; never rejects, and leaves no timer
 * or listener behind (a long wait pauses many times on the same request signal).
 */
function pause(ms: number, signal: AbortSignal, until?: Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    until?.then(done, done);
  });
}

/** A join that gave up without the agent's answer (timeout, network): worth joining again. */
const gaveUp = (j: Joined) =>
  'failure' in j && j.failure instanceof AgentError && j.failure.status === undefined;

/** What `chat` answers for a run that is over, from its join. */
function resultOf(run: ApiRun, joined: Joined): CallToolResult {
  if (run.status === 'interrupted') return chatError('the run was cancelled before it finished');
  if ('outcome' in joined) return chatResult(run.thread_id, joined.outcome.messages);
  return chatError(describeFailure(joined.failure));
}

/**
 * Waits for a run to end through the agent's join (which answers once the run is over) and,
 * meanwhile, reads the run every poll interval so `onChange` hears each change of its status
 * while it happens (and the last one before this resolves). Resolves with the finished run and
 * what `chat` answers for it; `signal` (the waiting request's) stops the wait, not the run. A
 * join the agent client gives up on (a run longer than its timeout) is joined again.
 */
export async function awaitRun(
  deps: ToolDeps,
  ref: TaskRef,
  token: string,
  signal: AbortSignal,
  onChange: (run: ApiRun) => Promise<void>,
): Promise<{ run: ApiRun; result: CallToolResult }> {
  const read = () => deps.agent.getRun(token, ref.threadId, ref.runId, signal);
  const join = () => settle(deps.agent.joinRun(token, ref.threadId, ref.runId, signal));
  let run = await read();
  const observe = async (next: ApiRun) => {
    const changed = next.status !== run.status;
    run = next;
    if (changed) await onChange(next);
  };
  let joined: Joined | undefined;
  while (!runIsOver(run)) {
    let waiting = true;
    const pending = join().finally(() => {
      waiting = false;
    });
    while (waiting && !signal.aborted) {
      await pause(POLL_INTERVAL_MS, signal, pending);
      // A poll that fails is skipped: the join is what the wait relies on.
      if (waiting) await read().then(observe, () => {});
    }
    joined = await pending;
    signal.throwIfAborted();
    await observe(await read());
    if (runIsOver(run)) break;
    // The join answered but the record lags, or it gave up: look again shortly.
    if ('failure' in joined && !gaveUp(joined)) throw joined.failure;
    await pause(POLL_INTERVAL_MS, signal);
  }
  if (!joined || gaveUp(joined)) joined = await join();
  if ('failure' in joined && joined.failure instanceof AgentError && joined.failure.status === 404)
    throw joined.failure;
  return { run, result: resultOf(run, joined) };
}
