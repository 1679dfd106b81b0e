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
  listen,
  type Mount,
  notFoundHandler,
  onShutdown,
  operationalRoutes,
  type Probe,
  requestContext,
  securityHeaders,
} from './http.js';
export { createLogger, type Logger, type LoggerOptions, REDACT_PATHS } from './logger.js';
export { authFailureCounter, createMetrics, type Metrics } from './metrics.js';
export {
  runService,
  type ServiceApp,
  type ServiceBase,
  type ServiceBaseConfig,
  type ServiceMain,
  serviceBase,
} from './service.js';
