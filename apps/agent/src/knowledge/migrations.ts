import { type Database, type Dialect, migrateToLatest } from '@mcp-langgraph/db';
import { type Generated, type Kysely, type Migration, sql } from 'kysely';
import type { Section } from './sections.js';

/** The index keeps its own history, so its tables evolve apart from the thread and run tables. */
export const KNOWLEDGE_MIGRATION_TABLE = 'agent_knowledge_migrations';

/** Row shapes of the index's tables, as both engines store them. */
export interface KnowledgeDatabase {
  knowledge_documents: {
    source: string;
    sha256: string;
    bytes: number;
    sections: number;
    indexed_at: string;
  };
  knowledge_sections: {
    id: Generated<number>;
    source: string;
    position: number;
    title: string;
    body: string;
  };
}

/** The stored content hash of every indexed document, by source path (the same on both engines). */
export async function documentHashes(db: Kysely<KnowledgeDatabase>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('knowledge_documents').select(['source', 'sha256']).execute();
  return new Map(rows.map((r) => [r.source, r.sha256]));
}

/** The `knowledge_documents` row for a file about to be stored with `sections`. */
export function documentRow(document: { source: string; sha256: string; bytes: number }, sections: number) {
  return {
    source: document.source,
    sha256: document.sha256,
    bytes: document.bytes,
    sections,
    indexed_at: new Date().toISOString(),
  };
}

/** `knowledge_sections` rows `from` to `from + count` of a document, numbered by position. */
export function sectionRows(source: string, sections: readonly Section[], from: number, count: number) {
  return sections
    .slice(from, from + count)
    .map((s, i) => ({ source, position: from + i, title: s.title, body: s.body }));
}

async function createTables(db: Kysely<unknown>, idType: 'integer' | 'bigserial') {
  // One row per file: `source` is unique, so replicas racing over the same file cannot both add it.
  await db.schema
    .createTable('knowledge_documents')
    .addColumn('source', 'varchar(1024)', (c) => c.primaryKey())
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('sections', 'integer', (c) => c.notNull())
    .addColumn('indexed_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('knowledge_sections')
    .addColumn('id', idType, (c) => c.primaryKey())
    .addColumn('source', 'varchar(1024)', (c) =>
      c.notNull().references('knowledge_documents.source').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('knowledge_sections_source')
    .on('knowledge_sections')
    .columns(['source', 'position'])
    .unique()
    .execute();
}

const sqliteMigrations: Record<string, Migration> = {
  '0001_knowledge': {
    async up(db) {
      // `integer primary key` is the rowid, which the FTS5 table refers to.
      await createTables(db, 'integer');
      // An external-content FTS5 table: the text lives once, in knowledge_sections; triggers
      // keep the full-text index in step. Porter stemming: "limits" finds "limit".
      await sql`create virtual table knowledge_fts using fts5(
        title, body,
        content = 'knowledge_sections', content_rowid = 'id',
        tokenize = 'porter unicode61 remove_diacritics 2'
      )`.execute(db);
      await sql`create trigger knowledge_sections_ai after insert on knowledge_sections begin
        insert into knowledge_fts (rowid, title, body) values (new.id, new.title, new.body);
      end`.execute(db);
      await sql`create trigger knowledge_sections_ad after delete on knowledge_sections begin
        insert into knowledge_fts (knowledge_fts, rowid, title, body) values ('delete', old.id, old.title, old.body);
      end`.execute(db);
      await sql`create trigger knowledge_sections_au after update on knowledge_sections begin
        insert into knowledge_fts (knowledge_fts, rowid, title, body) values ('delete', old.id, old.title, old.body);
        insert into knowledge_fts (rowid, title, body) values (new.id, new.title, new.body);
      end`.execute(db);
    },
    async down(db) {
      await sql`drop table knowledge_fts`.execute(db);
      await db.schema.dropTable('knowledge_sections').execute();
      await db.schema.dropTable('knowledge_documents').execute();
    },
  },
};

const postgresMigrations: Record<string, Migration> = {
  '0001_knowledge': {
    async up(db) {
      await createTables(db, 'bigserial');
      // A generated tsvector (headings weigh more than text) with a GIN index; 'english' stems
      // and drops stop words, as the query side does.
      await sql`alter table knowledge_sections add column search tsvector generated always as (
        setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')
      ) stored`.execute(db);
      await sql`create index knowledge_sections_search on knowledge_sections using gin (search)`.execute(db);
    },
    async down(db) {
      await db.schema.dropTable('knowledge_sections').execute();
      await db.schema.dropTable('knowledge_documents').execute();
    },
  },
};

export function knowledgeMigrations(dialect: Dialect): Record<string, Migration> {
  return dialect === 'sqlite' ? sqliteMigrations : postgresMigrations;
}

/** Creates or updates the index's tables in the agent's database (`openStores` calls it). */
export async function migrateKnowledgeIndex<DB>(database: Database<DB>, schema?: string): Promise<void> {
  await migrateToLatest(
    database.db as unknown as Kysely<unknown>,
    knowledgeMigrations(database.dialect),
    KNOWLEDGE_MIGRATION_TABLE,
    database.dialect === 'postgres' ? schema : undefined,
  );
}
