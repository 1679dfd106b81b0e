import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TupleKey } from '../authorizer.js';
import { EmbeddedAuthorizer } from '../embedded.js';
import { AuthzError } from '../errors.js';
import { type AuthorizationModel, compileModel, type ModelJson } from '../model-loader.js';
import { openSqliteTupleStore } from '../store/sqlite.js';
import type { TupleStore } from '../store/types.js';
import { toRow } from '../tuple.js';

/** A local stand-in for an OpenFGA server, backed by the embedded engine. */
export interface FakeOpenFga {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Requests received so far, as `METHOD /path` (to assert which API calls were made). */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

interface FakeStore {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
  tuples: TupleStore;
  models: Array<{ id: string; json: ModelJson; model: AuthorizationModel }>;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID (the id format OpenFGA uses and the SDK insists on). */
function ulid(): string {
  let time = Date.now();
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = CROCKFORD[time % 32] + head;
    time = Math.floor(time / 32);
  }
  const tail = [...randomBytes(16)].map((b) => CROCKFORD[b % 32]).join('');
  return head + tail;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** OpenFGA's error codes for the embedded engine's. */
const ERROR_CODES: Record<string, string> = {
  validation_error: 'validation_error',
  invalid_tuple: 'invalid_tuple',
  type_not_found: 'type_not_found',
  relation_not_found: 'relation_not_found',
  invalid_model: 'invalid_authorization_model',
  resolution_too_complex: 'authorization_model_resolution_too_complex',
};

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'validation_error', 'invalid JSON body');
  }
}

// Check and list-objects wrap contextual tuples in `{tuple_keys}`; list-users sends a bare array.
const tupleKeys = (value: unknown): TupleKey[] =>
  ((Array.isArray(value) ? value : (value as { tuple_keys?: TupleKey[] } | undefined)?.tuple_keys) ?? []).map(
    (t: TupleKey) => ({
      user: t.user,
      relation: t.relation,
      object: t.object,
    }),
  );

/**
 * Starts a fake OpenFGA HTTP API on 127.0.0.1 (random port) implementing what `@openfga/sdk` calls:
 * stores, authorization models, write (with `on_duplicate`/`on_missing`), check, batch-check,
 * list-objects, list-users and read. Answers come from the embedded engine, so the SDK's real HTTP path is exercised.
 */
