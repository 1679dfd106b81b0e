/**
 * The one error type services throw for answers a caller can act on. `code` is machine-readable
 * and travels in the body as `error`; `message` travels as `error_description` for 4xx only.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, code = 'invalid_request') => new AppError(400, code, message);
export const unauthorized = (message: string, code = 'invalid_token', headers: Record<string, string> = {}) =>
  new AppError(401, code, message, headers);
export const forbidden = (message: string, code = 'forbidden') => new AppError(403, code, message);
export const notFound = (message: string, code = 'not_found') => new AppError(404, code, message);

export interface ErrorBody {
  error: string;
  error_description: string;
}

/** Turns anything thrown into a status and a body that never carries internals for 5xx. */
export function toErrorResponse(err: unknown): {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
} {
  if (err instanceof AppError) {
    const hide = err.status >= 500;
    return {
      status: err.status,
      body: { error: err.code, error_description: hide ? 'internal error' : err.message },
      headers: { ...err.headers },
    };
  }
  // body-parser and friends mark client mistakes with `type` and `status`.
  const e = err as { type?: string; status?: number; statusCode?: number } | null;
  const status = e?.status ?? e?.statusCode;
  if (e?.type === 'entity.parse.failed')
    return {
      status: 400,
      body: { error: 'invalid_json', error_description: 'request body is not valid JSON' },
      headers: {},
    };
  if (e?.type === 'entity.too.large')
    return {
      status: 413,
      body: { error: 'payload_too_large', error_description: 'request body is larger than the limit' },
      headers: {},
    };
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported')
    return {
      status: 415,
      body: { error: 'unsupported_encoding', error_description: 'request body encoding is not supported' },
      headers: {},
    };
  if (typeof status === 'number' && status >= 400 && status < 500)
    return {
      status,
      body: { error: 'invalid_request', error_description: 'the request could not be processed' },
      headers: {},
    };
  return { status: 500, body: { error: 'server_error', error_description: 'internal error' }, headers: {} };
}
