export {
  type AccessTokenCheckOptions,
  type AccessTokenClaims,
  canonicalEs256,
  checkAccessToken,
  type DecodedAccessToken,
  decodeAccessToken,
  isLowS,
  TokenError,
  type TokenRefusal,
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
  startTokenVerification,
  type TokenVerification,
  type TokenVerificationOptions,
} from './token-verification.js';
export {
  createTokenVerifier,
  type RevocationVerdict,
  type TokenVerifier,
  type TokenVerifierOptions,
  type VerifiedToken,
} from './verifier.js';
