import { ChatOllama } from '@langchain/ollama';
import type { CommonModelOptions, ProviderEnv } from './settings.js';

const OLLAMA_URL = 'http://127.0.0.1:11434';

/**
 * Ollama's native `/api/chat`. `LLM_BASE_URL` used to name its OpenAI-compatible `/v1`; that
 * older setting still works, without the `/v1`.
 */
export function ollama(model: string, env: ProviderEnv, o: CommonModelOptions) {
  const baseUrl = env.OLLAMA_BASE_URL ?? env.LLM_BASE_URL?.replace(/\/v1$/, '') ?? OLLAMA_URL;
  return new ChatOllama({ model, baseUrl, temperature: o.temperature, maxRetries: 0, streaming: true });
}
