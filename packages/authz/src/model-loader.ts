import { transformer, validator } from '@openfga/syntax-transformer';
import { AuthzError } from './errors.js';

/** A relation's definition, reduced to what evaluation needs. */
export type Rewrite =
  | { kind: 'this' }
  | { kind: 'computed'; relation: string }
  | { kind: 'ttu'; tupleset: string; computed: string }
  | { kind: 'union'; children: Rewrite[] }
  | { kind: 'intersection'; children: Rewrite[] }
  | { kind: 'difference'; base: Rewrite; subtract: Rewrite };

/** One entry of a relation's type restrictions: `[user]`, `[user:*]`, `[group#member]`. */
export interface RelationReference {
  type: string;
  relation?: string | undefined;
  wildcard?: boolean | undefined;
  condition?: string | undefined;
}

export interface RelationDef {
  readonly type: string;
  readonly name: string;
  readonly rewrite: Rewrite;
  readonly directTypes: readonly RelationReference[];
  /** Types allowed as plain users `type:id`. */
  readonly plainTypes: ReadonlySet<string>;
  /** Types allowed as the public wildcard `type:*`. */
  readonly wildcardTypes: ReadonlySet<string>;
  /** Usersets allowed as users, as `type#relation`. */
  readonly usersetTypes: ReadonlySet<string>;
  /** Whether tuples can be written for this relation (its definition mentions `[...]`). */
  readonly assignable: boolean;
}

/** Where a proven membership `type:id#relation` leads, walking the model upwards (used by list objects). */
export interface ParentEdge {
  readonly type: string;
  readonly relation: string;
  /** Reached through an intersection or an exclusion: the parent must be re-checked. */
  readonly conditional: boolean;
  /** For tuple-to-userset edges: the tupleset relation on `type` that points at the child object. */
  readonly tupleset?: string | undefined;
  /** `type#relation`, precomputed for the hot path. */
  readonly key: string;
}

/** Every way up from a membership in one relation (see {@link AuthorizationModel.parents}). */
export interface RelationParents {
  readonly computed: readonly ParentEdge[];
  readonly ttu: readonly ParentEdge[];
  readonly userset: readonly ParentEdge[];
}

/** A parsed, validated authorization model with indexes for evaluation. */
export interface AuthorizationModel {
  /** The DSL text it was loaded from. */
  readonly dsl: string;
  /** The JSON form OpenFGA's API accepts (`schema_version`, `type_definitions`, `conditions`). */
  readonly json: ModelJson;
  readonly types: ReadonlyMap<string, ReadonlyMap<string, RelationDef>>;
  relation(type: string, relation: string): RelationDef | undefined;
  /** Relations `type#relation` whose membership follows from membership in `childType#childRelation`. */
  computedParents(childType: string, childRelation: string): readonly ParentEdge[];
  /** Tuple-to-userset parents reached from an object of `childType` having `childRelation`. */
  ttuParents(childType: string, childRelation: string): readonly ParentEdge[];
  /** Relations that accept `childType#childRelation` as a userset user. */
  usersetParents(childType: string, childRelation: string): readonly ParentEdge[];
  /** The three parent lists of `type#relation` at once. */
  parents(type: string, relation: string): RelationParents;
  /** Relations that accept a plain user (or the wildcard when `wildcard`) of `userType`. */
  directParents(userType: string, wildcard: boolean): readonly ParentEdge[];
  /** Every `type#relation` whose membership can contribute to `type#relation` (list objects pruning). */
  contributors(type: string, relation: string): ReadonlySet<string>;
  /** Whether any condition is declared (conditions are not evaluated by the embedded engine). */
  readonly hasConditions: boolean;
}

export interface ModelJson {
  schema_version: string;
  type_definitions: unknown[];
  conditions?: Record<string, unknown>;
}

interface JsonUserset {
  this?: object;
  computedUserset?: { relation?: string };
  tupleToUserset?: { tupleset: { relation?: string }; computedUserset: { relation?: string } };
  union?: { child: JsonUserset[] };
  intersection?: { child: JsonUserset[] };
  difference?: { base: JsonUserset; subtract: JsonUserset };
}

