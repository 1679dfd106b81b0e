import { basicAuthorization } from '@mcp-langgraph/protocol';
import type { VerifiedToken } from './verifier.js';

export interface RevocationFeedOptions {
  /** The authorization server's `/revocations` endpoint. */
  url: string;
  clientId: string;
  clientSecret: string;
  /** How often the feed is fetched: the longest a revoked token keeps working here. */
  intervalMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Told about failed fetches; the last good list stays in force meanwhile. */
  onError?: (err: Error) => void;
}

export interface RevocationFeed {
  /** True when the token was revoked or its user disabled, as of the last fetch. */
  isRevoked(token: VerifiedToken): boolean;
  /** Fetches now; resolves once the list is current (rejects when the fetch fails). */
  refresh(): Promise<void>;
  start(): void;
  stop(): void;
}

/**
 * Keeps this resource server's copy of the authorization server's revocations: deny-listed access
 * tokens (`jti`) and disabled users. Signature checks need no network; this list is what makes a
 * revocation or a disabled account take effect before the token expires.
 */
export function createRevocationFeed(options: RevocationFeedOptions): RevocationFeed {
  const doFetch = options.fetch ?? fetch;
  const interval = options.intervalMs ?? 10_000;
  const auth = basicAuthorization(options.clientId, options.clientSecret);
  let jtis = new Set<string>();
  let subjects = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  async function refresh(): Promise<void> {
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
  }

  return {
    isRevoked: (token) => jtis.has(token.jti) || (token.subType === 'user' && subjects.has(token.sub)),
    refresh,
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
