import type { Logger } from '@mcp-langgraph/observability';
import type { AuthContext } from './context.js';

const KEY_RELOAD_MS = 60_000;
const CLEAN_UP_MS = 600_000;

/**
 * Periodic work of every replica: re-reading the signing keys (another replica or the CLI may have
 * rotated them) and deleting rows nothing can use any more. Returns what stops it.
 */
export function startMaintenance(
  ctx: AuthContext,
  options: { lockoutSeconds: number },
  logger: Logger,
): () => void {
  const warn = (what: string) => (err: unknown) => logger.warn({ err: (err as Error).message }, what);
  const timers = [
    setInterval(() => {
      ctx.keys.reload().catch(warn('key reload failed'));
    }, KEY_RELOAD_MS),
    setInterval(() => {
      const t = Math.floor(ctx.now());
      // Codes and refresh tokens stay a while after expiry, so a late replay is still recognised.
      Promise.all([
        ctx.codes.purgeExpired(t - 3600),
        ctx.refresh.purgeExpired(t - 86_400),
        ctx.revocations.purgeExpired(t),
        ctx.throttle.purgeExpired(t - options.lockoutSeconds),
        ctx.formTokens.purgeExpired(t),
        ctx.rateLimits.purgeExpired(t - 86_400),
      ]).catch(warn('clean-up failed'));
    }, CLEAN_UP_MS),
  ];
  for (const t of timers) t.unref();
  return () => {
    for (const t of timers) clearInterval(t);
  };
}