interface JsonTypeDefinition {
  type: string;
  relations?: Record<string, JsonUserset>;
  metadata?: {
    relations?: Record<
      string,
      {
        directly_related_user_types?: Array<{
          type: string;
          relation?: string;
          wildcard?: object;
          condition?: string;
        }>;
      }
    >;
  } | null;
}

function toRewrite(u: JsonUserset, where: string): Rewrite {
  if (u.this) return { kind: 'this' };
  if (u.computedUserset) return { kind: 'computed', relation: u.computedUserset.relation ?? '' };
  if (u.tupleToUserset) {
    return {
      kind: 'ttu',
      tupleset: u.tupleToUserset.tupleset.relation ?? '',
      computed: u.tupleToUserset.computedUserset.relation ?? '',
    };
  }
  if (u.union) return { kind: 'union', children: u.union.child.map((c) => toRewrite(c, where)) };
  if (u.intersection) {
    return { kind: 'intersection', children: u.intersection.child.map((c) => toRewrite(c, where)) };
  }
  if (u.difference) {
    return {
      kind: 'difference',
      base: toRewrite(u.difference.base, where),
      subtract: toRewrite(u.difference.subtract, where),
    };
  }
  throw new AuthzError('invalid_model', `unsupported rewrite in ${where}`);
}

function mentionsThis(r: Rewrite): boolean {
  switch (r.kind) {
    case 'this':
      return true;
    case 'union':
    case 'intersection':
      return r.children.some(mentionsThis);
    case 'difference':
      return mentionsThis(r.base) || mentionsThis(r.subtract);
    default:
      return false;
  }
}

/** Calls `visit` for each leaf that can grant the relation, with whether it sits under `and`/`but not`. */
function positiveLeaves(
  r: Rewrite,
  conditional: boolean,
  visit: (leaf: Rewrite, conditional: boolean) => void,
) {
  switch (r.kind) {
    case 'union':
      for (const c of r.children) positiveLeaves(c, conditional, visit);
      return;
    case 'intersection':
      for (const c of r.children) positiveLeaves(c, true, visit);
      return;
    case 'difference':
      positiveLeaves(r.base, true, visit);
      return;
    default:
      visit(r, conditional);
  }
}

function pushEdge(map: Map<string, ParentEdge[]>, key: string, edge: ParentEdge): void {
  const list = map.get(key) ?? [];
  const same = list.findIndex(
    (e) => e.type === edge.type && e.relation === edge.relation && e.tupleset === edge.tupleset,
  );
  if (same === -1) list.push(edge);
  else if (list[same]?.conditional && !edge.conditional) list[same] = edge;
  map.set(key, list);
}

/**
 * Parses an OpenFGA DSL model (schema 1.1) with OpenFGA's own parser and validator and indexes it.
 * Throws `AuthzError('invalid_model')` with the parser's message when the model is not valid.
 */
