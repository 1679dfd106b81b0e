import {
  ClientWriteRequestOnDuplicateWrites,
  ClientWriteRequestOnMissingDeletes,
  CredentialsMethod,
  FgaApiNotFoundError,
  FgaApiValidationError,
  OpenFgaClient,
} from '@openfga/sdk';
import type { Authorizer, CheckRequest, ListObjectsRequest, TupleKey } from './authorizer.js';
import type { ListUsersRequest, ReadTuplesFilter } from './embedded.js';
import { AuthzError, type AuthzErrorCode } from './errors.js';

/** Where the OpenFGA server is and which store and model to use. */
export interface OpenFgaAuthorizerOptions {
  /** e.g. `http://openfga:8080`. */
  apiUrl: string;
  storeId: string;
  /** Pin a model version; when absent the server uses the store's latest model. */
  modelId?: string | undefined;
  /** Pre-shared key, when the server requires one. */
  apiToken?: string | undefined;
  /** Per-request timeout (default 3000 ms). A slow server is treated as unreachable. */
  timeoutMs?: number | undefined;
  /** Retries of a failed request on 429/5xx/network errors (default 1). */
  maxRetries?: number | undefined;
}

const CALLER_ERRORS: Record<string, AuthzErrorCode> = {
  validation_error: 'validation_error',
  invalid_tuple: 'invalid_tuple',
  type_not_found: 'type_not_found',
  relation_not_found: 'relation_not_found',
  authorization_model_resolution_too_complex: 'resolution_too_complex',
};

/** Turns SDK errors into `AuthzError`s: the caller's mistakes keep their code, anything else is `unavailable`. */
export function toAuthzError(err: unknown): AuthzError {
  if (err instanceof AuthzError) return err;
  if (err instanceof FgaApiValidationError) {
    const code = CALLER_ERRORS[String(err.apiErrorCode)];
    if (code) return new AuthzError(code, err.apiErrorMessage ?? err.message, { cause: err });
    const invalidInput = String(err.apiErrorCode).startsWith('write_failed');
    return new AuthzError(
      invalidInput ? 'invalid_tuple' : 'validation_error',
      err.apiErrorMessage ?? err.message,
      {
        cause: err,
      },
    );
  }
  if (err instanceof FgaApiNotFoundError) {
    return new AuthzError('unavailable', 'the OpenFGA store or model does not exist', { cause: err });
  }
  return new AuthzError('unavailable', 'the OpenFGA server could not be reached', { cause: err });
}

/** Builds the SDK client used by the engine and by `bootstrap`. */
export function createOpenFgaClient(
  options: Omit<OpenFgaAuthorizerOptions, 'storeId'> & { storeId?: string },
) {
  return new OpenFgaClient({
    apiUrl: options.apiUrl,
    storeId: options.storeId,
    authorizationModelId: options.modelId,
    credentials: options.apiToken
      ? { method: CredentialsMethod.ApiToken, config: { token: options.apiToken } }
      : undefined,
    baseOptions: { timeout: options.timeoutMs ?? 3000 },
    retryParams: { maxRetry: options.maxRetries ?? 1, minWaitInMs: 50 },
  });
}

const IGNORE_CONFLICTS = {
  conflict: {
    onDuplicateWrites: ClientWriteRequestOnDuplicateWrites.Ignore,
    onMissingDeletes: ClientWriteRequestOnMissingDeletes.Ignore,
  },
};

/**
 * The OpenFGA engine: the same `Authorizer` over an OpenFGA server through `@openfga/sdk`. Writes are one
 * request (atomic on the server, at most 100 tuples as OpenFGA allows) that ignores duplicates and
 * missing deletes. Every failure throws an `AuthzError`, so callers deny.
 */
export class OpenFgaAuthorizer implements Authorizer {
  private readonly client: OpenFgaClient;

  constructor(private readonly options: OpenFgaAuthorizerOptions) {
    this.client = createOpenFgaClient(options);
  }

