import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * `auth_failures_total{reason}` on `registry`: every service counts the credentials it refuses
 * under this one name, so one alert covers them all. Asking twice gives the same counter.
 */
export function authFailureCounter(registry: Registry): Counter<'reason'> {
  const existing = registry.getSingleMetric('auth_failures_total');
  if (existing) return existing as Counter<'reason'>;
  return new Counter({
    name: 'auth_failures_total',
    help: 'Requests refused because their credentials were missing, invalid or insufficient, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
}

/**
 * `config_secret_rotations_total{secret,outcome}` on a service's registry, as the `count` of the
 * config package's `followSecretRotations`: what became of each rotated secret (applied, refused,
 * restart_required).
 */
export function secretRotationCounter(registry: Registry): (secret: string, outcome: string) => void {
  const counter =
    (registry.getSingleMetric('config_secret_rotations_total') as
      | Counter<'secret' | 'outcome'>
      | undefined) ??
    new Counter({
      name: 'config_secret_rotations_total',
      help: 'Rotated secrets seen while running, by secret name and outcome (applied, refused, restart_required)',
      labelNames: ['secret', 'outcome'] as const,
      registers: [registry],
    });
  return (secret, outcome) => counter.inc({ secret, outcome });
}

/** One registry per service instance (never the global one), with the shared HTTP and auth metrics. */
export function createMetrics(service: string, options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests served, by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, httpRequests, httpDuration, authFailures: authFailureCounter(registry) };
}

export type Metrics = ReturnType<typeof createMetrics>;
