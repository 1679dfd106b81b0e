import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { formatModelSpec, type LlmProvider, type ModelSpec } from '@mcp-langgraph/protocol';
import { OfflineChatModel } from '../offline.js';
import { anthropic } from './anthropic.js';
import { bedrock } from './bedrock.js';
import { googleGenAi } from './google.js';
import { mistral } from './mistral.js';
import { ollama } from './ollama.js';
import { azureOpenAi, openAi, openAiCompatible } from './openai.js';
import { type CommonModelOptions, ModelConfigError, type ProviderEnv } from './settings.js';

export { type CommonModelOptions, ModelConfigError, type ProviderEnv } from './settings.js';

/**
 * The model a bare provider name means. Azure deployments and OpenAI-compatible servers name their
 * models themselves, so those two need one in the spec.
 */
export const DEFAULT_MODELS: Readonly<Partial<Record<LlmProvider, string>>> = {
  openai: 'gpt-4.1-mini',
  anthropic: 'claude-sonnet-4-5',
  'google-genai': 'gemini-2.5-flash',
  bedrock: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
  ollama: 'llama3.1',
  mistral: 'mistral-large-latest',
};

type Builder = (model: string, env: ProviderEnv, o: CommonModelOptions) => BaseChatModel;

const BUILDERS: Readonly<Record<Exclude<LlmProvider, 'offline'>, Builder>> = {
  openai: openAi,
  'azure-openai': azureOpenAi,
  anthropic,
  'google-genai': googleGenAi,
  bedrock,
  ollama,
  mistral,
  'openai-compatible': openAiCompatible,
};

/** The spec with its provider's default model filled in: what metrics and logs call the model. */
export function withDefaultModel(spec: ModelSpec): ModelSpec {
  if (spec.provider === 'offline' || spec.model !== undefined) return spec;
  const model = DEFAULT_MODELS[spec.provider];
  if (model === undefined)
    throw new ModelConfigError(
      `provider "${spec.provider}" has no default model: name one, e.g. ${spec.provider}:<model>`,
    );
  return { provider: spec.provider, model };
}

/**
 * One provider's chat model in streaming mode, through LangChain's own package for it. A missing
 * key or setting is a ModelConfigError naming the variable, raised here, at start-up.
 */
export function buildChatModel(
  spec: ModelSpec,
  env: ProviderEnv,
  options: CommonModelOptions,
): BaseChatModel {
  const full = withDefaultModel(spec);
  if (full.provider === 'offline') return new OfflineChatModel();
  try {
    return BUILDERS[full.provider](full.model!, env, options);
  } catch (err) {
    if (err instanceof ModelConfigError) throw err;
    // A client library refusing its options is a configuration problem too; say which model.
    throw new ModelConfigError(`model "${formatModelSpec(full)}": ${(err as Error).message}`);
  }
}
