import type { z } from 'zod';
import { type Environment, readEnvironment } from './env.js';
import { DEV_EDGE_CLIENT_SECRET, SECRET_NAMES } from './schema.js';
import {
  createEnvSecretProvider,
  createSecretChain,
  resolveSecrets,
  type SecretProvider,
} from './secrets.js';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment with a service's schema into a frozen object, or throws naming each variable. */
export function parseConfig<S extends z.ZodObject>(schema: S, env: Environment): Readonly<z.infer<S>> {
  const r = schema.safeParse(env);
  if (!r.success) {
    throw new ConfigError(r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const config = Object.freeze(r.data as z.infer<S>);
  const problems = productionProblems(config as Record<string, unknown>, new Set(Object.keys(schema.shape)));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * With APP_ENV=production every embedded default is refused: each message names the variable
 * to set. Checks apply only to the variables the service's schema knows.
 */
export function productionProblems(c: Record<string, unknown>, keys: ReadonlySet<string>): string[] {
  if (c.APP_ENV !== 'production') return [];
  const out: string[] = [];
  const has = (k: string) => keys.has(k);
  if (has('DATABASE_URL') && !c.DATABASE_URL)
    out.push('DATABASE_URL must be set in production (SQLite is the embedded default only)');
  if (has('OPENFGA_API_URL') && (!c.OPENFGA_API_URL || !c.OPENFGA_STORE_ID))
    out.push(
      'OPENFGA_API_URL and OPENFGA_STORE_ID must be set in production (the embedded authorization engine is for development)',
    );
  if (has('LLM_PROVIDER') && c.LLM_PROVIDER === 'offline')
    out.push(
      'LLM_PROVIDER must name a real model provider in production (the offline model is for development)',
    );
  if (has('REDIS_URL') && !c.REDIS_URL)
    out.push('REDIS_URL must be set in production (in-memory rate limits are per process)');
  if (Array.isArray(c.CORS_ORIGINS) && c.CORS_ORIGINS.includes('*'))
    out.push('CORS_ORIGINS must list explicit origins in production, not "*"');
  if (has('EDGE_CLIENT_SECRET') && c.EDGE_CLIENT_SECRET === DEV_EDGE_CLIENT_SECRET)
    out.push('EDGE_CLIENT_SECRET must be set to a generated secret in production (the default is public)');
  if (has('AUTH_SIGNING_KEYS') && !c.AUTH_SIGNING_KEYS)
    out.push(
      'AUTH_SIGNING_KEYS must come from the secret provider in production (keys are never generated there)',
    );
  if (has('AUTH_SEED_USERS') && c.AUTH_SEED_USERS)
    out.push('AUTH_SEED_USERS is refused in production: create users with `npm run auth -- users add`');
  for (const k of ['AUTH_ISSUER', 'EDGE_PUBLIC_URL', 'AGENT_PUBLIC_URL'])
    if (typeof c[k] === 'string' && (c[k] as string).startsWith('http://'))
      out.push(`${k} must be an https:// URL in production`);
  return out;
}

/**
 * What every entry point does first: the environment over `.env`, secrets resolved through the
 * provider chain, then the service's schema and the production guardrails.
 */
export async function loadServiceConfig<S extends z.ZodObject>(
  schema: S,
  processEnv: NodeJS.ProcessEnv,
  options: { envFile?: string; providers?: readonly SecretProvider[] } = {},
): Promise<Readonly<z.infer<S>>> {
  const env = readEnvironment(processEnv, options.envFile);
  const chain = createSecretChain([...(options.providers ?? []), createEnvSecretProvider(env)]);
  return parseConfig(schema, await resolveSecrets(env, chain, SECRET_NAMES));
}
