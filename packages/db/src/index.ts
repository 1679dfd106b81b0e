export { createDatabase, type Database, type DatabaseOptions, type Dialect } from './database.js';
export { migrateToLatest } from './migrate.js';
export { openSqlite, secureSqlitePath } from './sqlite.js';
