import { SCOPE } from '@mcp-langgraph/protocol';
import { z } from 'zod';
import { defineTool } from './definition.js';

const conversation = z.object({
  thread_id: z.string(),
  title: z.string().nullish(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
});

/** `list_conversations`: the conversations the caller may view. */
export const listConversations = defineTool({
  name: 'list_conversations',
  title: 'List conversations',
  description: 'List your conversations with their thread_id and title.',
  input: z.object({
    limit: z.number().int().min(1).max(100).optional().describe('How many to return (default 20)'),
    offset: z.number().int().min(0).optional().describe('How many to skip, for paging'),
  }),
  output: z.object({
    conversations: z.array(conversation).describe('Your conversations, most recent first'),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  scopes: [SCOPE.conversationsRead],
  async run(args, call, { agent }) {
    const threads = await agent.searchThreads(
      await call.agentToken(),
      { limit: args.limit ?? 20, offset: args.offset ?? 0, sort_by: 'updated_at', sort_order: 'desc' },
      call.signal,
    );
    const conversations = threads.map((t) => ({
      thread_id: t.thread_id,
      title: t.title ?? null,
      created_at: t.created_at,
      ...(t.updated_at ? { updated_at: t.updated_at } : {}),
    }));
    const text =
      conversations.length === 0
        ? 'You have no conversations yet.'
        : conversations.map((c) => `${c.thread_id}  ${c.title ?? '(untitled)'}`).join('\n');
    return { content: [{ type: 'text', text }], structuredContent: { conversations } };
  },
});
