import type { TupleKey } from './authorizer.js';
import { PROJECT_MODEL } from './model.js';
import { loadModel } from './model-loader.js';
import { createOpenFgaClient, OpenFgaAuthorizer, toAuthzError } from './openfga.js';

export interface BootstrapOptions {
  apiUrl: string;
  /** Existing store; when absent the store named `storeName` is reused or created. */
  storeId?: string | undefined;
  storeName?: string | undefined;
  apiToken?: string | undefined;
  /** Model DSL; defaults to the project's model. */
  model?: string | undefined;
  /** Tuples to write once the model is in place (the MCP edge writes its tool grants itself at start-up). */
  tuples?: readonly TupleKey[] | undefined;
}

export interface BootstrapResult {
  storeId: string;
  modelId: string;
  storeCreated: boolean;
  modelWritten: boolean;
}

/** JSON with nulls and empty strings dropped and keys sorted, so a model read back from a server compares equal. */
function canonical(value: unknown): string {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) {
        const inner = (v as Record<string, unknown>)[key];
        if (inner === null || inner === '' || inner === undefined) continue;
        out[key] = strip(inner);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(strip(value));
}

/**
 * Prepares an OpenFGA server for the services: finds or creates the store, writes the model unless the
 * latest one already equals it, and writes `tuples` if given. Running it again changes nothing.
 */
export async function bootstrapOpenFga(options: BootstrapOptions): Promise<BootstrapResult> {
  const model = loadModel(options.model ?? PROJECT_MODEL);
  const client = createOpenFgaClient({ apiUrl: options.apiUrl, apiToken: options.apiToken });
  const name = options.storeName ?? 'mcp-langgraph';
  try {
    let storeId = options.storeId;
    let storeCreated = false;
    if (storeId) {
      await client.getStore({ storeId });
    } else {
      let token: string | undefined;
      do {
        const page = await client.listStores({ continuationToken: token, pageSize: 100 });
        storeId = page.stores?.find((s) => s.name === name)?.id;
        token = storeId ? undefined : page.continuation_token || undefined;
      } while (token);
      if (!storeId) {
        storeId = (await client.createStore({ name })).id;
        storeCreated = true;
      }
    }
    const latest = (await client.readAuthorizationModels({ storeId, pageSize: 1 })).authorization_models?.[0];
    const wanted = canonical({ ...model.json, conditions: model.json.conditions ?? {} });
    let modelId = latest?.id;
    let modelWritten = false;
    if (
      !latest ||
      canonical({
        schema_version: latest.schema_version,
        type_definitions: latest.type_definitions,
        conditions: latest.conditions ?? {},
      }) !== wanted
    ) {
      modelId = (await client.writeAuthorizationModel(model.json as never, { storeId }))
        .authorization_model_id;
      modelWritten = true;
    }
    const authz = new OpenFgaAuthorizer({
      apiUrl: options.apiUrl,
      apiToken: options.apiToken,
      storeId,
      modelId,
    });
    if (options.tuples?.length) await authz.write(options.tuples);
    return { storeId, modelId: modelId!, storeCreated, modelWritten };
  } catch (err) {
    throw toAuthzError(err);
  }
}
