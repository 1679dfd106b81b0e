/** OAuth grant types this platform speaks (RFC 6749, RFC 8693). */
export const GRANT_TYPE = {
  authorizationCode: 'authorization_code',
  refreshToken: 'refresh_token',
  clientCredentials: 'client_credentials',
  tokenExchange: 'urn:ietf:params:oauth:grant-type:token-exchange',
} as const;

export type GrantType = (typeof GRANT_TYPE)[keyof typeof GRANT_TYPE];

/** RFC 8693 token type identifiers. */
export const TOKEN_TYPE = {
  accessToken: 'urn:ietf:params:oauth:token-type:access_token',
} as const;

/** Rate-limit tiers a token's `tier` claim names; a missing or unknown tier is `free`. */
export const TIERS = ['free', 'premium', 'enterprise'] as const;
export type Tier = (typeof TIERS)[number];

export function toTier(value: string | undefined): Tier {
  return (TIERS as readonly string[]).includes(value ?? '') ? (value as Tier) : 'free';
}

/**
 * `Authorization: Basic …` for OAuth client credentials: RFC 6749 §2.3.1 has both halves
 * form-encoded before they are joined, so ids and secrets with `:` or `%` survive.
 */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const enc = encodeURIComponent;
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`).toString('base64')}`;
}
