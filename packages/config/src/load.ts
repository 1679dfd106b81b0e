import type { z } from 'zod';
import { type Environment, readEnvironment } from './env.js';
import { productionProblems } from './guardrails.js';
import { createInfisicalProvider, type InfisicalProvider, type SecretsLogger } from './infisical.js';
import { infisicalSettingsFrom } from './infisical-settings.js';
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

export interface LoadOptions {
  /** The `.env` file under the environment (default `.env`; undefined reads none). */
  envFile?: string;
  /** Providers tried before Infisical and the environment. */
  providers?: readonly SecretProvider[];
  /** Where the secret providers report (names and reasons only); JSON lines on stderr by default. */
  logger?: SecretsLogger;
}

/** Before the service's logger exists: pino-shaped JSON lines on stderr. */
const stderrLogger: SecretsLogger = {
  warn: (fields, msg) => writeLine(40, fields, msg),
  info: (fields, msg) => writeLine(30, fields, msg),
};
function writeLine(level: number, fields: Record<string, unknown>, msg: string): void {
  process.stderr.write(`${JSON.stringify({ level, time: Date.now(), ...fields, msg })}\n`);
}

interface OpenedSecrets {
  env: Environment;
  chain: SecretProvider;
  infisical: InfisicalProvider | undefined;
  logger: SecretsLogger;
}

/**
 * The environment over `.env`, then the provider chain: the given providers, Infisical when
 * INFISICAL_CLIENT_ID is set, the environment. Infisical that cannot be read at start stops a
 * production service; elsewhere it is a warning and the environment's values are used.
 */
async function openSecrets(processEnv: NodeJS.ProcessEnv, options: LoadOptions): Promise<OpenedSecrets> {
  const env = readEnvironment(processEnv, options.envFile);
  const logger = options.logger ?? stderrLogger;
  const settings = infisicalSettingsFrom(env);
  if (Array.isArray(settings)) throw new ConfigError(settings);
  let infisical: InfisicalProvider | undefined;
  if (settings) {
    const provider = createInfisicalProvider(settings, { logger });
    try {
      await provider.start();
      infisical = provider;
    } catch (err) {
      provider.close();
      const message = (err as Error).message;
      if (env.APP_ENV === 'production')
        throw new ConfigError([
          `${message}; in production the service does not start without its secret manager`,
        ]);
      logger.warn(
        { provider: 'infisical', err: message },
        'Infisical unavailable: secrets come from the environment',
      );
    }
  }
  const chain = createSecretChain([
    ...(options.providers ?? []),
    ...(infisical ? [infisical] : []),
    createEnvSecretProvider(env),
  ]);
  return { env, chain, infisical, logger };
}

/**
 * What every entry point does first: the environment over `.env`, secrets resolved through the
 * provider chain, then the service's schema and the production guardrails. Secrets are read once.
 */
export async function loadServiceConfig<S extends z.ZodObject>(
  schema: S,
  processEnv: NodeJS.ProcessEnv,
  options: LoadOptions = {},
): Promise<Readonly<z.infer<S>>> {
  const { env, chain, infisical } = await openSecrets(processEnv, options);
  try {
    return parseConfig(schema, await resolveSecrets(env, chain, SECRET_NAMES));
  } finally {
    infisical?.close();
  }
}

/** A configuration whose secrets follow the secret manager while the service runs. */
export interface LiveConfig<T> {
  /** The configuration parsed at start. */
  readonly initial: T;
  /** The newest configuration that parsed: rotated secrets replace the start-up values here. */
  current(): T;
  /**
   * Called after a refresh with the names of the changed secrets this service reads and the new
   * configuration. A rotated value that fails the schema or the guardrails is refused with a warning.
   */
  onChange(listener: (names: readonly string[], config: T) => void): () => void;
  /** Stops the background refresh. */
  close(): void;
}

/** A {@link LiveConfig} whose owner announces each new configuration. */
export interface LiveConfigSource<T> extends LiveConfig<T> {
  /** Makes `config` current and tells the listeners which secrets changed. */
  publish(names: readonly string[], config: T): void;
}

/**
 * The holder behind {@link loadLiveServiceConfig}. Given only a configuration it never changes:
 * what a composition root uses when it is handed a plain configuration (tests, embedders).
 */
export function createLiveConfig<T>(initial: T, stop: () => void = () => {}): LiveConfigSource<T> {
  let current = initial;
  const listeners = new Set<(names: readonly string[], config: T) => void>();
  return {
    initial,
    current: () => current,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish(names, config) {
      current = config;
      for (const l of [...listeners]) l(names, config);
    },
    close() {
      listeners.clear();
      stop();
    },
  };
}

/**
 * {@link loadServiceConfig}, plus Infisical's background refresh (every INFISICAL_REFRESH_SECONDS):
 * for the call sites that read a secret per use (`current()`) or can swap a client (`onChange`).
 * Without Infisical the configuration never changes.
 */
export async function loadLiveServiceConfig<S extends z.ZodObject>(
  schema: S,
  processEnv: NodeJS.ProcessEnv,
  options: LoadOptions = {},
): Promise<LiveConfig<Readonly<z.infer<S>>>> {
  type T = Readonly<z.infer<S>>;
  const { env, chain, infisical, logger } = await openSecrets(processEnv, options);
  const read = async () => parseConfig(schema, await resolveSecrets(env, chain, SECRET_NAMES));
  let initial: T;
  try {
    initial = await read();
  } catch (err) {
    infisical?.close();
    throw err;
  }
  const live = createLiveConfig<T>(initial, () => infisical?.close());
  const known = new Set<string>(SECRET_NAMES.filter((n) => n in schema.shape));
  infisical?.onChange((names) => {
    const relevant = names.filter((n) => known.has(n));
    if (relevant.length === 0) return;
    read().then(
      (next) => live.publish(relevant, next),
      (err: unknown) =>
        logger.warn(
          { provider: 'infisical', secrets: relevant, err: (err as Error).message },
          'rotated secrets make an invalid configuration; the previous values stay in use',
        ),
    );
  });
  infisical?.watch();
  return live;
}
