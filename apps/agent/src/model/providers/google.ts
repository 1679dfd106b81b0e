import { ChatGoogleGenerativeAI } from '@langchain/google-genai';
import type { CommonModelOptions, ProviderEnv } from './settings.js';
import { required } from './settings.js';

/** Gemini through the Generative Language API (`GOOGLE_GENAI_BASE_URL` for a proxy). */
export function googleGenAi(model: string, env: ProviderEnv, o: CommonModelOptions) {
  return new ChatGoogleGenerativeAI({
    model,
    apiKey: required(env, 'GOOGLE_API_KEY', { provider: 'google-genai', model }),
    ...(env.GOOGLE_GENAI_BASE_URL ? { baseUrl: env.GOOGLE_GENAI_BASE_URL } : {}),
    temperature: o.temperature,
    maxRetries: 0,
    streaming: true,
  });
}
