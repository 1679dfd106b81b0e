import { type CircuitBreaker, CircuitOpenError } from './circuit-breaker.js';

/** Statuses that say the dependency, not the request, is in trouble. */
const UNAVAILABLE = new Set([502, 503, 504]);

/** What wraps every HTTP call to one dependency: its breaker, and retries for idempotent calls. */
/** What an attempt answers: a status, and a body to discard before a retry (none once read). */
export interface Answered {
  status: number;
  body?: { cancel(): Promise<void> } | null;
}

export interface AgentGuard {
  /**
   * Runs `attempt` (again, for an idempotent call that failed with the dependency unavailable)
   * unless the breaker is open; throws {@link CircuitOpenError} without calling it then.
   */
  call<R extends Answered>(
    idempotent: boolean,
    signal: AbortSignal | undefined,
    attempt: () => Promise<R>,
  ): Promise<R>;
}

/** No breaker, no retries. */
export const passThrough: AgentGuard = { call: (_idempotent, _signal, attempt) => attempt() };

export interface AgentGuardOptions {
  breaker: CircuitBreaker;
  /** Further attempts of an idempotent call (GETs, searches) after the first. */
  retries: number;
  /** First backoff; doubled after each attempt, with up to as much again of jitter. */
  backoffMs?: number;
  random?: () => number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * The breaker counts a thrown failure (unreachable, timed out) or a 502/503/504 answer; a call the
 * caller abandoned counts for nothing. Non-idempotent calls (creating threads and runs) are never
 * repeated: a retry could start the same run twice.
 */
export function createAgentGuard(options: AgentGuardOptions): AgentGuard {
  const backoff = options.backoffMs ?? 100;
  const random = options.random ?? Math.random;
  const { breaker } = options;

  async function once<R extends Answered>(signal: AbortSignal | undefined, attempt: () => Promise<R>) {
    const { trial } = breaker.admit();
    try {
      const res = await attempt();
      if (UNAVAILABLE.has(res.status)) breaker.failure(trial, `answered ${res.status}`);
      else breaker.success(trial);
      return res;
    } catch (err) {
      if (signal?.aborted) breaker.release(trial);
      else breaker.failure(trial, (err as Error).message);
      throw err;
    }
  }

  return {
    async call<R extends Answered>(
      idempotent: boolean,
      signal: AbortSignal | undefined,
      attempt: () => Promise<R>,
    ) {
      const attempts = idempotent ? options.retries + 1 : 1;
      for (let i = 1; ; i += 1) {
        let res: R;
        try {
          res = await once(signal, attempt);
        } catch (err) {
          if (err instanceof CircuitOpenError || signal?.aborted || i >= attempts) throw err;
          await sleep(backoff * 2 ** (i - 1) * (1 + random()), signal);
          continue;
        }
        if (!UNAVAILABLE.has(res.status) || i >= attempts) return res;
        await res.body?.cancel().catch(() => {});
        await sleep(backoff * 2 ** (i - 1) * (1 + random()), signal);
      }
    },
  };
}
