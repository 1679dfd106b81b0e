import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';

/** Owner-only: the data folder holds the signing key, the form secret and the password hashes. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * Makes sure a SQLite file and its folder are readable by this user only, whatever the umask:
 * the folder is created (or tightened) to 0700, the file created 0600 before SQLite opens it, and
 * an existing file with its `-wal` and `-shm` companions tightened to 0600. SQLite creates the
 * companions with the main file's mode, so they follow.
 */
export function secureSqlitePath(path: string): void {
  if (path === ':memory:' || path === '') return;
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  chmodSync(dir, DIR_MODE);
  if (!existsSync(path)) closeSync(openSync(path, 'a', FILE_MODE));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, FILE_MODE);
}

/**
 * Opens a SQLite file the way every store of the platform does: owner-only permissions, WAL (so
 * the edge and the agent can share one file: readers never block the single writer), a busy
 * timeout for that writer, and `synchronous = NORMAL`, which WAL makes safe.
 */
export function openSqlite(path: string, options: { foreignKeys?: boolean } = {}): SQLite.Database {
  secureSqlitePath(path);
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  if (options.foreignKeys) sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  return sqlite;
}
