import type { BaseMessage, BaseMessageChunk } from '@langchain/core/messages';
import type { StreamMode as GraphStreamMode } from '@langchain/langgraph';

/** One event of a run's stream as the platform names it, data not yet serialised. */
export interface RunEvent {
  event: string;
  data: unknown;
}

/**
 * The LangGraph stream modes that produce the platform's: `messages-tuple` is LangGraph's
 * `messages` (token chunks with their metadata); the platform's `messages` is built from those
 * chunks (partial messages) and from `values` (completed messages).
 */
export function graphStreamModes(modes: readonly string[]): GraphStreamMode[] {
  const out = new Set<GraphStreamMode>();
  for (const mode of modes) {
    if (mode === 'messages-tuple') out.add('messages');
    else if (mode === 'messages') {
      out.add('messages');
      out.add('values');
    } else out.add(mode as GraphStreamMode);
  }
  return [...out];
}

const messageId = (m: { id?: string | undefined }) => m.id ?? '';

/**
 * Turns LangGraph's stream chunks (`[namespace, mode, chunk]`) into the platform's events for
 * the modes the caller asked for. Events of subgraphs are named `mode|ns…` as the platform does.
 */
export function createEventMapper(modes: readonly string[]) {
  const asked = new Set(modes);
  const partial = new Map<string, BaseMessageChunk>();
  const completed = new Set<string>();

  return function map(namespace: readonly string[], mode: string, chunk: unknown): RunEvent[] {
    const name = (base: string) => (namespace.length > 0 ? `${base}|${namespace.join('|')}` : base);
    const out: RunEvent[] = [];
    if (mode === 'messages') {
      const [message, metadata] = chunk as [BaseMessageChunk, Record<string, unknown>];
      if (asked.has('messages-tuple')) out.push({ event: name('messages'), data: [message, metadata] });
      if (asked.has('messages')) {
        const id = messageId(message);
        const seen = partial.get(id);
        if (!seen) out.push({ event: name('messages/metadata'), data: { [id]: { metadata } } });
        const merged = seen ? seen.concat(message) : message;
        partial.set(id, merged);
        out.push({ event: name('messages/partial'), data: [merged] });
      }
      return out;
    }
    if (mode === 'values' && asked.has('messages')) {
      const messages = (chunk as { messages?: BaseMessage[] } | null)?.messages ?? [];
      const fresh = messages.filter((m) => m.id && !completed.has(m.id));
      for (const m of fresh) completed.add(m.id!);
      if (fresh.length > 0) out.push({ event: name('messages/complete'), data: fresh });
    }
    if (asked.has(mode)) out.push({ event: name(mode), data: chunk });
    return out;
  };
}

/**
 * Messages already in the thread before this run must not come out as `messages/complete`:
 * the mapper is told about them first.
 */
export function primeCompleted(
  map: ReturnType<typeof createEventMapper>,
  messages: readonly BaseMessage[],
): void {
  map([], 'values', { messages });
}
