import { randomUUID } from 'node:crypto';
import { currentTraceparent, notFound } from '@mcp-langgraph/observability';
import { runCreateBodySchema } from '@mcp-langgraph/protocol';
import { verifiedToken } from '@mcp-langgraph/resource-server';
import type { Request } from 'express';
import { stateUpdate } from '../run-execution.js';
import type { RunService } from '../runs.js';
import type { RunRecord } from '../store/runs.js';
import type { Thread } from '../store/threads.js';
import type { ThreadLifecycle } from '../thread-lifecycle.js';
import { unprocessable } from './parse.js';
import { mayAccess, parseThreadId, type ThreadAccessDeps } from './thread-access.js';
import { parseWithMetadata } from './thread-metadata.js';

export interface RunRouteDeps extends ThreadAccessDeps {
  runs: RunService;
  lifecycle: ThreadLifecycle;
  now: () => Date;
  /** How often a waiting answer or a quiet stream sends a keep-alive. */
  heartbeatMs: number;
}

/** A run a route has queued, with the thread it runs on and what the caller asked. */
export interface AcceptedRun {
  run: RunRecord;
  thread: Thread;
  onDisconnect: 'cancel' | 'continue';
  /** Where the run is, for `Content-Location`; thread-less runs are named as the platform does. */
  location: string;
}

/**
 * What every run-creating route does before answering, in the order a caller sees it: the
 * thread id, the body (422), the caller's `editor` relation on the thread (404 otherwise, or a
 * new thread of theirs with `if_not_exists: create`), then the run is committed to the store.
 * Without a thread id (`/runs/wait`, `/runs/stream`) the run gets a temporary thread of the
 * caller's, removed when the run ends unless `on_completion: keep`.
 */
export async function acceptRun(deps: RunRouteDeps, req: Request, threadless = false): Promise<AcceptedRun> {
  const { subject } = verifiedToken(req);
  const threadId = threadless ? randomUUID() : parseThreadId(req.params.thread_id);
  const body = parseWithMetadata(runCreateBodySchema, req.body);
  if (body.input != null && body.command != null)
    throw unprocessable('give either input or command, not both');
  // Messages that cannot become LangChain messages are refused now, not when the worker gets to them.
  stateUpdate(body.input);
  stateUpdate(body.command?.update);
  let thread: Thread | undefined;
  if (threadless)
    thread = await deps.lifecycle.create(subject, threadId, {}, deps.now().toISOString(), req.log);
  else if (await mayAccess(deps, subject, threadId, 'editor', req.log))
    thread = await deps.threads.get(threadId);
  else if (body.if_not_exists === 'create' && !(await deps.threads.get(threadId)))
    thread = await deps.lifecycle.create(subject, threadId, {}, deps.now().toISOString(), req.log);
  if (!thread) throw notFound('no such thread');
  const temporary = threadless && (body.on_completion ?? 'delete') === 'delete';
  let run: RunRecord;
  try {
    // The run acts for the caller the token names, whatever the body says: its tools are authorized for them.
    run = await deps.runs.create(thread, body, {
      temporary,
      log: req.log,
      caller: subject,
      traceparent: currentTraceparent(),
    });
  } catch (err) {
    // A temporary thread exists only for its run.
    if (threadless) await deps.lifecycle.remove(thread, req.log);
    throw err;
  }
  return {
    run,
    thread,
    onDisconnect: body.on_disconnect ?? 'continue',
    location: threadless ? `/runs/${run.runId}` : `/threads/${thread.threadId}/runs/${run.runId}`,
  };
}

/** A run record as the API shows it (the platform's fields: the caller and trace the server keeps are left out). */
export function runBody(run: RunRecord) {
  const { caller: _caller, traceparent: _traceparent, ...kwargs } = run.kwargs;
  return {
    run_id: run.runId,
    thread_id: run.threadId,
    assistant_id: run.assistantId,
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    status: run.status,
    metadata: run.metadata,
    kwargs,
    multitask_strategy: run.multitaskStrategy,
  };
}
