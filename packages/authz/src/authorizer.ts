/**
 * A relationship tuple: `user` has `relation` on `object`.
 * `user` is `type:id`, `type:*` (public wildcard) or `type:id#relation` (userset);
 * `object` is `type:id`.
 */
export interface TupleKey {
  user: string;
  relation: string;
  object: string;
}

export interface CheckRequest {
  user: string;
  relation: string;
  object: string;
  /** Tuples that hold for this request only; never stored. */
  contextualTuples?: readonly TupleKey[];
}

export interface ListObjectsRequest {
  user: string;
  relation: string;
  /** Object type to list, e.g. `conversation`. */
  type: string;
  contextualTuples?: readonly TupleKey[];
}

/**
 * Decides every access in the system. Two engines implement it with the same answers: the
 * embedded engine (tuples in SQLite or PostgreSQL) and OpenFGA (through `@openfga/sdk`).
 * Implementations fail closed: when a decision cannot be made they throw, and callers deny.
 */
export interface Authorizer {
  check(request: CheckRequest): Promise<boolean>;
  /** Object ids (`type:id`) on which `user` has `relation`. */
  listObjects(request: ListObjectsRequest): Promise<string[]>;
  /** Writes and deletes tuples atomically. Writing an existing tuple or deleting a missing one is not an error. */
  write(writes: readonly TupleKey[], deletes?: readonly TupleKey[]): Promise<void>;
  /** Reachability, for `/readyz`. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
