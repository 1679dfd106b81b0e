export { type AuthServerEndpoints, authServerEndpoints } from './endpoints.js';
export { type Environment, readEnvironment } from './env.js';
export { KNOWN_SECRETS, productionProblems } from './guardrails.js';
export {
  createInfisicalProvider,
  type InfisicalProvider,
  type InfisicalSettings,
  InfisicalUnavailableError,
  type SecretsLogger,
} from './infisical.js';
export { infisicalSettingsFrom } from './infisical-settings.js';
export {
  ConfigError,
  createLiveConfig,
  type LiveConfig,
  type LiveConfigSource,
  type LoadOptions,
  loadLiveServiceConfig,
  loadServiceConfig,
  parseConfig,
} from './load.js';
export {
  createRotatingSecret,
  followSecretRotations,
  type RotatingSecret,
  type RotationOutcome,
  rotationOverlapMs,
  type SecretName,
  type SecretRotationOptions,
} from './rotation.js';
export { fetchWithClientSecret, type SecretValues } from './rotation-fetch.js';
export {
  type AgentConfig,
  type AuthConfig,
  agentConfigSchema,
  authConfigSchema,
  DEV_AGENT_CLIENT_SECRET,
  DEV_EDGE_CLIENT_SECRET,
  type EdgeConfig,
  edgeConfigSchema,
  infisicalConfigSchema,
  MODEL_SECRET_NAMES,
  SECRET_NAMES,
} from './schema.js';
export {
  createEnvSecretProvider,
  createSecretChain,
  resolveSecrets,
  type SecretProvider,
} from './secrets.js';
