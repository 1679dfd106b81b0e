import type { TupleRow } from '../tuple.js';

/** A user found on an object's relation: `type:id`, `type:*` or `type:id#relation` (relation ''). */
export interface UserColumns {
  readonly userType: string;
  readonly userId: string;
  readonly userRelation: string;
}

/** Optional filter for reading tuples back (any field left out matches everything). */
export interface TupleFilter {
  objectType?: string | undefined;
  objectId?: string | undefined;
  relation?: string | undefined;
  userType?: string | undefined;
  userId?: string | undefined;
  userRelation?: string | undefined;
}

/**
 * Where tuples live. Reads may answer synchronously (SQLite prepared statements) or with a promise
 * (PostgreSQL); the engine awaits either.
 */
export interface TupleStore {
  /** Whether exactly this tuple is stored. */
  has(row: TupleRow): boolean | Promise<boolean>;
  /** Userset users (`type:id#relation`) on `object#relation`. */
  usersets(objectType: string, objectId: string, relation: string): UserColumns[] | Promise<UserColumns[]>;
  /** Plain users (`type:id`, not wildcards or usersets) on `object#relation` (tuple-to-userset parents). */
  plainUsers(objectType: string, objectId: string, relation: string): UserColumns[] | Promise<UserColumns[]>;
  /** Ids of objects of `objectType` on whose `relation` the given user is written. */
  objectIds(
    userType: string,
    userId: string,
    userRelation: string,
    objectType: string,
    relation: string,
  ): string[] | Promise<string[]>;
  /** Applies deletes then writes in one transaction; existing writes and missing deletes are no-ops. */
  write(writes: readonly TupleRow[], deletes: readonly TupleRow[]): Promise<void>;
  read(filter: TupleFilter): Promise<TupleRow[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
