import { toolObject } from '@mcp-langgraph/protocol';
import type { Authorizer, TupleKey } from './authorizer.js';

/** The grants that let every signed-in user call each of `tools` (`tool:<name>#executor@user:*`). */
export function toolGrants(tools: readonly string[]): TupleKey[] {
  return tools.map((tool) => ({ user: 'user:*', relation: 'executor', object: toolObject(tool) }));
}

/**
 * Writes {@link toolGrants} for the tools a service offers (the MCP edge passes its tool registry);
 * safe to call on every start and from several processes at once.
 */
export async function seedTuples(
  authorizer: Pick<Authorizer, 'write'>,
  tools: readonly string[],
): Promise<void> {
  await authorizer.write(toolGrants(tools));
}
