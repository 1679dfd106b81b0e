import { ChatAnthropic } from '@langchain/anthropic';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAI } from '@langchain/openai';
import { OfflineChatModel } from './offline.js';

/** Providers the agent can be configured with (`LLM_PROVIDER`, `LLM_FALLBACK_PROVIDERS`). */
export type ModelProvider = 'offline' | 'openai' | 'anthropic' | 'ollama';

export interface ModelSettings {
  provider: ModelProvider;
  /** Tried in order when the one before fails (after its own retries). */
  fallbacks?: readonly ModelProvider[];
  /** Model name for the primary provider; fallbacks use their defaults. */
  model?: string | undefined;
  /** OpenAI-compatible endpoint for `openai` (Azure OpenAI, vLLM, LiteLLM) or Ollama's `/v1` for `ollama`. */
  baseUrl?: string | undefined;
  temperature?: number;
  timeoutMs?: number;
  openaiApiKey?: string | undefined;
  anthropicApiKey?: string | undefined;
}

export const DEFAULT_MODELS: Readonly<Record<Exclude<ModelProvider, 'offline'>, string>> = {
  openai: 'gpt-4.1-mini',
  anthropic: 'claude-sonnet-4-5',
  ollama: 'llama3.1',
};

export class ModelConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelConfigError';
  }
}

function build(provider: ModelProvider, s: ModelSettings, model: string | undefined): BaseChatModel {
  const common = { temperature: s.temperature ?? 0, maxRetries: 2 };
  const timeout = s.timeoutMs ?? 60_000;
  switch (provider) {
    case 'offline':
      return new OfflineChatModel();
    case 'openai':
      if (!s.openaiApiKey) throw new ModelConfigError('LLM provider "openai" needs OPENAI_API_KEY');
      return new ChatOpenAI({
        ...common,
        model: model ?? DEFAULT_MODELS.openai,
        apiKey: s.openaiApiKey,
        timeout,
        ...(s.baseUrl ? { configuration: { baseURL: s.baseUrl } } : {}),
      });
    case 'ollama':
      // Ollama speaks the OpenAI chat-completions protocol under /v1 and ignores the key.
      return new ChatOpenAI({
        ...common,
        model: model ?? DEFAULT_MODELS.ollama,
        apiKey: s.openaiApiKey ?? 'ollama',
        timeout,
        configuration: { baseURL: s.baseUrl ?? 'http://127.0.0.1:11434/v1' },
      });
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
