import type { AuthContext } from '../context.js';
import type { UserRecord } from '../store/users.js';
import { hashToken } from './hashing.js';

export type SignInOutcome =
  | { kind: 'success'; user: UserRecord }
  | { kind: 'invalid' }
  | { kind: 'locked'; retryAfter: number };

export interface SignInAttempt {
  username: string;
  password: string;
  /** The client address the throttle counts per address. */
  ip: string;
  clientId: string;
}

/**
 * Checks a posted username and password under the login throttle, and audits the outcome.
 * Unknown names and wrong passwords cost the same work and get the same answer. A typed name is
 * written to the audit trail only when it names an account: what people type into the username
 * field is sometimes their password. The throttle keys an account by a hash of the name, so the
 * store does not keep what was typed either.
 */
export async function checkSignIn(ctx: AuthContext, attempt: SignInAttempt): Promise<SignInOutcome> {
  const { username, password, ip } = attempt;
  const wellFormed = username.length > 0 && username.length <= 100 && password.length <= 1024;
  const account = wellFormed ? await ctx.users.findByUsername(username) : undefined;
  const keys = [`acct:${hashToken(username.toLowerCase().slice(0, 200))}`, `ip:${ip}`] as const;
  const failed = async (reason: 'locked_out' | 'invalid_credentials') => {
    ctx.fail(reason);
    await ctx.audit.record({
      event: 'login',
      outcome: 'failure',
      subject: account?.username,
      clientId: attempt.clientId,
      ip,
      detail: { reason, known_account: account !== undefined },
    });
  };

  const gate = await ctx.throttle.attempt(keys);
  if (gate.locked) {
    await failed('locked_out');
    return { kind: 'locked', retryAfter: gate.retryAfter };
  }
  if (gate.delayMs > 0) await ctx.sleep(gate.delayMs);

  let ok = false;
  if (wellFormed && password) {
    ok = account
      ? await ctx.passwords.verify(account.passwordHash, password)
      : await ctx.passwords.verifyUnknown(password);
  }
  if (!ok || !account || account.disabled) {
    await failed('invalid_credentials');
    return { kind: 'invalid' };
  }
  await ctx.throttle.succeed(keys[0], keys[1]);
  await ctx.audit.record({
    event: 'login',
    outcome: 'success',
    actor: account.id,
    subject: account.username,
    clientId: attempt.clientId,
    ip,
  });
  return { kind: 'success', user: account };
}
