import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { runTool, type ToolDeps } from './run.js';
import { withCachedJsonSchema } from './schema.js';

const input = withCachedJsonSchema(
  z.object({
    limit: z.number().int().min(1).max(100).optional().describe('How many to return (default 20)'),
    offset: z.number().int().min(0).optional().describe('How many to skip, for paging'),
  }),
);

const conversation = z.object({
  thread_id: z.string(),
  title: z.string().nullish(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
});

const output = withCachedJsonSchema(
  z.object({
    conversations: z.array(conversation).describe('Your conversations, most recent first'),
  }),
);

/** `list_conversations`: the conversations the caller may view. */
export function registerListConversations(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'list_conversations',
    {
      title: 'List conversations',
      description: 'List your conversations with their thread_id and title.',
      inputSchema: input,
      outputSchema: output,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args, ctx) =>
      runTool(deps, { name: 'list_conversations', scopes: ['conversations:read'] }, ctx, async (call) => {
        const threads = await deps.agent.searchThreads(
          await call.agentToken(),
          { limit: args.limit ?? 20, offset: args.offset ?? 0 },
          call.signal,
        );
        const conversations = threads.map((t) => ({
          thread_id: t.thread_id,
          title: t.title ?? null,
          ...(t.created_at ? { created_at: t.created_at } : {}),
          ...(t.updated_at ? { updated_at: t.updated_at } : {}),
        }));
        const text =
          conversations.length === 0
            ? 'You have no conversations yet.'
            : conversations.map((c) => `${c.thread_id}  ${c.title ?? '(untitled)'}`).join('\n');
        return { content: [{ type: 'text', text }], structuredContent: { conversations } };
      }),
  );
}
