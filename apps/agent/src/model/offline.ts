import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import { AIMessage, AIMessageChunk, type BaseMessage, type ToolCall } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import { decide } from './reasoning.js';

export interface OfflineChatModelCallOptions extends BaseChatModelCallOptions {
  /** Tools bound with `bindTools`; the model only ever calls tools it was given. */
  tools?: BindToolsInput[];
}

/** Waits `ms`, or rejects as soon as `signal` aborts (a cancelled run does not wait out the pause). */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** Words, numbers and single punctuation marks: a deterministic stand-in for a tokenizer. */
export function countTokens(text: string): number {
  return text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)?.length ?? 0;
}

function messageTokens(message: BaseMessage): number {
  const calls = (message as AIMessage).tool_calls ?? [];
  return (
    countTokens(message.text) +
    calls.reduce((n, c) => n + countTokens(c.name) + countTokens(JSON.stringify(c.args)), 0)
  );
}

function toolName(tool: BindToolsInput): string | undefined {
  const t = tool as { name?: unknown; function?: { name?: unknown } };
  if (typeof t.name === 'string') return t.name;
  if (typeof t.function?.name === 'string') return t.function.name;
  return undefined;
}

/**
 * The embedded default model: no network, no weights, same answer for the same conversation.
 * It reads the latest user message into a plan (`decide` in `reasoning.ts`): `calculator` for
 * arithmetic in symbols or words and follow-ups on earlier results, `clock` for dates and times,
 * `knowledge_search` for docs questions, one step after another where a step needs the result
 * before it. Tool results become plain sentences; anything else gets an honest account of what it
 * is and how to configure a real model. Token usage is counted so usage metrics stay meaningful.
 */
export class OfflineChatModel extends BaseChatModel<OfflineChatModelCallOptions> {
  static override lc_name() {
    return 'OfflineChatModel';
  }

  /** Test-only pause before every answer (never set from configuration): "the middle of a run" for crash tests. */
  private readonly delayMs: number;

  constructor(fields: BaseChatModelParams & { delayMs?: number } = {}) {
    super(fields);
    this.delayMs = fields.delayMs ?? 0;
  }

  override _llmType(): string {
    return 'offline';
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<OfflineChatModelCallOptions>) {
    return this.withConfig({ ...kwargs, tools } as Partial<OfflineChatModelCallOptions>);
  }

  /** The model's answer to `messages`: a tool call or a sentence, with its token usage. */
  private async answer(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<AIMessage> {
    if (this.delayMs > 0) await pause(this.delayMs, options.signal);
    const available = new Set((options.tools ?? []).map(toolName).filter((n): n is string => !!n));
    const decision = decide(messages, available);
    const toolCalls: ToolCall[] =
      decision.kind === 'tools'
        ? decision.calls.map((c, i) => ({
            // Ids only need to be unique within the conversation; position and length keep them stable.
            id: `call_${messages.length}_${i}`,
            name: c.name,
            args: c.args,
            type: 'tool_call',
          }))
        : [];
    const content = decision.kind === 'answer' ? decision.text : '';
    const message = new AIMessage({ content, tool_calls: toolCalls });
    const input_tokens = messages.reduce((n, m) => n + messageTokens(m), 0);
    const output_tokens = messageTokens(message);
    message.usage_metadata = { input_tokens, output_tokens, total_tokens: input_tokens + output_tokens };
    return message;
  }

  override async _generate(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const message = await this.answer(messages, options);
    const content = message.text;
    const usage = message.usage_metadata!;
    if (content) await runManager?.handleLLMNewToken(content);
    return {
      generations: [{ message, text: content }],
      llmOutput: {
        tokenUsage: {
          promptTokens: usage.input_tokens,
          completionTokens: usage.output_tokens,
          totalTokens: usage.total_tokens,
        },
      },
    };
  }

  /**
   * Streams the same answer word by word, as a hosted model streams tokens (LangGraph's `messages`
   * mode asks for this); the last chunk carries the tool calls and the usage.
   */
  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const message = await this.answer(messages, options);
    const words = message.text.split(/(?<= )/);
    for (const [i, word] of words.entries()) {
      const last = i === words.length - 1;
      const chunk = new ChatGenerationChunk({
        text: word,
        message: new AIMessageChunk({
          content: word,
          ...(last
            ? {
                tool_call_chunks: (message.tool_calls ?? []).map((c, index) => ({
                  id: c.id,
                  name: c.name,
                  args: JSON.stringify(c.args),
                  index,
                  type: 'tool_call_chunk' as const,
                })),
                usage_metadata: message.usage_metadata,
              }
            : {}),
        }),
      });
      yield chunk;
      await runManager?.handleLLMNewToken(word, undefined, undefined, undefined, undefined, { chunk });
    }
  }
}
