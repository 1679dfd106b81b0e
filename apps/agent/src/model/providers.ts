import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AgentConfig } from '@mcp-langgraph/config';
import { formatModelSpec, type ModelSpec, resolveModelSelection } from '@mcp-langgraph/protocol';
import { buildChatModel, type ProviderEnv, withDefaultModel } from './providers/index.js';
import { type NamedModel, type ResilienceOptions, ResilientChatModel } from './resilience.js';

export { DEFAULT_MODELS, ModelConfigError, type ProviderEnv } from './providers/index.js';

export interface ModelSettings {
  /** The primary model, then the fallbacks in order. */
  models: readonly ModelSpec[];
  /** Every provider's keys and endpoints, by variable name. */
  env: ProviderEnv;
  temperature?: number;
  timeoutMs?: number;
  maxRetries?: number;
}

/** The `LLM_*` variables and the providers' keys and endpoints as model settings. */
export function modelSettingsFromConfig(config: AgentConfig): ModelSettings {
  const { primary, fallbacks } = resolveModelSelection({
    model: config.LLM_MODEL,
    provider: config.LLM_PROVIDER,
    fallbackModels: config.LLM_FALLBACK_MODELS,
    fallbackProviders: config.LLM_FALLBACK_PROVIDERS,
  });
  return {
    models: [primary, ...fallbacks],
    env: config,
    temperature: config.LLM_TEMPERATURE,
    timeoutMs: config.LLM_TIMEOUT_MS,
    maxRetries: config.LLM_MAX_RETRIES,
  };
}

/** `provider:model` with the provider's default model filled in: the name in metrics and logs. */
export function modelName(spec: ModelSpec): string {
  return formatModelSpec(withDefaultModel(spec));
}

/**
 * The configured chat models, primary first, each under its `provider:model` name. A missing key
 * or setting is a ModelConfigError at start-up, not a failure on the first request.
 */
export function createChatModels(settings: ModelSettings): NamedModel[] {
  return settings.models.map((spec) => ({
    name: modelName(spec),
    model: buildChatModel(spec, settings.env, { temperature: settings.temperature ?? 0 }),
  }));
}

/**
 * The agent's one chat model: the given models in order behind retries with backoff, a
 * per-request timeout and fallback on retryable failures.
 */
export function createAgentModel(
  models: readonly NamedModel[],
  options: Partial<ResilienceOptions> = {},
): ResilientChatModel {
  return new ResilientChatModel(models, {
    ...options,
    maxRetries: options.maxRetries ?? 2,
    timeoutMs: options.timeoutMs ?? 60_000,
  });
}

/** Names for models handed over ready-made (tests): their LangChain type. */
export function namedModels(models: readonly BaseChatModel[]): NamedModel[] {
  return models.map((model) => ({ name: model._llmType(), model }));
}
