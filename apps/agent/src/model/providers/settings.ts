import type { AgentConfig } from '@mcp-langgraph/config';
import { formatModelSpec, type ModelSpec } from '@mcp-langgraph/protocol';

/** The provider variables a model may need, by their configuration names. */
export type ProviderEnv = Partial<
  Pick<
    AgentConfig,
    | 'OPENAI_API_KEY'
    | 'OPENAI_BASE_URL'
    | 'LLM_BASE_URL'
    | 'LLM_API_KEY'
    | 'AZURE_OPENAI_API_KEY'
    | 'AZURE_OPENAI_ENDPOINT'
    | 'AZURE_OPENAI_API_VERSION'
    | 'ANTHROPIC_API_KEY'
    | 'ANTHROPIC_BASE_URL'
    | 'GOOGLE_API_KEY'
    | 'GOOGLE_GENAI_BASE_URL'
    | 'AWS_REGION'
    | 'AWS_ACCESS_KEY_ID'
    | 'AWS_SECRET_ACCESS_KEY'
    | 'AWS_SESSION_TOKEN'
    | 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME'
    | 'OLLAMA_BASE_URL'
    | 'MISTRAL_API_KEY'
    | 'MISTRAL_SERVER_URL'
  >
>;

/** What every provider's model is built with, besides its own variables. */
export interface CommonModelOptions {
  temperature: number;
}

/** A model that cannot be built from the configuration; the message names the variable to set. */
export class ModelConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelConfigError';
  }
}

/** The value of a required variable, or a ModelConfigError naming it and the model that needs it. */
export function required<K extends keyof ProviderEnv>(
  env: ProviderEnv,
  name: K,
  spec: ModelSpec,
): NonNullable<ProviderEnv[K]> {
  const value = env[name];
  if (value === undefined || value === '')
    throw new ModelConfigError(`model "${formatModelSpec(spec)}" needs ${name}`);
  return value as NonNullable<ProviderEnv[K]>;
}
