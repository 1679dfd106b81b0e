import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteCheckpointer } from '../checkpointer.js';
import { AgentCheckpointSaver } from './saver.js';
import { openCheckpointFile } from './sqlite.js';
import { message, putMessages, textsOf } from './testing/contract.js';
import { describeSaverContract } from './testing/suite.js';

describeSaverContract('SQLite', async () => {
  // As createSqliteCheckpointer opens it (prepared statements reused), in memory.
  const database = openCheckpointFile(':memory:');
  return {
    saver: new AgentCheckpointSaver(database.db, { dialect: 'sqlite' }),
    close: () => database.close(),
  };
});

describe('the SQLite checkpoint file', () => {
  const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'checkpoint-modes-'));
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('stays owner-only, with its WAL and shared-memory files, after checkpoints are written', async () => {
    const dir = join(root, 'data');
    const checkpointer = createSqliteCheckpointer(join(dir, 'checkpoints.db'));
    await putMessages(checkpointer.saver, { configurable: { thread_id: 't' } }, [message.human('secret')]);
    expect(mode(dir)).toBe('700');
    const files = readdirSync(dir);
    expect(files).toEqual(
      expect.arrayContaining(['checkpoints.db', 'checkpoints.db-wal', 'checkpoints.db-shm']),
    );
    for (const f of files) expect([f, mode(join(dir, f))]).toEqual([f, '600']);
    await checkpointer.close();
  });

  it('keeps conversations across a restart', async () => {
    const path = join(root, 'checkpoints.db');
    const first = createSqliteCheckpointer(path);
    await putMessages(first.saver, { configurable: { thread_id: 't' } }, [message.human('remember me')]);
    await first.close();
    const second = createSqliteCheckpointer(path);
    const tuple = await second.saver.getTuple({ configurable: { thread_id: 't' } });
    expect(textsOf(tuple)).toEqual(['remember me']);
    await second.close();
  });
});