export function loadModel(dsl: string): AuthorizationModel {
  let json: ModelJson;
  try {
    validator.validateDSL(dsl);
    json = transformer.transformDSLToJSONObject(dsl) as unknown as ModelJson;
  } catch (err) {
    throw new AuthzError('invalid_model', `invalid authorization model: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return compileModel(json, dsl);
}

/**
 * Indexes a model already in OpenFGA's JSON form (as stored by an OpenFGA server). The JSON is trusted to
 * be valid: it must come from {@link loadModel} or from a server that validated it.
 */
export function compileModel(json: ModelJson, dsl = ''): AuthorizationModel {
  if (json.schema_version !== '1.1') {
    throw new AuthzError('invalid_model', `unsupported schema version '${json.schema_version}'`);
  }
  const types = new Map<string, Map<string, RelationDef>>();
  for (const raw of json.type_definitions as JsonTypeDefinition[]) {
    const relations = new Map<string, RelationDef>();
    for (const [name, userset] of Object.entries(raw.relations ?? {})) {
      const refs = (raw.metadata?.relations?.[name]?.directly_related_user_types ?? []).map(
        (r): RelationReference => ({
          type: r.type,
          relation: r.relation || undefined,
          wildcard: r.wildcard ? true : undefined,
          condition: r.condition || undefined,
        }),
      );
      const rewrite = toRewrite(userset, `${raw.type}#${name}`);
      const unconditioned = refs.filter((r) => !r.condition);
      relations.set(name, {
        type: raw.type,
        name,
        rewrite,
        directTypes: refs,
        // A restriction that requires a condition admits no unconditioned tuple; conditions are not evaluated here.
        plainTypes: new Set(unconditioned.filter((r) => !r.relation && !r.wildcard).map((r) => r.type)),
        wildcardTypes: new Set(unconditioned.filter((r) => r.wildcard).map((r) => r.type)),
        usersetTypes: new Set(unconditioned.filter((r) => r.relation).map((r) => `${r.type}#${r.relation}`)),
        assignable: mentionsThis(rewrite),
      });
    }
    types.set(raw.type, relations);
  }

  const computed = new Map<string, ParentEdge[]>();
  const ttu = new Map<string, ParentEdge[]>();
  const userset = new Map<string, ParentEdge[]>();
  const direct = new Map<string, ParentEdge[]>();
  const dependsOn = new Map<string, Set<string>>();
  for (const [type, relations] of types) {
    for (const def of relations.values()) {
      const deps = new Set<string>();
      dependsOn.set(`${type}#${def.name}`, deps);
      positiveLeaves(def.rewrite, false, (leaf, conditional) => {
        const parent = { type, relation: def.name, conditional, key: `${type}#${def.name}` };
        if (leaf.kind === 'this') {
          for (const ref of def.directTypes) {
            if (ref.condition) continue;
            if (ref.relation) {
              pushEdge(userset, `${ref.type}#${ref.relation}`, parent);
              deps.add(`${ref.type}#${ref.relation}`);
            } else {
              pushEdge(direct, `${ref.type}${ref.wildcard ? ':*' : ''}`, parent);
            }
          }
        } else if (leaf.kind === 'computed') {
          pushEdge(computed, `${type}#${leaf.relation}`, parent);
          deps.add(`${type}#${leaf.relation}`);
        } else if (leaf.kind === 'ttu') {
          const tupleset = relations.get(leaf.tupleset);
          for (const ref of tupleset?.directTypes ?? []) {
            if (ref.relation || ref.wildcard || ref.condition || !types.get(ref.type)?.has(leaf.computed))
              continue;
            pushEdge(ttu, `${ref.type}#${leaf.computed}`, { ...parent, tupleset: leaf.tupleset });
            deps.add(`${ref.type}#${leaf.computed}`);
          }
        }
      });
    }
  }
  const contributorCache = new Map<string, Set<string>>();
  const parentsCache = new Map<string, RelationParents>();
  const none: readonly ParentEdge[] = [];
  const hasConditions = Object.keys(json.conditions ?? {}).length > 0;

  return {
    dsl,
    json,
    types,
    hasConditions,
    relation: (type, relation) => types.get(type)?.get(relation),
    computedParents: (t, r) => computed.get(`${t}#${r}`) ?? [],
    ttuParents: (t, r) => ttu.get(`${t}#${r}`) ?? [],
    usersetParents: (t, r) => userset.get(`${t}#${r}`) ?? [],
    parents(t, r) {
      const key = `${t}#${r}`;
      let found = parentsCache.get(key);
      if (!found) {
        found = {
          computed: computed.get(key) ?? none,
          ttu: ttu.get(key) ?? none,
          userset: userset.get(key) ?? none,
        };
        parentsCache.set(key, found);
      }
      return found;
    },
    directParents: (t, wildcard) => direct.get(wildcard ? `${t}:*` : t) ?? [],
    contributors(type, relation) {
      const key = `${type}#${relation}`;
      let found = contributorCache.get(key);
      if (!found) {
        found = new Set([key]);
        const queue = [key];
        for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
          for (const dep of dependsOn.get(next) ?? []) {
            if (!found.has(dep)) {
              found.add(dep);
              queue.push(dep);
            }
          }
        }
        contributorCache.set(key, found);
      }
      return found;
    },
  };
}
