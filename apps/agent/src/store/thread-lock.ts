import pg from 'pg';

/**
 * Runs `task` while holding the thread's lock across every replica. The in-process queue already
 * orders runs on one replica; this keeps two replicas from interleaving steps in one checkpoint
 * history, so the agent needs no sticky routing.
 */
export type ThreadLock = <T>(threadId: string, task: () => Promise<T>) => Promise<T>;

export interface PostgresThreadLock {
  lock: ThreadLock;
  close(): Promise<void>;
}

/**
 * A PostgreSQL session advisory lock per thread (keyed by a 64-bit hash of the thread id), held on
 * a connection of its own for the length of the run. The pool bounds how many runs one replica
 * executes at once; a replica that dies releases its locks with its connections.
 */
export function createPostgresThreadLock(options: { url: string; poolSize?: number }): PostgresThreadLock {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 16 });
  pool.on('error', () => {});
  const key = "hashtextextended('agent-thread:' || $1, 0)";
  const lock: ThreadLock = async (threadId, task) => {
    const client = await pool.connect();
    try {
      await client.query(`select pg_advisory_lock(${key})`, [threadId]);
    } catch (err) {
      client.release(true);
      throw err;
    }
    try {
      return await task();
    } finally {
      try {
        await client.query(`select pg_advisory_unlock(${key})`, [threadId]);
        client.release();
      } catch {
        // The connection may still hold the lock: drop it, which releases the lock, rather than reuse it.
        client.release(true);
      }
    }
  };
  return { lock, close: () => pool.end() };
}
