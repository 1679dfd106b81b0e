import { parseEvents } from '@mcp-langgraph/testing';
import { LEGACY_TASKS_REVISION } from './legacy-task.js';

/** A JSON-RPC answer at a 2025 revision, with the notifications that came before it on its stream. */
export interface LegacyAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the answers are what the assertions examine
  result?: Record<string, any>;
  error?: { code: number; message: string };
  // biome-ignore lint/suspicious/noExplicitAny: as above
  notifications: Array<{ method: string; params: any }>;
}

let nextId = 1;

/**
 * One request at a 2025 revision as a stateless client sends it after `initialize` (the
 * `MCP-Protocol-Version` header, no session), its answer read whole: an SSE stream's
 * notifications and response, or a JSON body.
 */
export async function legacyRpc(
  url: string,
  token: string,
  method: string,
  params: Record<string, unknown> = {},
  options: { revision?: string; signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<LegacyAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${token}`,
      ...(method === 'initialize'
        ? {}
        : { 'mcp-protocol-version': options.revision ?? LEGACY_TASKS_REVISION }),
      ...options.headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await res.text();
  const messages = res.headers.get('content-type')?.startsWith('text/event-stream')
    ? parseEvents(text).map((e) => e.data)
    : text
      ? [JSON.parse(text)]
      : [];
  const response = messages.find((m) => m && 'id' in m) ?? {};
  return {
    status: res.status,
    ...(response.result ? { result: response.result } : {}),
    ...(response.error ? { error: response.error } : {}),
    notifications: messages.filter((m) => m && !('id' in m)),
  };
}

/** The `initialize` a client at `revision` sends: what the server answers it. */
export function legacyInitialize(url: string, token: string, revision: string = LEGACY_TASKS_REVISION) {
  return legacyRpc(url, token, 'initialize', {
    protocolVersion: revision,
    capabilities: {},
    clientInfo: { name: 'legacy-task-client', version: '1.0.0' },
  });
}

/** A 2025-11-25 client of the revision's tasks, over plain HTTP. */
export function legacyTaskClient(url: string, token: string, headers: Record<string, string> = {}) {
  const rpc = (method: string, params: Record<string, unknown>, signal?: AbortSignal) =>
    legacyRpc(url, token, method, params, { headers, ...(signal ? { signal } : {}) });
  return {
    /** `tools/call` of chat with `params.task`: the `CreateTaskResult`. */
    callChat: (args: { message: string; thread_id?: string }) =>
      rpc('tools/call', { name: 'chat', arguments: args, task: { ttl: 60_000 } }),
    get: (taskId: string) => rpc('tasks/get', { taskId }),
    result: (taskId: string, signal?: AbortSignal) => rpc('tasks/result', { taskId }, signal),
    list: (cursor?: string) => rpc('tasks/list', cursor === undefined ? {} : { cursor }),
    cancel: (taskId: string) => rpc('tasks/cancel', { taskId }),
  };
}
