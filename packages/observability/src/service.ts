import type { Express as ExpressApp } from 'express';
import { type BaseAppOptions, listen, onShutdown } from './http.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';

/** The telemetry and HTTP settings every service's app is built with, from its composition root. */
export type ServiceBase = Pick<
  BaseAppOptions,
  'logger' | 'metrics' | 'corsOrigins' | 'bodyLimit' | 'trustProxy'
>;

/** The configuration every service reads for its base app (see `@mcp-langgraph/config`). */
export interface ServiceBaseConfig {
  LOG_LEVEL: string;
  CORS_ORIGINS: readonly string[];
  BODY_LIMIT: string;
  TRUST_PROXY: string;
}

/**
 * A composition root's first step: the logger and metrics registry (the overrides' when a test
 * passes them, else new ones named for the service) and the base app's settings from configuration.
 */
export function serviceBase(
  name: string,
  config: ServiceBaseConfig,
  overrides: { logger?: Logger | undefined; metrics?: Metrics | undefined } = {},
): ServiceBase {
  return {
    logger: overrides.logger ?? createLogger({ service: name, level: config.LOG_LEVEL }),
    metrics: overrides.metrics ?? createMetrics(name),
    corsOrigins: config.CORS_ORIGINS,
    bodyLimit: config.BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
  };
}

/** What every service's `createApp` and composition root return: the app, and what to release when it stops. */
export interface ServiceApp {
  app: ExpressApp;
  /** Releases what the service holds (stores, timers, clients); the HTTP server is closed first. */
  close(): Promise<void>;
  /** Facts for the start-up log line (store kinds, audiences); never secrets. */
  info?: Record<string, unknown>;
}

export interface ServiceMain {
  service: ServiceApp;
  logger: Logger;
  port: number;
  host: string;
}

/**
 * The whole of a service's `main.ts`: builds it with `start` (reading configuration first, so a
 * bad value stops it before anything opens), listens, logs where, and on SIGTERM or SIGINT stops
 * accepting, drains, then closes the service. A failure to start is printed to stderr (the logger
 * may not exist yet) and exits 1.
 */
export function runService(name: string, start: () => Promise<ServiceMain>): void {
  start()
    .then(async ({ service, logger, port, host }) => {
      const server = await listen(service.app, port, host);
      logger.info({ port: server.port, host, ...service.info }, `${name} listening`);
      onShutdown(logger, async () => {
        await server.close();
        await service.close();
      });
    })
    .catch((err: unknown) => {
      process.stderr.write(`${name} failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
