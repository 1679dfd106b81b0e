import type { AppError } from '@mcp-langgraph/observability';
import { formatScope, type GrantType } from '@mcp-langgraph/protocol';
import type { Request } from 'express';
import type { z } from 'zod';
import type { AuthContext, AuthFailureReason } from '../context.js';
import { type NarrowScopeOptions, narrowScope } from '../services/narrow-scope.js';
import { oauthError } from '../services/oauth-error.js';
import type { AuditEvent } from '../store/audit.js';
import type { ClientRecord } from '../store/clients.js';
import type { TokenResponse } from './issue.js';

/** A grant of the token endpoint: its parameters, checked before it runs, and what it does with them. */
export interface Grant<S extends z.ZodObject = z.ZodObject> {
  params: S;
  run(ctx: AuthContext, req: Request, client: ClientRecord, params: z.output<S>): Promise<TokenResponse>;
}

export function defineGrant<S extends z.ZodObject>(params: S, run: Grant<S>['run']): Grant<S> {
  return { params, run };
}

/** Refuses a client whose registration does not list `grantType` (`unauthorized_client`). */
export function requireGrantType(client: ClientRecord, grantType: GrantType, description: string): void {
  if (!client.grantTypes.includes(grantType)) throw oauthError('unauthorized_client', description);
}

/** An `invalid_grant` answer that is also counted as a refused credential. */
export function refusedGrant(
  ctx: AuthContext,
  description: string,
  reason: AuthFailureReason = 'invalid_grant',
): AppError {
  ctx.fail(reason);
  return oauthError('invalid_grant', description);
}

/** {@link narrowScope} for a grant: the scope string to issue, or `invalid_scope` with `description`. */
export function grantScope(
  requested: string | undefined,
  granted: readonly string[],
  options: NarrowScopeOptions,
  description: string,
): string {
  const narrowed = narrowScope(requested, granted, options);
  if (!narrowed.ok) throw oauthError('invalid_scope', description);
  return formatScope(narrowed.scopes);
}

/** Audits what this request did with a token of `client`; the event names whom the token speaks for. */
export function auditToken(
  ctx: AuthContext,
  req: Request,
  client: ClientRecord,
  event: Pick<AuditEvent, 'event' | 'outcome' | 'subject' | 'detail'>,
): Promise<void> {
  return ctx.audit.record({ ...event, clientId: client.clientId, ip: req.ip });
}
