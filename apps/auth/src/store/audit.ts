import { randomUUID } from 'node:crypto';
import type { Logger } from '@mcp-langgraph/observability';
import type { Kysely } from 'kysely';
import { type AuthDB, num } from './schema.js';

export type AuditEventName =
  | 'login'
  | 'token.issued'
  | 'token.refresh_reuse'
  | 'token.code_reuse'
  | 'token.revoked'
  | 'client.registered'
  | 'key.rotated'
  | 'admin.user_added'
  | 'admin.user_disabled'
  | 'admin.user_enabled'
  | 'admin.client_added'
  | 'admin.client_secret_rotated'
  | 'consent.granted'
  | 'consent.denied';

/** One audit entry. Never put a secret, password or token in any field. */
export interface AuditEvent {
  event: AuditEventName;
  outcome: 'success' | 'failure';
  actor?: string | undefined;
  subject?: string | undefined;
  clientId?: string | undefined;
  ip?: string | undefined;
  detail?: Record<string, string | number | boolean | undefined>;
}

export interface AuditEntry extends AuditEvent {
  id: string;
  at: number;
}

export type AuditTrail = ReturnType<typeof createAuditTrail>;

/** Writes each event to the `audit_events` table and as a structured log line. */
export function createAuditTrail(db: Kysely<AuthDB>, logger: Logger, now: () => number) {
  return {
    async record(e: AuditEvent): Promise<void> {
      const entry = { id: randomUUID(), at: now(), ...e };
      logger.info(
        {
          audit: {
            event: e.event,
            outcome: e.outcome,
            actor: e.actor,
            subject: e.subject,
            client_id: e.clientId,
            ip: e.ip,
            ...e.detail,
          },
        },
        `audit ${e.event}`,
      );
      try {
        await db
          .insertInto('audit_events')
          .values({
            id: entry.id,
            at: entry.at,
            event: e.event,
            outcome: e.outcome,
            actor: e.actor ?? null,
            subject: e.subject ?? null,
            client_id: e.clientId ?? null,
            ip: e.ip ?? null,
            detail: JSON.stringify(e.detail ?? {}),
          })
          .execute();
      } catch (err) {
        logger.error({ err: (err as Error).message, event: e.event }, 'audit entry could not be stored');
      }
    },
    async recent(limit = 100): Promise<AuditEntry[]> {
      const rows = await db
        .selectFrom('audit_events')
        .selectAll()
        .orderBy('at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        at: num(r.at),
        event: r.event as AuditEventName,
        outcome: r.outcome as 'success' | 'failure',
        actor: r.actor ?? undefined,
        subject: r.subject ?? undefined,
        clientId: r.client_id ?? undefined,
        ip: r.ip ?? undefined,
        detail: JSON.parse(r.detail) as Record<string, string>,
      }));
    },
  };
}
