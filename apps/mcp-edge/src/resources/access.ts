import { SCOPE } from '@mcp-langgraph/protocol';
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
 * Refusals are protocol errors with a message for the caller.
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
