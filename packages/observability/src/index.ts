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
  type BaseAppOptions,
  corsAllowlist,
  createBaseApp,
  errorHandler,
  finishApp,
  listen,
  notFoundHandler,
  onShutdown,
  operationalRoutes,
  type Probe,
  requestContext,
  securityHeaders,
} from './http.js';
export { createLogger, type Logger, type LoggerOptions, REDACT_PATHS } from './logger.js';
export { createMetrics, type Metrics } from './metrics.js';
