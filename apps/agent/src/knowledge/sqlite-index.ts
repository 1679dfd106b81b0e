import { type Kysely, sql } from 'kysely';
import type { KnowledgeHit, KnowledgeIndex } from './knowledge-index.js';
import { documentHashes, documentRow, type KnowledgeDatabase, sectionRows } from './migrations.js';
import { fts5Match } from './query-terms.js';
import { createKnowledgeIndex, type KnowledgeIndexOptions, type SectionStore } from './sync.js';

/** Rows per insert statement, well below SQLite's bound-parameter limit. */
const INSERT_BATCH = 200;
/** bm25 weights of the FTS5 columns (title, body): a heading that matches counts four times. */
const TITLE_WEIGHT = 4;
const BODY_WEIGHT = 1;
/** Tokens of context `snippet()` returns around the matches. */
const SNIPPET_TOKENS = 40;

/** Sections in an FTS5 table (`knowledge_fts`), ranked by `bm25()`, snippets by `snippet()`. */
export function createSqliteSectionStore(db: Kysely<KnowledgeDatabase>): SectionStore {
  return {
    kind: 'sqlite',
    hashes: () => documentHashes(db),
    async put(document, sections) {
      return db.transaction().execute(async (trx) => {
        const stored = await trx
          .selectFrom('knowledge_documents')
          .select('sha256')
          .where('source', '=', document.source)
          .executeTakeFirst();
        if (stored?.sha256 === document.sha256) return false;
        // Deleting through the table fires the trigger that takes each row out of the FTS index.
        await trx.deleteFrom('knowledge_sections').where('source', '=', document.source).execute();
        await trx
          .insertInto('knowledge_documents')
          .values(documentRow(document, sections.length))
          .onConflict((oc) =>
            oc.column('source').doUpdateSet((eb) => ({
              sha256: eb.ref('excluded.sha256'),
              bytes: eb.ref('excluded.bytes'),
              sections: eb.ref('excluded.sections'),
              indexed_at: eb.ref('excluded.indexed_at'),
            })),
          )
          .execute();
        for (let i = 0; i < sections.length; i += INSERT_BATCH) {
          await trx
            .insertInto('knowledge_sections')
            .values(sectionRows(document.source, sections, i, INSERT_BATCH))
            .execute();
        }
        return true;
      });
    },
    async remove(source) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('knowledge_sections').where('source', '=', source).execute();
        await trx.deleteFrom('knowledge_documents').where('source', '=', source).execute();
      });
    },
    async search(phrases, limit) {
      const match = fts5Match(phrases);
      if (match === undefined) return [];
      // bm25() is lower-is-better; the hit's score is its negation.
      const { rows } = await sql<KnowledgeHit>`
        select s.source as source, s.title as title,
          snippet(knowledge_fts, 1, '**', '**', ' … ', ${SNIPPET_TOKENS}) as snippet,
          -bm25(knowledge_fts, ${TITLE_WEIGHT}, ${BODY_WEIGHT}) as score
        from knowledge_fts join knowledge_sections s on s.id = knowledge_fts.rowid
        where knowledge_fts match ${match}
        order by bm25(knowledge_fts, ${TITLE_WEIGHT}, ${BODY_WEIGHT}), s.source, s.position
        limit ${limit}`.execute(db);
      return rows;
    },
    async stats() {
      const documents = await db
        .selectFrom('knowledge_documents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const sections = await db
        .selectFrom('knowledge_sections')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return { documents: Number(documents.n), sections: Number(sections.n) };
    },
  };
}

export function createSqliteKnowledgeIndex(
  db: Kysely<KnowledgeDatabase>,
  options: KnowledgeIndexOptions,
): KnowledgeIndex {
  return createKnowledgeIndex(createSqliteSectionStore(db), options);
}
