import { z } from 'zod';
import { oauthError } from './oauth-error.js';

// Each message completes a sentence that starts with the parameter's name ("code is required").
const text = (max: number, pattern?: RegExp) => {
  const value = z
    .string({
      error: (issue) => (issue.input === undefined ? 'is required' : 'must be given once, as a string'),
    })
    .max(max, { error: 'is too long' });
  return pattern ? value.regex(pattern, { error: 'is malformed' }) : value;
};

// An empty value counts as absent, as in RFC 6749 3.1 ("sent without a value MUST be treated as
// if they were omitted"). A repeated form parameter arrives as an array and is refused.
const absentIfEmpty = (v: unknown) => (v === '' ? undefined : v);

/** A parameter that must be present: exactly one string of at most `max` characters. */
export const requiredParam = (max = 2048, pattern?: RegExp) =>
  z.preprocess(absentIfEmpty, text(max, pattern));

/** A parameter that may be left out; when given, exactly one string of at most `max` characters. */
export const optionalParam = (max = 2048) => z.preprocess(absentIfEmpty, text(max).optional());

/**
 * Reads the parameters of a form or JSON body against `schema` (its keys in the order they are
 * checked). The first problem is an RFC 6749 `invalid_request` naming the parameter.
 */
export function readParams<S extends z.ZodObject>(schema: S, body: unknown): z.output<S> {
  const input = body && typeof body === 'object' && !Array.isArray(body) ? body : {};
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw oauthError(
    'invalid_request',
    `${String(issue?.path[0] ?? 'body')} ${issue?.message ?? 'is malformed'}`,
  );
}
