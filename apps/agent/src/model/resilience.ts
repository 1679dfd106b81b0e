import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import { AIMessageChunk } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { ensureConfig, Runnable, type RunnableConfig } from '@langchain/core/runnables';
import { isRetryableModelError, ModelTimeoutError } from './retryable.js';

/** How a model request ended: answered, failed and retried, failed over to the next model, or surfaced. */
export type RequestStatus = 'success' | 'retry' | 'fallback' | 'error';

export interface RequestReport {
  /** `provider:model`, as the configuration names it. */
  model: string;
  status: RequestStatus;
  seconds: number;
  /** Tokens the provider reported for an answered request. */
  usage?: { input: number; output: number } | undefined;
}

export interface Backoff {
  /** First delay before a retry; doubled per further retry. */
  baseMs: number;
  /** No delay is longer. */
  maxMs: number;
  /** Source of jitter in [0, 1). */
  random: () => number;
}

export interface ResilienceOptions {
  /** Retries of one model after a retryable failure before the next model is tried. */
  maxRetries: number;
  /** Longest one request may take. */
  timeoutMs: number;
  backoff?: Partial<Backoff>;
  /** Told once per request, whatever its outcome. */
  onRequest?: (report: RequestReport) => void;
}

export interface NamedModel {
  name: string;
  model: BaseChatModel;
}

const DEFAULT_BACKOFF: Backoff = { baseMs: 500, maxMs: 8000, random: Math.random };

/** Exponential backoff with jitter: half the doubled delay fixed, half random, so retries spread out. */
export function backoffDelay(retry: number, b: Backoff): number {
  const ceiling = Math.min(b.maxMs, b.baseMs * 2 ** retry);
  return ceiling / 2 + b.random() * (ceiling / 2);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

type Invocable = Runnable<BaseLanguageModelInput, AIMessageChunk>;
interface Entry {
  name: string;
  runnable: Invocable;
}

function usageOf(message: AIMessageChunk | undefined) {
  const u = message?.usage_metadata;
  return u ? { input: u.input_tokens, output: u.output_tokens } : undefined;
}

/**
 * The models of one agent in order, each request bounded by a timeout and retried with backoff
 * on retryable failures, then handed to the next model. Non-retryable failures (400, 401, 403,
 * 404, …) surface at once: another model would hide a configuration error. The config (callbacks
 * included) passes to each model unchanged, so LangGraph's `messages` stream sees the tokens of
 * whichever model answers.
 */
class ResilientRunnable extends Runnable<BaseLanguageModelInput, AIMessageChunk> {
  lc_namespace = ['mcp_langgraph', 'model'];

  constructor(
    private readonly entries: readonly Entry[],
    private readonly options: ResilienceOptions,
  ) {
    super();
  }

  private get backoff(): Backoff {
    return { ...DEFAULT_BACKOFF, ...this.options.backoff };
  }

  /** Runs `call` against each model with retries until one succeeds or a failure must surface. */
  private async run<T>(
    config: RunnableConfig,
    call: (entry: Entry, config: RunnableConfig) => Promise<T>,
    usage: (value: T) => RequestReport['usage'],
  ): Promise<T> {
    const { maxRetries, timeoutMs, onRequest } = this.options;
    const outer = config.signal;
    const { runId: _runId, ...rest } = config;
    let firstError: unknown;
    for (const [i, entry] of this.entries.entries()) {
      for (let retry = 0; ; retry++) {
        const started = performance.now();
        const timer = new AbortController();
        const timeout = setTimeout(
          () => timer.abort(new ModelTimeoutError(entry.name, timeoutMs)),
          timeoutMs,
        );
        const signal = outer ? AbortSignal.any([outer, timer.signal]) : timer.signal;
        const report = (status: RequestStatus, value?: T) =>
          onRequest?.({
            model: entry.name,
            status,
            seconds: (performance.now() - started) / 1000,
            usage: value === undefined ? undefined : usage(value),
          });
        try {
          // Some clients do not stop on an abort; the race makes the timeout hold for all of them.
          const value = await Promise.race([
            call(entry, { ...rest, signal }),
            new Promise<never>((_, reject) =>
              signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
            ),
          ]);
          report('success', value);
          return value;
        } catch (caught) {
          const err =
            timer.signal.aborted && !outer?.aborted ? new ModelTimeoutError(entry.name, timeoutMs) : caught;
          const retryable = !outer?.aborted && isRetryableModelError(err);
          const last = i === this.entries.length - 1;
          if (retryable && retry < maxRetries) {
            report('retry');
            await sleep(backoffDelay(retry, this.backoff), outer);
            continue;
          }
          report(retryable && !last ? 'fallback' : 'error');
          firstError ??= err;
          if (!retryable) throw err;
          break;
        } finally {
          clearTimeout(timeout);
        }
      }
    }
    throw firstError;
  }

  override async invoke(
    input: BaseLanguageModelInput,
    options?: Partial<RunnableConfig>,
  ): Promise<AIMessageChunk> {
    return this.run(ensureConfig(options), (e, c) => e.runnable.invoke(input, c), usageOf);
  }

  override async *_streamIterator(
    input: BaseLanguageModelInput,
    options?: Partial<RunnableConfig>,
  ): AsyncGenerator<AIMessageChunk> {
    // Retries and fallback happen until the first chunk; after that the answer is under way.
    const { stream, first } = await this.run(
      ensureConfig(options),
      async (e, c) => {
        const stream = (await e.runnable.stream(input, c))[Symbol.asyncIterator]();
        return { stream, first: await stream.next() };
      },
      () => undefined,
    );
    if (first.done) return;
    yield first.value;
    for (let next = await stream.next(); !next.done; next = await stream.next()) yield next.value;
  }
}

/**
 * A chat model made of the configured models in order, with retries, a per-request timeout and
 * fallback on retryable failures (see `isRetryableModelError`). Binding tools binds them to
 * every model. The graph gets this one model and no fallbacks of its own.
 */
export class ResilientChatModel extends BaseChatModel {
  constructor(
    readonly models: readonly NamedModel[],
    private readonly options: ResilienceOptions,
  ) {
    super({});
    if (models.length === 0) throw new Error('the agent needs a chat model');
  }

  override _llmType(): string {
    return 'resilient';
  }

  private over(bind: (model: BaseChatModel) => Invocable): ResilientRunnable {
    return new ResilientRunnable(
      this.models.map((m) => ({ name: m.name, runnable: bind(m.model) })),
      this.options,
    );
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<BaseChatModelCallOptions>) {
    return this.over((m) => {
      if (!m.bindTools) throw new Error(`the chat model "${m._llmType()}" does not support tool calling`);
      return m.bindTools(tools, kwargs) as Invocable;
    });
  }

  override invoke(
    input: BaseLanguageModelInput,
    options?: BaseChatModelCallOptions,
  ): Promise<AIMessageChunk> {
    return this.over((m) => m as Invocable).invoke(input, options);
  }

  override _streamIterator(input: BaseLanguageModelInput, options?: BaseChatModelCallOptions) {
    return this.over((m) => m as Invocable)._streamIterator(input, options);
  }

  override async _generate(
    messages: Parameters<BaseChatModel['_generate']>[0],
    options: this['ParsedCallOptions'],
    _runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    // Reached only through generate()/batch(); invoke() and stream() go to the models directly.
    const message = await this.over((m) => m as Invocable).invoke(messages, options);
    return { generations: [{ message: new AIMessageChunk(message), text: message.text }] };
  }
}
