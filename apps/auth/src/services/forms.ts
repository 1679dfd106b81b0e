import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type FormSigner = ReturnType<typeof createFormSigner>;

/** A digest of the values a form token is bound to. */
export function bindingOf(values: readonly (string | undefined)[]): string {
  return createHash('sha256').update(JSON.stringify(values)).digest('base64url');
}

/**
 * Short-lived HMAC tokens for forms: a token is valid only for its purpose and for the exact
 * request it was issued with, so a form cannot be replayed against another request or forged.
 */
export function createFormSigner(secret: Buffer, now: () => number) {
  const mac = (purpose: string, binding: string, exp: string, nonce: string) =>
    createHmac('sha256', secret).update(`${purpose}\n${binding}\n${exp}\n${nonce}`).digest('base64url');

  /**
   * The token's id (its nonce) and expiry when it is valid for `purpose` and `binding`, so a
   * caller can also make it single use; undefined otherwise.
   */
  function open(purpose: string, binding: string, token: unknown): { id: string; exp: number } | undefined {
    if (typeof token !== 'string' || token.length > 200) return undefined;
    const [exp, nonce, sig, extra] = token.split('.');
    if (!exp || !nonce || !sig || extra !== undefined || !/^\d{1,12}$/.test(exp)) return undefined;
    if (Number(exp) < now()) return undefined;
    const expected = Buffer.from(mac(purpose, binding, exp, nonce));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return { id: nonce, exp: Number(exp) };
  }

  return {
    sign(purpose: string, binding: string, ttlSeconds: number): string {
      const exp = String(Math.floor(now()) + ttlSeconds);
      const nonce = randomBytes(12).toString('base64url');
      return `${exp}.${nonce}.${mac(purpose, binding, exp, nonce)}`;
    },
    open,
    verify: (purpose: string, binding: string, token: unknown): boolean =>
      open(purpose, binding, token) !== undefined,
  };
}
