import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';

/**
 * The SDK turns a tool's schemas into JSON Schema on every `tools/list`, and the edge builds a
 * server per request, so the same conversion would run for every listing. The schemas never change:
 * convert each once and hand out the stored result. Validation stays zod's own.
 */
export function withCachedJsonSchema<S extends StandardSchemaWithJSON>(schema: S): S {
  const std = schema['~standard'];
  const memo = new Map<string, Record<string, unknown>>();
  const cached =
    (io: 'input' | 'output') =>
    (options: Parameters<typeof std.jsonSchema.input>[0]): Record<string, unknown> => {
      const key = `${io}:${options.target}`;
      let v = memo.get(key);
      if (!v) {
        v = deepFreeze(std.jsonSchema[io](options));
        memo.set(key, v);
      }
      return v;
    };
  const standard = { ...std, jsonSchema: { input: cached('input'), output: cached('output') } };
  return new Proxy(schema, {
    get(target, prop, receiver) {
      return prop === '~standard' ? standard : Reflect.get(target, prop, receiver);
    },
  });
}

/** Shared between requests, so nothing may change it. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
