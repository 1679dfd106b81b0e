/** Thrown instead of calling while the breaker is open: nothing was sent. */
export class CircuitOpenError extends Error {
  constructor(readonly retryInMs: number) {
    super('the circuit is open');
    this.name = 'CircuitOpenError';
  }
}

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long it stays open before one trial call is let through. */
  openMs: number;
  /** Milliseconds since the epoch. */
  now?: () => number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * A circuit breaker: after `failureThreshold` failures in a row, calls fail at once for
 * `openMs` (no connection attempted, so a caller learns the dependency is down without waiting for
 * a timeout); then a single trial call decides whether it closes again or stays open.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions) {
  const now = options.now ?? Date.now;
  let failures = 0;
  let openedAt: number | undefined;
  let trialInFlight = false;
  let lastFailure: string | undefined;

  function state(): CircuitState {
    if (openedAt === undefined) return 'closed';
    return now() - openedAt >= options.openMs ? 'half-open' : 'open';
  }

  return {
    state,
    /** Why it opened, for readiness. */
    lastFailure: () => lastFailure,
    /**
     * Admits one call or throws {@link CircuitOpenError}. While half-open only one trial is
     * admitted; the others are refused until it settles.
     */
    admit(): { trial: boolean } {
      const s = state();
      if (s === 'closed') return { trial: false };
      if (s === 'half-open' && !trialInFlight) {
        trialInFlight = true;
        return { trial: true };
      }
      throw new CircuitOpenError(Math.max(0, options.openMs - (now() - (openedAt ?? 0))));
    },
    success(trial: boolean) {
      if (trial) trialInFlight = false;
      failures = 0;
      openedAt = undefined;
      lastFailure = undefined;
    },
    failure(trial: boolean, reason: string) {
      if (trial) trialInFlight = false;
      failures += 1;
      lastFailure = reason;
      if (trial || failures >= options.failureThreshold) openedAt = now();
    },
    /** A call that neither proved nor disproved the dependency (the caller went away). */
    release(trial: boolean) {
      if (trial) trialInFlight = false;
    },
  };
}

export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;
