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
