import { badRequest } from '@mcp-langgraph/observability';
import type { z } from 'zod';

/** Parses with `schema` or throws a 400 naming the first problem. */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw badRequest(`${where}${issue.message}`);
}
