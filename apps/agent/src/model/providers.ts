import { ChatAnthropic } from '@langchain/anthropic';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAI } from '@langchain/openai';
import type { AgentConfig } from '@mcp-langgraph/config';
import type { LlmProvider } from '@mcp-langgraph/protocol';
import { OfflineChatModel } from './offline.js';

export interface ModelSettings {
  provider: LlmProvider;
  /** Tried in order when the one before fails (after its own retries). */
  fallbacks?: readonly LlmProvider[];
  /** Model name for the primary provider; fallbacks use their defaults. */
  model?: string | undefined;
  /** OpenAI-compatible endpoint for `openai` (Azure OpenAI, vLLM, LiteLLM) or Ollama's `/v1` for `ollama`. */
  baseUrl?: string | undefined;
  temperature?: number;
  timeoutMs?: number;
  openaiApiKey?: string | undefined;
  anthropicApiKey?: string | undefined;
}

export const DEFAULT_MODELS: Readonly<Record<Exclude<LlmProvider, 'offline'>, string>> = {
  openai: 'gpt-4.1-mini',
  anthropic: 'claude-sonnet-4-5',
  ollama: 'llama3.1',
};

const OLLAMA_URL = 'http://127.0.0.1:11434/v1';

export class ModelConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelConfigError';
  }
}

/** The `LLM_*` and API key variables as model settings. */
export function modelSettingsFromConfig(config: AgentConfig): ModelSettings {
  return {
    provider: config.LLM_PROVIDER,
    fallbacks: config.LLM_FALLBACK_PROVIDERS,
    model: config.LLM_MODEL,
    baseUrl: config.LLM_BASE_URL,
    temperature: config.LLM_TEMPERATURE,
    timeoutMs: config.LLM_TIMEOUT_MS,
    openaiApiKey: config.OPENAI_API_KEY,
    anthropicApiKey: config.ANTHROPIC_API_KEY,
  };
}

function build(provider: LlmProvider, s: ModelSettings, model: string | undefined): BaseChatModel {
  const common = { temperature: s.temperature ?? 0, maxRetries: 2 };
  const timeout = s.timeoutMs ?? 60_000;
  const chatCompletions = (name: string, apiKey: string, baseURL: string | undefined) =>
    new ChatOpenAI({
      ...common,
      model: name,
      apiKey,
      timeout,
      ...(baseURL ? { configuration: { baseURL } } : {}),
    });
  switch (provider) {
    case 'offline':
      return new OfflineChatModel();
    case 'openai':
      if (!s.openaiApiKey) throw new ModelConfigError('LLM provider "openai" needs OPENAI_API_KEY');
      return chatCompletions(model ?? DEFAULT_MODELS.openai, s.openaiApiKey, s.baseUrl);
    case 'ollama':
      // Ollama speaks the OpenAI chat-completions protocol under /v1 and ignores the key.
      return chatCompletions(
        model ?? DEFAULT_MODELS.ollama,
        s.openaiApiKey ?? 'ollama',
        s.baseUrl ?? OLLAMA_URL,
      );
    case 'anthropic':
      if (!s.anthropicApiKey) throw new ModelConfigError('LLM provider "anthropic" needs ANTHROPIC_API_KEY');
      return new ChatAnthropic({
        ...common,
        model: model ?? DEFAULT_MODELS.anthropic,
        apiKey: s.anthropicApiKey,
        maxTokens: 2048,
        clientOptions: { timeout },
      });
  }
}

/**
 * The configured chat models, primary first, then each fallback. Missing credentials are a
 * configuration error at start-up, not a failure on the first request.
 */
export function createChatModels(settings: ModelSettings): BaseChatModel[] {
  const fallbacks = (settings.fallbacks ?? []).filter((p) => p !== settings.provider);
  return [
    build(settings.provider, settings, settings.model),
    ...fallbacks.map((p) => build(p, settings, undefined)),
  ];
}
