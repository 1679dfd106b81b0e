import type { BaseMessage } from '@langchain/core/messages';
import { Command, Send } from '@langchain/langgraph';
import { inSpan } from '@mcp-langgraph/observability';
import type { InputMessage, ThreadStatus } from '@mcp-langgraph/protocol';
import { GRAPH_ID } from '@mcp-langgraph/protocol';
import { type AgentGraph, recursionLimitFor } from './graph.js';
import { toLangChainMessages } from './messages.js';
import type { RunKwargs, RunRecord } from './store/runs.js';
import { createEventMapper, graphStreamModes, primeCompleted, type RunEvent } from './stream-modes.js';
import { latestCheckpointId } from './thread-checkpoints.js';
import { CALLER_KEY } from './tools/authorize.js';

export interface ExecutionDeps {
  graph: AgentGraph;
  maxIterations: number;
  /** Records the run's starting checkpoint once, so a retry can tell whether its input landed. */
  setBase(runId: string, checkpointId: string | null): Promise<void>;
}

/** How a run that was not cut short ended: the thread's status follows from the state it left. */
export interface Completion {
  thread: ThreadStatus;
}

/**
 * Configurable keys a caller may not set: the thread, checkpoints, LangGraph's internals, and the
 * user the run acts for (the worker sets it from the run record).
 */
const RESERVED = new Set([
  CALLER_KEY,
  'thread_id',
  'checkpoint_id',
  'checkpoint_ns',
  'checkpoint_map',
  'run_id',
  'graph_id',
  'assistant_id',
]);

function callerConfigurable(kwargs: RunKwargs): Record<string, unknown> {
  const given = kwargs.config.configurable ?? {};
  return Object.fromEntries(Object.entries(given).filter(([k]) => !k.startsWith('__') && !RESERVED.has(k)));
}

/** Converts the message dicts of a state update (`{messages: [...]}`) to LangChain messages. */
export function stateUpdate(values: unknown): unknown {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) return values;
  const v = values as { messages?: unknown };
  if (!Array.isArray(v.messages)) return values;
  return { ...v, messages: toLangChainMessages(v.messages as InputMessage[]) };
}

function toCommand(command: Record<string, unknown>): Command {
  const goto =
    command.goto === undefined ? undefined : Array.isArray(command.goto) ? command.goto : [command.goto];
  return new Command({
    ...(command.resume !== undefined ? { resume: command.resume } : {}),
    ...(command.update != null ? { update: stateUpdate(command.update) as Record<string, unknown> } : {}),
    ...(goto
      ? {
          goto: goto.map((g) =>
            typeof g === 'string'
              ? g
              : new Send((g as { node: string }).node, (g as { input?: unknown }).input),
          ),
        }
      : {}),
  });
}

/**
 * Runs one claimed run on the graph and reports its events. A retry of a run whose first
 * attempt already wrote checkpoints resumes from the last one (LangGraph continues a thread
 * invoked with `null`) instead of appending the input again: at least once, never twice.
 * The run is one span, a child of the request that created it (its stored `traceparent`), so
 * its graph steps, model and tool calls, queries and log lines belong to that request's trace.
 */
export function executeRun(
  deps: ExecutionDeps,
  run: RunRecord,
  signal: AbortSignal,
  emit: (event: RunEvent) => Promise<void>,
): Promise<Completion> {
  const attributes = {
    'langgraph.run_id': run.runId,
    'langgraph.thread_id': run.threadId,
    'langgraph.assistant_id': run.assistantId,
    'langgraph.run.attempt': run.attempt,
  };
  return inSpan('agent.run', { parent: run.kwargs.traceparent, attributes }, async (span) => {
    const completion = await execute(deps, run, signal, emit);
    span.setAttributes({ 'langgraph.thread.status': completion.thread });
    return completion;
  });
}

async function execute(
  deps: ExecutionDeps,
  run: RunRecord,
  signal: AbortSignal,
  emit: (event: RunEvent) => Promise<void>,
): Promise<Completion> {
  const { kwargs } = run;
  const threadConfig = { configurable: { thread_id: run.threadId } };
  const saver = deps.graph.checkpointer;
  const latest = saver && typeof saver === 'object' ? await latestCheckpointId(saver, run.threadId) : null;
  let input: unknown;
  let resumed = false;
  if (run.baseCheckpoint === null) {
    await deps.setBase(run.runId, latest);
  } else if ((run.baseCheckpoint || null) !== latest) resumed = true;

  if (resumed) input = null;
  else if (kwargs.command) input = toCommand(kwargs.command);
  else {
    const messages = (kwargs.input as { messages?: InputMessage[] } | null)?.messages;
    input = messages ? { messages: toLangChainMessages(messages) } : null;
  }

  await emit({ event: 'metadata', data: { run_id: run.runId, attempt: run.attempt } });
  const before = await deps.graph.getState(threadConfig);
  // (An input checkpoint has not run yet, whatever its `next` says.)
  if (resumed && before.next.length === 0 && before.metadata?.source !== 'input')
    // The first attempt got to the end before its worker stopped: nothing is left to run.
    return { thread: 'idle' };

  const map = createEventMapper(kwargs.stream_mode);
  primeCompleted(
    map,
    ((before.values as { messages?: BaseMessage[] } | undefined)?.messages ?? []) as BaseMessage[],
  );
  const ids = {
    run_id: run.runId,
    thread_id: run.threadId,
    graph_id: GRAPH_ID,
    assistant_id: run.assistantId,
  };
  const ownLimit = recursionLimitFor(deps.maxIterations);
  const stream = await deps.graph.stream(input as never, {
    configurable: {
      ...callerConfigurable(kwargs),
      ...ids,
      ...(kwargs.checkpoint_id && !resumed ? { checkpoint_id: kwargs.checkpoint_id } : {}),
      // Last, so nothing the caller sent can name another user. A run stored without a caller
      // carries none, and its tools are refused.
      ...(kwargs.caller ? { [CALLER_KEY]: kwargs.caller } : {}),
    },
    // Checkpoint metadata carries the run (the pruner keeps each run's last checkpoint by it).
    metadata: { ...run.metadata, ...ids, run_attempt: run.attempt },
    tags: kwargs.config.tags ?? [],
    // A caller may lower the step bound, never raise it past the iteration budget.
    recursionLimit: Math.min(kwargs.config.recursion_limit ?? ownLimit, ownLimit),
    streamMode: graphStreamModes(kwargs.stream_mode),
    // Each step's checkpoint is written before the next step starts: a worker that stops (or is
    // stopped) leaves no write in flight that could land after another worker took the run over.
    durability: 'sync',
    subgraphs: true,
    signal,
    ...(kwargs.interrupt_before ? { interruptBefore: kwargs.interrupt_before as never } : {}),
    ...(kwargs.interrupt_after ? { interruptAfter: kwargs.interrupt_after as never } : {}),
    ...(kwargs.context ? { context: kwargs.context } : {}),
  });
  for await (const [namespace, mode, chunk] of stream as AsyncIterable<[string[], string, unknown]>) {
    const ns = kwargs.subgraphs ? namespace : [];
    if (!kwargs.subgraphs && namespace.length > 0) continue;
    for (const event of map(ns, mode, chunk)) await emit(event);
  }
  const after = await deps.graph.getState(threadConfig);
  return { thread: after.next.length > 0 ? 'interrupted' : 'idle' };
}
