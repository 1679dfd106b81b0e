import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { type Message, messageSchema } from '../agent-client.js';
import { runTool, type ToolDeps } from './run.js';
import { withCachedJsonSchema } from './schema.js';

const input = withCachedJsonSchema(
  z.object({
    thread_id: z.uuid().describe('The conversation to read'),
  }),
);

const output = withCachedJsonSchema(
  z.object({
    thread_id: z.string(),
    messages: z.array(messageSchema).describe('Every message of the conversation, oldest first'),
  }),
);

/** One line per message, readable by a person or a model. */
export function renderMessages(messages: readonly Message[]): string {
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
export function registerGetConversation(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'get_conversation',
    {
      title: 'Read a conversation',
      description:
        'Return every message of one of your conversations, including tool calls and their results.',
      inputSchema: input,
      outputSchema: output,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args, ctx) =>
      runTool(deps, { name: 'get_conversation', scopes: ['conversations:read'] }, ctx, async (call) => {
        const state = await deps.agent.getState(await call.agentToken(), args.thread_id, call.signal);
        const messages = state.values.messages;
        return {
          content: [{ type: 'text', text: renderMessages(messages) }],
          structuredContent: { thread_id: state.thread_id, messages },
        };
      }),
  );
}
