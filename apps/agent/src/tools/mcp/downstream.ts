import { DynamicStructuredTool, type StructuredToolInterface } from '@langchain/core/tools';
import type { Logger } from '@mcp-langgraph/observability';
import { authorizeTool, type ToolGateDeps } from '../authorize.js';
import {
  createServerConnection,
  type RemoteTool,
  type RetryOptions,
  type ServerConnection,
} from './connection.js';
import { grantOf, modelToolName } from './naming.js';
import type { McpServerEntry } from './server-config.js';

export interface DownstreamOptions {
  logger: Logger;
  /** Every downstream tool is behind the per-call authorization check. */
  gate: ToolGateDeps;
  /** `AGENT_MCP_TIMEOUT_MS`, unless an entry has its own `timeout_ms`. */
  timeoutMs: number;
  retry?: RetryOptions | undefined;
  /**
   * Grants `user:*` executor on these tools (`<server>/<tool>`): called for the tools of servers
   * marked `public`, whenever their list is loaded.
   */
  seed(grants: readonly string[]): Promise<void>;
}

/** The downstream tools the agent offers, kept current as servers come and go. */
export interface Downstream {
  /** Every tool of every server that has been reached, authorized; a server that went away keeps its tools (calls say it is unreachable). */
  tools(): StructuredToolInterface[];
  /** Called when a server's tool list changed (first connection, or different tools after a reconnect). */
  onChange(listener: () => void): void;
  close(): Promise<void>;
}

const DESCRIPTION_LIMIT = 2000;
const SEED_RETRY_MS = 10_000;

interface ServerTools {
  signature: string;
  tools: StructuredToolInterface[];
}

/**
 * Connects every configured downstream MCP server (in parallel, each attempt bounded by its
 * timeout) and offers their tools to the model as `<server>__<tool>`, each authorized per call on
 * `tool:<server>/<tool>`. A server unreachable at start is logged and retried in the background;
 * its tools appear once it answers. Nothing here throws at start-up.
 */
export async function startDownstream(
  entries: readonly McpServerEntry[],
  options: DownstreamOptions,
): Promise<Downstream> {
  const { logger } = options;
  const byServer = new Map<string, ServerTools>();
  const listeners: Array<() => void> = [];
  const seedTimers = new Set<NodeJS.Timeout>();
  let closed = false;

  async function seed(entry: McpServerEntry, grants: string[]): Promise<void> {
    if (!entry.public || grants.length === 0 || closed) return;
    try {
      await options.seed(grants);
    } catch (err) {
      logger.warn(
        { server: entry.name, err: err instanceof Error ? err.message : String(err) },
        `could not grant the public tools of "${entry.name}"; calls to them are refused until this succeeds`,
      );
      const timer = setTimeout(() => {
        seedTimers.delete(timer);
        void seed(entry, grants);
      }, SEED_RETRY_MS);
      timer.unref();
      seedTimers.add(timer);
    }
  }

  function toolsOf(
    entry: McpServerEntry,
    connection: ServerConnection,
    remote: readonly RemoteTool[],
  ): ServerTools {
    const taken = new Set<string>();
    const tools: StructuredToolInterface[] = [];
    const grants: string[] = [];
    for (const r of remote) {
      const grant = grantOf(entry.name, r.name);
      const name = modelToolName(entry.name, r.name, taken);
      if (!grant || !name) {
        logger.warn(
          { server: entry.name },
          `a tool of "${entry.name}" has a name too long to offer; it is left out`,
        );
        continue;
      }
      taken.add(name);
      grants.push(grant);
      const description = `${r.description || r.name} (tool "${r.name}" of the ${entry.name} MCP server)`;
      const tool = new DynamicStructuredTool({
        name,
        description:
          description.length <= DESCRIPTION_LIMIT
            ? description
            : `${description.slice(0, DESCRIPTION_LIMIT - 1)}…`,
        schema: r.schema,
        responseFormat: 'content_and_artifact',
        func: (args, runManager, config) => connection.call(r.name, name, args, config, runManager),
      });
      tools.push(authorizeTool(tool, options.gate, grant));
    }
    void seed(entry, grants);
    return { signature: JSON.stringify(remote), tools };
  }

  const connections = entries.map((entry) => {
    const connection: ServerConnection = createServerConnection({
      entry,
      logger,
      timeoutMs: entry.timeout_ms ?? options.timeoutMs,
      retry: options.retry,
      onTools(remote) {
        const signature = JSON.stringify(remote);
        if (byServer.get(entry.name)?.signature === signature) return;
        byServer.set(entry.name, toolsOf(entry, connection, remote));
        for (const listener of listeners) listener();
      },
    });
    return connection;
  });
  await Promise.all(connections.map((c) => c.start()));

  return {
    tools: () => entries.flatMap((e) => byServer.get(e.name)?.tools ?? []),
    onChange(listener) {
      listeners.push(listener);
    },
    async close() {
      closed = true;
      for (const timer of seedTimers) clearTimeout(timer);
      await Promise.all(connections.map((c) => c.close()));
    },
  };
}
