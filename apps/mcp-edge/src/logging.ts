import type { VerifiedToken } from '@mcp-langgraph/resource-server';
import type { LoggingLevel, McpServer, ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Identify, ToolCall } from './tools/tool-call-gate.js';

/** RFC 5424 severities as MCP orders them, least severe first. */
const SEVERITY = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
] as const satisfies readonly LoggingLevel[];
const severity = (level: LoggingLevel) => SEVERITY.indexOf(level);
const setLevelParams = z.looseObject({ level: z.enum(SEVERITY) });

/**
 * The levels callers asked for with `logging/setLevel` on the 2025 revisions. The edge serves
 * those revisions without sessions, so there is no session for a level to belong to: it is kept
 * for the caller instead (the token's subject and OAuth client, so one user's two clients keep
 * their own levels), in this replica's memory, until `ttlMs` after it was last set.
 */
export interface CallerLogLevels {
  get(caller: string): LoggingLevel | undefined;
  set(caller: string, level: LoggingLevel): void;
}

/** The key a caller's level is kept under: who, and through which client. */
export const callerKey = (token: VerifiedToken) => `${token.subject}\u0000${token.clientId}`;

/**
 * A bounded map (the oldest caller is forgotten past `maxCallers`), so a stream of new callers
 * cannot grow it without limit.
 */
export function createCallerLogLevels(
  options: { ttlMs?: number; maxCallers?: number; now?: () => number } = {},
): CallerLogLevels {
  const ttlMs = options.ttlMs ?? 60 * 60_000;
  const maxCallers = options.maxCallers ?? 10_000;
  const now = options.now ?? Date.now;
  const levels = new Map<string, { level: LoggingLevel; until: number }>();
  return {
    get(caller) {
      const entry = levels.get(caller);
      if (!entry) return undefined;
      if (entry.until > now()) return entry.level;
      levels.delete(caller);
      return undefined;
    },
    set(caller, level) {
      levels.delete(caller);
      levels.set(caller, { level, until: now() + ttlMs });
      if (levels.size > maxCallers) levels.delete(levels.keys().next().value as string);
    },
  };
}

/**
 * `logging/setLevel` for a server answering one request of the 2025 revisions: the SDK's own
 * handler would keep the level on this per-request instance, which is gone with the response, so
 * the level is kept for the verified caller in `levels` instead. A level MCP does not define is
 * invalid params.
 */
export function rememberLogLevels(server: McpServer, identify: Identify, levels: CallerLogLevels): void {
  server.server.setRequestHandler('logging/setLevel', { params: setLevelParams }, async ({ level }, ctx) => {
    const token = await identify(ctx).catch(() => undefined);
    if (token) levels.set(callerKey(token), level);
    return {};
  });
}

/** Sends one `info` log notification about a step of the work; never fails the work. */
export type StepLog = (message: string) => Promise<void>;

/**
 * Log notifications for one request, at `info`, named `logger`. On 2026-07-28 the level travels
 * with each request (`_meta["io.modelcontextprotocol/logLevel"]`) and the SDK sends nothing when
 * the request names none. On the 2025 revisions the level the caller set (`levels`) decides;
 * without `levels` (stdio, one session per process) the SDK's session level does.
 */
export function stepLogger(
  ctx: ServerContext,
  logger: string,
  remembered?: { levels: CallerLogLevels; caller: string },
): StepLog {
  return async (message) => {
    if (ctx.mcpReq.signal.aborted) return;
    if (remembered && ctx.mcpReq.envelope === undefined) {
      const threshold = remembered.levels.get(remembered.caller);
      if (threshold && severity('info') < severity(threshold)) return;
    }
    await ctx.mcpReq.log('info', message, logger).catch(() => {});
  };
}

const attached = new WeakMap<ToolCall, StepLog>();

/** Gives a tool call its step log (the MCP server does, for every call the gate lets through). */
export function attachStepLog(call: ToolCall, log: StepLog): ToolCall {
  attached.set(call, log);
  return call;
}

/**
 * Logs a step of a tool call to the caller (`notifications/message`, level `info`). Say what the
 * tool is doing; never put tokens or anything the caller did not send in the message.
 */
export function logStep(call: ToolCall, message: string): Promise<void> {
  return attached.get(call)?.(message) ?? Promise.resolve();
}
