export type { Authorizer, CheckRequest, ListObjectsRequest, TupleKey } from './authorizer.js';
export {
  type AuthzEnvironment,
  authorizerOptionsFromConfig,
  type CreateAuthorizerOptions,
  createAuthorizer,
} from './authorizer-factory.js';
export { type BootstrapOptions, type BootstrapResult, bootstrapOpenFga } from './bootstrap.js';
export { createEmbeddedAuthorizer, type EmbeddedAuthorizerOptions, openTupleStore } from './create.js';
export { type BatchAuthorizer, type DecisionCacheOptions, withDecisionCache } from './decision-cache.js';
export { EmbeddedAuthorizer, type ReadTuplesFilter } from './embedded.js';
export { MAX_RESOLUTION_DEPTH } from './engine/check.js';
export { AuthzError, type AuthzErrorCode } from './errors.js';
export { type CircuitBreakerOptions, type GuardOptions, withGuard } from './guard.js';
export { PROJECT_MODEL } from './model.js';
export { type AuthorizationModel, compileModel, loadModel } from './model-loader.js';
export { type ModelTestReport, runModelTestFile } from './model-test.js';
export { OpenFgaAuthorizer, type OpenFgaAuthorizerOptions } from './openfga.js';
export { SEED_TUPLES, seedTuples } from './seed.js';
