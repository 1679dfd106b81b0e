import type { CallbackManagerForToolRun } from '@langchain/core/callbacks/manager';
import { ToolMessage } from '@langchain/core/messages';
import type { StructuredToolInterface, ToolRunnableConfig } from '@langchain/core/tools';
import { loadMcpTools } from '@langchain/mcp-adapters';
import type { Logger } from '@mcp-langgraph/observability';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createTokenSource, TokenError } from './client-credentials.js';
import { serverFetch } from './http-fetch.js';
import { describeServer, type McpServerEntry } from './server-config.js';

const CLIENT_INFO = { name: 'mcp-langgraph-agent', version: '0.1.0' };

/** A tool a downstream server lists: its own name, description and (simplified) JSON Schema. */
export interface RemoteTool {
  name: string;
  description: string;
  schema: Record<string, unknown>;
}

export interface RetryOptions {
  /** Wait before the first retry (1 s); doubled after every failure, up to `maxMs` (60 s). */
  initialMs?: number | undefined;
  maxMs?: number | undefined;
}

export interface ServerConnectionOptions {
  entry: McpServerEntry;
  logger: Logger;
  /** Longest one tool call, and one connection attempt, may take. */
  timeoutMs: number;
  retry?: RetryOptions | undefined;
  /** Called with the server's tools each time a connection loads them. */
  onTools(tools: readonly RemoteTool[]): void;
}

/** A downstream tool call that failed; the message is for the model. */
export class DownstreamToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownstreamToolError';
  }
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

function httpStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'number' && code >= 100) return code;
  const m = /\(HTTP (\d{3})\)/.exec(messageOf(err));
  return m ? Number(m[1]) : undefined;
}

/** Why a connection failed, in words safe for a log line (no URL path, header or credential). */
function reasonOf(err: unknown): string {
  if (err instanceof TokenError) return err.message;
  const status = httpStatus(err);
  if (status) return `HTTP ${status}`;
  const cause = (err as { cause?: { code?: unknown } }).cause?.code;
  if (typeof cause === 'string') return cause;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  if (/timed out|timeout/i.test(messageOf(err))) return 'timed out';
  return (err as { name?: string }).name ?? 'failed';
}

/** Most characters of text a downstream tool result may hand the model. */
export const MAX_RESULT_CHARS = 50_000;

/** A tool result with its text cut to {@link MAX_RESULT_CHARS} (and a note saying so); other blocks pass. */
export function boundContent(content: unknown): unknown {
  const note = (cut: number) => `\n[… ${cut} more characters left out]`;
  if (typeof content === 'string')
    return content.length <= MAX_RESULT_CHARS
      ? content
      : content.slice(0, MAX_RESULT_CHARS) + note(content.length - MAX_RESULT_CHARS);
  if (!Array.isArray(content)) return content;
  let left = MAX_RESULT_CHARS;
  return content.map((block: { type?: unknown; text?: unknown }) => {
    if (block?.type !== 'text' || typeof block.text !== 'string') return block;
    const text =
      block.text.length <= left ? block.text : block.text.slice(0, left) + note(block.text.length - left);
    left = Math.max(0, left - block.text.length);
    return { ...block, text };
  });
}

