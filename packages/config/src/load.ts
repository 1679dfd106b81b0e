import type { z } from 'zod';
import { type Environment, readEnvironment } from './env.js';
import { productionProblems } from './guardrails.js';
import { SECRET_NAMES } from './schema.js';
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
