import type { RunnableConfig } from '@langchain/core/runnables';
import type { BaseCheckpointSaver, StateSnapshot } from '@langchain/langgraph';
import type { ThreadState } from '@mcp-langgraph/protocol';
import type { Checkpointer } from './checkpointer.js';
import { plain } from './messages.js';

/** What the run and thread routes need of the checkpointer beyond the saver itself. */
export interface CheckpointOps {
  saver: BaseCheckpointSaver;
  /** Drops checkpoints a finished run no longer needs (keeps every run's last and the most recent). */
  prune(threadId: string): Promise<void>;
  /** Copies every checkpoint of one thread to another. */
  copyThread(fromThreadId: string, toThreadId: string): Promise<void>;
}

/**
 * The checkpointer's own `prune` and `copyThread` when it has them. Until then, pruning keeps
 * everything and copying replays the thread's checkpoints (oldest first, with their pending
 * writes) into the new thread through the saver's public methods.
 */
export function checkpointOps(checkpointer: Checkpointer): CheckpointOps {
  const own = checkpointer as Partial<Pick<CheckpointOps, 'prune' | 'copyThread'>>;
  const { saver } = checkpointer;
  return {
    saver,
    prune: own.prune ? (threadId) => own.prune!.call(checkpointer, threadId) : async () => {},
    copyThread: own.copyThread
      ? (from, to) => own.copyThread!.call(checkpointer, from, to)
      : async (from, to) => {
          const tuples = [];
          for await (const t of saver.list({ configurable: { thread_id: from } })) tuples.push(t);
          for (const t of tuples.reverse()) {
            const ns = (t.config.configurable?.checkpoint_ns as string | undefined) ?? '';
            const parentId = t.parentConfig?.configurable?.checkpoint_id as string | undefined;
            const target: RunnableConfig = {
              configurable: {
                thread_id: to,
                checkpoint_ns: ns,
                ...(parentId ? { checkpoint_id: parentId } : {}),
              },
            };
            const versions = t.checkpoint.channel_versions;
            const saved = await saver.put(
              target,
              t.checkpoint,
              t.metadata ?? { source: 'fork', step: -1, parents: {} },
              versions,
            );
            const byTask = new Map<string, Array<[string, unknown]>>();
            for (const [taskId, channel, value] of t.pendingWrites ?? [])
              byTask.set(taskId, [...(byTask.get(taskId) ?? []), [channel, value]]);
            for (const [taskId, writes] of byTask) await saver.putWrites(saved, writes, taskId);
          }
        },
  };
}

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
