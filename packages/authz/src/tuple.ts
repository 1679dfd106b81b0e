import type { TupleKey } from './authorizer.js';
import { AuthzError } from './errors.js';

/** A user as stored: `type:id`, `type:*` (id `*`) or `type:id#relation`. `relation` is '' for the first two. */
export interface Subject {
  readonly type: string;
  readonly id: string;
  readonly relation: string;
}

export interface ObjectRef {
  readonly type: string;
  readonly id: string;
}

/** A tuple split into columns, as the stores keep it. */
export interface TupleRow {
  readonly objectType: string;
  readonly objectId: string;
  readonly relation: string;
  readonly userType: string;
  readonly userId: string;
  readonly userRelation: string;
}

const NAME = /^[^:#@\s*]{1,254}$/;
const ID = /^[^:#\s]{1,256}$/;

export function parseObject(value: string): ObjectRef | undefined {
  const colon = value.indexOf(':');
  if (colon === -1) return undefined;
  const type = value.slice(0, colon);
  const id = value.slice(colon + 1);
  if (!NAME.test(type) || !ID.test(id) || id === '*') return undefined;
  return { type, id };
}

export function parseSubject(value: string): Subject | undefined {
  const hash = value.indexOf('#');
  const relation = hash === -1 ? '' : value.slice(hash + 1);
  const head = hash === -1 ? value : value.slice(0, hash);
  const colon = head.indexOf(':');
  if (colon === -1) return undefined;
  const type = head.slice(0, colon);
  const id = head.slice(colon + 1);
  if (!NAME.test(type) || !ID.test(id)) return undefined;
  if (hash !== -1 && (!NAME.test(relation) || id === '*')) return undefined;
  return { type, id, relation };
}

export function formatSubject(s: Subject): string {
  return s.relation ? `${s.type}:${s.id}#${s.relation}` : `${s.type}:${s.id}`;
}

/** Splits a tuple into columns, or throws `invalid_tuple` naming what is malformed. */
export function toRow(key: TupleKey): TupleRow {
  const object = parseObject(key.object);
  if (!object) throw new AuthzError('invalid_tuple', `invalid object '${key.object}'`);
  if (!NAME.test(key.relation)) throw new AuthzError('invalid_tuple', `invalid relation '${key.relation}'`);
  const user = parseSubject(key.user);
  if (!user) throw new AuthzError('invalid_tuple', `invalid user '${key.user}'`);
  return {
    objectType: object.type,
    objectId: object.id,
    relation: key.relation,
    userType: user.type,
    userId: user.id,
    userRelation: user.relation,
  };
}

export function fromRow(row: TupleRow): TupleKey {
  return {
    object: `${row.objectType}:${row.objectId}`,
    relation: row.relation,
    user: formatSubject({ type: row.userType, id: row.userId, relation: row.userRelation }),
  };
}

export function rowKey(row: TupleRow): string {
  return `${row.objectType}:${row.objectId}#${row.relation}@${row.userType}:${row.userId}#${row.userRelation}`;
}
