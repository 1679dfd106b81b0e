import { SCOPE } from '@mcp-langgraph/protocol';
import { z } from 'zod';
import { type ConversationMessage, conversationMessageSchema, toConversation } from '../conversation.js';
import { defineTool } from './definition.js';

/** One line per message, readable by a person or a model. */
function renderMessages(messages: readonly ConversationMessage[]): string {
  if (messages.length === 0) return '(no messages yet)';
  return messages
    .map((m) => {
      if (m.role === 'tool') return `tool${m.name ? ` ${m.name}` : ''}: ${m.content}`;
      const calls = m.tool_calls?.length
        ? ` [calls ${m.tool_calls.map((c) => `${c.name}(${JSON.stringify(c.args)})`).join(', ')}]`
        : '';
      return `${m.role}: ${m.content}${calls}`;
    })
    .join('\n');
}

/** `get_conversation`: the messages of a conversation the caller may view. */
export const getConversation = defineTool({
  name: 'get_conversation',
  title: 'Read a conversation',
  description: 'Return every message of one of your conversations, including tool calls and their results.',
  input: z.object({
    thread_id: z.uuid().describe('The conversation to read'),
  }),
  output: z.object({
    thread_id: z.string(),
    messages: z.array(conversationMessageSchema).describe('Every message of the conversation, oldest first'),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  scopes: [SCOPE.conversationsRead],
  async run(args, call, { agent }) {
    const state = await agent.getState(await call.agentToken(), args.thread_id, call.signal);
    const messages = toConversation(state.values.messages);
    return {
      content: [{ type: 'text', text: renderMessages(messages) }],
      structuredContent: { thread_id: args.thread_id, messages },
    };
  },
});
