import {
  formatModelSpec,
  LLM_PROVIDERS,
  ModelSelectionError,
  ModelSpecError,
  parseModelSpec,
  resolveModelSelection,
} from './llm.js';

describe('parseModelSpec', () => {
  it('splits on the first colon only, so Bedrock and Ollama names keep theirs', () => {
    expect(parseModelSpec('openai:gpt-4.1-mini')).toEqual({ provider: 'openai', model: 'gpt-4.1-mini' });
    expect(parseModelSpec('bedrock:anthropic.claude-3-5-sonnet-20240620-v1:0')).toEqual({
      provider: 'bedrock',
      model: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
    });
    expect(parseModelSpec('ollama:llama3.1:8b')).toEqual({ provider: 'ollama', model: 'llama3.1:8b' });
    expect(parseModelSpec(' google-genai:gemini-2.5-flash ')).toEqual({
      provider: 'google-genai',
      model: 'gemini-2.5-flash',
    });
  });

  it("accepts LangChain's initChatModel spellings as aliases", () => {
    expect(parseModelSpec('azure_openai:my-deployment')).toEqual({
      provider: 'azure-openai',
      model: 'my-deployment',
    });
    expect(parseModelSpec('google_genai:gemini-2.5-flash').provider).toBe('google-genai');
    expect(parseModelSpec('mistralai:mistral-large-latest').provider).toBe('mistral');
    expect(parseModelSpec('bedrock_converse:amazon.nova-pro-v1:0')).toEqual({
      provider: 'bedrock',
      model: 'amazon.nova-pro-v1:0',
    });
  });

  it('takes a bare provider as its default model, and offline without a model', () => {
    expect(parseModelSpec('anthropic')).toEqual({ provider: 'anthropic' });
    expect(parseModelSpec('offline')).toEqual({ provider: 'offline' });
    expect(() => parseModelSpec('offline:big')).toThrow('takes no model name');
  });

  it('refuses an unknown provider, naming every accepted one', () => {
    let err: unknown;
    try {
      parseModelSpec('gpt-4.1-mini');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ModelSpecError);
    for (const p of LLM_PROVIDERS) expect((err as Error).message).toContain(p);
    expect(() => parseModelSpec('openai:')).toThrow('names no model');
    expect(() => parseModelSpec('')).toThrow('empty');
    expect(() => parseModelSpec('__proto__:x')).toThrow('known provider');
    expect(() => parseModelSpec(`openai:${'x'.repeat(400)}`)).toThrow('longer than');
  });

  it('formats a spec back as provider:model', () => {
    expect(formatModelSpec(parseModelSpec('ollama:llama3.1:8b'))).toBe('ollama:llama3.1:8b');
    expect(formatModelSpec({ provider: 'offline' })).toBe('offline');
  });
});

describe('resolveModelSelection', () => {
  it('is the offline model when nothing is set', () => {
    expect(resolveModelSelection({})).toEqual({ primary: { provider: 'offline' }, fallbacks: [] });
  });

  it('reads LLM_MODEL as a full spec and LLM_FALLBACK_MODELS in order', () => {
    expect(
      resolveModelSelection({
        model: 'anthropic:claude-sonnet-4-5',
        fallbackModels: ['openai:gpt-4.1-mini', 'offline'],
      }),
    ).toEqual({
      primary: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
      fallbacks: [{ provider: 'openai', model: 'gpt-4.1-mini' }, { provider: 'offline' }],
    });
  });

  it('keeps LLM_PROVIDER with a bare LLM_MODEL and LLM_FALLBACK_PROVIDERS working', () => {
    expect(
      resolveModelSelection({
        provider: 'openai',
        model: 'gpt-4o',
        fallbackProviders: ['anthropic', 'offline'],
      }),
    ).toEqual({
      primary: { provider: 'openai', model: 'gpt-4o' },
      fallbacks: [{ provider: 'anthropic' }, { provider: 'offline' }],
    });
    // An Ollama model may look like a spec: with LLM_PROVIDER set it is the model name.
    expect(resolveModelSelection({ provider: 'ollama', model: 'mistral:7b' }).primary).toEqual({
      provider: 'ollama',
      model: 'mistral:7b',
    });
    expect(resolveModelSelection({ provider: 'openai', model: 'openai:gpt-4o' }).primary).toEqual({
      provider: 'openai',
      model: 'gpt-4o',
    });
    expect(resolveModelSelection({ provider: 'bedrock_converse' }).primary).toEqual({ provider: 'bedrock' });
  });

  it('drops fallbacks that repeat the primary or an earlier fallback', () => {
    const s = resolveModelSelection({
      model: 'openai:gpt-4o',
      fallbackModels: ['openai:gpt-4o', 'offline'],
      fallbackProviders: ['offline', 'anthropic'],
    });
    expect(s.fallbacks).toEqual([{ provider: 'offline' }, { provider: 'anthropic' }]);
  });

  it('names the variable to fix', () => {
    const fails = (input: Parameters<typeof resolveModelSelection>[0], variable: string) => {
      let err: unknown;
      try {
        resolveModelSelection(input);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ModelSelectionError);
      expect((err as ModelSelectionError).variable).toBe(variable);
      expect((err as Error).message).toMatch(new RegExp(`^${variable}: `));
    };
    fails({ model: 'gpt-4o' }, 'LLM_MODEL');
    fails({ provider: 'openai', model: 'anthropic:claude-sonnet-4-5' }, 'LLM_MODEL');
    fails({ provider: 'chatgpt' }, 'LLM_PROVIDER');
    fails({ fallbackModels: ['claude'] }, 'LLM_FALLBACK_MODELS');
    fails({ fallbackProviders: ['gemini'] }, 'LLM_FALLBACK_PROVIDERS');
  });
});
