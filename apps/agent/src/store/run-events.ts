import type { Kysely } from 'kysely';
import type { AgentDatabase } from './threads.js';

export interface RunEventsTable {
  run_id: string;
  seq: number;
  event: string;
  data: string;
  created_at: string;
}

/**
 * A run's stream events in the agent's database, numbered per run, so a client that reconnects
 * (or joins from another replica) reads what it missed.
 */
export function runEventMethods(db: Kysely<AgentDatabase>, active: readonly string[]) {
  return {
    /** Appends one stream event of a run; `seq` numbers them from 1 per run. */
    async appendEvent(runId: string, seq: number, event: string, data: string, at: string): Promise<void> {
      await db
        .insertInto('agent_run_events')
        .values({ run_id: runId, seq, event, data, created_at: at })
        .execute();
    },

    /** The run's events after `seq`, in order. */
    async eventsAfter(runId: string, seq: number, limit = 500): Promise<RunEventsTable[]> {
      return db
        .selectFrom('agent_run_events')
        .selectAll()
        .where('run_id', '=', runId)
        .where('seq', '>', seq)
        .orderBy('seq')
        .limit(limit)
        .execute();
    },

    /** The data of the run's latest event named `event`, if it wrote one. */
    async lastEvent(runId: string, event: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('agent_run_events')
        .select('data')
        .where('run_id', '=', runId)
        .where('event', '=', event)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row?.data;
    },

    /** The highest event number a run has written (0 for none). */
    async lastSeq(runId: string): Promise<number> {
      const row = await db
        .selectFrom('agent_run_events')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('run_id', '=', runId)
        .executeTakeFirst();
      return Number(row?.seq ?? 0);
    },

    /** Drops the events of runs that are no longer active and were written before `before`. */
    async purgeEvents(before: string): Promise<number> {
      const r = await db
        .deleteFrom('agent_run_events')
        .where('created_at', '<', before)
        .where('run_id', 'not in', db.selectFrom('agent_runs').select('run_id').where('status', 'in', active))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
