import { InfisicalSDK } from '@infisical/sdk';
import type { SecretProvider } from './secrets.js';

/** Where the provider reports what it did: names and reasons only, never a value. */
export interface SecretsLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
}

/** Universal-auth credentials and the folder the secrets are read from. */
export interface InfisicalSettings {
  siteUrl: string;
  clientId: string;
  clientSecret: string;
  projectId: string;
  environment: string;
  secretPath: string;
  /** How long fetched values are trusted; the background refresh runs at this interval. */
  refreshMs: number;
  /** Longest {@link InfisicalProvider.start} waits for the login and the first fetch. */
  timeoutMs: number;
}

export class InfisicalUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InfisicalUnavailableError';
  }
}

/**
 * Infisical as a {@link SecretProvider}: every secret of one folder is fetched at start and kept in
 * memory; `watch()` refreshes them in the background, so a value rotated in Infisical reaches
 * {@link current} and the `onChange` listeners within one refresh interval, without a restart.
 */
export interface InfisicalProvider extends SecretProvider {
  /** Logs in and fetches the secrets; rejects with {@link InfisicalUnavailableError} by the deadline. */
  start(): Promise<void>;
  /** The newest fetched value (undefined when Infisical does not hold the name). */
  current(name: string): string | undefined;
  /** Fetches again now; resolves with the names whose value changed (none when the fetch failed). */
  refresh(): Promise<string[]>;
  /** Refreshes every `refreshMs` until {@link close}; the timer never keeps the process alive. */
  watch(): void;
  /** Called after a refresh with the names (never the values) of the secrets that changed. */
  onChange(listener: (names: readonly string[]) => void): () => void;
  close(): void;
}

export function createInfisicalProvider(
  settings: InfisicalSettings,
  deps: { logger: SecretsLogger; now?: () => number },
): InfisicalProvider {
  const now = deps.now ?? Date.now;
  const sdk = new InfisicalSDK({ siteUrl: settings.siteUrl });
  let values = new Map<string, string>();
  let loggedIn = false;
  let fetchedAt = 0;
  let inflight: Promise<string[]> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const listeners = new Set<(names: readonly string[]) => void>();

  /** The SDK's message, with anything credential-like removed; the URL and status are kept. */
  function reason(err: unknown): string {
    const raw = err instanceof Error ? err.message : String(err);
    let out = raw.split(settings.clientSecret).join('[redacted]');
    out = out.replace(/Bearer\s+[\w.~+/=-]+/gi, 'Bearer [redacted]');
    return out.length > 300 ? `${out.slice(0, 300)}…` : out;
  }

  async function login(): Promise<void> {
    await sdk.auth().universalAuth.login({
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
    });
    loggedIn = true;
  }

  async function list() {
    return sdk.secrets().listSecretsWithImports({
      projectId: settings.projectId,
      environment: settings.environment,
      secretPath: settings.secretPath,
      expandSecretReferences: true,
      viewSecretValue: true,
      recursive: false,
    });
  }

  async function fetchAll(): Promise<Map<string, string>> {
    // The SDK keeps the token but not its lifetime: log in once, and again when a fetch is refused.
    if (!loggedIn) await login();
    let secrets: Awaited<ReturnType<typeof list>>;
    try {
      secrets = await list();
    } catch (err) {
      // An expired or revoked token: one fresh login, then the same request again.
      if (!/\[StatusCode=(401|403)\]/.test(reason(err))) throw err;
      await login();
      secrets = await list();
    }
    const next = new Map<string, string>();
    const hidden: string[] = [];
    for (const s of secrets) {
      if (s.secretValueHidden) hidden.push(s.secretKey);
      else if (!next.has(s.secretKey)) next.set(s.secretKey, s.secretValue);
    }
    if (hidden.length > 0)
      deps.logger.warn(
        { provider: 'infisical', secrets: hidden },
        'the machine identity may not read these secrets’ values; they are ignored',
      );
    return next;
  }

  function changedNames(next: Map<string, string>): string[] {
    const names = new Set([...values.keys(), ...next.keys()]);
    return [...names].filter((n) => values.get(n) !== next.get(n)).sort();
  }

  function refresh(): Promise<string[]> {
    inflight ??= fetchAll()
      .then((next) => {
        const changed = fetchedAt === 0 ? [] : changedNames(next);
        values = next;
        fetchedAt = now();
        if (changed.length > 0) {
          deps.logger.info({ provider: 'infisical', secrets: changed }, 'secrets changed in Infisical');
          for (const l of listeners) l(changed);
        }
        return changed;
      })
      .catch((err: unknown) => {
        deps.logger.warn(
          { provider: 'infisical', err: reason(err) },
          'secret refresh failed; the last fetched values stay in use',
        );
        return [];
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  }

  return {
    name: 'infisical',
    async start() {
      let deadline: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_, reject) => {
        deadline = setTimeout(
          () => reject(new InfisicalUnavailableError(`no answer within ${settings.timeoutMs} ms`)),
          settings.timeoutMs,
        );
      });
      try {
        values = await Promise.race([fetchAll(), expired]);
        fetchedAt = now();
      } catch (err) {
        throw new InfisicalUnavailableError(
          `Infisical at ${settings.siteUrl} could not be read (project ${settings.projectId}, environment ${settings.environment}, path ${settings.secretPath}): ${reason(err)}`,
        );
      } finally {
        clearTimeout(deadline);
      }
    },
    async get(name) {
      // A read after the values went stale starts a refresh; this read still gets the cached value.
      if (fetchedAt > 0 && now() - fetchedAt >= settings.refreshMs) void refresh();
      return values.get(name);
    },
    current: (name) => values.get(name),
    refresh,
    watch() {
      if (timer) return;
      timer = setInterval(() => void refresh(), settings.refreshMs);
      timer.unref();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      listeners.clear();
    },
  };
}
