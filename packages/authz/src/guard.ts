import { Counter, Histogram, type Registry } from 'prom-client';
import type { Authorizer, CheckRequest, ListObjectsRequest, TupleKey } from './authorizer.js';
import { type BatchAuthorizer, batchCheckOf } from './decision-cache.js';
import { AuthzError } from './errors.js';

export interface CircuitBreakerOptions {
  /** Consecutive engine failures that open the circuit (default 5). */
  failureThreshold?: number | undefined;
  /** How long the circuit stays open before one trial request is let through (default 5,000 ms). */
  resetAfterMs?: number | undefined;
  now?: (() => number) | undefined;
}

export interface GuardOptions {
  /** Registry for `authz_checks_total`, `authz_check_duration_seconds`, `authz_failures_total`. */
  registry?: Registry | undefined;
  /** `false` leaves the circuit out (only counting and error mapping remain). */
  breaker?: CircuitBreakerOptions | false | undefined;
}

/** Refusals about the request or the data, not the engine's health: they never open the circuit. */
const NOT_ENGINE_FAILURES = new Set([
  'validation_error',
  'invalid_tuple',
  'type_not_found',
  'relation_not_found',
  'resolution_too_complex',
]);

function metric<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * Makes failures explicit and bounded: any error that is not the caller's fault becomes
 * `AuthzError('unavailable')` (callers deny: fail closed), consecutive failures open a circuit that
 * rejects at once instead of waiting on a dead engine, and every decision is counted.
 */
export function withGuard(inner: Authorizer, options: GuardOptions = {}): BatchAuthorizer {
  const breaker = options.breaker === false ? undefined : (options.breaker ?? {});
  const threshold = breaker?.failureThreshold ?? 5;
  const resetAfter = breaker?.resetAfterMs ?? 5000;
  const now = breaker?.now ?? Date.now;
  let failures = 0;
  let openUntil = 0;
  let trialInFlight = false;
  const innerBatch = batchCheckOf(inner);

  const registry = options.registry;
  const checks = registry
    ? metric(
        registry,
        'authz_checks_total',
        () =>
          new Counter({
            name: 'authz_checks_total',
            help: 'Authorization checks by decision (allow, deny, error).',
            labelNames: ['decision'],
            registers: [registry],
          }),
      )
    : undefined;
  const duration = registry
    ? metric(
        registry,
        'authz_check_duration_seconds',
        () =>
          new Histogram({
            name: 'authz_check_duration_seconds',
            help: 'Time to decide an authorization check.',
            buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
            registers: [registry],
          }),
      )
    : undefined;
  const failuresTotal = registry
    ? metric(
        registry,
        'authz_failures_total',
        () =>
          new Counter({
            name: 'authz_failures_total',
            help: 'Authorization requests that failed because the engine could not decide (answered as deny).',
            registers: [registry],
          }),
      )
    : undefined;

  async function guarded<T>(run: () => Promise<T>): Promise<T> {
    const open = openUntil > now();
    if (open || (openUntil !== 0 && trialInFlight)) {
      failuresTotal?.inc();
      throw new AuthzError('unavailable', 'the authorization engine is unavailable (circuit open)');
    }
    const trial = openUntil !== 0;
    if (trial) trialInFlight = true;
    try {
      const result = await run();
      failures = 0;
      openUntil = 0;
      return result;
    } catch (err) {
      if (err instanceof AuthzError && NOT_ENGINE_FAILURES.has(err.code)) {
        failures = 0;
        openUntil = 0;
        throw err;
      }
      failuresTotal?.inc();
      failures++;
      if (breaker && (trial || failures >= threshold)) openUntil = now() + resetAfter;
      throw err instanceof AuthzError
        ? err
        : new AuthzError('unavailable', 'the authorization engine failed', { cause: err });
    } finally {
      if (trial) trialInFlight = false;
    }
  }

  async function timed(requests: readonly CheckRequest[], run: () => Promise<boolean[]>): Promise<boolean[]> {
    const stop = duration?.startTimer();
    try {
      const answers = await guarded(run);
      for (const allowed of answers) checks?.inc({ decision: allowed ? 'allow' : 'deny' });
      return answers;
    } catch (err) {
      checks?.inc({ decision: 'error' }, requests.length);
      throw err;
    } finally {
      stop?.();
    }
  }

  return {
    async check(request) {
      const [allowed] = await timed([request], async () => [await inner.check(request)]);
      return allowed === true;
    },
    batchCheck: (requests) =>
      requests.length === 0 ? Promise.resolve([]) : timed(requests, () => innerBatch(requests)),
    listObjects: (request: ListObjectsRequest) => guarded(() => inner.listObjects(request)),
    write: (writes: readonly TupleKey[], deletes?: readonly TupleKey[]) =>
      guarded(() => inner.write(writes, deletes)),
    ping: () => guarded(() => inner.ping()),
    close: () => inner.close(),
  };
}
