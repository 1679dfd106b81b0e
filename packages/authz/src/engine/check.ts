import { AuthzError } from '../errors.js';
import type { AuthorizationModel, RelationDef, Rewrite } from '../model-loader.js';
import type { Subject } from '../tuple.js';
import type { TupleReader } from './reader.js';

/** Longest chain of dispatches a check may follow, as in OpenFGA (`resolveNodeLimit`). */
export const MAX_RESOLUTION_DEPTH = 25;

/**
 * `cycle` marks a negative answer reached only because evaluation came back to a node it was already
 * resolving. OpenFGA answers such checks with "not allowed" even under `but not`, and so do we.
 */
interface Outcome {
  readonly allowed: boolean;
  readonly cycle: boolean;
}

const ALLOWED: Outcome = { allowed: true, cycle: false };
const DENIED: Outcome = { allowed: false, cycle: false };
const CYCLE: Outcome = { allowed: false, cycle: true };

/** Folds the outcomes of `or`-ed branches: any allowed wins; otherwise the first error, if any, is thrown. */
class AnyOf {
  private cycle = false;
  private error: unknown;
  private failed = false;
  add(outcome: Outcome): boolean {
    if (outcome.cycle) this.cycle = true;
    return outcome.allowed;
  }
  fail(err: unknown): void {
    if (!this.failed) this.error = err;
    this.failed = true;
  }
  result(): Outcome {
    if (this.failed) throw this.error;
    return this.cycle ? CYCLE : DENIED;
  }
}

/**
 * Evaluates checks over a model and a tuple reader, following OpenFGA's semantics: tuples that no longer
 * match the model's type restrictions are ignored, cycles answer "not allowed", and a resolution
 * deeper than {@link MAX_RESOLUTION_DEPTH} throws `resolution_too_complex` instead of guessing.
 */
export class CheckEvaluator {
  constructor(
    private readonly model: AuthorizationModel,
    private readonly reader: TupleReader,
  ) {}

  async check(type: string, id: string, relation: string, user: Subject): Promise<boolean> {
    const outcome = await this.resolve(type, id, relation, user, 0, new Set());
    return outcome.allowed;
  }

  private async resolve(
    type: string,
    id: string,
    relation: string,
    user: Subject,
    depth: number,
    path: Set<string>,
  ): Promise<Outcome> {
    const def = this.model.relation(type, relation);
    if (!def) return DENIED;
    if (depth >= MAX_RESOLUTION_DEPTH) {
      throw new AuthzError(
        'resolution_too_complex',
        'authorization check exceeded the resolution depth limit',
      );
    }
    const key = `${type}:${id}#${relation}`;
    if (path.has(key)) return CYCLE;
    // A userset is always a member of itself: document:1#viewer has viewer on document:1.
    if (user.relation === relation && user.id === id && user.type === type) return ALLOWED;
    path.add(key);
    try {
      return await this.evaluate(def.rewrite, def, id, user, depth, path);
    } finally {
      path.delete(key);
    }
  }

  private async evaluate(
    node: Rewrite,
    def: RelationDef,
    id: string,
    user: Subject,
    depth: number,
    path: Set<string>,
  ): Promise<Outcome> {
    switch (node.kind) {
      case 'this':
        return this.direct(def, id, user, depth, path);
      case 'computed':
        return this.resolve(def.type, id, node.relation, user, depth + 1, path);
      case 'ttu':
        return this.tupleToUserset(def, id, node.tupleset, node.computed, user, depth, path);
      case 'union': {
        const any = new AnyOf();
        for (const child of node.children) {
          try {
            if (any.add(await this.evaluate(child, def, id, user, depth, path))) return ALLOWED;
          } catch (err) {
            any.fail(err);
          }
        }
        return any.result();
      }
      case 'intersection': {
        let cycle = false;
        let error: unknown;
        let failed = false;
        for (const child of node.children) {
          try {
            const outcome = await this.evaluate(child, def, id, user, depth, path);
            if (!outcome.allowed) {
              if (!outcome.cycle) return DENIED;
              cycle = true;
            }
          } catch (err) {
            if (!failed) error = err;
            failed = true;
          }
        }
        if (cycle) return CYCLE;
        if (failed) throw error;
        return ALLOWED;
      }
      case 'difference': {
        let base: Outcome;
        try {
          base = await this.evaluate(node.base, def, id, user, depth, path);
        } catch (err) {
          // A failed base is still a denial when the subtracted side certainly holds.
          const subtract = await this.evaluate(node.subtract, def, id, user, depth, path).catch(() => DENIED);
          if (subtract.allowed) return DENIED;
          if (subtract.cycle) return CYCLE;
          throw err;
        }
        if (!base.allowed) return base;
        const subtract = await this.evaluate(node.subtract, def, id, user, depth, path);
        if (subtract.allowed) return DENIED;
        return subtract.cycle ? CYCLE : ALLOWED;
      }
    }
  }

  private async direct(
    def: RelationDef,
    id: string,
    user: Subject,
    depth: number,
    path: Set<string>,
  ): Promise<Outcome> {
    const row = {
      objectType: def.type,
      objectId: id,
      relation: def.name,
      userType: user.type,
      userId: user.id,
      userRelation: user.relation,
    };
    if (user.relation === '') {
      if (user.id === '*') {
        if (def.wildcardTypes.has(user.type) && (await this.reader.has(row))) return ALLOWED;
      } else {
        if (def.plainTypes.has(user.type) && (await this.reader.has(row))) return ALLOWED;
        if (def.wildcardTypes.has(user.type) && (await this.reader.has({ ...row, userId: '*' })))
          return ALLOWED;
      }
    } else if (def.usersetTypes.has(`${user.type}#${user.relation}`) && (await this.reader.has(row))) {
      return ALLOWED;
    }
    if (def.usersetTypes.size === 0) return DENIED;
    const any = new AnyOf();
    for (const u of await this.reader.usersets(def.type, id, def.name)) {
      if (!def.usersetTypes.has(`${u.userType}#${u.userRelation}`)) continue;
      try {
        const outcome = await this.resolve(u.userType, u.userId, u.userRelation, user, depth + 1, path);
        if (any.add(outcome)) return ALLOWED;
      } catch (err) {
        any.fail(err);
      }
    }
    return any.result();
  }

  private async tupleToUserset(
    def: RelationDef,
    id: string,
    tupleset: string,
    computed: string,
    user: Subject,
    depth: number,
    path: Set<string>,
  ): Promise<Outcome> {
    const tuplesetDef = this.model.relation(def.type, tupleset);
    if (!tuplesetDef) return DENIED;
    const any = new AnyOf();
    for (const parent of await this.reader.plainUsers(def.type, id, tupleset)) {
      if (!tuplesetDef.plainTypes.has(parent.userType)) continue;
      if (!this.model.relation(parent.userType, computed)) continue;
      try {
        const outcome = await this.resolve(parent.userType, parent.userId, computed, user, depth + 1, path);
        if (any.add(outcome)) return ALLOWED;
      } catch (err) {
        any.fail(err);
      }
    }
    return any.result();
  }
}
