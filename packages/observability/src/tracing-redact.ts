import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

const CENSOR = '[redacted]';

/**
 * Attribute names whose value never leaves on an exported span (captured headers, mostly), by
 * their last segment: `http.request.header.authorization`, `…x-gateway-secret`, `…x-auth-token`;
 * not `gen_ai.usage.input_tokens`.
 */
const SENSITIVE_KEY = /authorization|cookie|secret|password|api[-_]?key|credential|(^|[-_])token$/i;
const sensitiveKey = (key: string) => SENSITIVE_KEY.test(key.slice(key.lastIndexOf('.') + 1));

/** Query parameters whose values are replaced: tokens, codes, keys, signatures, passwords. */
const SENSITIVE_PARAM = /token|secret|password|code|key|signature|assertion|credential|session|state/i;

/** The URL-shaped attributes of the HTTP, fetch and database instrumentations (old and new conventions). */
const URL_KEYS = new Set(['url.full', 'url.query', 'http.url', 'http.target', 'url.original']);

/** `query` (`a=1&b=2`) with the values of sensitive parameters replaced. Linear in the input. */
function redactParams(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name: string;
      try {
        name = decodeURIComponent(pair.slice(0, eq).replace(/\+/g, ' '));
      } catch {
        return `${pair.slice(0, eq)}=${CENSOR}`;
      }
      return SENSITIVE_PARAM.test(name) ? `${pair.slice(0, eq)}=${CENSOR}` : pair;
    })
    .join('&');
}

/**
 * `value` with the values of sensitive query parameters replaced: a URL or a path with a query,
 * or (`bare`) a query alone, with or without its `?`. Linear in the input.
 */
export function redactQuery(value: string, bare = false): string {
  const q = bare ? (value.startsWith('?') ? 0 : -1) : value.indexOf('?');
  if (!bare && q < 0) return value;
  const hash = value.indexOf('#', q + 1);
  const end = hash < 0 ? value.length : hash;
  return `${value.slice(0, q + 1)}${redactParams(value.slice(q + 1, end))}${value.slice(end)}`;
}

/**
 * A span processor, first in the chain, that cleans every span as it ends, before any exporter
 * sees it: sensitive query values in URL attributes are replaced, and any attribute whose name
 * says it holds a credential (a captured `authorization` or `cookie` header) is blanked.
 */
export class RedactingSpanProcessor implements SpanProcessor {
  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    for (const [key, value] of Object.entries(span.attributes)) {
      if (sensitiveKey(key)) span.setAttribute(key, CENSOR);
      else if (URL_KEYS.has(key) && typeof value === 'string') {
        const clean = redactQuery(value, key === 'url.query');
        if (clean !== value) span.setAttribute(key, clean);
      }
    }
  }

  onEnd(_span: ReadableSpan): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
