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
    getState: (token: string, threadId: string, signal?: AbortSignal) =>
      call(token, 'GET', `${thread(threadId)}/state`, stateSchema, undefined, signal),
    searchThreads: (token: string, page: { limit: number; offset: number }, signal?: AbortSignal) =>
      call(token, 'POST', '/threads/search', z.array(threadSchema), page, signal),
  };
}

export type AgentClient = ReturnType<typeof createAgentClient>;
