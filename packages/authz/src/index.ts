export type { Authorizer, CheckRequest, ListObjectsRequest, TupleKey } from './authorizer.js';
export { type BatchAuthorizer, batchCheckOf } from './decision-cache.js';
export {
  authorizerOptionsFromConfig,
  type CreateAuthorizerOptions,
  createAuthorizer,
  createEmbeddedAuthorizer,
} from './factory.js';
export { seedTuples, toolGrants } from './seed.js';
