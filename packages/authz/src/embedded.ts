import type { Authorizer, CheckRequest, ListObjectsRequest, TupleKey } from './authorizer.js';
import { CheckEvaluator } from './engine/check.js';
import { listObjectIds } from './engine/list-objects.js';
import { listUserStrings, type UserFilter } from './engine/list-users.js';
import { type TupleReader, withContextualTuples } from './engine/reader.js';
import { AuthzError } from './errors.js';
import type { AuthorizationModel } from './model-loader.js';
import type { TupleFilter, TupleStore } from './store/types.js';
import { fromRow, parseObject, parseSubject, rowKey, type Subject, type TupleRow, toRow } from './tuple.js';

/** Filter for {@link EmbeddedAuthorizer.readTuples}: any of the three parts, each an exact match. */
export interface ReadTuplesFilter {
  /** `type:id`, or `type:` for every object of a type. */
  object?: string | undefined;
  relation?: string | undefined;
  user?: string | undefined;
}

/** Who has `relation` on `object`, among the kinds of users in `userFilters`. */
export interface ListUsersRequest {
  object: string;
  relation: string;
  /** `{type: 'user'}` lists `user:id` (and `user:*`); `{type: 'group', relation: 'member'}` lists usersets. */
  userFilters: readonly UserFilter[];
  contextualTuples?: readonly TupleKey[];
}

/**
 * The embedded engine: OpenFGA's check and list-objects semantics evaluated in process over tuples in
 * SQLite or PostgreSQL. Tuples are validated against the model's type restrictions on write.
 */
export class EmbeddedAuthorizer implements Authorizer {
  constructor(
    readonly model: AuthorizationModel,
    private readonly store: TupleStore,
    private readonly ownsStore = true,
  ) {}

  async check(request: CheckRequest): Promise<boolean> {
    const object = this.requestObject(request.object, request.relation);
    const user = this.requestUser(request.user);
    const reader = this.reader(request.contextualTuples);
    return new CheckEvaluator(this.model, reader).check(object.type, object.id, request.relation, user);
  }

  /** Several checks at once; answers are in request order. */
  async batchCheck(requests: readonly CheckRequest[]): Promise<boolean[]> {
    const answers: boolean[] = [];
    for (const request of requests) answers.push(await this.check(request));
    return answers;
  }

  async listObjects(request: ListObjectsRequest): Promise<string[]> {
    this.requestRelation(request.type, request.relation);
    const user = this.requestUser(request.user);
    const reader = this.reader(request.contextualTuples);
    const checker = new CheckEvaluator(this.model, reader);
    const ids = await listObjectIds(this.model, reader, checker, request.type, request.relation, user);
    return ids.map((id) => `${request.type}:${id}`);
  }

  /** Users (`type:id`, `type:*`, `type:id#relation`) with `relation` on `object`, as OpenFGA's ListUsers. */
  async listUsers(request: ListUsersRequest): Promise<string[]> {
    const object = parseObject(request.object);
    if (!object) throw new AuthzError('validation_error', `invalid object '${request.object}'`);
    this.requestRelation(object.type, request.relation);
    for (const filter of request.userFilters) {
      if (filter.relation) this.requestRelation(filter.type, filter.relation);
      else if (!this.model.types.has(filter.type)) {
        throw new AuthzError('type_not_found', `type '${filter.type}' is not in the model`);
      }
    }
    const reader = this.reader(request.contextualTuples);
    const checker = new CheckEvaluator(this.model, reader);
    return listUserStrings(
      this.model,
      reader,
      checker,
      object.type,
      object.id,
      request.relation,
      request.userFilters,
    );
  }

  async write(writes: readonly TupleKey[], deletes: readonly TupleKey[] = []): Promise<void> {
    const rows = dedupe(writes.map((key) => this.validTuple(key)));
    const gone = dedupe(deletes.map(toRow));
    await this.store.write(rows, gone);
  }

  /** Stored tuples matching the filter (all tuples when it is empty). */
  async readTuples(filter: ReadTuplesFilter = {}): Promise<TupleKey[]> {
    const f: TupleFilter = { relation: filter.relation };
    if (filter.object) {
      const [type, id] = filter.object.split(':', 2);
      f.objectType = type;
      if (id) f.objectId = id;
    }
    if (filter.user) {
      const user = parseSubject(filter.user);
      if (!user) throw new AuthzError('validation_error', `invalid user '${filter.user}'`);
      Object.assign(f, { userType: user.type, userId: user.id, userRelation: user.relation });
    }
    return (await this.store.read(f)).map(fromRow);
  }

  ping(): Promise<void> {
    return this.store.ping();
  }

  async close(): Promise<void> {
    if (this.ownsStore) await this.store.close();
  }

  private reader(contextual: readonly TupleKey[] | undefined): TupleReader {
    if (!contextual || contextual.length === 0) return this.store;
    return withContextualTuples(this.store, dedupe(contextual.map((key) => this.validTuple(key))));
  }

  private requestObject(object: string, relation: string) {
    const parsed = parseObject(object);
    if (!parsed) throw new AuthzError('validation_error', `invalid object '${object}'`);
    // OpenFGA reports an unknown relation in a check as a plain validation error.
    const relations = this.model.types.get(parsed.type);
    if (!relations) throw new AuthzError('type_not_found', `type '${parsed.type}' is not in the model`);
    if (!relations.has(relation)) {
      throw new AuthzError('validation_error', `relation '${parsed.type}#${relation}' is not in the model`);
    }
    return parsed;
  }

  private requestRelation(type: string, relation: string): void {
    const relations = this.model.types.get(type);
    if (!relations) throw new AuthzError('type_not_found', `type '${type}' is not in the model`);
    if (!relations.has(relation)) {
      throw new AuthzError('relation_not_found', `relation '${type}#${relation}' is not in the model`);
    }
  }

  private requestUser(value: string): Subject {
    const user = parseSubject(value);
    if (!user) throw new AuthzError('validation_error', `invalid user '${value}'`);
    const relations = this.model.types.get(user.type);
    if (!relations) throw new AuthzError('validation_error', `user type '${user.type}' is not in the model`);
    if (user.relation && !relations.has(user.relation)) {
      throw new AuthzError(
        'validation_error',
        `relation '${user.type}#${user.relation}' is not in the model`,
      );
    }
    return user;
  }

  /** Parses a tuple and checks it against the model's type restrictions. */
  private validTuple(key: TupleKey): TupleRow {
    const row = toRow(key);
    const invalid = (why: string) =>
      new AuthzError('invalid_tuple', `invalid tuple ${key.object}#${key.relation}@${key.user}: ${why}`);
    const def = this.model.relation(row.objectType, row.relation);
    if (!this.model.types.has(row.objectType)) throw invalid(`type '${row.objectType}' is not in the model`);
    if (!def) throw invalid(`relation '${row.relation}' is not defined on '${row.objectType}'`);
    const allowed =
      row.userRelation !== ''
        ? def.usersetTypes.has(`${row.userType}#${row.userRelation}`)
        : row.userId === '*'
          ? def.wildcardTypes.has(row.userType)
          : def.plainTypes.has(row.userType);
    if (!allowed) throw invalid("the user is not allowed by the relation's type restrictions");
    return row;
  }
}

function dedupe(rows: TupleRow[]): TupleRow[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = rowKey(row);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
