import { formatScope, isSubset } from '@mcp-langgraph/protocol';
import { type Request, type Response, Router } from 'express';
import type { AuthContext } from '../context.js';
import {
  type AuthorizationRequest,
  issueCode,
  redirectError,
  redirectOrigin,
  requestBinding,
  requestFields,
  sendValidationError,
  validateAuthorizationRequest,
} from '../services/authorization-request.js';
import type { UserRecord } from '../store/users.js';
import { consentPage, loginPage, sendPage } from '../views/html.js';

const FORM_TTL = 600;
const INVALID = 'Invalid username or password.';

export function loginFields(ctx: AuthContext, r: AuthorizationRequest): Record<string, string> {
  return { ...requestFields(r), csrf_token: ctx.forms.sign('login', requestBinding(r), FORM_TTL) };
}

export function consentFields(
  ctx: AuthContext,
  r: AuthorizationRequest,
  user: UserRecord,
  scopes: readonly string[],
) {
  const granted = formatScope(scopes);
  return {
    ...requestFields(r),
    user_id: user.id,
    granted_scope: granted,
    consent_token: ctx.forms.sign('consent', requestBinding(r, [user.id, granted]), FORM_TTL),
  };
}

function showLogin(
  ctx: AuthContext,
  res: Response,
  r: AuthorizationRequest,
  status: number,
  message?: string,
  username?: string,
) {
  loginPage(res, {
    status,
    clientName: r.client.name,
    scopes: r.scopes,
    fields: loginFields(ctx, r),
    message,
    username,
    formTarget: redirectOrigin(r.redirectUri),
  });
}

/** After a successful login: ask for consent when needed, else hand out the code. */
export async function continueAfterLogin(
  ctx: AuthContext,
  res: Response,
  r: AuthorizationRequest,
  user: UserRecord,
): Promise<void> {
  const scopes = r.scopes.filter((s) => user.scopes.includes(s));
  if (scopes.length === 0) {
    redirectError(ctx, res, r, 'access_denied', 'the user may not grant any of the requested scopes');
    return;
  }
  const needsConsent =
    ctx.settings.consent &&
    !r.client.firstParty &&
    !isSubset(scopes, await ctx.consents.granted(user.id, r.client.clientId));
  if (needsConsent) {
    consentPage(res, {
      clientName: r.client.name,
      clientId: r.client.clientId,
      username: user.username,
      scopes,
      fields: consentFields(ctx, r, user, scopes),
      formTarget: redirectOrigin(r.redirectUri),
    });
    return;
  }
  await issueCode(ctx, res, r, user, scopes);
}

/** `/authorize`: GET shows the login form, POST checks the credentials posted from it. */
export function authorizeRoutes(ctx: AuthContext): Router {
  const router = Router();

  router.get('/authorize', async (req, res) => {
    const v = await validateAuthorizationRequest(ctx, req.query);
    if (!v.ok) return sendValidationError(ctx, req, res, v);
    showLogin(ctx, res, v.request, 200);
  });

  router.post('/authorize', async (req: Request, res: Response) => {
    const v = await validateAuthorizationRequest(ctx, req.body);
    if (!v.ok) return sendValidationError(ctx, req, res, v);
    const r = v.request;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!ctx.forms.verify('login', requestBinding(r), body.csrf_token)) {
      ctx.fail('csrf');
      return showLogin(ctx, res, r, 400, 'The sign-in form expired or was altered. Please sign in again.');
    }
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const shownName = username.length <= 100 ? username : undefined;
    const ip = req.ip ?? 'unknown';
    const keys = [`acct:${username.toLowerCase().slice(0, 200)}`, `ip:${ip}`];
    const gate = await ctx.throttle.attempt(keys);
    const failed = async (reason: 'locked_out' | 'invalid_credentials') => {
      ctx.fail(reason);
      await ctx.audit.record({
        event: 'login',
        outcome: 'failure',
        actor: shownName,
        clientId: r.client.clientId,
        ip,
        detail: { reason },
      });
    };
    if (gate.locked) {
      await failed('locked_out');
      res.set('Retry-After', String(gate.retryAfter));
      return sendPage(
        res,
        429,
        'Too many attempts',
        '<h1>Too many attempts</h1><p>Too many failed sign-ins. Please wait a while and try again.</p>',
      );
    }
    if (gate.delayMs > 0) await ctx.sleep(gate.delayMs);

    let user: UserRecord | undefined;
    if (username && password && username.length <= 100 && password.length <= 1024) {
      user = await ctx.users.findByUsername(username);
      const ok = user
        ? await ctx.passwords.verify(user.passwordHash, password)
        : await ctx.passwords.verifyUnknown(password);
      if (!ok || user?.disabled) user = undefined;
    }
    if (!user) {
      await failed('invalid_credentials');
      return showLogin(ctx, res, r, 401, INVALID, shownName);
    }
    await ctx.throttle.succeed(keys[0]!, keys[1]!);
    await ctx.audit.record({
      event: 'login',
      outcome: 'success',
      actor: user.id,
      subject: user.username,
      clientId: r.client.clientId,
      ip,
    });
    await continueAfterLogin(ctx, res, r, user);
  });

  return router;
}
