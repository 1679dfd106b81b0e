import type { AgentMetrics } from '../metrics.js';
import type { RequestReport, RequestStatus } from './resilience.js';

const STATUSES: readonly RequestStatus[] = ['success', 'retry', 'fallback', 'error'];

/**
 * Feeds `llm_requests_total`, `llm_request_duration_seconds` and `llm_tokens_total` from each
 * model request. Every configured model's series exist from the start, at zero.
 */
export function modelRequestRecorder(
  metrics: Pick<AgentMetrics, 'tokens' | 'llmRequests' | 'llmDuration'>,
  models: readonly string[],
): (report: RequestReport) => void {
  for (const model of models) {
    for (const status of STATUSES) metrics.llmRequests.inc({ model, status }, 0);
    for (const type of ['input', 'output']) metrics.tokens.inc({ type, model }, 0);
  }
  return ({ model, status, seconds, usage }) => {
    metrics.llmRequests.inc({ model, status });
    metrics.llmDuration.observe({ model }, seconds);
    if (usage) {
      metrics.tokens.inc({ type: 'input', model }, usage.input);
      metrics.tokens.inc({ type: 'output', model }, usage.output);
    }
  };
}
