import { SCOPE } from '@mcp-langgraph/protocol';
import { z } from 'zod';
import { confirmAction } from './confirm.js';
import { defineTool } from './definition.js';

/** `delete_conversation`: removes one of the caller's conversations for good, once confirmed. */
export const deleteConversation = defineTool({
  name: 'delete_conversation',
  title: 'Delete a conversation',
  description:
    'Delete one of your conversations with all its messages and shares; this cannot be undone. ' +
    'You are asked to confirm; a client that cannot ask passes confirm: true.',
  input: z.object({
    thread_id: z.uuid().describe('The conversation to delete'),
    confirm: z
      .boolean()
      .optional()
      .describe('true to delete without being asked (for clients that cannot ask their user)'),
  }),
  output: z.object({
    thread_id: z.string(),
    deleted: z.boolean().describe('Whether the conversation was deleted (false when you declined)'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  scopes: [SCOPE.conversationsWrite],
  async run(args, call, { agent }) {
    const confirmation = confirmAction(call, {
      confirmArg: args.confirm,
      question: `Delete the conversation ${args.thread_id}? This cannot be undone.`,
      howToConfirm:
        'deleting a conversation cannot be undone and this client cannot ask you to confirm: ' +
        'call delete_conversation again with confirm: true to delete it',
      declined: 'deletion cancelled; the conversation was kept',
    });
    if (confirmation.outcome === 'ask') return confirmation.result;
    if (confirmation.outcome === 'declined')
      return { ...confirmation.result, structuredContent: { thread_id: args.thread_id, deleted: false } };
    await agent.deleteThread(await call.agentToken(), args.thread_id, call.signal);
    return {
      content: [{ type: 'text', text: `deleted the conversation ${args.thread_id}` }],
      structuredContent: { thread_id: args.thread_id, deleted: true },
    };
  },
});
