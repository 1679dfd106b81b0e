import type { RunnableConfig } from '@langchain/core/runnables';
import type { BaseCheckpointSaver, StateSnapshot } from '@langchain/langgraph';
import type { ThreadState } from '@mcp-langgraph/protocol';
import type { Checkpointer } from './checkpointer.js';
import { plain } from './messages.js';

/** What the run and thread routes need of the checkpointer: its saver, pruning and copying. */
export type CheckpointOps = Pick<Checkpointer, 'saver' | 'prune' | 'copyThread'>;

type CheckpointRef = NonNullable<ThreadState['checkpoint']>;

/** The checkpoint a config names, in the platform's shape (null when it names none). */
export function checkpointOf(config: RunnableConfig | undefined): CheckpointRef | null {
  const c = config?.configurable;
  if (!c?.thread_id || !c.checkpoint_id) return null;
  return {
    thread_id: String(c.thread_id),
    checkpoint_ns: String(c.checkpoint_ns ?? ''),
    checkpoint_id: String(c.checkpoint_id),
    checkpoint_map: (c.checkpoint_map as Record<string, unknown> | undefined) ?? null,
  };
}

/** A LangGraph state snapshot as the platform's `ThreadState`, messages as dicts. */
export function toThreadState(snapshot: StateSnapshot): ThreadState {
  const metadata = snapshot.metadata ? { ...snapshot.metadata } : null;
  return {
    values: plain(snapshot.values ?? {}) ?? {},
    next: [...snapshot.next],
    tasks: snapshot.tasks.map((t) => ({
      id: t.id,
      name: t.name,
      // Task errors may carry provider details; the run's own error says what the caller may know.
      error: t.error ? 'the task failed' : null,
      interrupts: plain(t.interrupts ?? []),
      path: plain(t.path ?? []),
      checkpoint: null,
      state: null,
      result: t.result === undefined ? null : plain(t.result),
    })),
    checkpoint: checkpointOf(snapshot.config),
    parent_checkpoint: checkpointOf(snapshot.parentConfig),
    metadata: metadata ? plain(metadata) : null,
    created_at: snapshot.createdAt ?? null,
  };
}

/** The id of the thread's latest checkpoint, or null for a thread that never ran. */
export async function latestCheckpointId(
  saver: BaseCheckpointSaver,
  threadId: string,
): Promise<string | null> {
  const tuple = await saver.getTuple({ configurable: { thread_id: threadId, checkpoint_ns: '' } });
  return (tuple?.config.configurable?.checkpoint_id as string | undefined) ?? null;
}
