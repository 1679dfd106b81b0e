import type { Authorizer } from '@mcp-langgraph/authz';
import type { Logger } from '@mcp-langgraph/observability';
import { type Scope, type Tier, toolObject, toTier } from '@mcp-langgraph/protocol';
import type { RateLimiter, RateLimitRule } from '@mcp-langgraph/ratelimit';
import { TokenExchangeError, type VerifiedToken } from '@mcp-langgraph/resource-server';
import {
  type CallToolResult,
  type ClientCapabilities,
  type InputRequiredResult,
  isInputRequiredResult,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { Counter } from 'prom-client';
import { type AgentClient, AgentError } from '../agent-client.js';

/**
 * Who is calling, as a verified token. Over HTTP it is the bearer token checked at the door;
 * over stdio it comes from the process's configured credentials. Throws {@link ToolFailure}
 * with a message for the caller when there is no usable identity.
 */
export type Identify = (ctx: ServerContext) => Promise<VerifiedToken>;

/** Per user and tool, by the caller's `tier` claim (free, premium, enterprise; free when absent). */
export interface ToolRateLimit {
  limiter: RateLimiter;
  rules: Readonly<Record<Tier, RateLimitRule>>;
}

/** What a tool call runs on besides its caller: decisions, limits, the agent, token exchange, telemetry. */
export interface ToolServices {
  authorizer: Authorizer;
  /** Per user and tool; a limiter that cannot decide denies the call (fail closed). */
  rateLimit: ToolRateLimit;
  agent: AgentClient;
  /** Trades the caller's token for an agent-audience token (RFC 8693). */
  exchanger: { exchange(subject: VerifiedToken): Promise<string> };
  logger: Logger;
  metrics: ToolMetrics;
}

/** The services and where the caller comes from (the HTTP guard, or stdio's configured credentials). */
export interface ToolDeps extends ToolServices {
  identify: Identify;
}

export interface ToolMetrics {
  /** `mcp_tool_calls_total{tool,status}`. */
  toolCalls: Counter<'tool' | 'status'>;
  /** `rate_limit_rejections_total{tool}`. */
  rateLimitRejections: Counter<'tool'>;
}

/** A failure the caller should see as it is: a tool error result with this message. */
export class ToolFailure extends Error {
  constructor(
    message: string,
    readonly status: 'denied' | 'error' = 'error',
  ) {
    super(message);
    this.name = 'ToolFailure';
  }
}

export interface ToolCall {
  token: VerifiedToken;
  /** An agent-audience token for this caller, fetched on first use. */
  agentToken(): Promise<string>;
  signal: AbortSignal;
  /**
   * Sends `notifications/progress` when the caller asked for progress (`_meta.progressToken`);
   * each call reports one more step. Never fails the call.
   */
  progress(message: string): Promise<void>;
  /** Whether the caller asked for progress: worth streaming the run's steps. */
  wantsProgress: boolean;
  /**
   * Whether the client declared form elicitation, so a tool may ask its user (an input-required
   * result on 2026-07-28, `elicitation/create` on a 2025 connection that remembers its capabilities).
   */
  canElicit: boolean;
  /** The answers a retried request carries to the questions the tool asked (untrusted input). */
  inputResponses?: Record<string, unknown>;
}

/** What a tool answers: its result, or the questions its user must answer first. */
export type ToolOutcome = CallToolResult | InputRequiredResult;

/** Whether declared client capabilities include form-mode elicitation (an empty object means form). */
export function declaresFormElicitation(capabilities: ClientCapabilities | undefined): boolean {
  const e = capabilities?.elicitation as { form?: unknown; url?: unknown } | undefined;
  if (!e || typeof e !== 'object') return false;
  return e.form !== undefined || e.url === undefined;
}

/** What the gate needs to know about a tool. */
export interface ToolSpec {
  name: string;
  /** Token scopes the tool needs besides `mcp:tools` (the agent enforces them too). */
  scopes: readonly Scope[];
}

function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Turns agent and exchange failures into messages that name the problem and hide internals. */
export function describeFailure(err: unknown): string {
  if (err instanceof ToolFailure) return err.message;
  if (err instanceof AgentError) {
    switch (err.status) {
      case 400:
        return 'the request was rejected as invalid';
      case 401:
        return 'the agent did not accept the delegated credentials; sign in again';
      case 403:
        return 'your access token does not allow this operation';
      case 404:
        return 'conversation not found or not yours';
      case 409:
        return 'the conversation is busy with another request; try again shortly';
      case 504:
        return 'the assistant took too long to answer; try again or ask something simpler';
      case 429:
        return 'too many requests; try again later';
      default:
        return 'the agent is unavailable right now; try again later';
    }
  }
  if (err instanceof TokenExchangeError) {
    return err.status !== undefined && err.status >= 400 && err.status < 500
      ? 'your access token could not be delegated to the agent; sign in again'
      : 'the authorization server is unavailable right now; try again later';
  }
  return 'the tool failed unexpectedly; try again later';
}

/**
 * Runs one tool call: resolves the verified caller, checks `executor` on `tool:<name>` (denying
 * when the check cannot be decided), checks scopes, spends one unit of the caller's budget for the
 * tool (denying when the limiter cannot decide), then runs `fn`. Every outcome is counted, and
 * every failure becomes an MCP tool error result with a clear message.
 */
export async function gateToolCall(
  deps: ToolDeps,
  spec: ToolSpec,
  ctx: ServerContext,
  fn: (call: ToolCall) => Promise<ToolOutcome>,
  /** The client's declared capabilities (the request's envelope, or a 2025 connection's initialize). */
  clientCapabilities: () => ClientCapabilities | undefined = () => undefined,
): Promise<ToolOutcome> {
  const count = (status: string) => deps.metrics.toolCalls.inc({ tool: spec.name, status });
  let token: VerifiedToken;
  try {
    token = await deps.identify(ctx);
  } catch (err) {
    count('denied');
    return errorResult(err instanceof ToolFailure ? err.message : 'this tool needs an authenticated caller');
  }
  // Made when something is logged: most calls log nothing here.
  let logger: Logger | undefined;
  const log = () => (logger ??= deps.logger.child({ user: token.subject, tool: spec.name }));
  let allowed: boolean;
  try {
    allowed = await deps.authorizer.check({
      user: token.subject,
      relation: 'executor',
      object: toolObject(spec.name),
    });
  } catch (err) {
    log().error({ err: (err as Error).message }, 'authorization check failed; denying');
    count('denied');
    return errorResult(`access to the tool "${spec.name}" could not be verified right now; try again later`);
  }
  if (!allowed) {
    log().info('tool call denied');
    count('denied');
    return errorResult(`you are not allowed to use the tool "${spec.name}"`);
  }
  const missing = spec.scopes.filter((s) => !token.scopes.includes(s));
  if (missing.length > 0) {
    count('denied');
    return errorResult(
      `the tool "${spec.name}" needs the scope ${missing.join(' ')}; sign in again granting it`,
    );
  }
  try {
    // Keyed on the verified subject, so a new connection or client does not reset the budget.
    const decision = await deps.rateLimit.limiter.consume(
      `tool:${token.subject}:${spec.name}`,
      deps.rateLimit.rules[toTier(token.tier)],
    );
    if (!decision.allowed) {
      deps.metrics.rateLimitRejections.inc({ tool: spec.name });
      count('rate_limited');
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      return errorResult(`too many calls to "${spec.name}"; try again in ${seconds} s`);
    }
  } catch (err) {
    log().error({ err: (err as Error).message }, 'rate limiter unavailable; denying');
    count('denied');
    return errorResult('the service is busy right now; try again later');
  }
  let exchanged: Promise<string> | undefined;
  const progressToken = ctx.mcpReq._meta?.progressToken;
  let step = 0;
  const call: ToolCall = {
    token,
    agentToken: () => {
      exchanged ??= deps.exchanger.exchange(token);
      return exchanged;
    },
    signal: ctx.mcpReq.signal,
    wantsProgress: progressToken !== undefined,
    canElicit: declaresFormElicitation(clientCapabilities()),
    ...(ctx.mcpReq.inputResponses ? { inputResponses: ctx.mcpReq.inputResponses } : {}),
    progress: async (message) => {
      if (progressToken === undefined || ctx.mcpReq.signal.aborted) return;
      step += 1;
      await ctx.mcpReq
        .notify({ method: 'notifications/progress', params: { progressToken, progress: step, message } })
        .catch(() => {});
    },
  };
  try {
    const result = await fn(call);
    if (isInputRequiredResult(result)) count('input_required');
    else count(result.isError ? 'error' : 'success');
    return result;
  } catch (err) {
    const message = describeFailure(err);
    const status = err instanceof ToolFailure ? err.status : 'error';
    const level = err instanceof AgentError && err.status !== undefined && err.status < 500 ? 'info' : 'warn';
    log()[level]({ err: (err as Error).message, status: (err as AgentError).status }, 'tool call failed');
    count(status);
    return errorResult(message);
  }
}
