import type { CallbackManagerForToolRun } from '@langchain/core/callbacks/manager';
import { ToolMessage } from '@langchain/core/messages';
import type { ToolCall } from '@langchain/core/messages/tool';
import {
  StructuredTool,
  type StructuredToolCallInput,
  type StructuredToolInterface,
  type ToolReturnType,
  type ToolRunnableConfig,
  type ToolSchemaBase,
} from '@langchain/core/tools';
import type { Authorizer } from '@mcp-langgraph/authz';
import { inSpan, type Logger, type SpanHandle } from '@mcp-langgraph/observability';
import { toolObject } from '@mcp-langgraph/protocol';
import type { AgentMetrics } from '../metrics.js';

/**
 * The `configurable` key under which a run carries the user it acts for (`user:<sub>`, from the
 * verified token of the request that created the run). Callers cannot set it: their `__` keys are
 * dropped, and the worker writes this one last. LangGraph keeps `__` keys out of run metadata, so
 * the identity is not copied into checkpoints or stream events either.
 */
export const CALLER_KEY = '__agent_caller';

/** What every tool call is checked with. */
export interface ToolGateDeps {
  /** The service's authorizer (decision cache, circuit breaker): a throw is a refusal. */
  authorizer: Pick<Authorizer, 'check'>;
  metrics: Pick<AgentMetrics, 'toolCalls'>;
  logger: Logger;
}

export type ToolCallStatus = 'success' | 'error' | 'denied';
const STATUSES: readonly ToolCallStatus[] = ['success', 'error', 'denied'];

type Refusal = { reason: 'no_caller' | 'denied' | 'authz_unavailable'; message: string };

const isToolCall = (input: unknown): input is ToolCall =>
  typeof input === 'object' && input !== null && (input as { type?: unknown }).type === 'tool_call';

/**
 * A tool that asks the authorizer, before each call, whether the run's user holds `executor` on
 * `tool:<grant>`; the user comes only from the run (`CALLER_KEY`), never from the model's
 * arguments. A refusal, or an authorizer that cannot answer, becomes an error result the model
 * reads ("You may not use the tool X"), and the run goes on. Calls are counted by `grant`.
 */
class AuthorizedTool extends StructuredTool {
  name: string;
  description: string;
  schema: ToolSchemaBase;

  constructor(
    private readonly inner: StructuredToolInterface,
    private readonly grant: string,
    private readonly deps: ToolGateDeps,
  ) {
    // The inner tool's result message is unpacked into content and artifact, and packed again
    // under this tool's name: artifacts (an MCP tool's resources) survive the wrapping.
    super({
      responseFormat: 'content_and_artifact',
      metadata: (inner as { metadata?: Record<string, unknown> }).metadata,
    });
    this.name = inner.name;
    this.description = inner.description;
    this.schema = inner.schema as ToolSchemaBase;
    this.returnDirect = inner.returnDirect;
    for (const status of STATUSES) deps.metrics.toolCalls.inc({ tool: grant, status }, 0);
  }

  private async refusal(config: ToolRunnableConfig | undefined): Promise<Refusal | undefined> {
    const caller = config?.configurable?.[CALLER_KEY];
    const runId = config?.configurable?.run_id;
    if (typeof caller !== 'string' || caller === '') {
      this.deps.logger.warn({ tool: this.grant, run_id: runId }, 'tool call refused: the run names no user');
      return {
        reason: 'no_caller',
        message:
          `You may not use the tool ${this.name}: this run does not say which user it acts for ` +
          '(it was queued before tool calls were authorized per user). Ask the user to send the message again.',
      };
    }
    try {
      const allowed = await this.deps.authorizer.check({
        user: caller,
        relation: 'executor',
        object: toolObject(this.grant),
      });
      if (allowed) return undefined;
      this.deps.logger.info({ tool: this.grant, run_id: runId }, 'tool call denied');
      return { reason: 'denied', message: `You may not use the tool ${this.name}.` };
    } catch (err) {
      this.deps.logger.warn(
        { tool: this.grant, run_id: runId, err: err instanceof Error ? err.message : String(err) },
        'tool call refused: the authorizer did not answer',
      );
      return {
        reason: 'authz_unavailable',
        message: `Could not check permission for ${this.name}, so it was not run. Try again in a moment.`,
      };
    }
  }

  override invoke<
    TInput extends StructuredToolCallInput<ToolSchemaBase>,
    TConfig extends ToolRunnableConfig | undefined,
  >(input: TInput, config?: TConfig): Promise<ToolReturnType<TInput, TConfig, unknown>> {
    // One span per call, named for the tool, with its outcome; never its arguments or result.
    const attributes = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': this.name };
    return inSpan(`execute_tool ${this.name}`, { attributes }, (span) => this.gated(input, config, span));
  }

  private async gated<
    TInput extends StructuredToolCallInput<ToolSchemaBase>,
    TConfig extends ToolRunnableConfig | undefined,
  >(
    input: TInput,
    config: TConfig | undefined,
    span: SpanHandle,
  ): Promise<ToolReturnType<TInput, TConfig, unknown>> {
    const count = (status: ToolCallStatus) => {
      span.setAttributes({ 'tool.outcome': status });
      if (status !== 'success') span.fail(status);
      this.deps.metrics.toolCalls.inc({ tool: this.grant, status });
    };
    const refused = await this.refusal(config);
    if (refused) {
      count('denied');
      const id = isToolCall(input) ? input.id : config?.toolCall?.id;
      if (!id) throw new Error(refused.message);
      return new ToolMessage({
        content: refused.message,
        status: 'error',
        tool_call_id: id,
        name: this.name,
      }) as ToolReturnType<TInput, TConfig, unknown>;
    }
    try {
      const output = await super.invoke(input, config);
      count('success');
      return output;
    } catch (err) {
      count('error');
      throw err;
    }
  }

  protected override async _call(
    args: unknown,
    runManager?: CallbackManagerForToolRun,
    config?: ToolRunnableConfig,
  ): Promise<[unknown, unknown]> {
    const { toolCall, ...rest } = config ?? {};
    const call: ToolCall = {
      id: toolCall?.id ?? 'direct',
      name: this.inner.name,
      args: args as never,
      type: 'tool_call',
    };
    const result: unknown = await this.inner.invoke(call, { ...rest, callbacks: runManager?.getChild() });
    if (result instanceof ToolMessage) return [result.content, result.artifact];
    return [result, undefined];
  }
}

/** `tool` behind the per-call authorization check on `tool:<grant>` (its own name unless given). */
export function authorizeTool(
  tool: StructuredToolInterface,
  deps: ToolGateDeps,
  grant: string = tool.name,
): StructuredToolInterface {
  return new AuthorizedTool(tool, grant, deps);
}

/** Every tool of `tools` behind the check, each on its own name. */
export function authorizeTools(
  tools: readonly StructuredToolInterface[],
  deps: ToolGateDeps,
): StructuredToolInterface[] {
  return tools.map((tool) => authorizeTool(tool, deps));
}
