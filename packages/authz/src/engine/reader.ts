import type { TupleStore, UserColumns } from '../store/types.js';
import type { TupleRow } from '../tuple.js';
import { rowKey } from '../tuple.js';

/** The reads the engine needs; a store, or a store seen through a request's contextual tuples. */
export type TupleReader = Pick<TupleStore, 'has' | 'usersets' | 'plainUsers' | 'objectIds'>;

/**
 * Adds a request's contextual tuples to a store's answers without writing them anywhere.
 * Answers stay correct for tuples present in both.
 */
export function withContextualTuples(store: TupleReader, rows: readonly TupleRow[]): TupleReader {
  if (rows.length === 0) return store;
  const keys = new Set(rows.map(rowKey));
  const byObject = new Map<string, TupleRow[]>();
  const byUser = new Map<string, TupleRow[]>();
  for (const row of rows) {
    const o = `${row.objectType}:${row.objectId}#${row.relation}`;
    byObject.set(o, [...(byObject.get(o) ?? []), row]);
    const u = `${row.userType}:${row.userId}#${row.userRelation}@${row.objectType}#${row.relation}`;
    byUser.set(u, [...(byUser.get(u) ?? []), row]);
  }
  const merge = (stored: UserColumns[], extra: UserColumns[]): UserColumns[] => {
    if (extra.length === 0) return stored;
    const seen = new Set(stored.map((u) => `${u.userType}:${u.userId}#${u.userRelation}`));
    return [...stored, ...extra.filter((u) => !seen.has(`${u.userType}:${u.userId}#${u.userRelation}`))];
  };
  return {
    has: (row) => keys.has(rowKey(row)) || store.has(row),
    async usersets(t, id, rel) {
      const extra = (byObject.get(`${t}:${id}#${rel}`) ?? []).filter((r) => r.userRelation !== '');
      return merge(await store.usersets(t, id, rel), extra);
    },
    async plainUsers(t, id, rel) {
      const extra = (byObject.get(`${t}:${id}#${rel}`) ?? []).filter(
        (r) => r.userRelation === '' && r.userId !== '*',
      );
      return merge(await store.plainUsers(t, id, rel), extra);
    },
    async objectIds(ut, uid, urel, ot, rel) {
      const stored = await store.objectIds(ut, uid, urel, ot, rel);
      const extra = (byUser.get(`${ut}:${uid}#${urel}@${ot}#${rel}`) ?? []).map((r) => r.objectId);
      return extra.length === 0 ? stored : [...new Set([...stored, ...extra])];
    },
  };
}
