import { batchCheckOf } from '@mcp-langgraph/authz';
import { formatScope, SCOPE, toolObject } from '@mcp-langgraph/protocol';
import type { VerifiedToken } from '@mcp-langgraph/resource-server';
import {
  type ListToolsResult,
  type McpServer,
  PROTOCOL_VERSION_META_KEY,
  type ScopeChallengeHandler,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { verifiedTokenOf } from '../auth-info.js';
import { SERVED_REVISIONS } from '../revisions.js';
import type { ToolServices, ToolSpec } from './tool-call-gate.js';

type Decider = Pick<ToolServices, 'authorizer' | 'logger'>;

/**
 * Whether `subject` holds `executor` on `tool:<name>`, through the same (cached) decisions as the
 * tool-call gate; a check that cannot be decided counts as no.
 */
export async function mayExecute(deps: Decider, subject: string, name: string): Promise<boolean> {
  try {
    return await deps.authorizer.check({ user: subject, relation: 'executor', object: toolObject(name) });
  } catch (err) {
    deps.logger.warn(
      { err: (err as Error).message, tool: name },
      'tool listing check failed; hiding the tool',
    );
    return false;
  }
}

/**
 * The names among `names` the caller may execute, in one batch of checks (cached decisions are
 * answered without the engine); a batch that cannot be decided hides them all. For other
 * listings that depend on the tools (prompts or resources standing for a tool): filter them with
 * this before answering.
 */
export async function allowedFor(
  deps: Decider,
  caller: Pick<VerifiedToken, 'subject'>,
  names: readonly string[],
): Promise<Set<string>> {
  let decisions: boolean[];
  try {
    decisions = await batchCheckOf(deps.authorizer)(
      names.map((n) => ({ user: caller.subject, relation: 'executor', object: toolObject(n) })),
    );
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message }, 'tool listing checks failed; hiding the tools');
    return new Set();
  }
  return new Set(names.filter((_, i) => decisions[i]));
}

type ListHandler = (request: unknown, ctx: ServerContext) => Promise<ListToolsResult>;

/**
 * The SDK's tool listing, per negotiated revision, kept across the per-request server instances
 * of one endpoint: every instance registers the same definitions, and converting their schemas
 * to JSON Schema is most of what a `tools/list` costs. Entries are frozen, so an answer can only
 * be filtered, never changed in place.
 */
export type ToolListingCache = Map<string, readonly ListToolsResult['tools'][number][]>;

const SERVED = new Set<string>(SERVED_REVISIONS);

export function createToolListingCache(): ToolListingCache {
  return new Map();
}

/**
 * Makes `tools/list` answer only the tools the caller may execute. Wraps the SDK's own listing
 * (so every field a registration adds stays as the SDK writes it) and must run after the tools
 * are registered. The answer depends on the caller, so on 2026-07-28 it is marked
 * `cacheScope: private` whatever the server-wide hint says. Without a verified caller (stdio
 * resolves its caller per call) the listing is left whole; the gate still decides each call.
 * With a `cache`, the SDK lists once per revision and later instances reuse that listing.
 */
export function listOnlyAllowedTools(server: McpServer, deps: Decider, cache?: ToolListingCache): void {
  // The SDK keeps registered handlers behind a protected accessor; this is its documented use.
  const inner = server.server as unknown as { _getRequestHandler(method: string): ListHandler | undefined };
  const sdkList = inner._getRequestHandler('tools/list');
  if (!sdkList) return;
  const listing = async (request: unknown, ctx: ServerContext) => {
    if (!cache) return (await sdkList(request, ctx)).tools;
    // Stateless 2025 requests negotiate nothing on their instance: their header names the revision.
    const revision =
      server.server.getNegotiatedProtocolVersion() ??
      ctx.http?.req?.headers.get('mcp-protocol-version') ??
      'unstated';
    // Only revisions the edge serves are kept: a header cannot grow the cache.
    if (!SERVED.has(revision)) return (await sdkList(request, ctx)).tools;
    const known = cache.get(revision);
    if (known) return known;
    const tools = Object.freeze((await sdkList(request, ctx)).tools.map((t) => Object.freeze(t)));
    cache.set(revision, tools);
    return tools;
  };
  server.server.setRequestHandler('tools/list', async (request, ctx) => {
    const listed = await listing(request, ctx);
    const caller = verifiedTokenOf(ctx.http?.authInfo);
    const tools = caller
      ? await allowedFor(
          deps,
          caller,
          listed.map((t) => t.name),
        ).then((allowed) => listed.filter((t) => allowed.has(t.name)))
      : [...listed];
    const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
    const modern = envelope?.[PROTOCOL_VERSION_META_KEY] !== undefined;
    return { tools, ...(modern ? { cacheScope: 'private' as const } : {}) };
  });
}

/**
 * Step-up for a tool over HTTP: a caller who may execute the tool but whose token lacks one of
 * its scopes gets `403 insufficient_scope` before the call runs, naming every scope it needs
 * (what it holds plus what the tool needs), so its client can sign in again with them and retry.
 * A caller who may not execute the tool gets no challenge: the gate denies the call.
 */
export function stepUpChallenge(deps: Decider, tool: ToolSpec): ScopeChallengeHandler | undefined {
  if (tool.scopes.length === 0) return undefined;
  return async ({ authInfo }) => {
    const token = verifiedTokenOf(authInfo);
    if (!token) return undefined;
    const missing = tool.scopes.filter((s) => !token.scopes.includes(s));
    if (missing.length === 0) return undefined;
    if (!(await mayExecute(deps, token.subject, tool.name))) return undefined;
    const scopes = formatScope([SCOPE.tools, ...token.scopes, ...tool.scopes]).split(' ');
    return {
      scopes: scopes as [string, ...string[]],
      errorDescription: `the tool ${tool.name} needs the scope ${missing.join(' ')}`,
    };
  };
}
