import express, { type RequestHandler } from 'express';
import { AppError } from './errors.js';

/** The deepest nesting of objects and arrays a JSON body may have. */
export const MAX_JSON_DEPTH = 32;

/**
 * How deep `raw` nests objects and arrays, stopping as soon as it passes `limit`; one pass over
 * the bytes, whatever their content (strings and escapes are skipped, not parsed).
 */
export function jsonDepthExceeds(raw: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next byte is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * `express.json` with the platform's two bounds: at most `limit` bytes (413) and at most
 * `maxDepth` levels of nesting (400 `json_too_deep`), checked before the body is parsed, so no
 * later `JSON.stringify` or schema walk can be driven into a stack overflow.
 */
export function jsonBody(options: { limit: string; maxDepth?: number }): RequestHandler {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  return express.json({
    limit: options.limit,
    verify: (_req, _res, raw) => {
      if (jsonDepthExceeds(raw, maxDepth))
        throw new AppError(400, 'json_too_deep', `request body nests deeper than ${maxDepth} levels`);
    },
  });
}
