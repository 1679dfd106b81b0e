import type { Probe } from '@mcp-langgraph/observability';
import { AGENT_PATHS } from '@mcp-langgraph/protocol';
import type { CircuitBreaker } from './circuit-breaker.js';

/**
 * Readiness of the agent (`checks.agent` of `/readyz`, the reason in the log): unavailable while
 * the breaker is open (the edge is refusing calls), else whether `GET /ok` answers.
 */
export function agentProbe(agentUrl: string, breaker: CircuitBreaker): Probe {
  return {
    name: 'agent',
    async check() {
      if (breaker.state() === 'open')
        throw new Error(`circuit open after repeated failures (last: ${breaker.lastFailure() ?? 'unknown'})`);
      let res: Response;
      try {
        res = await fetch(`${agentUrl}${AGENT_PATHS.ok}`, { signal: AbortSignal.timeout(1500) });
      } catch {
        throw new Error('the agent is unreachable');
      }
      await res.body?.cancel().catch(() => {});
      if (!res.ok) throw new Error(`the agent answered ${res.status}`);
    },
  };
}
