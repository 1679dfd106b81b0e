import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, type McpHttpHandler, McpServer } from '@modelcontextprotocol/server';
import bytes from 'bytes';
import type { RequestHandler } from 'express';
import { completeThreadId, registerCompletions } from './completions.js';
import {
  attachStepLog,
  type CallerLogLevels,
  callerKey,
  createCallerLogLevels,
  rememberLogLevels,
  stepLogger,
} from './logging.js';
import { promptCompleters, registerPrompts } from './prompts/index.js';
import {
  CONVERSATION_TEMPLATE,
  registerConversationResources,
  THREAD_ID,
} from './resources/conversations.js';
import { advertiseEveryRevision, SERVED_REVISIONS } from './revisions.js';
import { installTasks } from './tasks/handlers.js';
import { TOOLS } from './tools/index.js';
import { gateToolCall, type ToolDeps } from './tools/tool-call-gate.js';
import {
  createToolListingCache,
  listOnlyAllowedTools,
  stepUpChallenge,
  type ToolListingCache,
} from './tools/tool-list.js';

export const SERVER_INFO = { name: 'mcp-langgraph', version: '0.1.0' } as const;

const INSTRUCTIONS =
  'An assistant with durable conversations. Use chat to talk to it (keep the returned thread_id to continue), ' +
  'list_conversations to find earlier conversations and get_conversation to read one. Each conversation is ' +
  'also a resource, conversation://{thread_id} (a Markdown transcript and the messages as JSON); the prompts ' +
  'summarize_conversation, continue_conversation and ask_the_docs start common tasks, and thread_id arguments ' +
  'complete from your own conversations. Tools report their steps as info log messages.';

/**
 * Cache hints of the 2026-07-28 results (SEP-2549; never sent on the 2025 revisions). `private`
 * wherever the answer depends on the caller: the tool list (filtered by the caller's grants),
 * their conversations and every read. Conversations change with each message, so those are not
 * to be reused at all; the prompts, the template and the discovery answer are the same for
 * everyone until the edge is upgraded.
 */
const CACHE_HINTS = {
  'tools/list': { ttlMs: 60_000, cacheScope: 'private' },
  'resources/list': { ttlMs: 0, cacheScope: 'private' },
  'resources/read': { ttlMs: 0, cacheScope: 'private' },
  'resources/templates/list': { ttlMs: 300_000, cacheScope: 'public' },
  'prompts/list': { ttlMs: 300_000, cacheScope: 'public' },
  'server/discover': { ttlMs: 300_000, cacheScope: 'public' },
} as const;

/** What one server instance shares with the others of its endpoint. */
export interface McpServerOptions {
  /**
   * Where `logging/setLevel` keeps levels when each request of the 2025 revisions gets its own
   * instance (stateless HTTP); without it (stdio, one instance per session) the SDK keeps them.
   */
  logLevels?: CallerLogLevels;
  /** The SDK's tool listing, kept across the instances of one endpoint. */
  toolListing?: ToolListingCache;
  /**
   * What this instance must serve: a 2026-07-28 request names its method in `Mcp-Method` (the SDK
   * has checked it against the body before the factory runs), so a tool request needs neither
   * the resources nor the prompts and completions. Everything when left out.
   */
  method?: string | null;
}

/** Whether an instance serving `method` needs the resources, prompts and completions. */
function needsContent(method: string | null | undefined): boolean {
  return !(method === 'tools/list' || method === 'tools/call');
}

/**
 * One MCP server instance with every tool of the registry, each behind the tool-call gate;
 * cheap to build (the definitions and `deps` are shared).
 */
export function buildMcpServer(deps: ToolDeps, options: McpServerOptions = {}): McpServer {
  const { logLevels, toolListing, method } = options;
  const server = new McpServer(SERVER_INFO, {
    capabilities: {
      tools: { listChanged: false },
      resources: { listChanged: false },
      prompts: { listChanged: false },
      logging: {},
    },
    instructions: INSTRUCTIONS,
    supportedProtocolVersions: [...SERVED_REVISIONS],
    cacheHints: CACHE_HINTS,
  });
  advertiseEveryRevision(server);
  if (logLevels) rememberLogLevels(server, deps.identify, logLevels);
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: tool.annotations,
        scopeChallenge: stepUpChallenge(deps, tool),
      },
      (args, ctx) =>
        gateToolCall(
          deps,
          tool,
          ctx,
          (call) => {
            const remembered = logLevels && { levels: logLevels, caller: callerKey(call.token) };
            return tool.run(args, attachStepLog(call, stepLogger(ctx, tool.name, remembered)), deps);
          },
          () => server.server.getClientCapabilities(),
        ),
    );
  }
  // A 2026-07-28 tool list is the same with or without the Tasks extension.
  if (method !== 'tools/list') installTasks(server, deps);
  listOnlyAllowedTools(server, deps, toolListing);
  if (!needsContent(method)) return server;
  registerConversationResources(server, deps);
  registerPrompts(server, deps);
  registerCompletions(server, deps, {
    prompts: promptCompleters(),
    templates: { [CONVERSATION_TEMPLATE]: { [THREAD_ID]: completeThreadId } },
  });
  return server;
}

/**
 * Streamable HTTP without sessions: the SDK's handler serves the 2026-07-28 revision per request
 * and the 2025 revisions through its stateless fallback, so any replica can answer any request
 * and every request is authenticated on its own. It needs a fresh server object per exchange
 * (an instance serves one exchange at a time). The SDK's Node adapter carries the exchange
 * across: `req.auth` becomes the handler's auth info, express.json()'s result its parsed body,
 * and a client that goes away aborts the request (and so the tool call's signal).
 */
export function createMcpEndpoint(
  deps: ToolDeps,
  options: { bodyLimit: string },
): { handle: RequestHandler; handler: McpHttpHandler } {
  const logLevels = createCallerLogLevels();
  const toolListing = createToolListingCache();
  const handler = createMcpHandler(
    ({ era, requestInfo }) =>
      buildMcpServer(deps, {
        logLevels,
        toolListing,
        method: era === 'modern' ? requestInfo?.headers.get('mcp-method') : undefined,
      }),
    {
      legacy: 'stateless',
      onerror: (err) => deps.logger.debug({ err: err.message }, 'mcp request rejected'),
    },
  );
  const node = toNodeHandler(handler, {
    // A body express.json() left alone (not JSON) is read by the adapter: hold it to the same limit.
    maxRequestBodySize: bytes.parse(options.bodyLimit) ?? undefined,
    onerror: (err) => deps.logger.error({ err: err.message }, 'mcp request failed'),
  });
  const handle: RequestHandler = (req, res) => node(req, res, req.body);
  return { handle, handler };
}
