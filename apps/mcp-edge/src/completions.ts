import {
  type CompleteResult,
  type McpServer,
  ProtocolError,
  ProtocolErrorCode,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { conversationReader, protocolFailure } from './resources/access.js';
import type { ToolDeps } from './tools/tool-call-gate.js';

/** The most values one completion answers with (the protocol's limit). */
export const MAX_COMPLETIONS = 100;
/** How many of the caller's most recently updated conversations completions look through. */
export const CONVERSATIONS_SCANNED = 1000;

/** Every value that completes `value` for one argument, best first; the handler keeps the first 100. */
export type ArgumentCompleter = (value: string, deps: ToolDeps, ctx: ServerContext) => Promise<string[]>;

/** Completers by prompt name or template URI, then by argument name. */
export type Completers = Readonly<Record<string, Readonly<Record<string, ArgumentCompleter>>>>;

/**
 * A conversation id of the caller: ids that start with what was typed first, then conversations
 * whose title contains it (so typing a word of the first message finds the id). Only the
 * caller's conversations are looked through: the agent's thread search returns nothing else.
 * The completion result carries values only (the protocol has no field for a title).
 */
export const completeThreadId: ArgumentCompleter = async (value, deps, ctx) => {
  const reader = await conversationReader(deps, ctx);
  let threads: Awaited<ReturnType<ToolDeps['agent']['searchThreads']>>;
  try {
    threads = await deps.agent.searchThreads(
      await reader.agentToken(),
      { limit: CONVERSATIONS_SCANNED, sort_by: 'updated_at', sort_order: 'desc' },
      reader.signal,
    );
  } catch (err) {
    throw protocolFailure(deps, err, 'completing a conversation id');
  }
  const typed = value.trim().toLowerCase();
  const byId = threads.filter((t) => t.thread_id.toLowerCase().startsWith(typed));
  if (typed === '') return byId.map((t) => t.thread_id);
  const byTitle = threads.filter(
    (t) => !t.thread_id.toLowerCase().startsWith(typed) && t.title?.toLowerCase().includes(typed),
  );
  return [...byId, ...byTitle].map((t) => t.thread_id);
};

/** Values from a fixed list: those starting with what was typed, then those containing it. */
export function fromList(values: readonly string[]): ArgumentCompleter {
  return async (value) => {
    const typed = value.trim().toLowerCase();
    const starts = values.filter((v) => v.toLowerCase().startsWith(typed));
    return [...starts, ...values.filter((v) => !starts.includes(v) && v.toLowerCase().includes(typed))];
  };
}

function bounded(values: string[]): CompleteResult {
  return {
    completion: {
      values: values.slice(0, MAX_COMPLETIONS),
      total: values.length,
      hasMore: values.length > MAX_COMPLETIONS,
    },
  };
}

/**
 * `completion/complete` for prompt arguments and template variables. The SDK's own completion
 * callbacks are given the typed value but not the request, so they cannot know the caller whose
 * conversations to complete from; this handler replaces them. An unknown prompt or template is
 * invalid params; an argument without a completer completes to nothing.
 */
export function registerCompletions(
  server: McpServer,
  deps: ToolDeps,
  completers: { prompts: Completers; templates: Completers },
): void {
  server.server.registerCapabilities({ completions: {} });
  server.server.setRequestHandler('completion/complete', async (request, ctx) => {
    const { ref, argument } = request.params;
    const forRef =
      ref.type === 'ref/prompt'
        ? completers.prompts[ref.name]
        : ref.type === 'ref/resource'
          ? completers.templates[ref.uri]
          : undefined;
    if (!forRef) {
      const what = ref.type === 'ref/prompt' ? `prompt ${ref.name}` : `resource template ${ref.uri}`;
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Invalid params: unknown ${what}`);
    }
    const complete = Object.hasOwn(forRef, argument.name) ? forRef[argument.name] : undefined;
    return bounded(complete ? await complete(argument.value, deps, ctx) : []);
  });
}
