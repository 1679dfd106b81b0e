import type { SecretsLogger } from './infisical.js';
import type { LiveConfig } from './load.js';
import type { SECRET_NAMES } from './schema.js';

export type SecretName = (typeof SECRET_NAMES)[number];

/**
 * A secret that may rotate while the service runs. Two services (or Kong and a service) see a
 * rotation up to one refresh interval apart, so the value it replaced is still accepted, and still
 * tried by a sender that is refused, until the overlap window ends.
 */
export interface RotatingSecret {
  readonly name: string;
  /** The value to present now (undefined when the secret is not set). */
  current(): string | undefined;
  /** The values to accept or try now, in order: the current one, then the replaced one within the window. */
  accepted(): readonly string[];
  /**
   * Makes `next` current. Whether the secret is set at all is decided at start (it turns a check
   * on or off): removing it, or setting one that was unset, throws and the current value stays.
   */
  rotate(next: string | undefined): void;
}

export function createRotatingSecret(
  name: string,
  initial: string | undefined,
  options: { overlapMs: number; now?: () => number },
): RotatingSecret {
  const now = options.now ?? Date.now;
  let value = initial;
  let previous: { value: string; until: number } | undefined;
  return {
    name,
    current: () => value,
    accepted() {
      if (value === undefined) return [];
      if (previous && previous.until > now() && previous.value !== value) return [value, previous.value];
      previous = undefined;
      return [value];
    },
    rotate(next) {
      if (next === value) return;
      if (next === undefined || next === '') {
        if (value === undefined) return;
        throw new Error(`${name} was removed; the previous value stays in use until a restart`);
      }
      if (value === undefined)
        throw new Error(`${name} was not set at start; it takes effect at the next restart`);
      previous = { value, until: now() + options.overlapMs };
      value = next;
    },
  };
}

/**
 * How long a replaced secret is still accepted: two refresh intervals, so every service (each
 * refreshing on its own timer) has seen the new value before the old one is refused.
 */
export function rotationOverlapMs(config: { INFISICAL_REFRESH_SECONDS: number }): number {
  return 2 * config.INFISICAL_REFRESH_SECONDS * 1000;
}

export interface SecretRotationOptions<T> {
  logger: SecretsLogger;
  /**
   * How each secret applied while the service runs takes its new value. A throw (or rejection)
   * keeps the previous value in use and is logged as a warning; names not listed take effect at
   * the next restart, and a warning says so.
   */
  apply: Partial<Record<SecretName, (config: T) => void | Promise<void>>>;
  /** Told what became of each changed secret (observability's `secretRotationCounter`). */
  count?: (secret: SecretName, outcome: RotationOutcome) => void;
}

/** What became of a changed secret: in use now, kept at the previous value, or waiting for a restart. */
export type RotationOutcome = 'applied' | 'refused' | 'restart_required';

/**
 * Follows a live configuration's rotations: each changed secret is applied (in the order the
 * changes arrive, one at a time) or named as needing a restart. Logs carry the secret's name,
 * never its value. Returns the function that stops following.
 */
export function followSecretRotations<T>(
  live: LiveConfig<T>,
  options: SecretRotationOptions<T>,
): { stop(): void; settled(): Promise<void> } {
  const { logger } = options;
  let queue = Promise.resolve();
  const stop = live.onChange((names, config) => {
    queue = queue.then(async () => {
      for (const name of names as readonly SecretName[]) {
        const apply = options.apply[name];
        if (!apply) {
          logger.warn({ secrets: [name] }, `${name} changed; it takes effect at the next restart`);
          options.count?.(name, 'restart_required');
          continue;
        }
        try {
          await apply(config);
          logger.info({ secrets: [name] }, 'rotated secret applied without a restart');
          options.count?.(name, 'applied');
        } catch (err) {
          logger.warn(
            { secrets: [name], err: err instanceof Error ? err.message : String(err) },
            'rotated secret not applied; the previous value stays in use',
          );
          options.count?.(name, 'refused');
        }
      }
    });
  });
  return { stop, settled: () => queue };
}
