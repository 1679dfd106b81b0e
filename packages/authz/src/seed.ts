import type { Authorizer, TupleKey } from './authorizer.js';

/** Tools every signed-in user may call, written at start-up (idempotently) by the MCP edge. */
export const SEED_TUPLES: readonly TupleKey[] = Object.freeze(
  ['chat', 'get_conversation', 'list_conversations'].map((tool) =>
    Object.freeze({ user: 'user:*', relation: 'executor', object: `tool:${tool}` }),
  ),
);

/** Writes {@link SEED_TUPLES}; safe to call on every start and from several processes at once. */
export async function seedTuples(authorizer: Pick<Authorizer, 'write'>): Promise<void> {
  await authorizer.write(SEED_TUPLES);
}
