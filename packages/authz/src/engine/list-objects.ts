import type { AuthorizationModel, ParentEdge } from '../model-loader.js';
import type { Subject } from '../tuple.js';
import type { CheckEvaluator } from './check.js';
import type { TupleReader } from './reader.js';

/** Objects (`edge.type:id`) newly proven to have `edge.relation`, moved through the graph together. */
interface Batch {
  readonly edge: ParentEdge;
  readonly ids: readonly string[];
}

/**
 * Lists the ids of objects of `type` on which `user` has `relation`, walking upwards from the user:
 * tuples naming the user give its first memberships (`type:id#relation`), and each membership leads
 * to others through computed relations, tuple-to-userset parents and userset tuples. Only relations
 * that can contribute to the requested one are visited. A membership reached through an intersection
 * or an exclusion is confirmed with a check before it counts, so the answer equals checking every
 * object, and cycles cannot loop because each membership is visited once.
 */
export async function listObjectIds(
  model: AuthorizationModel,
  reader: TupleReader,
  checker: CheckEvaluator,
  type: string,
  relation: string,
  user: Subject,
): Promise<string[]> {
  const wanted = model.contributors(type, relation);
  const target = `${type}#${relation}`;
  const seen = new Map<string, Set<string>>();
  const queue: Batch[] = [];
  const found: string[] = [];

  // Memberships travel in batches, so a user with thousands of objects costs a few set inserts per
  // object and no per-object promise; only conditional edges (intersection, exclusion) await checks.
  const consider = async (edge: ParentEdge, candidates: readonly string[]) => {
    let ids = seen.get(edge.key);
    if (!ids) {
      ids = new Set();
      seen.set(edge.key, ids);
    }
    const fresh: string[] = [];
    for (const id of candidates) {
      if (ids.has(id)) continue;
      ids.add(id);
      if (!edge.conditional || (await checker.check(edge.type, id, edge.relation, user))) fresh.push(id);
    }
    if (fresh.length === 0) return;
    queue.push({ edge, ids: fresh });
    if (edge.key === target) for (const id of fresh) found.push(id);
  };
  const fromTuples = async (
    edges: readonly ParentEdge[],
    userType: string,
    userId: string,
    userRel: string,
  ) => {
    for (const edge of edges) {
      if (!wanted.has(edge.key)) continue;
      await consider(edge, await reader.objectIds(userType, userId, userRel, edge.type, edge.relation));
    }
  };

  if (user.relation !== '') {
    // A userset is a member of itself (as in check): the walk starts from it like from any membership.
    const key = `${user.type}#${user.relation}`;
    await consider({ type: user.type, relation: user.relation, conditional: false, key }, [user.id]);
  } else {
    if (user.id !== '*') await fromTuples(model.directParents(user.type, false), user.type, user.id, '');
    await fromTuples(model.directParents(user.type, true), user.type, '*', '');
  }

  for (let i = 0; i < queue.length; i++) {
    const { edge: from, ids } = queue[i]!;
    const parents = model.parents(from.type, from.relation);
    for (const edge of parents.computed) {
      if (wanted.has(edge.key)) await consider(edge, ids);
    }
    for (const edge of parents.ttu) {
      if (!wanted.has(edge.key)) continue;
      for (const id of ids) {
        await consider(edge, await reader.objectIds(from.type, id, '', edge.type, edge.tupleset ?? ''));
      }
    }
    if (parents.userset.length > 0) {
      for (const id of ids) await fromTuples(parents.userset, from.type, id, from.relation);
    }
  }
  return found;
}
