import type { ProviderEnv } from '../../model/providers.js';
import { startFakeAnthropic } from './anthropic.js';
import { startFakeBedrock } from './bedrock.js';
import { startFakeGemini } from './gemini.js';
import { startFakeMistral } from './mistral.js';
import { startFakeOllama } from './ollama.js';
import { startFakeAzureOpenAi, startFakeOpenAi } from './openai.js';
import type { FakeLlm, FakeLlmOptions } from './server.js';

/** One provider as the tests drive it: its fake, the spec naming it, and the variables pointing at the fake. */
export interface ProviderCase {
  spec: string;
  /** The model name the fake should see (the Azure deployment, from the path). */
  model: string;
  start: (options?: FakeLlmOptions) => Promise<FakeLlm>;
  env: (url: string) => ProviderEnv;
  /** The credential the fake accepts (for Bedrock the access key id). */
  key: string | undefined;
}

export const PROVIDER_CASES: readonly ProviderCase[] = [
  {
    spec: 'openai:gpt-4.1-mini',
    model: 'gpt-4.1-mini',
    start: startFakeOpenAi,
    key: 'sk-test-openai',
    env: (url) => ({ OPENAI_API_KEY: 'sk-test-openai', OPENAI_BASE_URL: `${url}/v1` }),
  },
  {
    spec: 'azure-openai:chat-deployment',
    model: 'chat-deployment',
    start: startFakeAzureOpenAi,
    key: 'azure-test-key',
    env: (url) => ({
      AZURE_OPENAI_API_KEY: 'azure-test-key',
      AZURE_OPENAI_ENDPOINT: url,
      AZURE_OPENAI_API_VERSION: '2024-10-21',
    }),
  },
  {
    spec: 'openai-compatible:qwen2.5-7b-instruct',
    model: 'qwen2.5-7b-instruct',
    start: startFakeOpenAi,
    key: 'vllm-test-key',
    env: (url) => ({ LLM_BASE_URL: `${url}/v1`, LLM_API_KEY: 'vllm-test-key' }),
  },
  {
    spec: 'anthropic:claude-sonnet-4-5',
    model: 'claude-sonnet-4-5',
    start: startFakeAnthropic,
    key: 'sk-ant-test',
    env: (url) => ({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: url }),
  },
  {
    spec: 'google-genai:gemini-2.5-flash',
    model: 'gemini-2.5-flash',
    start: startFakeGemini,
    key: 'google-test-key',
    env: (url) => ({ GOOGLE_API_KEY: 'google-test-key', GOOGLE_GENAI_BASE_URL: url }),
  },
  {
    spec: 'bedrock:anthropic.claude-3-5-sonnet-20240620-v1:0',
    model: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
    start: startFakeBedrock,
    key: 'AKIAFAKETEST',
    env: (url) => ({
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAFAKETEST',
      AWS_SECRET_ACCESS_KEY: 'fake-secret-access-key',
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: url,
    }),
  },
  {
    spec: 'ollama:llama3.1:8b',
    model: 'llama3.1:8b',
    start: startFakeOllama,
    key: undefined,
    env: (url) => ({ OLLAMA_BASE_URL: url }),
  },
  {
    spec: 'mistral:mistral-large-latest',
    model: 'mistral-large-latest',
    start: startFakeMistral,
    key: 'mistral-test-key',
    env: (url) => ({ MISTRAL_API_KEY: 'mistral-test-key', MISTRAL_SERVER_URL: url }),
  },
];
