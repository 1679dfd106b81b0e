import { createRequire } from 'node:module';
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { core, NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { RedactingSpanProcessor } from './tracing-redact.js';

/** How a service exports its traces (from {@link tracingOptions}). */
export interface TracingOptions {
  /** The `service.name` resource attribute. */
  serviceName: string;
  /** OTLP/HTTP base URL of a collector (`/v1/traces` is appended); tracing is off without one. */
  endpoint?: string | undefined;
  /** Longest a finished span waits before its batch is exported (the SDK's default is 5 s). */
  scheduledDelayMs?: number;
  /** Share of new traces recorded, 0–1; a request that arrives with a trace keeps its caller's decision. */
  sampleRatio?: number;
}

/** A started (or disabled) tracing setup. */
export interface Tracing {
  readonly enabled: boolean;
  /** Exports the spans still buffered and stops tracing; safe to call more than once. */
  shutdown(): Promise<void>;
}

/** The variables every service's schema has for tracing (see `@mcp-langgraph/config`). */
export interface TracingConfig {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_SERVICE_NAME?: string | undefined;
  OTEL_BSP_SCHEDULE_DELAY: number;
  OTEL_TRACES_SAMPLER_ARG: number;
}

export function tracingOptions(name: string, config: TracingConfig): TracingOptions {
  return {
    serviceName: config.OTEL_SERVICE_NAME ?? name,
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    scheduledDelayMs: config.OTEL_BSP_SCHEDULE_DELAY,
    sampleRatio: config.OTEL_TRACES_SAMPLER_ARG,
  };
}

/** Requests that are probes and scrapes, not work: no trace for each of them. */
const UNTRACED_PATHS = /^\/(healthz|readyz|metrics)(\/|\?|$)/;

/**
 * The CommonJS modules the instrumentations patch when they are required. A service's ES modules
 * import them before tracing starts (configuration is read first), and an ES import does not pass
 * through the require hook; requiring them again here does, and the patches land on the shared
 * prototypes (`http.Server`, express's `Router`, `pg.Client`) before any server or route exists.
 */
const PATCHED_MODULES = ['http', 'https', 'express', 'pg'];

function instrumentations() {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.test(req.url ?? ''),
      // Background polls (revocation feed, JWKS) outside any request start no trace of their own.
      requireParentforOutgoingSpans: true,
    }),
    // Route handlers and routers, not each of the dozen middleware layers every request passes.
    new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
    // A worker's polling queries outside any run or request are not traced.
    new PgInstrumentation({ requireParentSpan: true }),
    new UndiciInstrumentation({ requireParentforSpans: true }),
  ];
}

const DISABLED: Tracing = { enabled: false, shutdown: async () => {} };

/**
 * Starts OpenTelemetry for this process: the Node SDK with the OTLP/HTTP (JSON) exporter,
 * incoming and outgoing HTTP, Express, PostgreSQL and fetch (undici) spans, and W3C trace
 * context, which the HTTP and fetch instrumentations read from requests and add to outgoing ones.
 * Call it once, first in a service's start (before its app or database client is built). Spans
 * pass through {@link RedactingSpanProcessor} before any exporter sees them. Without an
 * endpoint nothing is started.
 */
export function startTracing(options: TracingOptions): Tracing {
  if (!options.endpoint) return DISABLED;
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const installed = instrumentations();
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    // No host or process detectors: a span names its service, nothing about the machine's command line.
    autoDetectResources: false,
    // Trace context only: W3C baggage from a caller is not carried into the services' requests.
    textMapPropagator: new core.W3CTraceContextPropagator(),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio ?? 1) }),
    spanProcessors: [
      new RedactingSpanProcessor(),
      new BatchSpanProcessor(exporter, { scheduledDelayMillis: options.scheduledDelayMs ?? 5000 }),
    ],
    // Logs stay pino's and metrics prom-client's; without these the SDK would start OTLP exporters for both.
    logRecordProcessors: [],
    metricReaders: [],
    instrumentations: installed,
  });
  sdk.start();
  const require = createRequire(import.meta.url);
  for (const name of PATCHED_MODULES) {
    try {
      require(name);
    } catch {
      // A module this service does not have: nothing of it to trace.
    }
  }
  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    shutdown: () => {
      stopped ??= (async () => {
        try {
          await sdk.shutdown();
        } catch {
          // A collector that is down loses the last spans; stopping goes on.
        }
        for (const i of installed) i.disable();
        trace.disable();
        propagation.disable();
        context.disable();
      })();
      return stopped;
    },
  };
}
