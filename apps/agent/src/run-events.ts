import { EventEmitter } from 'node:events';
import type { RunStore } from './store/runs.js';

/** One stream event of a run as stored: `id` is its number within the run (the SSE id). */
export interface StoredEvent {
  id: number;
  event: string;
  /** The event's data, already serialised. */
  data: string;
}

export interface RunEventsDeps {
  store: RunStore;
  /** How often a reader checks the store for events another replica wrote (the local case is notified). */
  pollMs?: number;
  now?: () => Date;
}

/**
 * A run's stream events: every event is written to the store, so a client can join or resume
 * (`Last-Event-ID`) on any replica, and announced in-process, so a reader on the worker's own
 * replica gets it at once instead of at the next poll.
 */
export function createRunEvents(deps: RunEventsDeps) {
  const pollMs = deps.pollMs ?? 250;
  const now = deps.now ?? (() => new Date());
  const local = new EventEmitter();
  // Every open stream listens; the default limit of 10 is a leak warning, not a bound we want.
  local.setMaxListeners(0);

  function changed(runId: string): void {
    local.emit(runId);
  }

  /** Resolves at the next local event of the run, after `pollMs`, or when `signal` aborts. */
  function nextChange(runId: string, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        local.off(runId, done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, pollMs);
      local.on(runId, done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  return {
    changed,

    /** Stores the event as number `id` of the run and tells local readers. */
    async publish(runId: string, id: number, event: string, data: string): Promise<void> {
      await deps.store.appendEvent(runId, id, event, data, now().toISOString());
      changed(runId);
    },

    /**
     * The run's events after `afterId`, as they come, until its `end` event. `isOver` is asked
     * when nothing new arrived: a run that is gone or finished without an `end` stops the reader.
     */
    async *read(
      runId: string,
      afterId: number,
      isOver: () => Promise<boolean>,
      signal?: AbortSignal,
    ): AsyncGenerator<StoredEvent> {
      let cursor = afterId;
      // Once the run is over its `end` follows at once; a few more looks find it, then the reader stops.
      let lastLooks = 3;
      while (!signal?.aborted && lastLooks > 0) {
        const batch = await deps.store.eventsAfter(runId, cursor);
        for (const row of batch) {
          cursor = row.seq;
          yield { id: row.seq, event: row.event, data: row.data };
          if (row.event === 'end') return;
        }
        if (batch.length > 0) continue;
        const waited = nextChange(runId, signal);
        if (await isOver()) lastLooks--;
        await waited;
      }
    },

    /** Resolves once `isOver` says so, checking at every local change or poll. */
    async waitFor(runId: string, isOver: () => Promise<boolean>, signal?: AbortSignal): Promise<void> {
      while (!signal?.aborted) {
        const waited = nextChange(runId, signal);
        if (await isOver()) return;
        await waited;
      }
    },
  };
}

export type RunEvents = ReturnType<typeof createRunEvents>;
