import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import type { RunnableConfig } from '@langchain/core/runnables';
import { type Checkpoint, emptyCheckpoint, uuid6 } from '@langchain/langgraph-checkpoint';
import type { AgentCheckpointSaver } from '../saver.js';
import { CHECKPOINT_TABLES } from '../schema.js';

/** Opens a fresh, empty saver on one backend; `close` releases it and whatever it created. */
export type OpenSaver = () => Promise<{ saver: AgentCheckpointSaver; close(): Promise<void> }>;

/** Rows of each table for one thread. */
export async function rowCounts(saver: AgentCheckpointSaver, threadId: string) {
  const counts: Record<string, number> = {};
  for (const table of CHECKPOINT_TABLES) {
    const r = await saver.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('thread_id', '=', threadId)
      .executeTakeFirstOrThrow();
    counts[table] = Number(r.n);
  }
  return counts;
}

/** What the stock savers would hand back: the value through one serialise/deserialise. */
export async function throughSerde(saver: AgentCheckpointSaver, value: unknown): Promise<unknown> {
  const [type, bytes] = await saver.serde.dumpsTyped(value);
  return saver.serde.loadsTyped(type, bytes);
}

/** Serialised bytes, so "reads back exactly" compares what would be stored, not just shapes. */
export async function bytesOf(saver: AgentCheckpointSaver, value: unknown): Promise<string> {
  const [type, bytes] = await saver.serde.dumpsTyped(value);
  return `${type}:${Buffer.from(bytes).toString('utf8')}`;
}

/** Puts one checkpoint whose `messages` channel holds `messages` at a new version. */
export async function putMessages(
  saver: AgentCheckpointSaver,
  config: RunnableConfig,
  messages: unknown,
  extra: { metadata?: Record<string, unknown>; other?: Record<string, unknown> } = {},
): Promise<{ config: RunnableConfig; checkpoint: Checkpoint }> {
  const previous = await saver.getTuple(config);
  const versions = { ...(previous?.checkpoint.channel_versions ?? {}) };
  const next = saver.getNextVersion(
    Object.values(versions).reduce<number>((m, v) => Math.max(m, Number(v)), 0) || undefined,
  );
  const changed: Record<string, number> = { messages: next };
  for (const k of Object.keys(extra.other ?? {})) changed[k] = next;
  const checkpoint: Checkpoint = {
    ...emptyCheckpoint(),
    id: uuid6(-3),
    channel_values: { ...(previous?.checkpoint.channel_values ?? {}), messages, ...(extra.other ?? {}) },
    channel_versions: { ...versions, ...changed },
  };
  const saved = await saver.put(
    config,
    checkpoint,
    { source: 'loop', step: 0, parents: {}, ...(extra.metadata ?? {}) } as never,
    changed,
  );
  return { config: saved, checkpoint };
}

let counter = 0;
export const message = {
  human: (text: string) => new HumanMessage({ content: text, id: `h-${++counter}` }),
  ai: (text: string) => new AIMessage({ content: text, id: `a-${++counter}` }),
  toolCall: (name: string, args: Record<string, unknown>) =>
    new AIMessage({
      content: '',
      id: `a-${++counter}`,
      tool_calls: [{ id: `call-${counter}`, name, args, type: 'tool_call' }],
    }),
  toolResult: (callId: string, content: string, artifact?: unknown) =>
    new ToolMessage({ content, tool_call_id: callId, name: 'calculator', artifact, id: `t-${++counter}` }),
  blocks: () =>
    new HumanMessage({
      id: `h-${++counter}`,
      content: [
        { type: 'text', text: 'What is in this picture? ünïcödé 🚀 "quotes" \\ back\nslash' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      ],
    }),
  system: (text: string) => new SystemMessage({ content: text, id: `s-${++counter}` }),
};

export type { BaseMessage };

/** The texts of a tuple's `messages` channel (none when there is no tuple). */
export function textsOf(tuple: { checkpoint: Checkpoint } | undefined): string[] {
  const messages = (tuple?.checkpoint.channel_values.messages ?? []) as Array<{ text: string }>;
  return messages.map((m) => m.text);
}
