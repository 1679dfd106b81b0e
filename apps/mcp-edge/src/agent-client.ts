import {
  AGENT_PATHS,
  type ApiMessage,
  type ApiThread,
  type CreateThreadBody,
  RUN_ERROR_STATUS,
  type RunCreateBody,
  type RunUpdate,
  runResultSchema,
  runStreamEventSchemas,
  type SearchThreadsBody,
  type ThreadState,
  threadSchema,
  threadStateSchema,
  userMessageRun,
} from '@mcp-langgraph/protocol';
import { z } from 'zod';
import { messageText } from './conversation.js';
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

const timedOut = (err: unknown) => (err as Error).name === 'TimeoutError';

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
}

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

  /** One request to the agent; a network failure or timeout becomes an {@link AgentError}. */
  async function send(
    token: string,
    method: 'GET' | 'POST',
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

  async function call<T>(
    token: string,
    method: 'GET' | 'POST',
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const res = await send(token, method, path, 'application/json', body, signal);
    const json = (await res.json().catch(() => undefined)) as unknown;
    if (!res.ok) throw new AgentError(`the agent answered ${res.status}`, res.status);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new AgentError('the agent sent an unexpected answer', 502);
    return parsed.data;
  }

  /** `runs/wait`: the thread's messages once the run has finished. */
  async function runWait(token: string, threadId: string, content: string, signal?: AbortSignal) {
    const body: RunCreateBody = userMessageRun(content);
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

  const newThread: CreateThreadBody = { metadata: { source: 'mcp' } };

  return {
    createThread: (token: string, signal?: AbortSignal): Promise<ApiThread> =>
      call(token, 'POST', AGENT_PATHS.threads, threadSchema, newThread, signal),
    runWait,
    runStream,
    getState: (token: string, threadId: string, signal?: AbortSignal): Promise<ThreadState> =>
      call(token, 'GET', AGENT_PATHS.state(threadId), threadStateSchema, undefined, signal),
    searchThreads: (token: string, page: SearchThreadsBody, signal?: AbortSignal): Promise<ApiThread[]> =>
      call(token, 'POST', AGENT_PATHS.searchThreads, z.array(threadSchema), page, signal),
  };
}

export type AgentClient = ReturnType<typeof createAgentClient>;
