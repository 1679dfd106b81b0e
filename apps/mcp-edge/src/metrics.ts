import type { Metrics } from '@mcp-langgraph/observability';
import { Counter } from 'prom-client';
import type { ToolMetrics } from './tools/tool-call-gate.js';

/**
 * The edge's tool metrics, on the service registry (never the global one). `auth_failures_total`
 * is the platform's own (`metrics.authFailures`), and the `authz_*` metrics come from the
 * authorizer itself (`createAuthorizer({ registry })`).
 */
export function createToolMetrics(metrics: Metrics): ToolMetrics {
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
      help: 'Requests refused by the per-user rate limit, by tool (conversation_reads: resources, prompts, completions)',
      labelNames: ['tool'] as const,
      registers,
    }),
  };
}
