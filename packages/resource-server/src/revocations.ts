import { basicAuthorization } from '@mcp-langgraph/protocol';
import { Gauge, type Registry } from 'prom-client';
import type { RevocationVerdict, VerifiedToken } from './verifier.js';

export interface RevocationFeedOptions {
  /** The authorization server's `/revocations` endpoint. */
  url: string;
  clientId: string;
  clientSecret: string;
  /** How often the feed is fetched: the longest a revoked token keeps working here. */
  intervalMs?: number;
  /**
   * How long without a successful fetch before the list counts as stale
   * (`REVOCATION_MAX_STALENESS_MS`; three intervals by default). While it is stale, tokens issued
   * before the last successful fetch are refused: they may have been revoked since.
   */
  maxStalenessMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
  /** Told about failed fetches. */
  onError?: (err: Error) => void;
  /** Told once each time the list turns stale, and once when it is fresh again. */
  onStale?: (stale: boolean, lastSuccessAt: number | undefined) => void;
  /** Where to register `revocation_feed_age_seconds` (seconds since the last successful fetch). */
  registry?: Registry;
}

export interface RevocationFeed {
  /**
   * `revoked` when the token, or the token it was exchanged from, was revoked or its user
   * disabled, as of the last fetch; `stale` when the list is out of date and the token older than
   * it; otherwise undefined.
   */
  verdict(token: VerifiedToken): RevocationVerdict;
  /** Fetches now; resolves once the list is current (rejects when the fetch fails). */
  refresh(): Promise<void>;
  /** Milliseconds since the epoch of the last successful fetch (when it was sent). */
  lastSuccessAt(): number | undefined;
  start(): void;
  stop(): void;
}

/**
 * Keeps this resource server's copy of the authorization server's revocations: deny-listed access
 * tokens (`jti`) and disabled users. Signature checks need no network; this list is what makes a
 * revocation or a disabled account take effect before the token expires.
 *
 * It fails closed on its own age: once no fetch has succeeded for `maxStalenessMs`, a token issued
 * before the last successful fetch could have been revoked without this server knowing, so it is
 * refused. Tokens issued after that fetch are newer than anything the list could have missed
 * about them for at most their own lifetime; they stay accepted. Before the first successful
 * fetch, the grace period is counted from start-up, then every token is refused.
 */
export function createRevocationFeed(options: RevocationFeedOptions): RevocationFeed {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 10_000;
  const maxStaleness = options.maxStalenessMs ?? interval * 3;
  const auth = basicAuthorization(options.clientId, options.clientSecret);
  const startedAt = now();
  let jtis = new Set<string>();
  let subjects = new Set<string>();
  let lastSuccess: number | undefined;
  let reportedStale = false;
  let timer: NodeJS.Timeout | undefined;

  if (options.registry)
    new Gauge({
      name: 'revocation_feed_age_seconds',
      help: 'Seconds since the revocation feed was last fetched successfully (since start-up before the first)',
      registers: [options.registry],
      collect() {
        this.set((now() - (lastSuccess ?? startedAt)) / 1000);
      },
    });

  async function refresh(): Promise<void> {
    const sentAt = now();
    const res = await doFetch(options.url, {
      headers: { authorization: auth, accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    if (!res.ok) throw new Error(`revocation feed answered ${res.status}`);
    const body = (await res.json()) as { jtis?: unknown; disabled_subjects?: unknown };
    if (!Array.isArray(body.jtis) || !Array.isArray(body.disabled_subjects))
      throw new Error('revocation feed answered an unexpected document');
    jtis = new Set(body.jtis.filter((x): x is string => typeof x === 'string'));
    subjects = new Set(body.disabled_subjects.filter((x): x is string => typeof x === 'string'));
    lastSuccess = sentAt;
    if (reportedStale) {
      reportedStale = false;
      options.onStale?.(false, lastSuccess);
    }
  }

  function stale(): boolean {
    const isStale = now() - (lastSuccess ?? startedAt) > maxStaleness;
    if (isStale && !reportedStale) {
      reportedStale = true;
      options.onStale?.(true, lastSuccess);
    }
    return isStale;
  }

  return {
    verdict(token) {
      if (jtis.has(token.jti) || (token.subjectJti !== undefined && jtis.has(token.subjectJti)))
        return 'revoked';
      if (token.subType === 'user' && subjects.has(token.sub)) return 'revoked';
      if (!stale()) return undefined;
      // Without `iat` the token's age is unknown: treat it as older than the list.
      const issuedMs = (token.issuedAt ?? 0) * 1000;
      return lastSuccess !== undefined && issuedMs >= lastSuccess ? undefined : 'stale';
    },
    refresh,
    lastSuccessAt: () => lastSuccess,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        refresh().catch((err: Error) => options.onError?.(err));
      }, interval);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