function deadline<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms (timed out)`)), ms);
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

/**
 * One downstream MCP server: the connection (Streamable HTTP, falling back to the older HTTP+SSE
 * transport when the server answers the first POST with a 4xx; or stdio), its tools as loaded by
 * `@langchain/mcp-adapters`, and the calls to them. A server that cannot be reached is retried on
 * a timer with backoff; one that goes away during a call is marked down and reconnected.
 */
export function createServerConnection(options: ServerConnectionOptions) {
  const { entry, logger, timeoutMs } = options;
  const where = describeServer(entry);
  const initialMs = options.retry?.initialMs ?? 1000;
  const maxMs = options.retry?.maxMs ?? 60_000;
  const tokens = entry.oauth ? createTokenSource(entry.oauth, { timeoutMs }) : undefined;
  let client: Client | undefined;
  let tools = new Map<string, StructuredToolInterface>();
  let state: 'down' | 'connecting' | 'up' | 'closed' = 'down';
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  async function open(): Promise<Client> {
    const c = new Client(CLIENT_INFO);
    if (entry.command) {
      const transport = new StdioClientTransport({
        command: entry.command,
        args: entry.args ?? [],
        ...(entry.env ? { env: entry.env } : {}),
        stderr: 'inherit',
      });
      await c.connect(transport, { timeout: timeoutMs });
      return c;
    }
    const url = new URL(entry.url!);
    const fetch = serverFetch(entry.headers, tokens);
    try {
      await c.connect(
        new StreamableHTTPClientTransport(url, { fetch, reconnectionOptions: { ...NO_SSE_RETRIES } }),
        { timeout: timeoutMs },
      );
      return c;
    } catch (err) {
      const status = httpStatus(err);
      await c.close().catch(() => undefined);
      // A server of the 2024-11-05 HTTP+SSE transport answers the Streamable HTTP POST with a 4xx.
      if (status === undefined || status < 400 || status >= 500 || status === 401) throw err;
      const legacy = new Client(CLIENT_INFO);
      await legacy.connect(new SSEClientTransport(url, { fetch }), { timeout: timeoutMs });
      return legacy;
    }
  }

  function schedule(reason: string): void {
    if (state === 'closed') return;
    const wait = Math.min(initialMs * 2 ** Math.min(failures - 1, 16), maxMs);
    clearTimeout(timer);
    timer = setTimeout(() => void connect(), wait);
    timer.unref();
    // Said once per outage; the retries after it are debug lines.
    const log = failures === 1 ? logger.warn.bind(logger) : logger.debug.bind(logger);
    log(
      { ...where, reason, retry_in_ms: wait },
      `downstream MCP server "${entry.name}" is unreachable; the agent goes on without it and retries`,
    );
  }

  async function connect(): Promise<void> {
    if (state === 'closed' || state === 'connecting' || state === 'up') return;
    state = 'connecting';
    let opened: Client | undefined;
    let abandoned = false;
    const work = (async () => {
      opened = await open();
      if (abandoned) throw new Error('abandoned');
      return loadMcpTools(entry.name, opened, { throwOnLoadError: false });
    })();
    try {
      const loaded = await deadline(work, timeoutMs);
      if ((state as string) === 'closed') {
        await opened?.close();
        return;
      }
      client = opened;
      tools = new Map(loaded.map((t) => [t.name, t]));
      state = 'up';
      failures = 0;
      const current = opened!;
      current.onclose = () => {
        if (client === current && state === 'up') markDown('the connection closed');
      };
      logger.info({ ...where, tools: loaded.length }, `downstream MCP server "${entry.name}" connected`);
      options.onTools(
        loaded.map((t) => ({
          name: t.name,
          description: t.description,
          schema: t.schema as Record<string, unknown>,
        })),
      );
    } catch (err) {
      abandoned = true;
      void work.then(
        () => opened?.close(),
        () => opened?.close(),
      );
      if ((state as string) === 'closed') return;
      state = 'down';
      failures++;
      schedule(reasonOf(err));
    }
  }

  function markDown(reason: string): void {
    if (state !== 'up') return;
    state = 'down';
    const old = client;
    client = undefined;
    void old?.close().catch(() => undefined);
    failures = 1;
    logger.warn({ ...where, reason }, `downstream MCP server "${entry.name}" went away`);
    clearTimeout(timer);
    timer = setTimeout(() => void connect(), 0);
    timer.unref();
  }

  async function alive(): Promise<boolean> {
    try {
      await client?.ping({ timeout: Math.min(timeoutMs, 5000) });
      return client !== undefined;
    } catch {
      return false;
    }
  }

  const unreachable = () =>
    new DownstreamToolError(`The "${entry.name}" tool server is not reachable right now; try again later.`);

  /**
   * Calls the server's tool `name` (offered to the model as `exposed`) within the timeout. Every
   * failure is a `DownstreamToolError` whose message the model can act on.
   */
  async function call(
    name: string,
    exposed: string,
    args: unknown,
    config: ToolRunnableConfig | undefined,
    runManager?: CallbackManagerForToolRun,
  ): Promise<[unknown, unknown]> {
    const tool = state === 'up' ? tools.get(name) : undefined;
    if (!tool)
      throw state === 'up'
        ? new DownstreamToolError(`The tool ${exposed} is no longer offered.`)
        : unreachable();
    const expiry = new AbortController();
    const timer = setTimeout(() => expiry.abort(), timeoutMs);
    const signal = config?.signal ? AbortSignal.any([config.signal, expiry.signal]) : expiry.signal;
    try {
      const result: unknown = await tool.invoke(
        {
          id: config?.toolCall?.id ?? 'direct',
          name,
          args: args as Record<string, unknown>,
          type: 'tool_call',
        },
        // The SDK's own request timeout is a backstop behind this call's.
        { signal, metadata: { timeoutMs: timeoutMs + 1000 }, callbacks: runManager?.getChild() },
      );
      if (result instanceof ToolMessage) return [boundContent(result.content), result.artifact];
      return [boundContent(result), undefined];
    } catch (err) {
      if (expiry.signal.aborted)
        throw new DownstreamToolError(`The tool ${exposed} did not answer within ${timeoutMs} ms.`);
      if (config?.signal?.aborted) throw err;
      const text = messageOf(err);
      const reported = /returned an error: ([\s\S]*)$/.exec(text);
      if (reported)
        throw new DownstreamToolError(`The tool ${exposed} reported an error: ${clip(reported[1]!, 2000)}`);
      // Anything else may be the server going away: see whether it still answers.
      if (!(await alive())) {
        markDown(reasonOf(err));
        throw unreachable();
      }
      throw new DownstreamToolError(
        `The tool ${exposed} failed: ${clip(text.replace(/^Error calling tool [^:]*: /, ''), 300)}`,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    entry,
    /** The first connection attempt (bounded by the timeout); a failure is logged and retried, never thrown. */
    start: () => connect(),
    call,
    isUp: () => state === 'up',
    async close(): Promise<void> {
      state = 'closed';
      clearTimeout(timer);
      const old = client;
      client = undefined;
      await old?.close().catch(() => undefined);
    },
  };
}

/** The GET stream a Streamable HTTP server may offer is not reopened by the transport: a lost server is this module's to retry. */
const NO_SSE_RETRIES = {
  initialReconnectionDelay: 1000,
  maxReconnectionDelay: 1000,
  reconnectionDelayGrowFactor: 1,
  maxRetries: 0,
};

export type ServerConnection = ReturnType<typeof createServerConnection>;
