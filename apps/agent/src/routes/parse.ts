import { AppError } from '@mcp-langgraph/observability';
import type { z } from 'zod';

/** A body (or query) that fails its schema: 422, as the platform answers, naming the first problem. */
export const unprocessable = (message: string) => new AppError(422, 'invalid_request', message);

/** Parses with `schema` or throws a 422 naming the first problem. */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw unprocessable(`${where}${issue.message}`);
}
