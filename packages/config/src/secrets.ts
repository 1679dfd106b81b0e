import type { Environment } from './env.js';

/**
 * A source of secret values. Providers are chained: the first one that knows a name answers.
 * The environment provider is the embedded default; a secret manager (Infisical) slots in front.
 */
export interface SecretProvider {
  readonly name: string;
  /** The secret's value, or undefined when this provider does not hold it. */
  get(name: string): Promise<string | undefined>;
}

export function createEnvSecretProvider(env: Environment): SecretProvider {
  return {
    name: 'environment',
    async get(name) {
      const v = env[name];
      return v === undefined || v === '' ? undefined : v;
    },
  };
}

export function createSecretChain(providers: readonly SecretProvider[]): SecretProvider {
  return {
    name: providers.map((p) => p.name).join(' -> '),
    async get(name) {
      for (const p of providers) {
        const v = await p.get(name);
        if (v !== undefined) return v;
      }
      return undefined;
    },
  };
}

/** Resolves the named secrets through the chain and lays them over the environment. */
export async function resolveSecrets(
  env: Environment,
  provider: SecretProvider,
  names: readonly string[],
): Promise<Environment> {
  const out: Record<string, string | undefined> = { ...env };
  for (const name of names) {
    const v = await provider.get(name);
    if (v !== undefined) out[name] = v;
  }
  return Object.freeze(out);
}
