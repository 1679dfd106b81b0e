/**
 * Access-token cost against the raw signature primitive, measured in the same run:
 * - verification of the services' access tokens (the resource-server verifier, cache defeated by
 *   cycling through distinct tokens) versus `crypto.verify` over the same signing inputs;
 * - client-credentials issuance by the auth service's token service versus `crypto.sign`.
 * Targets: verification at least 0.8 of raw, issuance at least 0.5 of raw.
 */
import { generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { createKeyRing } from '../apps/auth/src/services/keys.js';
import { createTokenService } from '../apps/auth/src/services/tokens.js';
import { createTokenVerifier } from '../packages/resource-server/src/verifier.js';
import { interleaved, measure, report } from './stats.js';

const ISSUER = 'https://auth.example';
const AUDIENCE = 'https://mcp.example/mcp';
const DISTINCT = 4096;

export async function run(): Promise<void> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'bench' };
  const keys = await createKeyRing({
    configured: JSON.stringify([jwk]),
    accessTokenTtl: 900,
    now: () => Date.now() / 1000,
  });
  const key = keys.current();
  const tokens = createTokenService({
    keys,
    issuer: ISSUER,
    accessTokenTtl: 900,
    now: () => Date.now() / 1000,
  });
  const clientClaims = {
    sub: 'reporting-job',
    subType: 'client' as const,
    audience: AUDIENCE,
    clientId: 'reporting-job',
    scope: 'mcp:tools conversations:read',
    tier: 'enterprise' as const,
  };

  // Issuance: the whole client-credentials token (claims, header, ES256, JOSE encoding) vs. one raw signature.
  const sample = tokens.issue(clientClaims).token;
  const signingInput = Buffer.from(sample.slice(0, sample.lastIndexOf('.')));
  const issuance = await interleaved(
    () => sign('sha256', signingInput, { key: key.privateKey, dsaEncoding: 'ieee-p1363' }),
    () => tokens.issue(clientClaims),
  );

  // Verification: distinct tokens so the verifier's cache never answers.
  const pool = Array.from(
    { length: DISTINCT },
    () =>
      tokens.issue({ ...clientClaims, subType: 'user', sub: crypto.randomUUID(), username: 'alice' }).token,
  );
  const parts = pool.map((t) => {
    const i = t.lastIndexOf('.');
    return { input: Buffer.from(t.slice(0, i)), sig: Buffer.from(t.slice(i + 1), 'base64url') };
  });
  const publicKey: KeyObject = key.publicKey;
  const verifier = createTokenVerifier({
    issuer: ISSUER,
    audiences: [AUDIENCE],
    jwks: { getKey: async (kid) => (kid === key.kid ? publicKey : undefined) },
    cacheSize: 1,
  });
  let r = 0;
  let v = 0;
  const verification = await interleaved(
    () => {
      const p = parts[r++ % DISTINCT]!;
      if (!verify('sha256', p.input, { key: publicKey, dsaEncoding: 'ieee-p1363' }, p.sig))
        throw new Error('bad signature');
    },
    () => verifier.verify(pool[v++ % DISTINCT]!),
  );
  const cached = createTokenVerifier({
    issuer: ISSUER,
    audiences: [AUDIENCE],
    jwks: { getKey: async () => publicKey },
  });
  const cachedVerify = await measure(() => cached.verify(pool[0]!), 500, 100);

  report('raw crypto.sign (ES256, P-256)', issuance.base);
  report('auth: client-credentials token issuance', issuance.subject, issuance.base);
  report('raw crypto.verify (ES256, P-256)', verification.base);
  report('resource-server: access-token verification', verification.subject, verification.base);
  report('resource-server: verification, cached token', cachedVerify, verification.base);
  const issueRatio = issuance.medianRatio;
  const verifyRatio = verification.medianRatio;
  console.log(
    `median per-round ratios: issuance/raw ${issueRatio.toFixed(3)} (target >= 0.5: ${issueRatio >= 0.5 ? 'met' : 'missed'}); ` +
      `verification/raw ${verifyRatio.toFixed(3)} (target >= 0.8: ${verifyRatio >= 0.8 ? 'met' : 'missed'})`,
  );
}
