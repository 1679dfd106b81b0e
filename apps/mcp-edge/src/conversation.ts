import type { ApiMessage } from '@mcp-langgraph/protocol';
import { z } from 'zod';

/**
 * A message of a conversation as the MCP tools show it: the agent's LangChain message dicts
 * (`type` human/ai/tool/system, string or content-block content) turned into the plain
 * `role`/`content` form MCP clients and models read most easily.
 */
export const conversationMessageSchema = z.object({
  role: z.enum(['user', 'assistant', 'tool', 'system']),
  content: z.string(),
  name: z.string().optional(),
  tool_calls: z.array(z.object({ id: z.string(), name: z.string(), args: z.unknown() })).optional(),
  tool_call_id: z.string().optional(),
});
export type ConversationMessage = z.infer<typeof conversationMessageSchema>;

const ROLES: Record<string, ConversationMessage['role']> = {
  human: 'user',
  ai: 'assistant',
  tool: 'tool',
  system: 'system',
};

/** The text of a message: its string content, or its text blocks joined. */
export function messageText(m: Pick<ApiMessage, 'content'>): string {
  if (typeof m.content === 'string') return m.content;
  return m.content
    .map((b) =>
      b && typeof b === 'object' && typeof (b as { text?: unknown }).text === 'string'
        ? (b as { text: string }).text
        : '',
    )
    .join('');
}

/** The agent's messages as the tools show them; message types the tools do not know are left out. */
export function toConversation(messages: readonly ApiMessage[] | undefined): ConversationMessage[] {
  const out: ConversationMessage[] = [];
  for (const m of messages ?? []) {
    const role = ROLES[m.type];
    if (!role) continue;
    const calls = (m.tool_calls ?? []).map((c) => ({ id: c.id ?? '', name: c.name, args: c.args }));
    out.push({
      role,
      content: messageText(m),
      ...(m.name ? { name: m.name } : {}),
      ...(calls.length > 0 ? { tool_calls: calls } : {}),
      ...(m.tool_call_id ? { tool_call_id: m.tool_call_id } : {}),
    });
  }
  return out;
}

/** The assistant's answer: the text of the last AI message. */
export function answerOf(messages: readonly ApiMessage[] | undefined): string {
  const last = [...(messages ?? [])].reverse().find((m) => m.type === 'ai');
  return last ? messageText(last) : '';
}
