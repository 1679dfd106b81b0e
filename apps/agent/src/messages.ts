import type { AIMessage, BaseMessage, ToolMessage } from '@langchain/core/messages';
import type { ApiMessage } from '@mcp-langgraph/protocol';

/** Checkpointed LangChain messages to API messages; system messages stay internal. */
export function toApiMessages(messages: readonly BaseMessage[]): ApiMessage[] {
  const out: ApiMessage[] = [];
  for (const m of messages) {
    switch (m.getType()) {
      case 'human':
        out.push({ role: 'user', content: m.text });
        break;
      case 'ai': {
        const calls = (m as AIMessage).tool_calls ?? [];
        out.push({
          role: 'assistant',
          content: m.text,
          ...(calls.length > 0
            ? { tool_calls: calls.map((c) => ({ id: c.id ?? '', name: c.name, args: c.args })) }
            : {}),
        });
        break;
      }
      case 'tool': {
        const t = m as ToolMessage;
        out.push({
          role: 'tool',
          content: t.text,
          ...(t.name ? { name: t.name } : {}),
          tool_call_id: t.tool_call_id,
        });
        break;
      }
      default:
        break;
    }
  }
  return out;
}
