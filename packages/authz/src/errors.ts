/**
 * Why the authorization engine refused a request. The codes follow OpenFGA's error names so callers
 * can treat both engines alike; `validation_error`, `invalid_tuple`, `type_not_found` and
 * `relation_not_found` are the caller's fault (4xx), the others are not.
 */
export type AuthzErrorCode =
  | 'validation_error'
  | 'invalid_tuple'
  | 'type_not_found'
  | 'relation_not_found'
  | 'invalid_model'
  | 'resolution_too_complex'
  | 'unavailable';

/** The one error type the authorization package throws. Callers deny on any of them. */
export class AuthzError extends Error {
  constructor(
    readonly code: AuthzErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AuthzError';
  }
}
