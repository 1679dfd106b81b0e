import { randomBytes } from 'node:crypto';
import { DEFAULT_SCOPES, formatScope, GRANT_TYPE, sameUrl } from '@mcp-langgraph/protocol';
import type { Request, Response } from 'express';
import type { AuthContext } from '../context.js';
import type { ClientRecord } from '../store/clients.js';
import type { UserRecord } from '../store/users.js';
import { errorPage } from '../views/html.js';
import { bindingOf } from './forms.js';
import { hashToken } from './hashing.js';
import { narrowScope, type ScopeRefusal } from './narrow-scope.js';
import { optionalParam } from './oauth-params.js';
import { withParams } from './redirect-uris.js';

/** A validated authorization request: every later step (login, consent, code) works from this. */
export interface AuthorizationRequest {
  client: ClientRecord;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  scopes: string[];
  resource: string;
}

export type Validation =
  | { ok: true; request: AuthorizationRequest }
  | { ok: false; status: number; error: string; description: string; redirectUri?: string; state?: string };

type Read = { value?: string; bad?: true };

/** Reads a parameter under the token endpoint's rules, but reports a bad one instead of throwing. */
function read(input: unknown, name: string, max: number): Read {
  const v = input && typeof input === 'object' ? (input as Record<string, unknown>)[name] : undefined;
  const parsed = optionalParam(max).safeParse(v);
  if (!parsed.success) return { bad: true };
  return parsed.data === undefined ? {} : { value: parsed.data };
}

/** A refusal shown to the user: until the redirect URI is trusted, nothing is sent back to it. */
const shown = (error: string, description: string): Validation => ({
  ok: false,
  status: 400,
  error,
  description,
});

const SCOPE_REFUSALS: Record<ScopeRefusal, string> = {
  unknown: 'the request names a scope this server does not know',
  outside: 'the client may not request these scopes',
  empty: 'no scope can be granted to this client',
};

/**
 * Checks an authorization request in the order RFC 6749 4.1.2.1 demands: until the client and its
 * redirect URI are known good, errors are shown to the user and never redirected (no open redirect).
 */
export async function validateAuthorizationRequest(ctx: AuthContext, input: unknown): Promise<Validation> {
  const clientId = read(input, 'client_id', 2048);
  if (clientId.bad || !clientId.value) return shown('invalid_request', 'client_id is missing or malformed');
  let client: ClientRecord | undefined;
  try {
    client = await ctx.clientAuth.lookup(clientId.value);
  } catch (err) {
    ctx.logger.warn({ err: (err as Error).message }, 'client lookup failed');
    client = undefined;
  }
  if (!client || client.disabled) return shown('invalid_client', 'the client is not known');
  const redirect = read(input, 'redirect_uri', 2048);
  if (redirect.bad || !redirect.value)
    return shown('invalid_request', 'redirect_uri is missing or malformed');
  if (!client.redirectUris.includes(redirect.value))
    return shown('invalid_request', 'redirect_uri is not registered for this client');
  const redirectUri = redirect.value;
  const state = read(input, 'state', 1024);
  const fail = (error: string, description: string): Validation => ({
    ok: false,
    status: 302,
    error,
    description,
    redirectUri,
    ...(state.value ? { state: state.value } : {}),
  });
  if (state.bad) return fail('invalid_request', 'state is malformed');
  if (!state.value) return fail('invalid_request', 'state is required');
  const responseType = read(input, 'response_type', 100);
  if (responseType.bad || !responseType.value) return fail('invalid_request', 'response_type is required');
  if (responseType.value !== 'code')
    return fail(
      'unsupported_response_type',
      'only the authorization code flow (response_type=code) is supported',
    );
  if (!client.grantTypes.includes(GRANT_TYPE.authorizationCode))
    return fail('unauthorized_client', 'this client may not use the authorization code flow');
  const method = read(input, 'code_challenge_method', 20);
  const challenge = read(input, 'code_challenge', 200);
  if (challenge.bad || !challenge.value) return fail('invalid_request', 'code_challenge (PKCE) is required');
  if (method.value !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge.value))
    return fail('invalid_request', 'code_challenge must be a base64url SHA-256 digest');
  const scopeParam = read(input, 'scope', 1000);
  if (scopeParam.bad) return fail('invalid_scope', 'scope is malformed');
  const scope = narrowScope(scopeParam.value, client.scopes, { allowEmpty: false, defaults: DEFAULT_SCOPES });
  if (!scope.ok) return fail('invalid_scope', SCOPE_REFUSALS[scope.refusal]);
  const resourceParam = read(input, 'resource', 2048);
  if (resourceParam.bad) return fail('invalid_target', 'resource is malformed');
  const wanted = resourceParam.value ?? ctx.settings.defaultResource;
  const resource = ctx.settings.edgeAudiences.find((a) => sameUrl(a, wanted));
  if (!resource) return fail('invalid_target', 'resource is not a protected resource served by this server');
  return {
    ok: true,
    request: {
      client,
      redirectUri,
      state: state.value,
      codeChallenge: challenge.value,
      scopes: scope.scopes,
      resource,
    },
  };
}

