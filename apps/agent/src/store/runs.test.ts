import { createDatabase, migrateToLatest } from '@mcp-langgraph/db';
import type { Kysely } from 'kysely';
import { MIGRATION_TABLE, migrations } from './migrations.js';
import { createRunStore, type NewRun, type RunKwargs } from './runs.js';
import { type AgentDatabase, createThreadStore } from './threads.js';

const kwargs: RunKwargs = {
  input: null,
  command: null,
  config: {},
  context: null,
  stream_mode: ['values'],
  subgraphs: false,
  resumable: false,
  interrupt_before: null,
  interrupt_after: null,
  temporary: false,
  checkpoint_id: null,
};

describe('run store: queueing, taking and leasing runs', () => {
  const database = createDatabase<AgentDatabase>({ sqlitePath: ':memory:' });
  const runs = createRunStore(database.db, 'sqlite');
  const threads = createThreadStore(database.db);
  let n = 0;
  const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
  const newRun = (threadId: string, strategy: NewRun['multitaskStrategy'] = 'enqueue'): NewRun => ({
    runId: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    threadId,
    assistantId: 'a',
    metadata: {},
    kwargs,
    multitaskStrategy: strategy,
    createdAt: at(n),
  });
  const queue = async (run: NewRun, max = 8) => {
    const r = await runs.enqueue(run, max, {});
    if ('refused' in r) throw new Error(r.refused);
    return r.run;
  };

  beforeAll(async () => {
    await migrateToLatest(database.db as unknown as Kysely<unknown>, migrations, MIGRATION_TABLE);
    for (const id of ['t1', 't2'])
      await threads.create(
        {
          threadId: id,
          owner: 'user:a',
          title: null,
          metadata: {},
          createdAt: at(0),
          updatedAt: at(0),
          status: 'idle',
        },
        async () => {},
      );
  });
  afterAll(() => database.close());

  it('takes the oldest run of each thread, one per thread at a time, and the next once it finished', async () => {
    const a1 = await queue(newRun('t1'));
    const a2 = await queue(newRun('t1'));
    const b1 = await queue(newRun('t2'));
    expect((await threads.get('t1'))?.status).toBe('busy');
    const first = await runs.claim('w1', at(100), at(200));
    const second = await runs.claim('w2', at(100), at(200));
    expect([first?.runId, second?.runId]).toEqual([a1.runId, b1.runId]);
    // t1's second run waits for its first; t2 has nothing more.
    expect(await runs.claim('w1', at(100), at(200))).toBeUndefined();
    expect(await runs.finish(first!, 'w2', { status: 'success', thread: 'idle', at: at(110) })).toBe(false);
    expect(await runs.finish(first!, 'w1', { status: 'success', thread: 'idle', at: at(110) })).toBe(true);
    // The thread stays busy while a run is queued on it.
    expect((await threads.get('t1'))?.status).toBe('busy');
    expect((await runs.claim('w1', at(120), at(220)))?.runId).toBe(a2.runId);
    await runs.finish((await runs.get(a2.runId))!, 'w1', {
      status: 'success',
      thread: 'interrupted',
      at: at(130),
    });
    expect((await threads.get('t1'))?.status).toBe('interrupted');
    await runs.finish(second!, 'w2', { status: 'error', thread: 'error', error: 'run_failed', at: at(130) });
    expect((await threads.get('t2'))?.status).toBe('error');
  });

  it('gives a run whose lease lapsed to another worker, and the old worker learns it lost it', async () => {
    const run = await queue(newRun('t1'));
    const taken = await runs.claim('w1', at(1000), at(1100));
    expect(taken?.attempt).toBe(1);
    expect(await runs.heartbeat(run.runId, 'w1', at(1200))).toEqual({ lost: false, cancel: null });
    // Still leased at 1150: nobody else may take it.
    expect(await runs.claim('w2', at(1150), at(1250))).toBeUndefined();
    const again = await runs.claim('w2', at(1300), at(1400));
    expect([again?.runId, again?.attempt, again?.worker]).toEqual([run.runId, 2, 'w2']);
    expect((await runs.heartbeat(run.runId, 'w1', at(1500))).lost).toBe(true);
    await runs.cancel(run.runId, 'interrupt', at(1310));
    expect(await runs.heartbeat(run.runId, 'w2', at(1500))).toEqual({ lost: false, cancel: 'interrupt' });
    await runs.finish(again!, 'w2', { status: 'interrupted', thread: 'idle', at: at(1320) });
  });

  it('refuses a run under reject while another is active, and any run beyond the queue', async () => {
    await queue(newRun('t2'));
    expect(await runs.enqueue(newRun('t2', 'reject'), 8, {})).toMatchObject({ refused: 'inflight' });
    expect(await runs.enqueue(newRun('t2', 'enqueue'), 1, {})).toMatchObject({ refused: 'queue_full' });
  });

  it('cancels a pending run at once: interrupted, or gone with rollback', async () => {
    const kept = await queue(newRun('t2'));
    const dropped = await queue(newRun('t2'));
    await runs.cancel(kept.runId, 'interrupt', at(2000));
    await runs.cancel(dropped.runId, 'rollback', at(2000));
    expect((await runs.get(kept.runId))?.status).toBe('interrupted');
    expect(await runs.get(dropped.runId)).toBeUndefined();
  });

  it('keeps the events of active runs and purges those of finished runs once old enough', async () => {
    const active = (await runs.active('t2'))[0]!;
    const done = (await runs.list('t1', 1, 0))[0]!;
    await runs.appendEvent(active.runId, 1, 'metadata', '{}', at(0));
    await runs.appendEvent(done.runId, 1, 'metadata', '{}', at(0));
    await runs.appendEvent(done.runId, 2, 'end', 'null', at(5000));
    expect(await runs.purgeEvents(at(4000))).toBe(1);
    expect((await runs.eventsAfter(done.runId, 0)).map((e) => e.event)).toEqual(['end']);
    expect(await runs.eventsAfter(active.runId, 0)).toHaveLength(1);
    expect(await runs.lastSeq(done.runId)).toBe(2);
  });
});
