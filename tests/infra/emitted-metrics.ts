import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Metrics that exist without this project's code: Prometheus's own `up`, Kong's prometheus plugin
 * (Kong 3.9, with status code, latency, bandwidth and upstream health metrics on), the Redis
 * exporter (`redis_up`) and kube-state-metrics. Anything else must be registered in the code.
 */
export const EXTERNAL_METRICS: Readonly<Record<string, string>> = {
  up: 'Prometheus',
  kong_http_requests_total: 'Kong prometheus plugin (status_code_metrics)',
  kong_request_latency_ms: 'Kong prometheus plugin (latency_metrics)',
  kong_upstream_latency_ms: 'Kong prometheus plugin (latency_metrics)',
  kong_kong_latency_ms: 'Kong prometheus plugin (latency_metrics)',
  kong_bandwidth_bytes: 'Kong prometheus plugin (bandwidth_metrics)',
  kong_upstream_target_health: 'Kong prometheus plugin (upstream_health_metrics)',
  kong_nginx_connections_total: 'Kong prometheus plugin',
  kong_nginx_requests_total: 'Kong prometheus plugin',
  redis_up: 'Redis exporter (oliver006/redis_exporter)',
  kube_pod_container_status_restarts_total: 'kube-state-metrics',
};

/** Every metric name the services register with prom-client (`name: '...'` in a metric's options). */
export function codeMetrics(): Set<string> {
  const out = ['apps', 'packages']
    .map((d) =>
      execFileSync(
        'grep',
        ['-rhoE', "name: '[a-z_]+_(total|seconds|bytes|ms)'", join(ROOT, d), '--include=*.ts'],
        {
          encoding: 'utf8',
        },
      ),
    )
    .join('');
  return new Set([...out.matchAll(/name: '([a-z_]+)'/g)].map((m) => m[1]!));
}

/** The base name of a series name: histograms and summaries add `_bucket`, `_sum` and `_count`. */
export const baseName = (series: string) => series.replace(/_(bucket|sum|count)$/, '');

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
]);

/** The metric names a PromQL expression selects (label matchers, ranges, strings and grouping stripped). */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = [...bare.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?/g)]
    .filter((m) => m[2] === undefined && !KEYWORDS.has(m[1]!))
    .map((m) => m[1]!);
  return [...new Set(names)];
}
