import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import {
  type AgentConfig,
  followSecretRotations,
  type LiveConfig,
  MODEL_SECRET_NAMES,
  type RotatingSecret,
  type SecretName,
} from '@mcp-langgraph/config';
import { type Logger, secretRotationCounter } from '@mcp-langgraph/observability';
import type { ModelSpec } from '@mcp-langgraph/protocol';
import type { Registry } from 'prom-client';
import { createAgentModel, createChatModels, modelSettingsFromConfig, namedModels } from './providers.js';
import type { Backoff, NamedModel, RequestReport, ResilientChatModel } from './resilience.js';

/** The providers' credentials: a change to any of them means new model clients. */
export const MODEL_SECRETS: readonly SecretName[] = MODEL_SECRET_NAMES;

export interface ConfiguredModel {
  /** The one model the graph calls: the configured ones behind retries, timeout and fallback. */
  model: ResilientChatModel;
  models: readonly NamedModel[];
  specs: readonly ModelSpec[];
}

/**
 * The agent's model from its configuration (or from models handed over ready-made, in tests). A
 * missing key or setting throws ModelConfigError: at start it stops the service, on a rotation the
 * model in use stays.
 */
export function createConfiguredModel(
  config: AgentConfig,
  options: {
    models?: readonly BaseChatModel[] | undefined;
    backoff?: Partial<Backoff> | undefined;
    recorder: (names: readonly string[]) => (report: RequestReport) => void;
  },
): ConfiguredModel {
  const settings = modelSettingsFromConfig(config);
  const models = options.models ? namedModels(options.models) : createChatModels(settings);
  const model = createAgentModel(models, {
    maxRetries: settings.maxRetries,
    timeoutMs: settings.timeoutMs,
    backoff: options.backoff,
    onRequest: options.recorder(models.map((m) => m.name)),
  });
  return { model, models, specs: settings.models };
}

/**
 * What the agent applies of a rotation without a restart: the model keys (new clients for the
 * next run; runs in flight keep theirs), TAVILY_API_KEY (a new `web_search` tool, offered from the
 * next run) and AGENT_CLIENT_SECRET (the revocation feed's credentials). The database URLs, the
 * OpenFGA token and AGENT_MCP_SERVERS take effect at the next restart.
 */
export function followAgentRotations(
  live: LiveConfig<AgentConfig>,
  deps: {
    logger: Logger;
    registry: Registry;
    clientSecret: RotatingSecret;
    rebuildModel(config: AgentConfig): void;
    rebuildTools(config: AgentConfig): void;
  },
) {
  const apply: Partial<Record<SecretName, (config: AgentConfig) => void>> = {
    AGENT_CLIENT_SECRET: (c) => deps.clientSecret.rotate(c.AGENT_CLIENT_SECRET),
    TAVILY_API_KEY: deps.rebuildTools,
  };
  for (const name of MODEL_SECRETS) apply[name] = deps.rebuildModel;
  return followSecretRotations(live, {
    logger: deps.logger,
    apply,
    count: secretRotationCounter(deps.registry),
  });
}
