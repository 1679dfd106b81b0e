import { ChatMistralAI } from '@langchain/mistralai';
import type { CommonModelOptions, ProviderEnv } from './settings.js';
import { required } from './settings.js';

/** Mistral's chat completions (`MISTRAL_SERVER_URL` for a proxy or a self-hosted server). */
export function mistral(model: string, env: ProviderEnv, o: CommonModelOptions) {
  return new ChatMistralAI({
    model,
    apiKey: required(env, 'MISTRAL_API_KEY', { provider: 'mistral', model }),
    ...(env.MISTRAL_SERVER_URL ? { serverURL: env.MISTRAL_SERVER_URL } : {}),
    temperature: o.temperature,
    maxRetries: 0,
    streaming: true,
  });
}
