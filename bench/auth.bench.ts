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
import { measure, report, type Sample } from './stats.js';

const ISSUER = 'https://auth.example';
const AUDIENCE = 'https://mcp.example/mcp';
const DISTINCT = 4096;

/**
 * Runs `base` and `subject` in alternating short slices so machine load hits both alike, and
 * returns both throughputs plus the median of the per-round ratios.
 */
async function interleaved(
  base: () => unknown,
  subject: () => unknown,
  rounds = 30,
  sliceMs = 60,
): Promise<{ base: Sample; subject: Sample; medianRatio: number }> {
  const times = new Map<() => unknown, number[]>([
    [base, []],
    [subject, []],
  ]);
  const slice = async (fn: () => unknown) => {
    const list = times.get(fn)!;
    let n = 0;
    const start = performance.now();
    const end = start + sliceMs;
    while (performance.now() < end) {
      const t = performance.now();
      await fn();
      list.push(performance.now() - t);
      n++;
    }
    return { n, ms: performance.now() - start };
  };
  await slice(base);
  await slice(subject);
  const totals = { base: { n: 0, ms: 0 }, subject: { n: 0, ms: 0 } };
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const first = i % 2 === 0;
    const a = first ? await slice(base) : undefined;
    const b = await slice(subject);
    const a2 = a ?? (await slice(base));
    totals.base.n += a2.n;
    totals.base.ms += a2.ms;
    totals.subject.n += b.n;
    totals.subject.ms += b.ms;
    ratios.push(b.n / b.ms / (a2.n / a2.ms));
  }
  ratios.sort((x, y) => x - y);
  const sample = (t: { n: number; ms: number }, fn: () => unknown): Sample => {
    const list = times.get(fn)!.sort((x, y) => x - y);
    const pct = (p: number) => (list[Math.min(list.length - 1, Math.floor(list.length * p))] ?? 0) * 1000;
    return { opsPerSec: (t.n / t.ms) * 1000, p50Us: pct(0.5), p99Us: pct(0.99) };
  };
  return {
    base: sample(totals.base, base),
    subject: sample(totals.subject, subject),
    medianRatio: ratios[Math.floor(ratios.length / 2)]!,
  };
}

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
