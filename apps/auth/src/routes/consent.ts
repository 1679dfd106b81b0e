import { isSubset, parseScope } from '@mcp-langgraph/protocol';
import { Router } from 'express';
import type { AuthContext } from '../context.js';
import {
  issueCode,
  redirectError,
  requestBinding,
  sendValidationError,
  validateAuthorizationRequest,
} from '../services/authorization-request.js';
import { errorPage } from '../views/html.js';
import { refusedForm } from './authorize.js';
import { sameOriginForm } from './form-origin.js';

/**
 * `POST /authorize/consent`: the user's answer on the consent page. The form carries the request,
 * the signed-in user and the scopes shown, all bound by `consent_token` to this browser; the token
 * is answered once, so one consent yields one code. `decision` is allow or deny.
 */
export function consentRoutes(ctx: AuthContext): Router {
  const router = Router();
  router.post('/authorize/consent', sameOriginForm(ctx), async (req, res) => {
    const v = await validateAuthorizationRequest(ctx, req.body);
    if (!v.ok) return sendValidationError(ctx, req, res, v);
    const r = v.request;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const userId = typeof body.user_id === 'string' && body.user_id.length <= 100 ? body.user_id : '';
    const granted =
      typeof body.granted_scope === 'string' && body.granted_scope.length <= 1000 ? body.granted_scope : '';
    const form = userId
      ? await ctx.formTokens.redeem(
          'consent',
          requestBinding(r, [userId, granted]),
          ctx.formTokens.browser.read(req),
          body.consent_token,
        )
      : ({ ok: false, refusal: 'invalid' } as const);
    if (!form.ok) {
      refusedForm(ctx, 'consent', form.refusal);
      return errorPage(
        res,
        400,
        'invalid_request',
        'The consent form expired, was already answered or was altered. Please start again.',
      );
    }
    const scopes = parseScope(granted).scopes;
    const user = await ctx.users.findById(userId);
    if (!user || user.disabled || scopes.length === 0 || !isSubset(scopes, r.scopes)) {
      return redirectError(ctx, res, r, 'access_denied', 'the authorization could not be completed');
    }
    const ip = req.ip;
    if (body.decision !== 'allow') {
      await ctx.audit.record({
        event: 'consent.denied',
        outcome: 'success',
        actor: user.id,
        clientId: r.client.clientId,
        ip,
        detail: { scope: granted },
      });
      return redirectError(ctx, res, r, 'access_denied', 'the user denied the request');
    }
    await ctx.consents.grant(user.id, r.client.clientId, scopes);
    await ctx.audit.record({
      event: 'consent.granted',
      outcome: 'success',
      actor: user.id,
      clientId: r.client.clientId,
      ip,
      detail: { scope: granted },
    });
    await issueCode(ctx, res, r, user, scopes);
  });
  return router;
}
