import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  type MessageContent,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { AppError } from '@mcp-langgraph/observability';
import type { InputMessage } from '@mcp-langgraph/protocol';

/**
 * `JSON.stringify` as the platform serialises graph output: LangChain messages (anything with
 * `toDict`) become message dicts `{...data, type}` (`human`, `ai`, `tool`, `system`, chunks as
 * `AIMessageChunk`), everything else as JSON has it.
 */
export function serialise(value: unknown): string {
  return JSON.stringify(value, function replacer(key, v) {
    const raw = (this as Record<string, unknown>)[key];
    if (
      raw !== null &&
      typeof raw === 'object' &&
      typeof (raw as { toDict?: unknown }).toDict === 'function'
    ) {
      const { type, data } = (raw as { toDict(): { type: string; data: Record<string, unknown> } }).toDict();
      return { ...data, type };
    }
    return v;
  });
}

/** `value` as plain JSON (messages as dicts), for answers built from graph state. */
export function plain<T = unknown>(value: unknown): T {
  const text = serialise(value);
  return (text === undefined ? null : JSON.parse(text)) as T;
}

const unprocessable = (message: string) => new AppError(422, 'invalid_input', message);

/** The first user message's text, for the thread title. */
export function firstHumanText(messages: readonly InputMessage[]): string | undefined {
  const first = messages.find((m) => (m.type ?? m.role) === 'human' || m.role === 'user');
  if (!first) return undefined;
  if (typeof first.content === 'string') return first.content;
  return first.content
    .map((b) => (typeof b.text === 'string' ? b.text : ''))
    .join(' ')
    .trim();
}

/** Message dicts (or `role` aliases) as LangChain messages; 422 for a tool message without its call. */
export function toLangChainMessages(messages: readonly InputMessage[]): BaseMessage[] {
  return messages.map((m, i) => {
    const content = m.content as MessageContent;
    const common = { content, ...(m.id ? { id: m.id } : {}), ...(m.name ? { name: m.name } : {}) };
    switch (m.type ?? m.role) {
      case 'human':
      case 'user':
        return new HumanMessage(common);
      case 'ai':
      case 'assistant':
        return new AIMessage({
          ...common,
          tool_calls: (m.tool_calls ?? []).map((c, n) => ({
            id: c.id ?? `call_${i}_${n}`,
            name: c.name,
            args: c.args,
            type: 'tool_call' as const,
          })),
        });
      case 'tool':
        if (!m.tool_call_id) throw unprocessable(`messages.${i}: a tool message needs its tool_call_id`);
        return new ToolMessage({ ...common, tool_call_id: m.tool_call_id });
      default:
        return new SystemMessage(common);
    }
  });
}
