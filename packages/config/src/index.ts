export { type AuthServerEndpoints, authServerEndpoints } from './endpoints.js';
export { type Environment, readEnvironment } from './env.js';
export { ConfigError, loadServiceConfig, parseConfig } from './load.js';
export {
  type AgentConfig,
  type AuthConfig,
  agentConfigSchema,
  authConfigSchema,
  DEV_AGENT_CLIENT_SECRET,
  DEV_EDGE_CLIENT_SECRET,
  type EdgeConfig,
  edgeConfigSchema,
  SECRET_NAMES,
} from './schema.js';
export {
  createEnvSecretProvider,
  createSecretChain,
  resolveSecrets,
  type SecretProvider,
} from './secrets.js';
