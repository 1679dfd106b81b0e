import type { AuthorizationModel, ParentEdge } from '../model-loader.js';
import type { Subject } from '../tuple.js';
import type { CheckEvaluator } from './check.js';
import type { TupleReader } from './reader.js';

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
  const seen = new Set<string>();
  const queue: Array<{ type: string; id: string; relation: string }> = [];
  const found: string[] = [];

  const consider = async (edge: ParentEdge, ids: readonly string[]) => {
    for (const id of ids) {
      const key = `${edge.type}:${id}#${edge.relation}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (edge.conditional && !(await checker.check(edge.type, id, edge.relation, user))) continue;
      queue.push({ type: edge.type, id, relation: edge.relation });
      if (edge.type === type && edge.relation === relation) found.push(id);
    }
  };
  const fromTuples = async (
    edges: readonly ParentEdge[],
    userType: string,
    userId: string,
    userRel: string,
  ) => {
    for (const edge of edges) {
      if (!wanted.has(`${edge.type}#${edge.relation}`)) continue;
      await consider(edge, await reader.objectIds(userType, userId, userRel, edge.type, edge.relation));
    }
  };

  if (user.relation !== '') {
    await fromTuples(model.usersetParents(user.type, user.relation), user.type, user.id, user.relation);
  } else {
    if (user.id !== '*') await fromTuples(model.directParents(user.type, false), user.type, user.id, '');
    await fromTuples(model.directParents(user.type, true), user.type, '*', '');
  }

  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    for (const edge of model.computedParents(node.type, node.relation)) {
      if (wanted.has(`${edge.type}#${edge.relation}`)) await consider(edge, [node.id]);
    }
    for (const edge of model.ttuParents(node.type, node.relation)) {
      if (!wanted.has(`${edge.type}#${edge.relation}`)) continue;
      await consider(edge, await reader.objectIds(node.type, node.id, '', edge.type, edge.tupleset ?? ''));
    }
    await fromTuples(model.usersetParents(node.type, node.relation), node.type, node.id, node.relation);
  }
  return found;
}
