import { randomUUID } from 'node:crypto';
import { describeWithPostgres, TEST_DATABASE_URL } from '@mcp-langgraph/db/testing';
import { createPostgresThreadLock, type PostgresThreadLock } from './thread-lock.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeWithPostgres('thread lock across replicas (PostgreSQL advisory locks)', () => {
  let replicaA: PostgresThreadLock;
  let replicaB: PostgresThreadLock;
  beforeAll(() => {
    replicaA = createPostgresThreadLock({ url: TEST_DATABASE_URL, poolSize: 4 });
    replicaB = createPostgresThreadLock({ url: TEST_DATABASE_URL, poolSize: 4 });
  });
  afterAll(async () => {
    await replicaA.close();
    await replicaB.close();
  });

  async function timed(lock: PostgresThreadLock, thread: string, ms: number) {
    return lock.lock(thread, async () => {
      const start = Date.now();
      await sleep(ms);
      return { start, end: Date.now() };
    });
  }

  it('never lets two replicas run the same thread at once', async () => {
    const thread = randomUUID();
    const [a, b] = await Promise.all([timed(replicaA, thread, 200), timed(replicaB, thread, 200)]);
    const [first, second] = a.start <= b.start ? [a, b] : [b, a];
    expect(second.start).toBeGreaterThanOrEqual(first.end);
  });

  it('lets different threads run side by side', async () => {
    const [a, b] = await Promise.all([
      timed(replicaA, randomUUID(), 400),
      timed(replicaB, randomUUID(), 400),
    ]);
    const [first, second] = a.start <= b.start ? [a, b] : [b, a];
    expect(second.start).toBeLessThan(first.end);
  });

  it('releases the lock when a run fails', async () => {
    const thread = randomUUID();
    await expect(
      replicaA.lock(thread, async () => {
        throw new Error('model unavailable');
      }),
    ).rejects.toThrow('model unavailable');
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([
      replicaB.lock(thread, async () => 'ran'),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve('still locked'), 5000);
      }),
    ]);
    clearTimeout(timer);
    expect(r).toBe('ran');
  });
});
