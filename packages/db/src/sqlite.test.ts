import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from './sqlite.js';

const mode = (p: string) => statSync(p).mode & 0o777;

describe('SQLite files', () => {
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sqlite-modes-'));
    // A permissive umask, as on a developer's machine: the files must be private regardless.
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('are created owner-only, with the folder, WAL and shared-memory files', () => {
    const dir = join(root, '.data');
    const db = openSqlite(join(dir, 'auth.db'));
    db.exec('create table t (x)');
    db.prepare('insert into t values (1)').run();
    expect(mode(dir)).toBe(0o700);
    const files = readdirSync(dir);
    expect(files).toEqual(expect.arrayContaining(['auth.db', 'auth.db-wal', 'auth.db-shm']));
    for (const f of files) expect([f, mode(join(dir, f)).toString(8)]).toEqual([f, '600']);
    db.close();
  });

  it('tighten a world-readable file and folder left by an earlier version', () => {
    const dir = join(root, 'old');
    const path = join(dir, 'agent.db');
    openSqlite(path).close();
    chmodSync(dir, 0o755);
    chmodSync(path, 0o644);
    writeFileSync(`${path}-wal`, '');
    chmodSync(`${path}-wal`, 0o644);
    openSqlite(path).close();
    expect(mode(dir)).toBe(0o700);
    expect(mode(path)).toBe(0o600);
  });
});
