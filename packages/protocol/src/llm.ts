/**
 * Model providers the agent can talk to; `offline` is the deterministic embedded model and
 * `openai-compatible` any endpoint that speaks OpenAI chat completions (vLLM, LiteLLM, …).
 */
export const LLM_PROVIDERS = [
  'offline',
  'openai',
  'azure-openai',
  'anthropic',
  'google-genai',
  'bedrock',
  'ollama',
  'mistral',
  'openai-compatible',
] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

/** LangChain's `initChatModel` spellings, accepted wherever a provider is named. */
export const LLM_PROVIDER_ALIASES: Readonly<Record<string, LlmProvider>> = {
  azure_openai: 'azure-openai',
  google_genai: 'google-genai',
  mistralai: 'mistral',
  bedrock_converse: 'bedrock',
  openai_compatible: 'openai-compatible',
};

/** A chat model: its provider and, unless the provider's default is meant, its model name. */
export interface ModelSpec {
  provider: LlmProvider;
  model?: string | undefined;
}

/** A provider or model spec that names no known provider; the message lists the accepted ones. */
export class ModelSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelSpecError';
  }
}

const MAX_SPEC_LENGTH = 300;
const accepted = () => `accepted providers: ${LLM_PROVIDERS.join(', ')}`;

/** The canonical provider for a name or one of its aliases, or undefined. */
export function providerOf(name: string): LlmProvider | undefined {
  const n = name.trim().toLowerCase();
  if ((LLM_PROVIDERS as readonly string[]).includes(n)) return n as LlmProvider;
  return Object.hasOwn(LLM_PROVIDER_ALIASES, n) ? LLM_PROVIDER_ALIASES[n] : undefined;
}

/**
 * `<provider>:<model>`, a bare provider (its default model) or `offline`. Only the FIRST colon
 * separates: Bedrock and Ollama model names contain colons of their own
 * (`bedrock:anthropic.claude-3-5-sonnet-20240620-v1:0`, `ollama:llama3.1:8b`).
 */
export function parseModelSpec(spec: string): ModelSpec {
  const s = spec.trim();
  if (s === '') throw new ModelSpecError(`a model spec is empty; use <provider>:<model> (${accepted()})`);
  if (s.length > MAX_SPEC_LENGTH)
    throw new ModelSpecError(`a model spec is longer than ${MAX_SPEC_LENGTH} characters`);
  const colon = s.indexOf(':');
  const head = colon < 0 ? s : s.slice(0, colon);
  const provider = providerOf(head);
  if (!provider)
    throw new ModelSpecError(
      `"${s}" does not start with a known provider; use <provider>:<model> (${accepted()})`,
    );
  if (colon < 0) return { provider };
  const model = s.slice(colon + 1).trim();
  if (model === '') throw new ModelSpecError(`"${s}" names no model after the colon`);
  if (provider === 'offline') throw new ModelSpecError('"offline" takes no model name');
  return { provider, model };
}

/** `provider:model` (or `offline`): how metrics and logs name a model. */
export function formatModelSpec(spec: ModelSpec): string {
  return spec.model === undefined ? spec.provider : `${spec.provider}:${spec.model}`;
}

/** The model variables as the agent's configuration holds them (already split and trimmed). */
export interface ModelSelectionInput {
  /** `LLM_MODEL`: a full spec, or with `LLM_PROVIDER` set, that provider's model name. */
  model?: string | undefined;
  /** `LLM_PROVIDER`, the older way to name the primary provider. */
  provider?: string | undefined;
  /** `LLM_FALLBACK_MODELS`: specs tried in order when the one before fails. */
  fallbackModels?: readonly string[];
  /** `LLM_FALLBACK_PROVIDERS`, the older form: providers with their default models, after the models. */
  fallbackProviders?: readonly string[];
}

export interface ModelSelection {
  primary: ModelSpec;
  fallbacks: ModelSpec[];
}

/** Why the selection is invalid, with the variable to fix. */
export class ModelSelectionError extends ModelSpecError {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ModelSelectionError';
  }
}

function within<T>(variable: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof ModelSpecError) throw new ModelSelectionError(variable, err.message);
    throw err;
  }
}

function primaryOf(input: ModelSelectionInput): ModelSpec {
  const model = input.model?.trim() || undefined;
  const named = input.provider?.trim() || undefined;
  if (named === undefined || providerOf(named) === 'offline') {
    return model === undefined ? { provider: 'offline' } : within('LLM_MODEL', () => parseModelSpec(model));
  }
  const provider = providerOf(named);
  if (!provider)
    throw new ModelSelectionError('LLM_PROVIDER', `"${named}" is not a provider (${accepted()})`);
  if (model === undefined) return { provider };
  // With LLM_PROVIDER set, LLM_MODEL is that provider's model name; its own prefix may be repeated.
  const colon = model.indexOf(':');
  const prefix = colon < 0 ? undefined : providerOf(model.slice(0, colon));
  if (prefix === provider) return within('LLM_MODEL', () => parseModelSpec(model));
  // Ollama and OpenAI-compatible servers name models freely (`mistral:7b`); elsewhere a foreign prefix is a mistake.
  if (prefix && provider !== 'ollama' && provider !== 'openai-compatible')
    throw new ModelSelectionError(
      'LLM_MODEL',
      `"${model}" names provider ${prefix} while LLM_PROVIDER is ${provider}; set LLM_MODEL=<provider>:<model> alone`,
    );
  return { provider, model };
}

/**
 * The primary model and its fallbacks from `LLM_MODEL`/`LLM_FALLBACK_MODELS` and their older
 * aliases `LLM_PROVIDER`/`LLM_FALLBACK_PROVIDERS`. Nothing set means the offline model; a
 * fallback equal to the primary or to an earlier fallback is dropped.
 */
export function resolveModelSelection(input: ModelSelectionInput): ModelSelection {
  const primary = primaryOf(input);
  const fallbacks: ModelSpec[] = [];
  const seen = new Set([formatModelSpec(primary)]);
  const add = (spec: ModelSpec) => {
    const key = formatModelSpec(spec);
    if (seen.has(key)) return;
    seen.add(key);
    fallbacks.push(spec);
  };
  for (const s of input.fallbackModels ?? []) add(within('LLM_FALLBACK_MODELS', () => parseModelSpec(s)));
  for (const p of input.fallbackProviders ?? []) {
    const provider = providerOf(p);
    if (!provider)
      throw new ModelSelectionError(
        'LLM_FALLBACK_PROVIDERS',
        `"${p.trim()}" is not a provider (${accepted()})`,
      );
    add({ provider });
  }
  return { primary, fallbacks };
}
