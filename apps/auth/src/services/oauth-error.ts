import { AppError } from '@mcp-langgraph/observability';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_token_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'access_denied'
  | 'temporarily_unavailable';

/** An RFC 6749 error answer; the app's error mapper renders it as `{error, error_description}`. */
export function oauthError(
  code: OAuthErrorCode,
  description: string,
  status = 400,
  headers: Record<string, string> = {},
): AppError {
  return new AppError(status, code, description, headers);
}

/** Reads one form/JSON parameter: absent, or exactly one string (repeated parameters are refused). */
export function param(body: unknown, name: string, maxLength = 2048): string | undefined {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw oauthError('invalid_request', `${name} must be given once, as a string`);
  if (v.length > maxLength) throw oauthError('invalid_request', `${name} is too long`);
  return v;
}

export function requiredParam(body: unknown, name: string, maxLength = 2048): string {
  const v = param(body, name, maxLength);
  if (v === undefined) throw oauthError('invalid_request', `${name} is required`);
  return v;
}
