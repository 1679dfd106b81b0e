import {
  AGENT_PATHS,
  type ApiThread,
  type CreateThreadBody,
  RUN_ERROR_STATUS,
  type RunResult,
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

/** Splits a server-sent event stream into `{event, data}` records as they arrive. */
async function* serverSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<{ event: string; data: string }> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) yield { event, data: data.join('\n') };
      end = buffer.indexOf('\n\n');
    }
  }
}

const timedOut = (err: unknown) => (err as Error).name === 'TimeoutError';

export interface AgentClientOptions {
  /** Where the edge reaches the agent (may differ from its public URL, the audience). */
  baseUrl: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/**
 * Client for the agent's HTTP API (the wire protocol of `@mcp-langgraph/protocol`). Every call
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

  /** `runs/stream`: the run's steps go to `onUpdate` as they happen; resolves with the `end` body. */
  async function runStream(
    token: string,
    threadId: string,
    content: string,
    onUpdate: (update: RunUpdate) => void,
    signal?: AbortSignal,
  ): Promise<RunResult> {
    const path = AGENT_PATHS.runStream(threadId);
    const res = await send(token, 'POST', path, 'text/event-stream', userMessageRun(content), signal);
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => {});
      throw new AgentError(`the agent answered ${res.status}`, res.ok ? 502 : res.status);
    }
    try {
      for await (const { event, data } of serverSentEvents(res.body)) {
        const json = JSON.parse(data) as unknown;
        if (event === 'updates') {
          const update = runStreamEventSchemas.updates.safeParse(json);
          if (update.success) onUpdate(update.data);
        } else if (event === 'end') {
          const run = runStreamEventSchemas.end.safeParse(json);
          if (!run.success) throw new AgentError('the agent sent an unexpected answer', 502);
          return run.data;
        } else if (event === 'error') {
          const failure = runStreamEventSchemas.error.safeParse(json);
          const code = failure.success ? failure.data.error : 'run_failed';
          throw new AgentError(`the run failed (${code})`, RUN_ERROR_STATUS[code] ?? 500);
        }
      }
    } catch (err) {
      if (err instanceof AgentError) throw err;
      throw new AgentError(
        timedOut(err) ? 'the agent did not answer in time' : 'the run stream broke off',
        502,
      );
    }
    throw new AgentError('the run stream ended without an answer', 502);
  }

  const newThread: CreateThreadBody = { metadata: { source: 'mcp' } };

  return {
    createThread: (token: string, signal?: AbortSignal): Promise<ApiThread> =>
      call(token, 'POST', AGENT_PATHS.threads, threadSchema, newThread, signal),
    runWait: (token: string, threadId: string, content: string, signal?: AbortSignal): Promise<RunResult> =>
      call(token, 'POST', AGENT_PATHS.runWait(threadId), runResultSchema, userMessageRun(content), signal),
    runStream,
    getState: (token: string, threadId: string, signal?: AbortSignal): Promise<ThreadState> =>
      call(token, 'GET', AGENT_PATHS.state(threadId), threadStateSchema, undefined, signal),
    searchThreads: (token: string, page: SearchThreadsBody, signal?: AbortSignal): Promise<ApiThread[]> =>
      call(token, 'POST', AGENT_PATHS.searchThreads, z.array(threadSchema), page, signal),
  };
}

export type AgentClient = ReturnType<typeof createAgentClient>;
