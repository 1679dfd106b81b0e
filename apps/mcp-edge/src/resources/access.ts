import { SCOPE, toTier } from '@mcp-langgraph/protocol';
import type { VerifiedToken } from '@mcp-langgraph/resource-server';
import { ProtocolError, ProtocolErrorCode, type ServerContext } from '@modelcontextprotocol/server';
import { AgentError } from '../agent-client.js';
import { describeFailure, type ToolDeps, ToolFailure } from '../tools/tool-call-gate.js';

/** A verified caller allowed to read conversations, for one request. */
export interface ConversationReader {
  token: VerifiedToken;
  /** An agent-audience token for this caller (RFC 8693), fetched on first use. */
  agentToken(): Promise<string>;
  signal: AbortSignal;
}

/**
 * The caller of a resource, prompt or completion request, allowed to read conversations: a
 * verified token (the bearer token over HTTP, the configured credentials over stdio) carrying
 * `conversations:read`. Which conversations they may read is the agent's decision (its thread
 * search and reads are scoped to what the caller may view), so nothing else is checked here.
 * Each such request spends one unit of the caller's reading budget (one budget for resources,
 * prompts and completions, at the rate of their tier's tool calls; a limiter that cannot decide
 * refuses). Refusals are protocol errors with a message for the caller.
 */
export async function conversationReader(deps: ToolDeps, ctx: ServerContext): Promise<ConversationReader> {
  let token: VerifiedToken;
  try {
    token = await deps.identify(ctx);
  } catch (err) {
    const message = err instanceof ToolFailure ? err.message : 'this request needs an authenticated caller';
    throw new ProtocolError(ProtocolErrorCode.InvalidRequest, message);
  }
  if (!token.scopes.includes(SCOPE.conversationsRead))
    throw new ProtocolError(
      ProtocolErrorCode.InvalidRequest,
      `reading conversations needs the scope ${SCOPE.conversationsRead}; sign in again granting it`,
    );
  await spendReadingBudget(deps, token);
  let exchanged: Promise<string> | undefined;
  return {
    token,
    agentToken: () => {
      exchanged ??= deps.exchanger.exchange(token);
      return exchanged;
    },
    signal: ctx.mcpReq.signal,
  };
}

/** The metrics label of conversation reads among the rate-limit rejections (otherwise tool names). */
export const READS_LABEL = 'conversation_reads';

async function spendReadingBudget(deps: ToolDeps, token: VerifiedToken): Promise<void> {
  let decision: Awaited<ReturnType<ToolDeps['rateLimit']['limiter']['consume']>>;
  try {
    // Keyed on the verified subject, as the tools' budgets are.
    decision = await deps.rateLimit.limiter.consume(
      `read:${token.subject}`,
      deps.rateLimit.rules[toTier(token.tier)],
    );
  } catch (err) {
    deps.logger.error({ err: (err as Error).message }, 'rate limiter unavailable; denying');
    throw new ProtocolError(
      ProtocolErrorCode.InternalError,
      'the service is busy right now; try again later',
    );
  }
  if (decision.allowed) return;
  deps.metrics.rateLimitRejections.inc({ tool: READS_LABEL });
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  throw new ProtocolError(
    ProtocolErrorCode.InvalidRequest,
    `too many requests for conversations; try again in ${seconds} s`,
  );
}

/** Whether the agent answered that the conversation does not exist or is not the caller's. */
export const isNotFound = (err: unknown) => err instanceof AgentError && err.status === 404;

/**
 * An agent or token-exchange failure as a protocol error whose message names the problem and
 * hides internals (the same messages the tools give).
 */
export function protocolFailure(deps: ToolDeps, err: unknown, what: string): ProtocolError {
  if (err instanceof ProtocolError) return err;
  const status = (err as AgentError).status;
  const level = err instanceof AgentError && status !== undefined && status < 500 ? 'info' : 'warn';
  deps.logger[level]({ err: (err as Error).message, status }, `${what} failed`);
  return new ProtocolError(ProtocolErrorCode.InternalError, describeFailure(err));
}
