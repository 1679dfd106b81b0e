export type { Authorizer, CheckRequest, ListObjectsRequest, TupleKey } from './authorizer.js';
export { type CreateAuthorizerOptions, createAuthorizer } from './authorizer-factory.js';
export { createEmbeddedAuthorizer, type EmbeddedAuthorizerOptions, openTupleStore } from './create.js';
export { EmbeddedAuthorizer, type ReadTuplesFilter } from './embedded.js';
export { MAX_RESOLUTION_DEPTH } from './engine/check.js';
export { AuthzError, type AuthzErrorCode } from './errors.js';
export { PROJECT_MODEL } from './model.js';
export { type AuthorizationModel, loadModel } from './model-loader.js';
export { SEED_TUPLES, seedTuples } from './seed.js';
