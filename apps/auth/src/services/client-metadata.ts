import { DEFAULT_SCOPES, GRANT_TYPE, parseScope } from '@mcp-langgraph/protocol';
import type { ClientRecord } from '../store/clients.js';
import { createHttpsFetcher, DocumentError, type DocumentFetcher } from './https-fetcher.js';
import { isAcceptableRedirectUri, PUBLIC_CLIENT_GRANTS } from './redirect-uris.js';

export { isPrivateAddress } from './address-policy.js';
export type { DocumentFetcher, FetchedDocument } from './https-fetcher.js';

export interface ClientMetadataOptions {
  /** Development only: allow documents on loopback and private networks (never link-local or metadata). */
  allowPrivateAddresses: boolean;
  /** Deadline for a whole fetch. */
  timeoutMs?: number;
  maxBytes?: number;
  /** Cache lifetime bounds (seconds); the document's `Cache-Control: max-age` is clamped into them. */
  minCacheSeconds?: number;
  maxCacheSeconds?: number;
  now: () => number;
  /** Replaces the HTTPS fetch (tests). */
  fetchDocument?: DocumentFetcher;
}

/**
 * Whether a client id is a Client ID Metadata Document URL: https, with a path, no fragment,
 * credentials, query or dot segments.
 */
export function isClientIdUrl(value: string): boolean {
  if (!value.startsWith('https://') || value.length > 2048) return false;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return false;
  }
  if (u.username || u.password || u.hash || u.search || value.includes('#')) return false;
  if (u.pathname === '/' || u.pathname === '') return false;
  if (
    value
      .split('?')[0]!
      .split('/')
      .slice(3)
      .some((s) => s === '.' || s === '..')
  )
    return false;
  return u.toString() === value;
}

function toClient(clientId: string, doc: unknown): ClientRecord {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new DocumentError('the document is not a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.client_id !== clientId) throw new DocumentError('client_id in the document does not match its URL');
  if ('client_secret' in d || 'client_secret_expires_at' in d)
    throw new DocumentError('a metadata document must not carry a client secret');
  const method = d.token_endpoint_auth_method ?? 'none';
  if (method !== 'none')
    throw new DocumentError('only public clients (token_endpoint_auth_method none) are accepted');
  const uris = d.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0 || uris.length > 20)
    throw new DocumentError('redirect_uris must list 1 to 20 URIs');
  if (!uris.every((u): u is string => typeof u === 'string' && isAcceptableRedirectUri(u)))
    throw new DocumentError('redirect URIs must use https, or http on a loopback address');
  const grants = d.grant_types ?? [GRANT_TYPE.authorizationCode];
  if (
    !Array.isArray(grants) ||
    !grants.includes(GRANT_TYPE.authorizationCode) ||
    grants.some((g) => !PUBLIC_CLIENT_GRANTS.includes(g))
  )
    throw new DocumentError('grant_types may only be authorization_code and refresh_token');
  const name =
    typeof d.client_name === 'string' && d.client_name.trim()
      ? d.client_name.trim().slice(0, 200)
      : new URL(clientId).hostname;
  const requested =
    typeof d.scope === 'string'
      ? parseScope(d.scope).scopes.filter((s) => DEFAULT_SCOPES.includes(s as never))
      : [];
  return {
    clientId,
    secretHash: null,
    name,
    redirectUris: uris,
    grantTypes: [...PUBLIC_CLIENT_GRANTS],
    authMethod: 'none',
    scopes: requested.length > 0 ? requested : [...DEFAULT_SCOPES],
    allowedAudiences: [],
    tier: 'free',
    firstParty: false,
    disabled: false,
    createdAt: 0,
  };
}

export type ClientMetadataResolver = ReturnType<typeof createClientMetadataResolver>;

/**
 * Resolves Client ID Metadata Documents: fetched over HTTPS only, validated, and cached (failures
 * briefly, documents for their `max-age` within bounds). Returns undefined for anything unusable.
 */
export function createClientMetadataResolver(options: ClientMetadataOptions) {
  const fetchDocument =
    options.fetchDocument ??
    createHttpsFetcher({
      allowPrivateAddresses: options.allowPrivateAddresses,
      timeoutMs: options.timeoutMs ?? 5000,
      maxBytes: options.maxBytes ?? 5120,
    });
  const minTtl = options.minCacheSeconds ?? 60;
  const maxTtl = options.maxCacheSeconds ?? 86_400;
  const cache = new Map<string, { client: ClientRecord | undefined; until: number; error?: string }>();
  const inflight = new Map<string, Promise<ClientRecord | undefined>>();

  async function load(clientId: string): Promise<ClientRecord | undefined> {
    const now = options.now();
    try {
      const doc = await fetchDocument(new URL(clientId));
      if (doc.status !== 200) throw new DocumentError(`the document answered ${doc.status}`);
      const client = toClient(clientId, JSON.parse(doc.body));
      const ttl = Math.min(maxTtl, Math.max(minTtl, doc.maxAge ?? 600));
      cache.set(clientId, { client: { ...client, createdAt: Math.floor(now) }, until: now + ttl });
    } catch (err) {
      cache.set(clientId, { client: undefined, until: now + 30, error: (err as Error).message });
    }
    if (cache.size > 1000) cache.delete(cache.keys().next().value as string);
    return cache.get(clientId)?.client;
  }

  return {
    async resolve(clientId: string): Promise<ClientRecord | undefined> {
      if (!isClientIdUrl(clientId)) return undefined;
      const hit = cache.get(clientId);
      if (hit && hit.until > options.now()) return hit.client;
      let p = inflight.get(clientId);
      if (!p) {
        p = load(clientId).finally(() => inflight.delete(clientId));
        inflight.set(clientId, p);
      }
      return p;
    },
    /** Why the last attempt for this client id failed (for logs), if it did. */
    lastError(clientId: string): string | undefined {
      return cache.get(clientId)?.error;
    },
  };
}
