import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  Client,
  type JSONRPCMessage,
  PROTOCOL_VERSION_META_KEY,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import { z } from 'zod';
import { TASKS_EXTENSION } from './task-state.js';

const CLIENT_INFO = { name: 'task-client', version: '1.0.0' };
const WITH_TASKS = { extensions: { [TASKS_EXTENSION]: {} } };

/** A task as `tasks/get` answers it (loosely: tests look at every field). */
export const taskSchema = z.looseObject({
  taskId: z.string(),
  status: z.string(),
  statusMessage: z.string().optional(),
  createdAt: z.string(),
  lastUpdatedAt: z.string(),
  ttlMs: z.number().nullable(),
  pollIntervalMs: z.number().optional(),
  result: z
    .looseObject({
      content: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
      structuredContent: z.record(z.string(), z.unknown()).optional(),
      isError: z.boolean().optional(),
    })
    .optional(),
});
export type Task = z.infer<typeof taskSchema>;

/** A JSON-RPC answer: its result or its error. */
export type Answer = { result?: Record<string, unknown>; error?: { code: number; message: string } };

/**
 * A 2026-07-28 client of the Tasks extension on the MCP client SDK v2. The SDK's `Client` has no
 * task runtime and refuses a `resultType: "task"` answer, so the task-creating `tools/call` goes
 * out on the SDK's own Streamable HTTP transport with the per-request envelope written here; the
 * `tasks/*` requests go through `Client.request` (which sets `Mcp-Name` to the task id).
 */
export async function connectTaskClient(url: string, token: string, options: { declare?: boolean } = {}) {
  const declare = options.declare ?? true;
  const authProvider = { token: async () => token };
  const client = new Client(CLIENT_INFO, {
    versionNegotiation: { mode: 'auto' },
    ...(declare ? { capabilities: WITH_TASKS } : {}),
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider }));
  let nextId = 1;

  /** One request on a transport of its own, enveloped as the SDK envelopes 2026-07-28 requests. */
  async function raw(method: string, params: Record<string, unknown>): Promise<Answer> {
    const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider });
    const id = nextId++;
    const answer = new Promise<Answer>((resolve, reject) => {
      transport.onmessage = (m: JSONRPCMessage) => {
        if ('id' in m && m.id === id) resolve(m as Answer);
      };
      transport.onerror = reject;
    });
    await transport.start();
    const _meta = {
      [PROTOCOL_VERSION_META_KEY]: '2026-07-28',
      [CLIENT_INFO_META_KEY]: CLIENT_INFO,
      [CLIENT_CAPABILITIES_META_KEY]: declare ? WITH_TASKS : {},
    };
    try {
      await transport.send({ jsonrpc: '2.0', id, method, params: { ...params, _meta } } as JSONRPCMessage);
      return await answer;
    } finally {
      await transport.close();
    }
  }

  /** Calls through `Client.request`; JSON-RPC errors come back as `{error}`. */
  async function request(method: string, params: Record<string, unknown>): Promise<Answer> {
    try {
      const result = await client.request({ method, params } as never, z.looseObject({}) as never);
      return { result: result as Record<string, unknown> };
    } catch (err) {
      const e = err as { code?: number; message: string };
      if (typeof e.code === 'number') return { error: { code: e.code, message: e.message } };
      throw err;
    }
  }

  return {
    client,
    /** `tools/call` of `chat`: a task when the extension is declared, else the tool result. */
    callChat: (args: { message: string; thread_id?: string }) =>
      raw('tools/call', { name: 'chat', arguments: args }),
    get: (taskId: string) => request('tasks/get', { taskId }),
    cancel: (taskId: string) => request('tasks/cancel', { taskId }),
    update: (taskId: string) => request('tasks/update', { taskId, inputResponses: {} }),
    /** Polls `tasks/get` every `pollIntervalMs` until the task is over. */
    async waitFor(taskId: string): Promise<Task> {
      for (let i = 0; i < 200; i += 1) {
        const { result, error } = await request('tasks/get', { taskId });
        if (error) throw new Error(`tasks/get failed: ${error.message}`);
        const task = taskSchema.parse(result);
        if (!['working', 'input_required'].includes(task.status)) return task;
        await new Promise((r) => setTimeout(r, Math.min(task.pollIntervalMs ?? 50, 50)));
      }
      throw new Error(`task ${taskId} did not finish`);
    },
    close: () => client.close(),
  };
}

export type TaskClient = Awaited<ReturnType<typeof connectTaskClient>>;
