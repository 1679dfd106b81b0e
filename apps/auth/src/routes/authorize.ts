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
import type { FormRefusal } from '../services/form-tokens.js';
import { checkSignIn } from '../services/sign-in.js';
import type { UserRecord } from '../store/users.js';
import { consentPage, loginPage, sendPage } from '../views/html.js';
import { sameOriginForm } from './form-origin.js';

const INVALID = 'Invalid username or password.';

/** The hidden fields of the login form shown to the browser with binding id `browserId`. */
export function loginFields(ctx: AuthContext, r: AuthorizationRequest, browserId: string) {
  return { ...requestFields(r), csrf_token: ctx.formTokens.issue('login', requestBinding(r), browserId) };
}

export function consentFields(
  ctx: AuthContext,
  r: AuthorizationRequest,
  user: UserRecord,
  scopes: readonly string[],
  browserId: string,
) {
  const granted = formatScope(scopes);
  return {
    ...requestFields(r),
    user_id: user.id,
    granted_scope: granted,
    consent_token: ctx.formTokens.issue('consent', requestBinding(r, [user.id, granted]), browserId),
  };
}

function showLogin(
  ctx: AuthContext,
  req: Request,
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
    fields: loginFields(ctx, r, ctx.formTokens.browser.ensure(req, res)),
    message,
    username,
    formTarget: redirectOrigin(r.redirectUri),
  });
}

/** Counts and logs a refused form; the user is only told to start again. */
export function refusedForm(ctx: AuthContext, form: 'login' | 'consent', refusal: FormRefusal): void {
  ctx.fail('csrf');
  ctx.logger.warn({ form, refusal }, 'form token refused');
}

/** After a successful login: ask for consent when needed, else hand out the code. */
export async function continueAfterLogin(
  ctx: AuthContext,
  res: Response,
  r: AuthorizationRequest,
  user: UserRecord,
  browserId: string,
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
      fields: consentFields(ctx, r, user, scopes, browserId),
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
    showLogin(ctx, req, res, v.request, 200);
  });

  router.post('/authorize', sameOriginForm(ctx), async (req: Request, res: Response) => {
    const v = await validateAuthorizationRequest(ctx, req.body);
    if (!v.ok) return sendValidationError(ctx, req, res, v);
    const r = v.request;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const browserId = ctx.formTokens.browser.read(req);
    const form = await ctx.formTokens.redeem('login', requestBinding(r), browserId, body.csrf_token);
    if (!form.ok || !browserId) {
      refusedForm(ctx, 'login', form.ok ? 'no_cookie' : form.refusal);
      return showLogin(
        ctx,
        req,
        res,
        r,
        400,
        'The sign-in form expired or was altered. Please sign in again.',
      );
    }
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const outcome = await checkSignIn(ctx, {
      username,
      password,
      ip: req.ip ?? 'unknown',
      clientId: r.client.clientId,
    });
    if (outcome.kind === 'locked') {
      res.set('Retry-After', String(outcome.retryAfter));
      return sendPage(
        res,
        429,
        'Too many attempts',
        '<h1>Too many attempts</h1><p>Too many failed sign-ins from this network. Please wait a while and try again.</p>',
      );
    }
    if (outcome.kind === 'invalid')
      return showLogin(ctx, req, res, r, 401, INVALID, username.length <= 100 ? username : undefined);
    await continueAfterLogin(ctx, res, r, outcome.user, browserId);
  });

  return router;
}