/** The request as hidden form fields, so the login and consent forms carry it forward. */
export function requestFields(r: AuthorizationRequest): Record<string, string> {
  return {
    response_type: 'code',
    client_id: r.client.clientId,
    redirect_uri: r.redirectUri,
    state: r.state,
    code_challenge: r.codeChallenge,
    code_challenge_method: 'S256',
    scope: r.scopes.join(' '),
    resource: r.resource,
  };
}

export function requestBinding(r: AuthorizationRequest, extra: readonly string[] = []): string {
  return bindingOf([
    r.client.clientId,
    r.redirectUri,
    r.state,
    r.codeChallenge,
    r.scopes.join(' '),
    r.resource,
    ...extra,
  ]);
}

/** The origin the final redirect goes to, which the page's form-action policy must allow. */
export function redirectOrigin(redirectUri: string): string {
  return new URL(redirectUri).origin;
}

/** Answers a failed validation: a page (or JSON) before the redirect URI is trusted, a redirect after. */
export function sendValidationError(
  ctx: AuthContext,
  req: Request,
  res: Response,
  v: Validation & { ok: false },
): void {
  if (v.redirectUri) {
    sendBack(ctx, res, v.redirectUri, v.state, v.error, v.description);
    return;
  }
  if (req.accepts(['html', 'json']) === 'json') {
    res
      .status(v.status)
      .set('Cache-Control', 'no-store')
      .json({ error: v.error, error_description: v.description });
    return;
  }
  errorPage(res, v.status, v.error, v.description);
}

/** Creates the one-time code and sends the user back to the client (RFC 9207 `iss` included). */
export async function issueCode(
  ctx: AuthContext,
  res: Response,
  r: AuthorizationRequest,
  user: UserRecord,
  scopes: readonly string[],
): Promise<void> {
  const code = randomBytes(32).toString('base64url');
  await ctx.codes.create({
    codeHash: hashToken(code),
    clientId: r.client.clientId,
    userId: user.id,
    redirectUri: r.redirectUri,
    codeChallenge: r.codeChallenge,
    scope: formatScope(scopes),
    resource: r.resource,
    expiresAt: Math.floor(ctx.now()) + ctx.settings.codeTtl,
  });
  res
    .set('Cache-Control', 'no-store')
    .redirect(302, withParams(r.redirectUri, { code, state: r.state, iss: ctx.settings.issuer }));
}

/** An RFC 6749 4.1.2.1 error answer, sent to the client's (already checked) redirect URI. */
function sendBack(
  ctx: AuthContext,
  res: Response,
  redirectUri: string,
  state: string | undefined,
  error: string,
  description: string,
): void {
  const params = { error, error_description: description, state, iss: ctx.settings.issuer };
  res.redirect(302, withParams(redirectUri, params));
}

export function redirectError(
  ctx: AuthContext,
  res: Response,
  r: AuthorizationRequest,
  error: string,
  description: string,
): void {
  sendBack(ctx, res, r.redirectUri, r.state, error, description);
}