  async check(request: CheckRequest): Promise<boolean> {
    try {
      const response = await this.client.check({
        user: request.user,
        relation: request.relation,
        object: request.object,
        contextualTuples: [...(request.contextualTuples ?? [])],
      });
      return response.allowed === true;
    } catch (err) {
      throw toAuthzError(err);
    }
  }

  /** Several checks in one batch-check call; answers are in request order. One failed item fails all. */
  async batchCheck(requests: readonly CheckRequest[]): Promise<boolean[]> {
    if (requests.length === 0) return [];
    let response: Awaited<ReturnType<OpenFgaClient['batchCheck']>>;
    try {
      response = await this.client.batchCheck({
        checks: requests.map((r, i) => ({
          user: r.user,
          relation: r.relation,
          object: r.object,
          correlationId: `c${i}`,
          contextualTuples: { tuple_keys: [...(r.contextualTuples ?? [])] },
        })),
      });
    } catch (err) {
      throw toAuthzError(err);
    }
    const byId = new Map(response.result.map((r) => [r.correlationId, r]));
    return requests.map((_, i) => {
      const item = byId.get(`c${i}`);
      if (!item || item.error) {
        throw new AuthzError('validation_error', item?.error?.message || 'a batched check was not answered');
      }
      return item.allowed === true;
    });
  }

  async listObjects(request: ListObjectsRequest): Promise<string[]> {
    try {
      const response = await this.client.listObjects({
        user: request.user,
        relation: request.relation,
        type: request.type,
        contextualTuples: [...(request.contextualTuples ?? [])],
      });
      return response.objects ?? [];
    } catch (err) {
      throw toAuthzError(err);
    }
  }

  /** Users with `relation` on `object` through the list-users API, as `type:id`, `type:*` or `type:id#relation`. */
  async listUsers(request: ListUsersRequest): Promise<string[]> {
    const [type = '', id = ''] = request.object.split(':', 2);
    try {
      const response = await this.client.listUsers({
        object: { type, id },
        relation: request.relation,
        user_filters: request.userFilters.map((f) =>
          f.relation ? { type: f.type, relation: f.relation } : { type: f.type },
        ),
        contextualTuples: [...(request.contextualTuples ?? [])],
      });
      return (response.users ?? []).map((u) => {
        if (u.object) return `${u.object.type}:${u.object.id}`;
        if (u.userset) return `${u.userset.type}:${u.userset.id}#${u.userset.relation}`;
        return `${u.wildcard?.type}:*`;
      });
    } catch (err) {
      throw toAuthzError(err);
    }
  }

  async write(writes: readonly TupleKey[], deletes: readonly TupleKey[] = []): Promise<void> {
    if (writes.length === 0 && deletes.length === 0) return;
    try {
      await this.client.write(
        {
          writes: writes.map(({ user, relation, object }) => ({ user, relation, object })),
          deletes: deletes.map(({ user, relation, object }) => ({ user, relation, object })),
        },
        IGNORE_CONFLICTS,
      );
    } catch (err) {
      throw toAuthzError(err);
    }
  }

  /** Stored tuples matching the filter, all pages. */
  async readTuples(filter: ReadTuplesFilter = {}): Promise<TupleKey[]> {
    const out: TupleKey[] = [];
    let continuationToken: string | undefined;
    const body = filter.object || filter.user || filter.relation ? { ...filter } : {};
    try {
      do {
        const page = await this.client.read(body as never, { continuationToken, pageSize: 100 });
        for (const t of page.tuples ?? []) {
          out.push({ user: t.key.user, relation: t.key.relation, object: t.key.object });
        }
        continuationToken = page.continuation_token || undefined;
      } while (continuationToken);
    } catch (err) {
      throw toAuthzError(err);
    }
    return out;
  }

  async ping(): Promise<void> {
    try {
      await this.client.getStore({ storeId: this.options.storeId });
    } catch (err) {
      throw toAuthzError(err);
    }
  }

  async close(): Promise<void> {}
}
