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
  requestContext,
  type ServerTimeouts,
  securityHeaders,
} from './http.js';
export { jsonBody, jsonDepthExceeds, MAX_JSON_DEPTH } from './json-body.js';
export { createLogger, type Logger, type LoggerOptions, REDACT_PATHS } from './logger.js';
export { authFailureCounter, createMetrics, type Metrics } from './metrics.js';
export {
  type ListenSettings,
  type RunnableService,
  runService,
  type ServiceApp,
  type ServiceBase,
  type ServiceBaseConfig,
  serviceBase,
} from './service.js';
