/** Where a resource server reaches the authorization server's endpoints. */
export interface AuthServerEndpoints {
  /** The internal address when `AUTH_INTERNAL_URL` is set, else the issuer. */
  base: string;
  token: string;
  revocations: string;
  jwks: string;
}

/**
 * Endpoint URLs derived from a resource server's configuration (URLs there are already
 * normalised, so plain concatenation is safe): `AUTH_JWKS_URL` when set, else under the base.
 */
export function authServerEndpoints(c: {
  AUTH_ISSUER: string;
  AUTH_INTERNAL_URL?: string | undefined;
  AUTH_JWKS_URL?: string | undefined;
}): AuthServerEndpoints {
  const base = c.AUTH_INTERNAL_URL ?? c.AUTH_ISSUER;
  return {
    base,
    token: `${base}/token`,
    revocations: `${base}/revocations`,
    jwks: c.AUTH_JWKS_URL ?? `${base}/.well-known/jwks.json`,
  };
}
