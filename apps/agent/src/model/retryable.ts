/** A model request that took longer than `LLM_TIMEOUT_MS`; retried like a network failure. */
export class ModelTimeoutError extends Error {
  constructor(
    readonly model: string,
    readonly timeoutMs: number,
  ) {
    super(`model "${model}" did not answer within ${timeoutMs} ms`);
    this.name = 'ModelTimeoutError';
  }
}

type Bag = Record<string, unknown>;
const isBag = (x: unknown): x is Bag => typeof x === 'object' && x !== null;

/** The HTTP status each client library puts somewhere on its errors, if any. */
export function statusOf(err: unknown): number | undefined {
  if (!isBag(err)) return undefined;
  const candidates = [
    err.status, // OpenAI, Anthropic, Google
    err.statusCode, // Mistral
    err.status_code, // Ollama
    (err.response as Bag | undefined)?.status,
    (err.$metadata as Bag | undefined)?.httpStatusCode, // AWS SDK
  ];
  for (const c of candidates) {
    const n = typeof c === 'string' ? Number(c) : c;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 100 && n < 600) return n;
  }
  return undefined;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const NETWORK_NAMES =
  /^(APIConnectionError|APIConnectionTimeoutError|FetchError|TimeoutError|RequestTimeout)/;
const NETWORK_MESSAGES = /fetch failed|socket hang up|network error|other side closed|terminated/i;

function isNetworkFailure(err: Bag): boolean {
  if (typeof err.code === 'string' && NETWORK_CODES.has(err.code)) return true;
  if (typeof err.name === 'string' && NETWORK_NAMES.test(err.name)) return true;
  if (err.constructor && NETWORK_NAMES.test((err.constructor as { name?: string }).name ?? '')) return true;
  return typeof err.message === 'string' && NETWORK_MESSAGES.test(err.message);
}

/**
 * Whether a failed model request is worth another attempt (and, once attempts run out, the next
 * model): a timeout, a network failure, or HTTP 408, 409, 429 or 5xx. Anything else (400, 401,
 * 403, 404, a refused tool schema) is a configuration or request problem that another attempt
 * would only repeat, so it surfaces at once. Looks through `cause` a few levels deep, since
 * LangChain and the AWS SDK wrap what the transport threw.
 */
export function isRetryableModelError(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && isBag(e); depth++, e = e.cause) {
    if (e instanceof ModelTimeoutError) return true;
    const status = statusOf(e);
    if (status !== undefined) return status === 408 || status === 409 || status === 429 || status >= 500;
    if (isNetworkFailure(e)) return true;
  }
  return false;
}
