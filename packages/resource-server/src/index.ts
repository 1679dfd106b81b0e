export {
  type AccessTokenCheckOptions,
  type AccessTokenClaims,
  checkAccessToken,
  type DecodedAccessToken,
  decodeAccessToken,
  TokenError,
} from './access-token.js';
export { type BearerGuardOptions, bearerGuard, insufficientScope, verifiedToken } from './bearer-guard.js';
export {
  createTokenExchanger,
  TokenExchangeError,
  type TokenExchanger,
  type TokenExchangerOptions,
} from './exchange.js';
export { createJwksClient, type JwksClient, type JwksClientOptions } from './jwks.js';
export { createRevocationFeed, type RevocationFeed, type RevocationFeedOptions } from './revocations.js';
export {
  createTokenVerifier,
  type TokenVerifier,
  type TokenVerifierOptions,
  type VerifiedToken,
} from './verifier.js';
