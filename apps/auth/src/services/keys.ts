import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import type { KeyStore, StoredKey } from '../store/settings.js';

/** One ES256 key: the private half signs (newest key only), the public half is published. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: JsonWebKey & { kid: string; alg: 'ES256'; use: 'sig' };
  createdAt: number;
}

export class KeyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyConfigError';
  }
}

/** RFC 7638 thumbprint: a stable `kid` derived from the public key itself. */
function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

function publicJwkOf(publicKey: KeyObject, kid: string): SigningKey['publicJwk'] {
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  return { kty, crv, x, y, kid, alg: 'ES256', use: 'sig' };
}

function fromPrivateJwk(jwk: JsonWebKey & { kid?: string }, createdAt: number): SigningKey {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d)
    throw new KeyConfigError('signing keys must be private EC P-256 JWKs');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  } catch {
    throw new KeyConfigError('a signing key could not be read');
  }
  const publicKey = createPublicKey(privateKey);
  const kid =
    typeof jwk.kid === 'string' && jwk.kid ? jwk.kid : thumbprint(publicKey.export({ format: 'jwk' }));
  return { kid, privateKey, publicKey, publicJwk: publicJwkOf(publicKey, kid), createdAt };
}

/** A fresh P-256 key in the form the store keeps. */
export function generateStoredKey(createdAt: number): StoredKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pub = publicKey.export({ format: 'jwk' });
  const kid = thumbprint(pub);
  return {
    kid,
    privateJwk: JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid }),
    publicJwk: JSON.stringify(publicJwkOf(publicKey, kid)),
    createdAt,
  };
}

/**
 * Parses `AUTH_SIGNING_KEYS`: a JWK set (`{"keys":[...]}`) or an array of private EC P-256 JWKs.
 * The first key signs; the others are published so tokens they signed still verify.
 */
export function parseSigningKeys(value: string, now: number): SigningKey[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new KeyConfigError('AUTH_SIGNING_KEYS is not valid JSON');
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list) || list.length === 0)
    throw new KeyConfigError('AUTH_SIGNING_KEYS must hold at least one key');
  // Listed order is age order: the first is the newest.
  return list.map((k, i) => fromPrivateJwk(k as JsonWebKey, now - i));
}

export interface KeyRingOptions {
  /** Keys from the secret provider; when set the store is never used and nothing is generated. */
  configured?: string | undefined;
  store?: KeyStore | undefined;
  /** Longest access-token lifetime: a replaced key stays published this long (plus `graceSeconds`). */
  accessTokenTtl: number;
  graceSeconds?: number;
  now: () => number;
}

export type KeyRing = Awaited<ReturnType<typeof createKeyRing>>;

/**
 * The signing keys. The newest key signs; a key replaced by a newer one keeps verifying (and stays
 * in the JWKS) until the last token it could have signed has expired.
 */
export async function createKeyRing(options: KeyRingOptions) {
  const grace = options.graceSeconds ?? 120;
  let configured = options.configured;
  let keys: SigningKey[] = [];
  let byKid = new Map<string, SigningKey>();

  /** Keys still able to have live tokens, newest first. */
  function live(all: SigningKey[], now: number): SigningKey[] {
    const sorted = [...all].sort((a, b) => b.createdAt - a.createdAt);
    return sorted.filter((_k, i) => {
      if (i === 0) return true;
      const replacedAt = sorted[i - 1]!.createdAt;
      return replacedAt + options.accessTokenTtl + grace > now;
    });
  }

  async function load(): Promise<void> {
    const now = options.now();
    let all: SigningKey[];
    if (configured) all = parseSigningKeys(configured, now);
    else {
      const store = options.store;
      if (!store) throw new KeyConfigError('no signing keys are configured and there is no store');
      let stored = await store.list();
      if (stored.length === 0) {
        await store.insert(generateStoredKey(now));
        stored = await store.list();
      }
      all = stored.map((s) => fromPrivateJwk(JSON.parse(s.privateJwk) as JsonWebKey, s.createdAt));
    }
    keys = live(all, now);
    byKid = new Map(keys.map((k) => [k.kid, k]));
  }

  await load();

  return {
    /** Re-reads the keys (another replica or the CLI may have rotated them). */
    reload: load,
    /**
     * Signs and publishes a new `AUTH_SIGNING_KEYS` value from now on (rotated in the secret
     * manager). A value that does not parse, or none at all, throws and the keys in use stay.
     */
    async configure(value: string | undefined): Promise<void> {
      if (!value)
        throw new KeyConfigError('AUTH_SIGNING_KEYS was removed; the keys in use stay until a restart');
      parseSigningKeys(value, options.now());
      configured = value;
      await load();
    },
    current(): SigningKey {
      return keys[0]!;
    },
    get(kid: string): SigningKey | undefined {
      return byKid.get(kid);
    },
    all(): readonly SigningKey[] {
      return keys;
    },
    jwks(): { keys: SigningKey['publicJwk'][] } {
      return { keys: keys.map((k) => k.publicJwk) };
    },
  };
}

/**
 * Adds a new newest key to the store and drops keys no token can depend on any more.
 * Returns the new key's id.
 */
export async function rotateStoredKeys(
  store: KeyStore,
  now: number,
  accessTokenTtl: number,
  graceSeconds = 120,
): Promise<{ kid: string; removed: string[] }> {
  // The newest key is the one with the latest creation time, so it must be strictly later.
  const newest = (await store.list())[0]?.createdAt ?? 0;
  const fresh = generateStoredKey(Math.max(now, newest + 1));
  await store.insert(fresh);
  const stored = await store.list();
  const removed: string[] = [];
  for (let i = 1; i < stored.length; i++) {
    const replacedAt = stored[i - 1]!.createdAt;
    if (replacedAt + accessTokenTtl + graceSeconds <= now) removed.push(stored[i]!.kid);
  }
  await store.remove(removed);
  return { kid: fresh.kid, removed };
}

/** A new `AUTH_SIGNING_KEYS` value: a fresh key first, then the configured keys still needed. */
export function rotateConfiguredKeys(configured: string | undefined, now: number): string {
  const fresh = JSON.parse(generateStoredKey(now).privateJwk) as JsonWebKey;
  const existing = configured
    ? parseSigningKeys(configured, now).map((k) => ({
        ...k.privateKey.export({ format: 'jwk' }),
        kid: k.kid,
      }))
    : [];
  // The previous newest key must keep verifying; older ones are past their last token by now only if
  // rotations are further apart than the token lifetime, so keep one predecessor.
  return JSON.stringify({ keys: [fresh, ...existing.slice(0, 1)] });
}
