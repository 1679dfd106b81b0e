import type { Logger } from '@mcp-langgraph/observability';
import type { Registry } from 'prom-client';
import { createJwksClient } from './jwks.js';
import { createRevocationFeed, type RevocationFeed } from './revocations.js';
import { createTokenVerifier, type TokenVerifier } from './verifier.js';

export interface TokenVerificationOptions {
  issuer: string;
  /** This resource server's identifiers: accepted `aud` values. */
  audiences: readonly string[];
  /** The authorization server's JWKS and revocation feed. */
  endpoints: { jwks: string; revocations: string };
  /** This resource server's confidential client, which the revocation feed answers. */
  client: { id: string; secret: string };
  /** `REVOCATION_POLL_MS`. */
  pollMs: number;
  /** `REVOCATION_MAX_STALENESS_MS`; three poll intervals when undefined. */
  maxStalenessMs?: number | undefined;
  /** `AUTH_CLOCK_TOLERANCE_SECONDS`. */
  clockToleranceSec: number;
  /** Accept only tokens exchanged by these actors (`act.sub`). */
  allowedActors?: readonly string[] | undefined;
  logger: Logger;
  registry: Registry;
  fetch?: typeof fetch;
}

export interface TokenVerification {
  verifier: TokenVerifier;
  revocations: RevocationFeed;
  stop(): void;
}

/**
 * How a resource server of the platform checks access tokens: signature and claims against the
 * authorization server's JWKS, and revocation against its polled feed, fail-closed once the feed
 * is stale. Fetches the feed once before resolving (a failure is logged; the staleness grace
 * period runs from now) and keeps polling until `stop`.
 */
export async function startTokenVerification(options: TokenVerificationOptions): Promise<TokenVerification> {
  const { logger } = options;
  const revocations = createRevocationFeed({
    url: options.endpoints.revocations,
    clientId: options.client.id,
    clientSecret: options.client.secret,
    intervalMs: options.pollMs,
    maxStalenessMs: options.maxStalenessMs,
    fetch: options.fetch,
    registry: options.registry,
    onError: (err) => logger.warn({ err: err.message }, 'revocation feed not refreshed'),
    onStale: (stale, lastSuccessAt) => {
      if (stale)
        logger.error(
          { last_success: lastSuccessAt ? new Date(lastSuccessAt).toISOString() : null },
          'revocation feed is stale: refusing tokens issued before its last good list',
        );
      else logger.info('revocation feed is current again');
    },
  });
  await revocations
    .refresh()
    .catch((err: Error) =>
      logger.warn({ err: err.message }, 'revocation feed unavailable at start; retrying in the background'),
    );
  revocations.start();
  const verifier = createTokenVerifier({
    issuer: options.issuer,
    audiences: options.audiences,
    jwks: createJwksClient({
      jwksUrl: options.endpoints.jwks,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
    clockToleranceSec: options.clockToleranceSec,
    allowedActors: options.allowedActors,
    revocation: revocations.verdict,
  });
  return { verifier, revocations, stop: () => revocations.stop() };
}
