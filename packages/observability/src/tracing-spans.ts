import {
  type Attributes,
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

/** The instrumentation scope of the spans the services create themselves. */
export const TRACER_NAME = 'mcp-langgraph';

/** What code inside {@link inSpan} may add to its span. Never tokens, secrets or message bodies. */
export interface SpanHandle {
  setAttributes(attributes: Attributes): void;
  /** Marks the span failed with a short, fixed reason (`denied`, an error class), never a message. */
  fail(reason: string): void;
}

export interface InSpanOptions {
  attributes?: Attributes;
  /**
   * A W3C `traceparent` to continue instead of the active span: work that runs after the
   * request that asked for it has been answered (a queued run) joins that request's trace.
   */
  parent?: string | undefined;
}

const errorType = (err: unknown): string =>
  err instanceof Error ? err.name || 'Error' : typeof err === 'string' ? 'string' : 'unknown';

/**
 * Runs `fn` inside a new active span named `name`, so the spans and log lines of what it does
 * are its children, and ends the span when `fn` settles. A throw marks the span failed with the
 * error's class only (an error message may quote user input) and is rethrown. With tracing off
 * the span records nothing and costs next to nothing.
 */
export function inSpan<T>(
  name: string,
  options: InSpanOptions,
  fn: (span: SpanHandle) => Promise<T>,
): Promise<T> {
  const parent =
    options.parent === undefined
      ? context.active()
      : propagation.extract(ROOT_CONTEXT, { traceparent: options.parent });
  return trace
    .getTracer(TRACER_NAME)
    .startActiveSpan(name, { attributes: options.attributes ?? {} }, parent, async (span) => {
      const handle: SpanHandle = {
        setAttributes: (attributes) => span.setAttributes(attributes),
        fail: (reason) => {
          span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
          span.setAttribute('error.type', reason);
        },
      };
      try {
        return await fn(handle);
      } catch (err) {
        handle.fail(errorType(err));
        throw err;
      } finally {
        span.end();
      }
    });
}

/** The active span as a W3C `traceparent` (to store with work done later), or undefined without one. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** The trace id of the active span, or undefined without a recorded one. */
export function currentTraceId(): string | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  return span && isSpanContextValid(span) ? span.traceId : undefined;
}
