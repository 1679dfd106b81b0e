import { SCOPE, SHARE_ROLES } from '@mcp-langgraph/protocol';
import { z } from 'zod';
import { defineTool } from './definition.js';

/** A subject as the authorization model names it; a bare id means a user. */
const subject = z
  .string()
  .min(1)
  .max(300)
  .transform((v) => (/^(user|client):/.test(v) ? v : `user:${v}`))
  .pipe(
    z.string().regex(/^(user|client):[A-Za-z0-9._@|:-]{1,256}$/, {
      error: 'user must be a user id, or a subject such as user:<id> or client:<id>',
    }),
  );

/** `share_conversation`: lets another user read (viewer) or continue (editor) one of the caller's conversations. */
export const shareConversation = defineTool({
  name: 'share_conversation',
  title: 'Share a conversation',
  description:
    'Share one of your conversations with another user: viewer lets them read it, editor lets them ' +
    'read and continue it. Only the owner can share.',
  input: z.object({
    thread_id: z.uuid().describe('The conversation to share'),
    user: subject.describe('Who to share with: their user id, or user:<id> / client:<id>'),
    role: z.enum(SHARE_ROLES).describe('viewer (read) or editor (read and continue)'),
  }),
  output: z.object({
    thread_id: z.string(),
    user: z.string().describe('The subject the conversation is shared with'),
    role: z.enum(SHARE_ROLES),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  scopes: [SCOPE.conversationsWrite],
  async run(args, call, { agent }) {
    await agent.shareThread(
      await call.agentToken(),
      args.thread_id,
      { user: args.user, role: args.role },
      call.signal,
    );
    return {
      content: [
        { type: 'text', text: `shared the conversation ${args.thread_id} with ${args.user} as ${args.role}` },
      ],
      structuredContent: { thread_id: args.thread_id, user: args.user, role: args.role },
    };
  },
});
