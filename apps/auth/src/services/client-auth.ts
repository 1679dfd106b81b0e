import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { z } from 'zod';
import type { ClientRecord, ClientStore } from '../store/clients.js';
import { oauthError } from './oauth-error.js';
import { optionalParam, readParams } from './oauth-params.js';
import type { PasswordHasher } from './passwords.js';

export interface AuthenticatedClient {
  client: ClientRecord;
  /** How the client proved itself; `none` for public clients (PKCE does the rest). */
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

export type ClientAuthenticator = ReturnType<typeof createClientAuthenticator>;

const credentialParams = z.object({ client_id: optionalParam(), client_secret: optionalParam(512) });

const BASIC_CHALLENGE = { 'WWW-Authenticate': 'Basic realm="oauth", charset="UTF-8"' };

function decodeBasic(header: string): { id: string; secret: string } | undefined {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!m) return undefined;
  const raw = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = raw.indexOf(':');
  if (i < 0) return undefined;
  try {
    // RFC 6749 2.3.1: both halves are form-encoded before being joined.
    const dec = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { id: dec(raw.slice(0, i)), secret: dec(raw.slice(i + 1)) };
  } catch {
    return undefined;
  }
}

/**
 * Client authentication at the token, revocation and introspection endpoints: HTTP Basic,
 * `client_secret_post`, or a bare `client_id` for public clients. Secrets are argon2id hashes;
 * a successful check is remembered briefly (keyed by the stored hash, so a rotated secret misses).
 */
export function createClientAuthenticator(deps: {
  clients: ClientStore;
  passwords: PasswordHasher;
  /** Resolves clients not in the store, such as Client ID Metadata Documents. */
  resolveExternal?: (clientId: string) => Promise<ClientRecord | undefined>;
  /**
   * The secrets the configuration gives a first-party client (the edge's, the agent's), accepted
   * besides its stored hash: the current value and, for a short overlap after a rotation, the one
   * it replaced, so a client and this server need not see a rotation at the same instant.
   */
  configuredSecrets?: ((clientId: string) => readonly string[]) | undefined;
  now: () => number;
}) {
  const verified = new Map<string, number>();
  const CACHE_SECONDS = 300;

  function isConfiguredSecret(client: ClientRecord, secret: string): boolean {
    if (!client.firstParty || !deps.configuredSecrets) return false;
    const given = createHash('sha256').update(secret).digest();
    let ok = false;
    for (const value of deps.configuredSecrets(client.clientId))
      ok = timingSafeEqual(given, createHash('sha256').update(value).digest()) || ok;
    return ok;
  }

  async function checkSecret(client: ClientRecord, secret: string): Promise<boolean> {
    if (!client.secretHash) return false;
    if (isConfiguredSecret(client, secret)) return true;
    const key = createHash('sha256')
      .update(`${client.clientId}\0${secret}\0${client.secretHash}`)
      .digest('base64');
    const until = verified.get(key);
    if (until !== undefined && until > deps.now()) return true;
    const ok = await deps.passwords.verify(client.secretHash, secret);
    if (ok) {
      if (verified.size > 10_000) verified.clear();
      verified.set(key, deps.now() + CACHE_SECONDS);
    }
    return ok;
  }

  async function lookup(clientId: string): Promise<ClientRecord | undefined> {
    const c = await deps.clients.get(clientId);
    if (c) return c;
    return deps.resolveExternal ? deps.resolveExternal(clientId) : undefined;
  }

  return {
    lookup,
    async authenticate(req: Request): Promise<AuthenticatedClient> {
      const header = req.get('authorization');
      const { client_id: bodyId, client_secret: bodySecret } = readParams(credentialParams, req.body);
      if (header) {
        const basic = decodeBasic(header);
        if (!basic) throw oauthError('invalid_client', 'client authentication failed', 401, BASIC_CHALLENGE);
        if (bodySecret !== undefined)
          throw oauthError('invalid_request', 'use only one client authentication method');
        if (bodyId !== undefined && bodyId !== basic.id)
          throw oauthError('invalid_request', 'client_id does not match the authenticated client');
        const client = basic.id.length <= 2048 ? await deps.clients.get(basic.id) : undefined;
        if (!client || client.disabled || !(await checkSecret(client, basic.secret)))
          throw oauthError('invalid_client', 'client authentication failed', 401, BASIC_CHALLENGE);
        return { client, method: 'client_secret_basic' };
      }
      if (!bodyId) throw oauthError('invalid_client', 'client authentication failed', 401);
      if (bodySecret !== undefined) {
        const client = await deps.clients.get(bodyId);
        if (!client || client.disabled || !(await checkSecret(client, bodySecret)))
          throw oauthError('invalid_client', 'client authentication failed', 401);
        return { client, method: 'client_secret_post' };
      }
      const client = await lookup(bodyId);
      // A confidential client must prove itself; only public clients may name themselves.
      if (!client || client.disabled || client.authMethod !== 'none' || client.secretHash)
        throw oauthError('invalid_client', 'client authentication failed', 401);
      return { client, method: 'none' };
    },
  };
}
