import { type Kysely, sql } from 'kysely';
import type { KnowledgeHit, KnowledgeIndex } from './knowledge-index.js';
import { documentHashes, documentRow, type KnowledgeDatabase, sectionRows } from './migrations.js';
import { websearchQuery } from './query-terms.js';
import { createKnowledgeIndex, type KnowledgeIndexOptions, type SectionStore } from './sync.js';

/** Rows per insert statement (four parameters each, far below PostgreSQL's 65535). */
const INSERT_BATCH = 500;
/**
 * `ts_headline` options: plain-text markers (its default is `<b>`), two short fragments. The
 * headline is computed for the returned rows only, never for every match.
 */
const HEADLINE =
  'StartSel="**", StopSel="**", MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "';
/** `ts_rank` normalisation 1: divide by 1 + log(length), so long sections do not win by size alone. */
const RANK_NORMALISATION = 1;

/**
 * Sections with a generated `tsvector` (GIN-indexed), queried with `websearch_to_tsquery`, ranked
 * by `ts_rank`, snippets by `ts_headline`. Several replicas may sync at once: a document's row is
 * locked (`for update`) for the length of its transaction, so the second replica waits, sees the
 * new hash and writes nothing.
 */
export function createPostgresSectionStore(db: Kysely<KnowledgeDatabase>): SectionStore {
  return {
    kind: 'postgres',
    hashes: () => documentHashes(db),
    async put(document, sections) {
      return db.transaction().execute(async (trx) => {
        // The row exists (a placeholder when new) before it is locked, so racing inserts meet at
        // the primary key instead of both passing an empty lookup.
        await trx
          .insertInto('knowledge_documents')
          .values({ ...documentRow(document, 0), sha256: '' })
          .onConflict((oc) => oc.column('source').doNothing())
          .execute();
        const stored = await trx
          .selectFrom('knowledge_documents')
          .select('sha256')
          .where('source', '=', document.source)
          .forUpdate()
          .executeTakeFirstOrThrow();
        if (stored.sha256 === document.sha256) return false;
        await trx.deleteFrom('knowledge_sections').where('source', '=', document.source).execute();
        for (let i = 0; i < sections.length; i += INSERT_BATCH) {
          await trx
            .insertInto('knowledge_sections')
            .values(sectionRows(document.source, sections, i, INSERT_BATCH))
            .execute();
        }
        const row = documentRow(document, sections.length);
        await trx
          .updateTable('knowledge_documents')
          .set({ sha256: row.sha256, bytes: row.bytes, sections: row.sections, indexed_at: row.indexed_at })
          .where('source', '=', document.source)
          .execute();
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
      const query = websearchQuery(phrases);
      if (query === undefined) return [];
      const { rows } = await sql<KnowledgeHit>`
        with q as (select websearch_to_tsquery('english', ${query}) as query),
        top as (
          select s.source, s.position, s.title, s.body, ts_rank(s.search, q.query, ${sql.lit(RANK_NORMALISATION)}) as score
          from knowledge_sections s, q
          where s.search @@ q.query
          order by score desc, s.source, s.position
          limit ${limit}
        )
        select top.source, top.title, ts_headline('english', top.body, q.query, ${HEADLINE}) as snippet,
          top.score
        from top, q
        order by top.score desc, top.source, top.position`.execute(db);
      return rows.map((r) => ({ ...r, score: Number(r.score) }));
    },
    async stats() {
      const { rows } = await sql<{ documents: string; sections: string }>`
        select (select count(*) from knowledge_documents) as documents,
          (select count(*) from knowledge_sections) as sections`.execute(db);
      return { documents: Number(rows[0]?.documents ?? 0), sections: Number(rows[0]?.sections ?? 0) };
    },
  };
}

export function createPostgresKnowledgeIndex(
  db: Kysely<KnowledgeDatabase>,
  options: KnowledgeIndexOptions,
): KnowledgeIndex {
  return createKnowledgeIndex(createPostgresSectionStore(db), options);
}
