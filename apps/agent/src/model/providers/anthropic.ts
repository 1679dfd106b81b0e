import { ChatAnthropic } from '@langchain/anthropic';
import type { CommonModelOptions, ProviderEnv } from './settings.js';
import { required } from './settings.js';

/** Anthropic's Messages API (`ANTHROPIC_BASE_URL` for a proxy). */
export function anthropic(model: string, env: ProviderEnv, o: CommonModelOptions) {
  return new ChatAnthropic({
    model,
    apiKey: required(env, 'ANTHROPIC_API_KEY', { provider: 'anthropic', model }),
    ...(env.ANTHROPIC_BASE_URL ? { anthropicApiUrl: env.ANTHROPIC_BASE_URL } : {}),
    temperature: o.temperature,
    maxTokens: 2048,
    maxRetries: 0,
    streaming: true,
  });
}