export async function startFakeOpenFga(): Promise<FakeOpenFga> {
  const stores = new Map<string, FakeStore>();
  const requests: string[] = [];

  const storeOf = (id: string | undefined) => {
    const store = id ? stores.get(id) : undefined;
    if (!store) throw new HttpError(404, 'store_id_not_found', 'store not found');
    return store;
  };
  const modelOf = (store: FakeStore, id: unknown) => {
    const found = id ? store.models.find((m) => m.id === id) : store.models.at(-1);
    if (!found) {
      throw new HttpError(
        400,
        id ? 'authorization_model_not_found' : 'latest_authorization_model_not_found',
        'no model',
      );
    }
    return found;
  };
  const engine = (store: FakeStore, body: Record<string, unknown>) =>
    new EmbeddedAuthorizer(modelOf(store, body.authorization_model_id).model, store.tuples, false);

  async function route(
    method: string,
    parts: string[],
    body: Record<string, unknown>,
  ): Promise<[number, unknown]> {
    const [root, storeId, action, modelId] = parts;
    if (root !== 'stores') throw new HttpError(404, 'undefined_endpoint', 'not found');
    if (!storeId) {
      if (method === 'POST') {
        const now = new Date().toISOString();
        const store: FakeStore = {
          id: ulid(),
          name: String(body.name ?? ''),
          created_at: now,
          updated_at: now,
          tuples: await openSqliteTupleStore(':memory:'),
          models: [],
        };
        stores.set(store.id, store);
        return [201, { id: store.id, name: store.name, created_at: now, updated_at: now }];
      }
      const list = [...stores.values()].map(({ id, name, created_at, updated_at }) => ({
        id,
        name,
        created_at,
        updated_at,
      }));
      return [200, { stores: list, continuation_token: '' }];
    }
    const store = storeOf(storeId);
    switch (`${method} ${action ?? ''}`) {
      case 'GET ':
        return [
          200,
          { id: store.id, name: store.name, created_at: store.created_at, updated_at: store.updated_at },
        ];
      case 'POST authorization-models': {
        const json = {
          schema_version: String(body.schema_version),
          type_definitions: body.type_definitions as unknown[],
          conditions: body.conditions as Record<string, unknown> | undefined,
        };
        const id = ulid();
        store.models.push({ id, json, model: compileModel(json) });
        return [201, { authorization_model_id: id }];
      }
      case 'GET authorization-models': {
        if (modelId) {
          const m = store.models.find((x) => x.id === modelId);
          if (!m) throw new HttpError(404, 'authorization_model_not_found', 'model not found');
          return [200, { authorization_model: { id: m.id, ...m.json } }];
        }
        const models = [...store.models].reverse().map((m) => ({ id: m.id, ...m.json }));
        return [200, { authorization_models: models, continuation_token: '' }];
      }
      case 'POST write': {
        const writes = body.writes as { tuple_keys?: TupleKey[]; on_duplicate?: string } | undefined;
        const deletes = body.deletes as { tuple_keys?: TupleKey[]; on_missing?: string } | undefined;
        const authz = engine(store, body);
        if (writes?.on_duplicate !== 'ignore') {
          for (const key of tupleKeys(writes)) {
            if (await store.tuples.has(toRow(key))) {
              throw new HttpError(400, 'write_failed_due_to_invalid_input', 'tuple already exists');
            }
          }
        }
        if (deletes?.on_missing !== 'ignore') {
          for (const key of tupleKeys(deletes)) {
            if (!(await store.tuples.has(toRow(key)))) {
              throw new HttpError(
                400,
                'write_failed_due_to_invalid_input',
                'tuple to be deleted did not exist',
              );
            }
          }
        }
        await authz.write(tupleKeys(writes), tupleKeys(deletes));
        return [200, {}];
      }
      case 'POST check': {
        const key = body.tuple_key as TupleKey;
        const allowed = await engine(store, body).check({
          ...key,
          contextualTuples: tupleKeys(body.contextual_tuples),
        });
        return [200, { allowed, resolution: '' }];
      }
      case 'POST batch-check': {
        const authz = engine(store, body);
        const result: Record<string, unknown> = {};
        for (const item of (body.checks ?? []) as Array<Record<string, unknown>>) {
          const key = item.tuple_key as TupleKey;
          try {
            const allowed = await authz.check({
              ...key,
              contextualTuples: tupleKeys(item.contextual_tuples),
            });
            result[String(item.correlation_id)] = { allowed };
          } catch (err) {
            result[String(item.correlation_id)] = {
              allowed: false,
              error: { message: (err as Error).message },
            };
          }
        }
        return [200, { result }];
      }
      case 'POST list-objects': {
        const objects = await engine(store, body).listObjects({
          user: String(body.user),
          relation: String(body.relation),
          type: String(body.type),
          contextualTuples: tupleKeys(body.contextual_tuples),
        });
        return [200, { objects }];
      }
      case 'POST list-users': {
        const object = body.object as { type: string; id: string };
        const users = await engine(store, body).listUsers({
          object: `${object.type}:${object.id}`,
          relation: String(body.relation),
          userFilters: (body.user_filters ?? []) as Array<{ type: string; relation?: string }>,
          contextualTuples: tupleKeys(body.contextual_tuples),
        });
        return [
          200,
          {
            users: users.map((u) => {
              const [head = '', relation] = u.split('#');
              const [type, id] = head.split(':');
              if (relation) return { userset: { type, id, relation } };
              return id === '*' ? { wildcard: { type } } : { object: { type, id } };
            }),
          },
        ];
      }
      case 'POST read': {
        const key = body.tuple_key as Partial<TupleKey> | undefined;
        const tuples = await engine(store, {}).readTuples({
          object: key?.object,
          relation: key?.relation,
          user: key?.user,
        });
        const timestamp = new Date().toISOString();
        return [200, { tuples: tuples.map((t) => ({ key: t, timestamp })), continuation_token: '' }];
      }
      default:
        throw new HttpError(404, 'undefined_endpoint', 'not found');
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    requests.push(`${method} ${url.pathname}`);
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    readBody(req)
      .then((body) => route(method, url.pathname.split('/').filter(Boolean), body))
      .then(([status, payload]) => send(status, payload))
      .catch((err: unknown) => {
        if (err instanceof HttpError) return send(err.status, { code: err.code, message: err.message });
        if (err instanceof AuthzError) {
          return send(400, { code: ERROR_CODES[err.code] ?? 'validation_error', message: err.message });
        }
        send(500, { code: 'internal_error', message: 'internal error' });
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const store of stores.values()) await store.tuples.close();
    },
  };
}
