export {
  DEFAULT_SEARCH_LIMIT,
  type KnowledgeHit,
  type KnowledgeIndex,
  type KnowledgeLogger,
  type KnowledgeStats,
  KnowledgeUnavailableError,
  MAX_DOCUMENT_BYTES,
  MAX_SEARCH_LIMIT,
  MAX_SNIPPET_CHARS,
  type SkippedDocument,
  type SyncReport,
} from './knowledge-index.js';
export { KNOWLEDGE_MIGRATION_TABLE, knowledgeMigrations, migrateKnowledgeIndex } from './migrations.js';
export { type KnowledgeSync, openKnowledgeIndex, startKnowledgeSync } from './open.js';
export { createPostgresKnowledgeIndex } from './postgres-index.js';
export { createSqliteKnowledgeIndex } from './sqlite-index.js';
export type { KnowledgeIndexOptions } from './sync.js';
