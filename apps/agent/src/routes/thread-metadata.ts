import { MAX_JSON_DEPTH } from '@mcp-langgraph/observability';
import { createThreadBodySchema } from '@mcp-langgraph/protocol';
import { z } from 'zod';
import { parseBody } from './parse.js';

/**
 * Keys refused anywhere in metadata. Copying an object assigns `__proto__` as its prototype
 * instead of a key (zod's record parse did, silently dropping it and handing back an object with
 * a chosen prototype); `constructor` and `prototype` are the other two steps of prototype
 * pollution. No caller needs them as names, so they are refused rather than stored.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

interface MetadataProblem {
  path: Array<string | number>;
  message: string;
}

/**
 * The first problem of `metadata` in document order: a prototype key, or nesting deeper than a
 * JSON body may have. Walks with its own stack, so no input can overflow the call stack, and
 * stops at the depth limit, so the serialisation that measures its size afterwards is bounded.
 */
function metadataProblem(metadata: unknown): MetadataProblem | undefined {
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value: metadata, path: [] }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value, path } = next;
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= MAX_JSON_DEPTH)
      return { path: [], message: `metadata nests deeper than ${MAX_JSON_DEPTH} levels` };
    const entries: Array<[string | number, unknown]> = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value);
    for (const [key] of entries)
      if (typeof key === 'string' && PROTOTYPE_KEYS.has(key))
        return { path: [...path, key], message: `"${key}" is not allowed as a metadata key` };
    // Reversed, so the first child is examined first and the first problem is the one reported.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return undefined;
}

/** What must hold of metadata before the protocol's schema copies it and measures its size. */
const safeMetadataSchema = z.object({ metadata: z.unknown().optional() }).superRefine(({ metadata }, ctx) => {
  const problem = metadataProblem(metadata);
  if (problem)
    ctx.addIssue({ code: 'custom', path: ['metadata', ...problem.path], message: problem.message });
});

/**
 * `body` parsed with `schema` once its `metadata` passed the key and depth checks: a 422 naming
 * the first problem otherwise. Every body that carries metadata (threads, runs) goes through here.
 */
export function parseWithMetadata<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const given = body ?? {};
  parseBody(safeMetadataSchema, given);
  return parseBody(schema, given);
}

/** The `POST /threads` body, or a 422 naming the first problem. */
export const parseCreateThreadBody = (body: unknown) => parseWithMetadata(createThreadBodySchema, body);
