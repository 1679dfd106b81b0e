/** Model providers the agent can talk to; `offline` is the deterministic embedded model. */
export const LLM_PROVIDERS = ['offline', 'openai', 'anthropic', 'ollama'] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];
