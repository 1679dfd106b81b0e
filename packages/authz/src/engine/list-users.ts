import { AuthzError } from '../errors.js';
import type { AuthorizationModel, RelationDef, Rewrite } from '../model-loader.js';
import type { Subject } from '../tuple.js';
import { type CheckEvaluator, MAX_RESOLUTION_DEPTH } from './check.js';
import type { TupleReader } from './reader.js';

/** A kind of user to return: `{type}` for `type:id` and `type:*`, `{type, relation}` for usersets. */
export interface UserFilter {
  readonly type: string;
  readonly relation?: string | undefined;
}

/**
 * Lists the users of `filters`' kinds that have `relation` on `type:id`: expands the relation downwards
 * (every positive branch, tuples filtered by the model's type restrictions) to collect candidates,
 * then keeps those a check confirms, so intersections, exclusions and cycles answer as check does.
 */
export async function listUserStrings(
  model: AuthorizationModel,
  reader: TupleReader,
  checker: CheckEvaluator,
  type: string,
  id: string,
  relation: string,
  filters: readonly UserFilter[],
): Promise<string[]> {
  const candidates = new Set<string>();
  const visited = new Set<string>();
  const plain = new Set(filters.filter((f) => !f.relation).map((f) => f.type));
  const usersets = new Set(filters.filter((f) => f.relation).map((f) => `${f.type}#${f.relation}`));

  const expand = async (t: string, i: string, r: string, depth: number): Promise<void> => {
    const def = model.relation(t, r);
    if (!def) return;
    if (depth >= MAX_RESOLUTION_DEPTH) {
      throw new AuthzError('resolution_too_complex', 'listing users exceeded the resolution depth limit');
    }
    const key = `${t}:${i}#${r}`;
    if (visited.has(key)) return;
    visited.add(key);
    if (usersets.has(`${t}#${r}`)) candidates.add(key);
    await walk(def.rewrite, def, i, depth);
  };

  const walk = async (node: Rewrite, def: RelationDef, i: string, depth: number): Promise<void> => {
    switch (node.kind) {
      case 'this': {
        for (const userType of def.plainTypes) {
          if (!plain.has(userType)) continue;
          for (const u of await reader.plainUsers(def.type, i, def.name)) {
            if (u.userType === userType) candidates.add(`${u.userType}:${u.userId}`);
          }
        }
        for (const userType of def.wildcardTypes) {
          const row = {
            objectType: def.type,
            objectId: i,
            relation: def.name,
            userType,
            userId: '*',
            userRelation: '',
          };
          if (plain.has(userType) && (await reader.has(row))) candidates.add(`${userType}:*`);
        }
        if (def.usersetTypes.size === 0) return;
        for (const u of await reader.usersets(def.type, i, def.name)) {
          if (def.usersetTypes.has(`${u.userType}#${u.userRelation}`)) {
            await expand(u.userType, u.userId, u.userRelation, depth + 1);
          }
        }
        return;
      }
      case 'computed':
        return expand(def.type, i, node.relation, depth + 1);
      case 'ttu': {
        const tupleset = model.relation(def.type, node.tupleset);
        if (!tupleset) return;
        for (const parent of await reader.plainUsers(def.type, i, node.tupleset)) {
          if (tupleset.plainTypes.has(parent.userType))
            await expand(parent.userType, parent.userId, node.computed, depth + 1);
        }
        return;
      }
      case 'union':
      case 'intersection':
        for (const child of node.children) await walk(child, def, i, depth);
        return;
      case 'difference':
        return walk(node.base, def, i, depth);
    }
  };

  await expand(type, id, relation, 0);
  const users: string[] = [];
  for (const candidate of candidates) {
    const hash = candidate.indexOf('#');
    const head = hash === -1 ? candidate : candidate.slice(0, hash);
    const colon = head.indexOf(':');
    const user: Subject = {
      type: head.slice(0, colon),
      id: head.slice(colon + 1),
      relation: hash === -1 ? '' : candidate.slice(hash + 1),
    };
    if (await checker.check(type, id, relation, user)) users.push(candidate);
  }
  return users;
}
