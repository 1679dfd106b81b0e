import { Counter, Histogram, type Registry } from 'prom-client';

/** The agent's own metrics, on the service registry. */
export function createAgentMetrics(registry: Registry) {
  const metrics = {
    runs: new Counter({
      name: 'agent_runs_total',
      help: 'Agent runs, by outcome (success, error, timeout, interrupted)',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    runDuration: new Histogram({
      name: 'agent_run_duration_seconds',
      help: 'Time a worker spent executing a run, in seconds',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
    tokens: new Counter({
      name: 'llm_tokens_total',
      help: 'Tokens reported by the language model, by model (provider:model) and type (input, output)',
      labelNames: ['type', 'model'] as const,
      registers: [registry],
    }),
    llmRequests: new Counter({
      name: 'llm_requests_total',
      help: 'Model requests by model (provider:model) and status: success, retry (failed, tried again), fallback (failed, next model tried), error (failed, surfaced)',
      labelNames: ['model', 'status'] as const,
      registers: [registry],
    }),
    llmDuration: new Histogram({
      name: 'llm_request_duration_seconds',
      help: 'Time one model request took, whatever its outcome, by model (provider:model)',
      labelNames: ['model'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120],
      registers: [registry],
    }),
    toolCalls: new Counter({
      name: 'agent_tool_calls_total',
      help: 'Tool calls the model asked for, by tool and outcome (success, error, denied)',
      labelNames: ['tool', 'status'] as const,
      registers: [registry],
    }),
  };
  // Every series exists from the start, so rates and alerts see zeros rather than gaps.
  for (const status of ['success', 'error', 'timeout', 'interrupted']) metrics.runs.inc({ status }, 0);
  return metrics;
}

export type AgentMetrics = ReturnType<typeof createAgentMetrics>;
