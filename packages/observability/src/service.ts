import type { Express as ExpressApp } from 'express';
import type { GatewaySecret } from './gateway.js';
import { type BaseAppOptions, listen, onShutdown, type ServerTimeouts } from './http.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { startTracing, type Tracing, type TracingConfig, tracingOptions } from './tracing.js';

/** Where and how a service listens. */
export interface ListenSettings extends ServerTimeouts {
  port: number;
  host: string;
  /** The port of the `ops` app (`/healthz`, `/readyz`, `/metrics`), when it is separate. */
  opsPort?: number | undefined;
}

/** The telemetry and HTTP settings every service's app is built with, from its composition root. */
export interface ServiceBase
  extends Pick<
    BaseAppOptions,
    'logger' | 'metrics' | 'corsOrigins' | 'bodyLimit' | 'trustProxy' | 'separateOps' | 'gatewaySecret'
  > {
  listen: ListenSettings;
}

/** The configuration every service reads for its base app (see `@mcp-langgraph/config`). */
export interface ServiceBaseConfig {
  LOG_LEVEL: string;
  BIND_HOST: string;
  CORS_ORIGINS: readonly string[];
  BODY_LIMIT: string;
  TRUST_PROXY: boolean | number | string;
  OPS_PORT?: number | undefined;
  HTTP_REQUEST_TIMEOUT_MS: number;
  HTTP_HEADERS_TIMEOUT_MS: number;
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number;
  /** Services behind Kong only (auth, mcp-edge): the secret every request must carry from the gateway. */
  GATEWAY_SECRET?: string | undefined;
}

/**
 * A composition root's first step: the logger and metrics registry (the overrides' when a test
 * passes them, else new ones named for the service), the base app's settings and where to listen.
 */
export function serviceBase(
  name: string,
  config: ServiceBaseConfig,
  port: number,
  overrides: {
    logger?: Logger | undefined;
    metrics?: Metrics | undefined;
    /** The accepted gateway secrets read per request, when GATEWAY_SECRET may rotate while the service runs. */
    gatewaySecret?: GatewaySecret | undefined;
  } = {},
): ServiceBase {
  return {
    logger: overrides.logger ?? createLogger({ service: name, level: config.LOG_LEVEL }),
    metrics: overrides.metrics ?? createMetrics(name),
    corsOrigins: config.CORS_ORIGINS,
    bodyLimit: config.BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    separateOps: config.OPS_PORT !== undefined,
    // The gateway requirement is on or off from start; only its value may change while running.
    gatewaySecret: config.GATEWAY_SECRET ? (overrides.gatewaySecret ?? config.GATEWAY_SECRET) : undefined,
    listen: {
      port,
      host: config.BIND_HOST,
      opsPort: config.OPS_PORT,
      requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
  };
}

/** What every service's `createApp` and composition root return: the apps, and what to release when it stops. */
export interface ServiceApp {
  app: ExpressApp;
  /** The operational routes alone, for `OPS_PORT`. */
  ops: ExpressApp;
  /** Releases what the service holds (stores, timers, clients); the HTTP servers are closed first. */
  close(): Promise<void>;
  /** Facts for the start-up log line (store kinds, audiences); never secrets. */
  info?: Record<string, unknown>;
}

/** A composed service, ready for `runService`. */
export interface RunnableService extends ServiceApp {
  logger: Logger;
  listen: ListenSettings;
  /** The process's tracing (`startTracing`), shut down last so the spans of stopping are exported too. */
  tracing?: Tracing | undefined;
}

/**
 * The whole of a service's `main.ts`. The process's files are made owner-only first (umask 077:
 * SQLite files, their WAL and shared memory hold keys and hashes). Then `start` builds the
 * service (reading configuration first, so a bad value stops it before anything opens), it
 * listens (the ops port too when set), logs where, and on SIGTERM or SIGINT stops accepting,
 * drains, then closes the service and flushes its traces. A failure to start is printed to
 * stderr (the logger may not exist yet) and exits 1.
 */
export function runService(name: string, start: () => Promise<RunnableService>): void {
  process.umask(0o077);
  start()
    .then(async (service) => {
      const { logger, listen: at } = service;
      const server = await listen(service.app, at.port, at.host, at);
      const ops = at.opsPort === undefined ? undefined : await listen(service.ops, at.opsPort, at.host, at);
      logger.info(
        { port: server.port, host: at.host, opsPort: ops?.port, ...service.info },
        `${name} listening`,
      );
      onShutdown(logger, async () => {
        await Promise.all([server.close(), ops?.close()]);
        await service.close();
        await service.tracing?.shutdown();
      });
    })
    .catch((err: unknown) => {
      process.stderr.write(`${name} failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}

/** A configuration that follows the secret manager (`LiveConfig` of `@mcp-langgraph/config`). */
export interface LiveSource<C> {
  readonly initial: C;
  close(): void;
}

/**
 * {@link runService} for a service whose secrets follow the secret manager: loads the live
 * configuration, starts tracing before anything else (the instrumentations must be in place
 * before the app and its clients exist), builds the service from the start-up configuration and
 * the live one, and stops the background refresh on shutdown or a failed start.
 */
export function runLiveService<L extends LiveSource<TracingConfig>>(
  name: string,
  load: () => Promise<L>,
  start: (config: L['initial'], live: L) => Promise<RunnableService>,
): void {
  runService(name, async () => {
    const live = await load();
    try {
      const tracing = startTracing(tracingOptions(name, live.initial));
      const service = await start(live.initial, live);
      return {
        ...service,
        tracing,
        async close() {
          live.close();
          await service.close();
        },
      };
    } catch (err) {
      live.close();
      throw err;
    }
  });
}
