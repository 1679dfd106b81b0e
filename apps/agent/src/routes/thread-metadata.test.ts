import { AppError } from '@mcp-langgraph/observability';
import { parseCreateThreadBody } from './thread-metadata.js';

/** `{ a: { a: … { a: 1 } } }`, `levels` objects deep, built without JSON (no parser bounds it). */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { a: 1 };
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

/** The 400 `parseCreateThreadBody` throws for `body`. */
function refusal(body: unknown): AppError {
  try {
    parseCreateThreadBody(body);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('the body was accepted');
}

describe('POST /threads body', () => {
  it('keeps metadata as given', () => {
    const metadata = { topic: 'x', tags: ['a', { b: null }], n: 1, proto: 'fine', constructorName: 'fine' };
    expect(parseCreateThreadBody({ metadata })).toEqual({ metadata });
    expect(parseCreateThreadBody(undefined)).toEqual({});
  });

  it('refuses metadata nested deeper than any JSON body may be, without recursing through it', () => {
    const err = refusal({ metadata: nested(100_000) });
    expect(err.status).toBe(422);
    expect(err.message).toContain('deeper than 32 levels');
  });

  it.each([
    ['__proto__ at the top', '{"__proto__":{"polluted":true}}', 'metadata.__proto__'],
    ['constructor further down', '{"a":{"constructor":{"prototype":{}}}}', 'metadata.a.constructor'],
    ['prototype in an array', '{"list":[1,{"prototype":1}]}', 'metadata.list.1.prototype'],
  ])('refuses a prototype key (%s) with a 400 naming it, instead of dropping it', (_what, json, path) => {
    // JSON.parse keeps "__proto__" as an own key, as the body parser hands it over.
    const err = refusal({ metadata: JSON.parse(json) });
    expect(err.status).toBe(422);
    expect(err.code).toBe('invalid_request');
    expect(err.message).toMatch(new RegExp(`^${path.replace(/\./g, '\\.')}: `));
    expect(err.message).toContain(`"${path.split('.').at(-1)}" is not allowed as a metadata key`);
  });
});
