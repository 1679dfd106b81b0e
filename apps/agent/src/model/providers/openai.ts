import { AzureChatOpenAI, ChatOpenAI } from '@langchain/openai';
import type { CommonModelOptions, ProviderEnv } from './settings.js';
import { required } from './settings.js';

// Retries are the agent's (with its backoff and fallback rules), so every client makes one attempt.
const base = (o: CommonModelOptions) => ({
  temperature: o.temperature,
  maxRetries: 0,
  // `streaming` stays unset: LangChain then streams whenever a streaming callback listens
  // (LangGraph's `messages` mode) or `stream()` is called, with usage from the stream. `true` would
  // also stream the other calls and then estimate usage with a tokenizer it downloads from the
  // internet on each call; an explicit `false` would turn streaming off altogether.
  // Chat completions for every model name: the fakes, vLLM and LiteLLM speak nothing else.
  useResponsesApi: false,
});

/** OpenAI itself (`OPENAI_BASE_URL`, or `LLM_BASE_URL` as before, for a proxy). */
export function openAi(model: string, env: ProviderEnv, o: CommonModelOptions) {
  const apiKey = required(env, 'OPENAI_API_KEY', { provider: 'openai', model });
  const baseURL = env.OPENAI_BASE_URL ?? env.LLM_BASE_URL;
  return new ChatOpenAI({ ...base(o), model, apiKey, ...(baseURL ? { configuration: { baseURL } } : {}) });
}

/** Any OpenAI-compatible endpoint at `LLM_BASE_URL` (vLLM, LiteLLM, …), with `LLM_API_KEY` if it wants one. */
export function openAiCompatible(model: string, env: ProviderEnv, o: CommonModelOptions) {
  const baseURL = required(env, 'LLM_BASE_URL', { provider: 'openai-compatible', model });
  // The OpenAI client insists on a key; servers without authentication ignore this one.
  const apiKey = env.LLM_API_KEY ?? 'unused';
  return new ChatOpenAI({ ...base(o), model, apiKey, configuration: { baseURL } });
}

/** An Azure OpenAI deployment: `azure-openai:<deployment>` at `AZURE_OPENAI_ENDPOINT`. */
export function azureOpenAi(deployment: string, env: ProviderEnv, o: CommonModelOptions) {
  const spec = { provider: 'azure-openai', model: deployment } as const;
  return new AzureChatOpenAI({
    ...base(o),
    model: deployment,
    azureOpenAIApiKey: required(env, 'AZURE_OPENAI_API_KEY', spec),
    azureOpenAIEndpoint: required(env, 'AZURE_OPENAI_ENDPOINT', spec),
    azureOpenAIApiDeploymentName: deployment,
    azureOpenAIApiVersion: env.AZURE_OPENAI_API_VERSION ?? '2024-10-21',
  });
}
