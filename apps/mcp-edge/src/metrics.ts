import type { Metrics } from '@mcp-langgraph/observability';
import { Counter } from 'prom-client';
import type { ToolMetrics } from './tools/run.js';

export interface EdgeMetrics extends ToolMetrics {
  /** `auth_failures_total{reason}`: requests refused at the bearer check. */
  authFailures: Counter<'reason'>;
}

/**
 * The edge's own metrics, on the service registry (never the global one). The `authz_*` metrics
 * come from the authorizer itself (`createAuthorizer({ registry })`).
 */
export function createEdgeMetrics(metrics: Metrics): EdgeMetrics {
  const registers = [metrics.registry];
  return {
    toolCalls: new Counter({
      name: 'mcp_tool_calls_total',
      help: 'MCP tool calls, by tool and outcome (success, error, denied, rate_limited)',
      labelNames: ['tool', 'status'] as const,
      registers,
    }),
    rateLimitRejections: new Counter({
      name: 'rate_limit_rejections_total',
      help: 'Tool calls refused by the per-user rate limit, by tool',
      labelNames: ['tool'] as const,
      registers,
    }),
    authFailures: new Counter({
      name: 'auth_failures_total',
      help: 'Requests refused at the bearer token check, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
  };
}
