import { ChatAnthropic } from '@langchain/anthropic';
import { ChatBedrockConverse } from '@langchain/aws';
import { ChatGoogleGenerativeAI } from '@langchain/google-genai';
import { ChatMistralAI } from '@langchain/mistralai';
import { ChatOllama } from '@langchain/ollama';
import { AzureChatOpenAI, ChatOpenAI } from '@langchain/openai';
import { agentConfigSchema, ConfigError, parseConfig } from '@mcp-langgraph/config';
import { LLM_PROVIDERS, parseModelSpec } from '@mcp-langgraph/protocol';
import { OfflineChatModel } from './offline.js';
import {
  createChatModels,
  DEFAULT_MODELS,
  ModelConfigError,
  modelSettingsFromConfig,
  type ProviderEnv,
} from './providers.js';

const build = (spec: string, env: ProviderEnv = {}) =>
  createChatModels({ models: [parseModelSpec(spec)], env })[0]!;
const configError = (env: Record<string, string>) => {
  try {
    parseConfig(agentConfigSchema, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('the configuration was accepted');
};

describe('model selection from the configuration', () => {
  it('is the offline model when nothing is set', () => {
    const settings = modelSettingsFromConfig(parseConfig(agentConfigSchema, {}));
    expect(settings.models).toEqual([{ provider: 'offline' }]);
    expect(settings.maxRetries).toBe(2);
    expect(createChatModels(settings)[0]!.model).toBeInstanceOf(OfflineChatModel);
  });

  it('reads LLM_MODEL and LLM_FALLBACK_MODELS as provider:model specs, aliases included', () => {
    const config = parseConfig(agentConfigSchema, {
      LLM_MODEL: 'bedrock_converse:anthropic.claude-3-5-sonnet-20240620-v1:0',
      LLM_FALLBACK_MODELS: 'google_genai:gemini-2.5-flash, ollama:llama3.1:8b,offline',
      LLM_MAX_RETRIES: '4',
    });
    const settings = modelSettingsFromConfig(config);
    expect(settings.models).toEqual([
      { provider: 'bedrock', model: 'anthropic.claude-3-5-sonnet-20240620-v1:0' },
      { provider: 'google-genai', model: 'gemini-2.5-flash' },
      { provider: 'ollama', model: 'llama3.1:8b' },
      { provider: 'offline' },
    ]);
    expect(settings.maxRetries).toBe(4);
  });

  it('keeps LLM_PROVIDER and LLM_FALLBACK_PROVIDERS working', () => {
    const config = parseConfig(agentConfigSchema, {
      LLM_PROVIDER: 'ollama',
      LLM_MODEL: 'mistral:7b',
      LLM_FALLBACK_PROVIDERS: 'anthropic,offline',
    });
    expect(modelSettingsFromConfig(config).models).toEqual([
      { provider: 'ollama', model: 'mistral:7b' },
      { provider: 'anthropic' },
      { provider: 'offline' },
    ]);
  });

  it('refuses a spec without a known provider, naming the variable and every provider', () => {
    const message = configError({ LLM_MODEL: 'gpt-4.1-mini' });
    expect(message).toContain('LLM_MODEL');
    for (const p of LLM_PROVIDERS) expect(message).toContain(p);
    expect(configError({ LLM_FALLBACK_MODELS: 'openai:gpt-4o,claude' })).toContain('LLM_FALLBACK_MODELS');
    expect(configError({ LLM_PROVIDER: 'chatgpt' })).toContain('LLM_PROVIDER');
    expect(configError({ LLM_FALLBACK_PROVIDERS: 'gemini' })).toContain('LLM_FALLBACK_PROVIDERS');
    expect(configError({ LLM_MAX_RETRIES: '50' })).toContain('LLM_MAX_RETRIES');
  });

  it('refuses the offline model in production, whichever variable names it', () => {
    const production = {
      APP_ENV: 'production',
      DATABASE_URL: 'postgres://db/agent',
      OPENFGA_API_URL: 'https://fga.internal',
      OPENFGA_STORE_ID: 'store',
      AGENT_CLIENT_SECRET: 'a-long-generated-secret-value',
      OPS_PORT: '9464',
      AUTH_ISSUER: 'https://auth.example.com',
      AGENT_PUBLIC_URL: 'https://agent.internal',
    };
    expect(configError(production)).toContain('LLM_MODEL');
    expect(configError({ ...production, LLM_MODEL: 'offline', LLM_FALLBACK_MODELS: 'openai' })).toContain(
      'LLM_MODEL',
    );
    expect(parseConfig(agentConfigSchema, { ...production, LLM_MODEL: 'openai:gpt-4.1' }).LLM_MODEL).toBe(
      'openai:gpt-4.1',
    );
    expect(parseConfig(agentConfigSchema, { ...production, LLM_PROVIDER: 'anthropic' }).LLM_PROVIDER).toBe(
      'anthropic',
    );
  });
});

describe('createChatModels', () => {
  it("builds each provider with LangChain's own package, in streaming mode, one attempt per request", () => {
    const built = [
      [build('openai:gpt-4o', { OPENAI_API_KEY: 'k' }), ChatOpenAI],
      [build('openai-compatible:qwen', { LLM_BASE_URL: 'http://127.0.0.1:8000/v1' }), ChatOpenAI],
      [
        build('azure-openai:dep', {
          AZURE_OPENAI_API_KEY: 'k',
          AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com',
        }),
        AzureChatOpenAI,
      ],
      [build('anthropic', { ANTHROPIC_API_KEY: 'k' }), ChatAnthropic],
      [build('google-genai', { GOOGLE_API_KEY: 'k' }), ChatGoogleGenerativeAI],
      [build('bedrock', { AWS_REGION: 'eu-west-1' }), ChatBedrockConverse],
      [build('ollama'), ChatOllama],
      [build('mistral', { MISTRAL_API_KEY: 'k' }), ChatMistralAI],
    ] as const;
    for (const [{ model }, type] of built) {
      expect(model).toBeInstanceOf(type);
      // The OpenAI family streams whenever a streaming callback listens (see providers/openai.ts).
      const streaming = !(model instanceof ChatOpenAI);
      expect((model as unknown as { streaming: boolean }).streaming).toBe(streaming);
    }
    // Retries are the agent's: LangChain's own caller makes one attempt.
    expect((built[0][0].model.caller as unknown as { maxRetries: number }).maxRetries).toBe(0);
  });

  it('names each model provider:model, with the provider default filled in', () => {
    expect(build('anthropic', { ANTHROPIC_API_KEY: 'k' }).name).toBe(`anthropic:${DEFAULT_MODELS.anthropic}`);
    expect(build('mistralai', { MISTRAL_API_KEY: 'k' }).name).toBe('mistral:mistral-large-latest');
    expect(build('ollama:llama3.1:8b').name).toBe('ollama:llama3.1:8b');
    expect(build('offline').name).toBe('offline');
  });

  it('stops at a missing key or setting with a ModelConfigError naming the variable', () => {
    const cases: Array<[string, ProviderEnv, string]> = [
      ['openai:gpt-4o', {}, 'OPENAI_API_KEY'],
      ['azure-openai:dep', {}, 'AZURE_OPENAI_API_KEY'],
      ['azure-openai:dep', { AZURE_OPENAI_API_KEY: 'k' }, 'AZURE_OPENAI_ENDPOINT'],
      ['anthropic', {}, 'ANTHROPIC_API_KEY'],
      ['google-genai', {}, 'GOOGLE_API_KEY'],
      ['bedrock', {}, 'AWS_REGION'],
      ['bedrock', { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIAONLYID' }, 'AWS_SECRET_ACCESS_KEY'],
      ['mistral', {}, 'MISTRAL_API_KEY'],
      ['openai-compatible:qwen', {}, 'LLM_BASE_URL'],
    ];
    for (const [spec, env, variable] of cases) {
      let err: unknown;
      try {
        build(spec, env);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ModelConfigError);
      expect((err as Error).message).toContain(variable);
      for (const value of Object.values(env)) expect((err as Error).message).not.toContain(value);
    }
    // A deployment or a self-hosted model has no default name to fall back on.
    expect(() => build('azure-openai', { AZURE_OPENAI_API_KEY: 'k' })).toThrow('azure-openai:<model>');
  });

  it('checks every fallback at start-up too', () => {
    expect(() =>
      createChatModels({ models: [parseModelSpec('offline'), parseModelSpec('anthropic')], env: {} }),
    ).toThrow('ANTHROPIC_API_KEY');
  });

  it("takes Ollama's older LLM_BASE_URL (its /v1) as the native server URL", () => {
    const { model } = build('ollama', { LLM_BASE_URL: 'http://gpu-box:11434/v1' });
    expect((model as ChatOllama).baseUrl).toBe('http://gpu-box:11434');
    expect((build('ollama', { OLLAMA_BASE_URL: 'http://o:11434' }).model as ChatOllama).baseUrl).toBe(
      'http://o:11434',
    );
  });
});
