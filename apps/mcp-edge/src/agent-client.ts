import { z } from 'zod';

/** A message of a conversation as the agent returns it. */
export const messageSchema = z.object({
  role: z.string(),
  content: z.string(),
  name: z.string().optional(),
  tool_calls: z.array(z.object({ id: z.string(), name: z.string(), args: z.unknown() })).optional(),
  tool_call_id: z.string().optional(),
});
export type Message = z.infer<typeof messageSchema>;

const threadSchema = z.object({
  thread_id: z.string(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  title: z.string().nullish(),
});
export type Thread = z.infer<typeof threadSchema>;

const runSchema = z.object({
  thread_id: z.string(),
  answer: z.string(),
  status: z.string().optional(),
  messages: z.array(messageSchema).optional(),
});
const stateSchema = z.object({
  thread_id: z.string(),
  values: z.object({ messages: z.array(messageSchema) }),
});

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

/** One step of a run as the agent streams it: the messages a graph node added. */
export interface RunUpdate {
  node: string;
  messages: Message[];
}

const updateSchema = z.object({ node: z.string(), messages: z.array(messageSchema) });
const streamErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });
/** Error codes of the stream's `error` event, as the statuses `runs/wait` would have answered. */
const STREAM_ERROR_STATUS: Record<string, number> = { thread_busy: 409, run_timeout: 504 };

/** Splits a server-sent event stream into `{event, data}` records. */
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

export interface AgentClientOptions {
  /** Where the edge reaches the agent (may differ from its public URL, the audience). */
  baseUrl: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/**
 * Client for the agent's HTTP API (Agent Protocol subset). Every call carries an agent-audience
 * token obtained by token exchange; the caller's own token never leaves the edge.
 */
export function createAgentClient(options: AgentClientOptions) {
  const base = options.baseUrl.replace(/\/$/, '');
  const doFetch = options.fetch ?? fetch;

  async function call<T>(
    token: string,
    method: 'GET' | 'POST',
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const signals = [AbortSignal.timeout(options.timeoutMs)];
    if (signal) signals.push(signal);
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.any(signals),
      });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      throw new AgentError(timedOut ? 'the agent did not answer in time' : 'the agent is unreachable');
    }
    const json = (await res.json().catch(() => undefined)) as unknown;
    if (!res.ok) throw new AgentError(`the agent answered ${res.status}`, res.status);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new AgentError('the agent sent an unexpected answer', 502);
    return parsed.data;
  }

  const thread = (id: string) => `/threads/${encodeURIComponent(id)}`;

  /** `runs/stream`: the run's steps go to `onUpdate` as they happen; resolves with the `end` body. */
  async function runStream(
    token: string,
    threadId: string,
    content: string,
    onUpdate: (update: RunUpdate) => void,
    signal?: AbortSignal,
  ) {
    const signals = [AbortSignal.timeout(options.timeoutMs)];
    if (signal) signals.push(signal);
    let res: Response;
    try {
      res = await doFetch(`${base}${thread(threadId)}/runs/stream`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'text/event-stream',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ input: { messages: [{ role: 'user', content }] } }),
        signal: AbortSignal.any(signals),
      });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      throw new AgentError(timedOut ? 'the agent did not answer in time' : 'the agent is unreachable');
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => {});
      throw new AgentError(`the agent answered ${res.status}`, res.ok ? 502 : res.status);
    }
    try {
      for await (const { event, data } of serverSentEvents(res.body)) {
        const json = JSON.parse(data) as unknown;
        if (event === 'updates') {
          const update = updateSchema.safeParse(json);
          if (update.success) onUpdate(update.data);
        } else if (event === 'end') {
          const run = runSchema.safeParse(json);
          if (!run.success) throw new AgentError('the agent sent an unexpected answer', 502);
          return run.data;
        } else if (event === 'error') {
          const failure = streamErrorSchema.safeParse(json);
          const code = failure.success ? failure.data.error : 'run_failed';
          throw new AgentError(`the run failed (${code})`, STREAM_ERROR_STATUS[code] ?? 500);
        }
      }
    } catch (err) {
      if (err instanceof AgentError) throw err;
      const timedOut = (err as Error).name === 'TimeoutError';
      throw new AgentError(timedOut ? 'the agent did not answer in time' : 'the run stream broke off', 502);
    }
    throw new AgentError('the run stream ended without an answer', 502);
  }

  return {
    createThread: (token: string, signal?: AbortSignal) =>
      call(token, 'POST', '/threads', threadSchema, { metadata: { source: 'mcp' } }, signal),
    runWait: (token: string, threadId: string, content: string, signal?: AbortSignal) =>
      call(
        token,
        'POST',
        `${thread(threadId)}/runs/wait`,
        runSchema,
        { input: { messages: [{ role: 'user', content }] } },
        signal,
      ),
    runStream,
    getState: (token: string, threadId: string, signal?: AbortSignal) =>
      call(token, 'GET', `${thread(threadId)}/state`, stateSchema, undefined, signal),
    searchThreads: (token: string, page: { limit: number; offset: number }, signal?: AbortSignal) =>
      call(token, 'POST', '/threads/search', z.array(threadSchema), page, signal),
  };
}

export type AgentClient = ReturnType<typeof createAgentClient>;
