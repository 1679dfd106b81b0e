import { threadIdSchema } from '@mcp-langgraph/protocol';
import {
  type ListResourcesResult,
  type McpServer,
  type ReadResourceResult,
  type Resource,
  ResourceNotFoundError,
  ResourceTemplate,
} from '@modelcontextprotocol/server';
import { type ConversationMessage, toConversation } from '../conversation.js';
import type { ToolDeps } from '../tools/tool-call-gate.js';
import { type ConversationReader, conversationReader, isNotFound, protocolFailure } from './access.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { markdownTranscript } from './transcript.js';

/** The template every conversation's URI follows. */
export const CONVERSATION_TEMPLATE = 'conversation://{thread_id}';
export const conversationUri = (threadId: string) => `conversation://${threadId}`;
/** The variable of {@link CONVERSATION_TEMPLATE}, which completions fill too. */
export const THREAD_ID = 'thread_id';

/** Conversations per `resources/list` page. */
export const PAGE_SIZE = 50;

const TEMPLATE_METADATA = {
  title: 'Conversation',
  description:
    'One of your conversations with the assistant. Reading it returns two contents of the same URI: a ' +
    'Markdown transcript (text/markdown) and the messages as JSON (application/json: ' +
    '{thread_id, messages: [{role, content, name?, tool_calls?, tool_call_id?}]}).',
  mimeType: 'text/markdown',
} as const;

/**
 * The messages of a conversation the caller may view; `undefined` for a malformed id, a
 * conversation that does not exist and one the caller may not view alike (the agent answers
 * 404 for both), so no answer tells them apart.
 */
export async function loadConversation(
  deps: ToolDeps,
  reader: ConversationReader,
  threadId: string,
): Promise<ConversationMessage[] | undefined> {
  const id = threadIdSchema.safeParse(threadId);
  if (!id.success) return undefined;
  try {
    const state = await deps.agent.getState(await reader.agentToken(), id.data, reader.signal);
    return toConversation(state.values.messages);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw protocolFailure(deps, err, 'reading a conversation');
  }
}

/**
 * A conversation of the caller in both forms, because a client rendering it and a model reading
 * it want different things and one read is cheaper than two.
 */
async function readConversation(
  deps: ToolDeps,
  reader: ConversationReader,
  uri: string,
  threadId: string,
): Promise<ReadResourceResult> {
  const messages = await loadConversation(deps, reader, threadId);
  if (!messages) throw new ResourceNotFoundError(uri);
  return {
    contents: [
      { uri, mimeType: 'text/markdown', text: markdownTranscript(threadId, messages) },
      { uri, mimeType: 'application/json', text: JSON.stringify({ thread_id: threadId, messages }) },
    ],
  };
}

/** One page of the caller's conversations, most recently updated first. */
async function listConversations(
  deps: ToolDeps,
  reader: ConversationReader,
  cursor: string | undefined,
): Promise<ListResourcesResult> {
  const offset = decodeCursor(cursor);
  let threads: Awaited<ReturnType<ToolDeps['agent']['searchThreads']>>;
  try {
    // One more than a page tells whether another page follows.
    threads = await deps.agent.searchThreads(
      await reader.agentToken(),
      { limit: PAGE_SIZE + 1, offset, sort_by: 'updated_at', sort_order: 'desc' },
      reader.signal,
    );
  } catch (err) {
    throw protocolFailure(deps, err, 'listing conversations');
  }
  const resources: Resource[] = threads.slice(0, PAGE_SIZE).map((t) => ({
    uri: conversationUri(t.thread_id),
    name: t.thread_id,
    title: t.title ?? 'Untitled conversation',
    mimeType: TEMPLATE_METADATA.mimeType,
    ...(t.updated_at ? { annotations: { lastModified: t.updated_at } } : {}),
  }));
  return {
    resources,
    ...(threads.length > PAGE_SIZE ? { nextCursor: encodeCursor(offset + PAGE_SIZE) } : {}),
  };
}

/**
 * `conversation://{thread_id}`: the template (`resources/templates/list`), reads of it, and
 * `resources/list` as the caller's conversations. The list is served by its own handler because
 * the SDK's template list callback is given no cursor to paginate with.
 */
export function registerConversationResources(server: McpServer, deps: ToolDeps): void {
  server.registerResource(
    'conversation',
    new ResourceTemplate(CONVERSATION_TEMPLATE, { list: undefined }),
    TEMPLATE_METADATA,
    async (uri, variables, ctx) => {
      const reader = await conversationReader(deps, ctx);
      const threadId = variables[THREAD_ID];
      return readConversation(deps, reader, uri.href, typeof threadId === 'string' ? threadId : '');
    },
  );
  server.server.setRequestHandler('resources/list', async (request, ctx) =>
    listConversations(deps, await conversationReader(deps, ctx), request.params?.cursor),
  );
}
