import { type BaseMessage, SystemMessage } from '@langchain/core/messages';

/**
 * Context windows by provider and model name, in tokens, for when `LLM_CONTEXT_TOKENS` is unset.
 * Known model families first; otherwise the provider's usual window. Ollama's own default is a
 * small window unless the server is configured otherwise, so it gets a small budget.
 */
const FAMILIES: ReadonlyArray<[RegExp, number]> = [
  [/^gpt-4\.1|^gpt-5/, 1_000_000],
  [/^gpt-4o|^o[134]|^gpt-4-turbo/, 128_000],
  [/^gpt-3\.5/, 16_000],
  [/claude/, 200_000],
  [/^gemini/, 1_000_000],
  [/^(mistral-large|mistral-medium|mistral-small|codestral|ministral|pixtral)/, 128_000],
];

const PROVIDERS: Readonly<Record<string, number>> = {
  offline: 16_000,
  openai: 128_000,
  'azure-openai': 128_000,
  'openai-compatible': 32_000,
  anthropic: 200_000,
  'google-genai': 1_000_000,
  bedrock: 128_000,
  ollama: 8_000,
  mistral: 32_000,
};

/** The context window assumed for `provider`'s `model` when none is configured. */
export function defaultContextTokens(provider: string, model = ''): number {
  const name = model.toLowerCase();
  for (const [pattern, tokens] of FAMILIES) if (pattern.test(name)) return tokens;
  return PROVIDERS[provider] ?? 32_000;
}

/**
 * A conservative token estimate without the provider's tokenizer: one token per three characters
 * of text and arguments (real tokenizers average nearer four for English), plus a few for each
 * message's framing. Over-counting only trims a little early; under-counting could overflow.
 */
export function estimateTokens(m: BaseMessage): number {
  let chars = typeof m.content === 'string' ? m.content.length : JSON.stringify(m.content).length;
  const calls = (m as { tool_calls?: unknown[] }).tool_calls;
  if (calls?.length) chars += JSON.stringify(calls).length;
  return Math.ceil(chars / 3) + 4;
}

export const TRIMMED_NOTE =
  'Earlier messages of this conversation are left out because they do not fit the context window.';

/**
 * What the model is sent of a conversation: the system prompt, then as many whole earlier turns
 * (a user message and everything up to the next one, so a tool call always travels with its
 * result) as fit in `budget` tokens, newest first, then the current turn (the latest user message
 * and the run's own steps) always whole. When turns are left out the system prompt says so (one
 * system message, first: several providers accept no other). Linear in the number of messages.
 */
export function fitContext(
  systemPrompt: string | undefined,
  messages: readonly BaseMessage[],
  budget: number,
  count: (m: BaseMessage) => number = estimateTokens,
): BaseMessage[] {
  const withSystem = (kept: readonly BaseMessage[], trimmed: boolean) => {
    const text = [systemPrompt, trimmed ? TRIMMED_NOTE : undefined].filter(Boolean).join('\n\n');
    return text ? [new SystemMessage(text), ...kept] : [...kept];
  };
  let current = messages.length;
  while (current > 0 && messages[current - 1]!.getType() !== 'human') current--;
  // No user message at all (a state update): treat the whole list as the current turn.
  if (current === 0) return withSystem(messages, false);
  current--;
  let used = count(withSystem([], true)[0]!);
  for (let i = current; i < messages.length; i++) used += count(messages[i]!);

  // Walk back whole turns while they fit.
  let start = current;
  let turnCost = 0;
  for (let i = current - 1; i >= 0; i--) {
    turnCost += count(messages[i]!);
    if (messages[i]!.getType() !== 'human' && i > 0) continue;
    if (used + turnCost > budget) break;
    used += turnCost;
    turnCost = 0;
    start = i;
  }
  return withSystem(messages.slice(start), start > 0);
}

/**
 * The tokens of conversation the graph may send: the configured window, or the smallest default
 * window of the models in the chain (a fallback included), less room for the answer (a quarter
 * of the window, at most 4,096 tokens).
 */
export function contextBudget(
  configured: number | undefined,
  models: ReadonlyArray<{ provider: string; model?: string | undefined }>,
): number {
  const window = configured ?? Math.min(...models.map((m) => defaultContextTokens(m.provider, m.model)));
  return window - Math.min(4096, Math.floor(window / 4));
}
