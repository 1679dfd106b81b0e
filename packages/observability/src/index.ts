export {
  AppError,
  badRequest,
  type ErrorBody,
  forbidden,
  notFound,
  toErrorResponse,
  unauthorized,
} from './errors.js';
export {
  fetchWithGatewaySecret,
  GATEWAY_SECRET_HEADER,
  type GatewayGuardOptions,
  requireGateway,
} from './gateway.js';
export {
  type BaseAppOptions,
  corsAllowlist,
  createBaseApp,
  errorHandler,
  listen,
  type Mount,
  notFoundHandler,
  onShutdown,
  operationalRoutes,
  type Probe,
  type ServerTimeouts,
} from './http.js';
export { jsonBody, jsonDepthExceeds, MAX_JSON_DEPTH } from './json-body.js';
export { createLogger, type Logger, type LoggerOptions, REDACT_PATHS } from './logger.js';
export { authFailureCounter, createMetrics, type Metrics, secretRotationCounter } from './metrics.js';
export { onlyFor, requestContext, securityHeaders, sequence } from './middleware.js';
export {
  type ListenSettings,
  type RunnableService,
  runLiveService,
  runService,
  type ServiceApp,
  type ServiceBase,
  type ServiceBaseConfig,
  serviceBase,
} from './service.js';
export {
  startTracing,
  type Tracing,
  type TracingConfig,
  type TracingOptions,
  tracingOptions,
} from './tracing.js';
export {
  type OtlpReceiver,
  type ReceivedSpan,
  spansOfExport,
  startOtlpReceiver,
} from './tracing-receiver.js';
export { RedactingSpanProcessor, redactQuery } from './tracing-redact.js';
export {
  currentTraceId,
  currentTraceparent,
  type InSpanOptions,
  inSpan,
  type SpanHandle,
  TRACER_NAME,
} from './tracing-spans.js';
