import {
  AGENT_PATHS,
  type ApiMessage,
  type ApiRun,
  type ApiThread,
  type CreateThreadBody,
  RUN_ERROR_STATUS,
  type RunCreateBody,
  type RunUpdate,
  runResultSchema,
  runSchema,
  runStreamEventSchemas,
  type SearchThreadsBody,
  type ShareBody,
  type ThreadState,
  threadSchema,
  threadStateSchema,
  userMessageRun,
} from '@mcp-langgraph/protocol';
import { Agent, request } from 'undici';
import { z } from 'zod';
import { messageText } from './conversation.js';
import { type AgentGuard, type Answered, passThrough } from './resilience/agent-guard.js';
import { CircuitOpenError } from './resilience/circuit-breaker.js';
import { parseEvents } from './sse.js';

/** The agent answered with an error status, or could not be reached (`status` undefined). */
export class AgentError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AgentError';
  }
}

/** What a streamed run reports while it works. */
export interface RunStreamHandlers {
  onUpdate(update: RunUpdate): void;
  /** The text of the AI message `id` so far, after each token chunk (`messages-tuple`). */
  onText?(text: string, id: string): void;
}

/** Message types of the model's token chunks (`AIMessageChunk` as the platform serialises them). */
const AI_TYPES = new Set(['ai', 'AIMessageChunk']);

const TIMEOUTS = new Set(['TimeoutError', 'HeadersTimeoutError', 'BodyTimeoutError']);
const timedOut = (err: unknown) => TIMEOUTS.has((err as Error).name);

/** A JSON answer of the agent, read whole (nothing left to discard before a retry). */
interface JsonAnswer {
  status: number;
  json: unknown;
  body: null;
}

/** A finished run as the tools use it: the thread's messages after the run. */
export interface RunOutcome {
  thread_id: string;
  messages: ApiMessage[];
}

export interface AgentClientOptions {
  /** Where the edge reaches the agent (may differ from its public URL, the audience). */
  baseUrl: string;
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Circuit breaker and retries around every call (none when left out). */
  guard?: AgentGuard;
}

/** A run started in the background, and the answer the tools show once it is over. */
export const MCP_TASK_METADATA = { source: 'mcp-task' } as const;

/** A run's failure, as the status `runs/wait` would have answered for it. */
function runFailed(code: string): AgentError {
  return new AgentError(`the run failed (${code})`, RUN_ERROR_STATUS[code] ?? 500);
}

/**
 * Client for the agent's Agent Protocol API (the schemas of `@mcp-langgraph/protocol`). Every call
 * carries an agent-audience token obtained by token exchange; the caller's own token never
 * leaves the edge.
 */
