import type { Authorizer } from './authorizer.js';
import { createEmbeddedAuthorizer, type EmbeddedAuthorizerOptions } from './create.js';

/** Everything a service needs to pick and build its authorizer from configuration. */
export interface CreateAuthorizerOptions extends EmbeddedAuthorizerOptions {}

/**
 * Builds a ready authorizer: the embedded engine over SQLite (default) or PostgreSQL (`databaseUrl`),
 * with its migrations applied.
 */
export async function createAuthorizer(options: CreateAuthorizerOptions = {}): Promise<Authorizer> {
  return createEmbeddedAuthorizer(options);
}
