import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { DEFAULT_SCOPES, GRANT_TYPE, parseScope } from '@mcp-langgraph/protocol';
import type { ClientRecord } from '../store/clients.js';
import { isAcceptableRedirectUri, PUBLIC_CLIENT_GRANTS } from './redirect-uris.js';

/** A fetched document: the status, the body text, and how long it may be cached (seconds). */
export interface FetchedDocument {
  status: number;
  body: string;
  maxAge?: number | undefined;
}

export type DocumentFetcher = (url: URL) => Promise<FetchedDocument>;

export interface ClientMetadataOptions {
  /** Development only: allow documents on loopback and private networks. */
  allowPrivateAddresses: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  /** Cache lifetime bounds (seconds); the document's `Cache-Control: max-age` is clamped into them. */
  minCacheSeconds?: number;
  maxCacheSeconds?: number;
  now: () => number;
  /** Replaces the HTTPS fetch (tests). */
  fetchDocument?: DocumentFetcher;
}

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['64:ff9b::', 96],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

/** Whether an address is loopback, private, link-local, reserved or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  const family = isIP(bare);
  if (family === 0) return true;
  return PRIVATE.check(bare, family === 4 ? 'ipv4' : 'ipv6');
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

class DocumentError extends Error {}

/** HTTPS GET without redirects, with a size and time limit, refusing private addresses unless allowed. */
export function createHttpsFetcher(o: {
  allowPrivateAddresses: boolean;
  timeoutMs: number;
  maxBytes: number;
}) {
  return (url: URL): Promise<FetchedDocument> =>
    new Promise((resolve, reject) => {
      const host = url.hostname;
      if (!o.allowPrivateAddresses && isIP(host.replace(/^\[|\]$/g, '')) !== 0 && isPrivateAddress(host)) {
        reject(new DocumentError('the document is on a private address'));
        return;
      }
      const req = request(
        url,
        {
          method: 'GET',
          headers: { accept: 'application/json' },
          timeout: o.timeoutMs,
          // Every address the name resolves to is checked before connecting (no DNS rebinding past it).
          lookup: (hostname, options, callback) => {
            dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
              if (err) return callback(err, '', 4);
              const list = addresses as LookupAddress[];
              if (!o.allowPrivateAddresses && list.some((a) => isPrivateAddress(a.address)))
                return callback(new DocumentError('the document host resolves to a private address'), '', 4);
              const first = list[0];
              if (!first) return callback(new DocumentError('the document host has no address'), '', 4);
              if ((options as { all?: boolean }).all)
                return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
              callback(null, first.address, first.family);
            });
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > o.maxBytes) {
              req.destroy(new DocumentError('the document is too large'));
              return;
            }
            chunks.push(c);
          });
          res.on('end', () => {
            const cc = String(res.headers['cache-control'] ?? '');
            const m = /max-age=(\d+)/.exec(cc);
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              maxAge: /no-store|no-cache/.test(cc) ? 0 : m ? Number(m[1]) : undefined,
            });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new DocumentError('the document took too long')));
      req.on('error', reject);
      req.end();
    });
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