export function createAgentClient(options: AgentClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const guard = options.guard ?? passThrough;
  // JSON calls go through undici's request API on kept-alive connections: far less work per call
  // than fetch (no web streams, no per-call signals). Streams keep fetch. A custom `fetch` (tests)
  // takes every call.
  const dispatcher = options.fetch ? undefined : new Agent({ keepAliveTimeout: 10_000 });

  /**
   * One request to the agent through the guard (an open breaker answers at once; GETs and
   * searches are retried); a network failure or timeout becomes an {@link AgentError}.
   */
  function send(
    token: string,
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    accept: string,
    body: unknown,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    return guarded(method, path, signal, () => attempt(token, method, path, accept, body, signal));
  }

  /** Through the guard: GETs and searches are retried, an open breaker answers at once. */
  function guarded<R extends Answered>(
    method: string,
    path: string,
    signal: AbortSignal | undefined,
    run: () => Promise<R>,
  ): Promise<R> {
    const idempotent = method === 'GET' || path === AGENT_PATHS.searchThreads;
    return guard.call(idempotent, signal, run).catch((err: unknown) => {
      if (err instanceof CircuitOpenError)
        throw new AgentError('the agent is unavailable (circuit open); not called', 503);
      throw err;
    });
  }

  async function attempt(
    token: string,
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    accept: string,
    body: unknown,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    const signals = [AbortSignal.timeout(options.timeoutMs)];
    if (signal) signals.push(signal);
    try {
      return await doFetch(`${options.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.any(signals),
      });
    } catch (err) {
      throw new AgentError(timedOut(err) ? 'the agent did not answer in time' : 'the agent is unreachable');
    }
  }

  async function attemptJson(
    token: string,
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
  ): Promise<JsonAnswer> {
    if (!dispatcher) {
      const res = await attempt(token, method, path, 'application/json', body, signal);
      return { status: res.status, json: await res.json().catch(() => undefined), body: null };
    }
    try {
      const res = await request(`${options.baseUrl}${path}`, {
        method,
        dispatcher,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        ...(signal ? { signal } : {}),
      });
      const text = await res.body.text();
      let json: unknown;
      try {
        json = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.statusCode, json, body: null };
    } catch (err) {
      throw new AgentError(timedOut(err) ? 'the agent did not answer in time' : 'the agent is unreachable');
    }
  }

  async function call<T>(
    token: string,
    method: 'GET' | 'POST',
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const res = await guarded(method, path, signal, () => attemptJson(token, method, path, body, signal));
    if (res.status < 200 || res.status > 299)
      throw new AgentError(`the agent answered ${res.status}`, res.status);
    const parsed = schema.safeParse(res.json);
    if (!parsed.success) throw new AgentError('the agent sent an unexpected answer', 502);
    return parsed.data;
  }

  /** `runs/wait`: the thread's messages once the run has finished. */
  async function runWait(token: string, threadId: string, content: string, signal?: AbortSignal) {
    // A caller who goes away takes the run with them: the agent cancels it, keeping the last step.
    const body: RunCreateBody = { ...userMessageRun(content), on_disconnect: 'cancel' };
    const result = await call(token, 'POST', AGENT_PATHS.runWait(threadId), runResultSchema, body, signal);
    if (result.__error__) throw runFailed(result.__error__.error);
    return { thread_id: threadId, messages: result.messages ?? [] } satisfies RunOutcome;
  }

  /**
   * `runs/stream` in `updates` and `values` modes, and `messages-tuple` when `onText` is given:
   * each step's state updates go to `onUpdate` as they happen, and the text of the assistant's
   * message being written, so far, to `onText` with every token chunk the model streams;
   * resolves with the last values once the stream ends.
   */
  async function runStream(
    token: string,
    threadId: string,
    content: string,
    handlers: RunStreamHandlers,
    signal?: AbortSignal,
  ): Promise<RunOutcome> {
    const body: RunCreateBody = {
      ...userMessageRun(content),
      on_disconnect: 'cancel',
      stream_mode: handlers.onText ? ['updates', 'values', 'messages-tuple'] : ['updates', 'values'],
    };
    const texts = new Map<string, string>();
    const res = await send(token, 'POST', AGENT_PATHS.runStream(threadId), 'text/event-stream', body, signal);
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => {});
      throw new AgentError(`the agent answered ${res.status}`, res.ok ? 502 : res.status);
    }
    let messages: ApiMessage[] | undefined;
    try {
      for await (const { event, data } of parseEvents(res.body)) {
        const json = JSON.parse(data) as unknown;
        if (event === 'updates') {
          const update = runStreamEventSchemas.updates.safeParse(json);
          if (update.success) handlers.onUpdate(update.data);
        } else if (event === 'messages' && handlers.onText) {
          const tuple = runStreamEventSchemas.messages.safeParse(json);
          if (!tuple.success || !AI_TYPES.has(tuple.data[0].type)) continue;
          const delta = messageText(tuple.data[0]);
          if (!delta) continue;
          const id = tuple.data[0].id ?? '';
          const text = (texts.get(id) ?? '') + delta;
          texts.set(id, text);
          handlers.onText(text, id);
        } else if (event === 'values') {
          const values = runStreamEventSchemas.values.safeParse(json);
          if (values.success) messages = values.data.messages;
        } else if (event === 'error') {
          const failure = runStreamEventSchemas.error.safeParse(json);
          throw runFailed(failure.success ? failure.data.error : 'run_failed');
        } else if (event === 'end') break;
      }
    } catch (err) {
      if (err instanceof AgentError) throw err;
      throw new AgentError(
        timedOut(err) ? 'the agent did not answer in time' : 'the run stream broke off',
        502,
      );
    }
    if (!messages) throw new AgentError('the run stream ended without an answer', 502);
    return { thread_id: threadId, messages };
  }

  /** A call the agent answers with 204 and no body. */
  async function callEmpty(
    token: string,
    method: 'POST' | 'DELETE',
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<void> {
    const res = await send(token, method, path, 'application/json', body, signal);
    await res.body?.cancel().catch(() => {});
    if (!res.ok) throw new AgentError(`the agent answered ${res.status}`, res.status);
  }

  const newThread: CreateThreadBody = { metadata: { source: 'mcp' } };

  /** A call answered with an empty body (`202`/`204`), such as a cancel. */
  async function post(token: string, path: string, signal?: AbortSignal): Promise<void> {
    const res = await send(token, 'POST', path, 'application/json', undefined, signal);
    await res.body?.cancel().catch(() => {});
    if (!res.ok) throw new AgentError(`the agent answered ${res.status}`, res.status);
  }

  /** `POST /threads/{id}/runs`: a background run of one user message, answered at once. */
  function createRun(
    token: string,
    threadId: string,
    content: string,
    signal?: AbortSignal,
  ): Promise<ApiRun> {
    const body: RunCreateBody = { ...userMessageRun(content), metadata: { ...MCP_TASK_METADATA } };
    return call(token, 'POST', AGENT_PATHS.runs(threadId), runSchema, body, signal);
  }

  /** `GET .../join` of a finished run: the thread's messages at its end. */
  async function joinRun(token: string, threadId: string, runId: string, signal?: AbortSignal) {
    const path = `${AGENT_PATHS.run(threadId, runId)}/join`;
    const result = await call(token, 'GET', path, runResultSchema, undefined, signal);
    if (result.__error__) throw runFailed(result.__error__.error);
    return { thread_id: threadId, messages: result.messages ?? [] } satisfies RunOutcome;
  }

  return {
    createThread: (token: string, signal?: AbortSignal): Promise<ApiThread> =>
      call(token, 'POST', AGENT_PATHS.threads, threadSchema, newThread, signal),
    runWait,
    runStream,
    getState: (token: string, threadId: string, signal?: AbortSignal): Promise<ThreadState> =>
      call(token, 'GET', AGENT_PATHS.state(threadId), threadStateSchema, undefined, signal),
    searchThreads: (token: string, page: SearchThreadsBody, signal?: AbortSignal): Promise<ApiThread[]> =>
      call(token, 'POST', AGENT_PATHS.searchThreads, z.array(threadSchema), page, signal),
    createRun,
    getRun: (token: string, threadId: string, runId: string, signal?: AbortSignal): Promise<ApiRun> =>
      call(token, 'GET', AGENT_PATHS.run(threadId, runId), runSchema, undefined, signal),
    listRuns: (token: string, threadId: string, limit: number, signal?: AbortSignal): Promise<ApiRun[]> =>
      call(
        token,
        'GET',
        `${AGENT_PATHS.runs(threadId)}?limit=${limit}`,
        z.array(runSchema),
        undefined,
        signal,
      ),
    joinRun,
    /** Stops the run where it is (`interrupt`): the thread keeps its last completed step. */
    cancelRun: (token: string, threadId: string, runId: string, signal?: AbortSignal): Promise<void> =>
      post(token, `${AGENT_PATHS.run(threadId, runId)}/cancel?action=interrupt`, signal),
    /** `POST /threads/{id}/share`: grants a subject a role on the thread (owner only; 404 otherwise). */
    shareThread: (token: string, threadId: string, share: ShareBody, signal?: AbortSignal): Promise<void> =>
      callEmpty(token, 'POST', AGENT_PATHS.share(threadId), share, signal),
    /** `DELETE /threads/{id}`: the thread with its runs, checkpoints and shares (owner only). */
    deleteThread: (token: string, threadId: string, signal?: AbortSignal): Promise<void> =>
      callEmpty(token, 'DELETE', AGENT_PATHS.thread(threadId), undefined, signal),
  };
}

export type AgentClient = ReturnType<typeof createAgentClient>;
