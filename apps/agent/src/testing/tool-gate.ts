import type { Authorizer } from '@mcp-langgraph/authz';
import { createEmbeddedAuthorizer } from '@mcp-langgraph/authz';
import { createLogger, type Logger } from '@mcp-langgraph/observability';
import { Registry } from 'prom-client';
import { createAgentMetrics } from '../metrics.js';
import { CALLER_KEY, type ToolGateDeps } from '../tools/authorize.js';

/** Log lines a test can read (JSON objects, as the service writes them). */
export interface CapturedLog {
  logger: Logger;
  lines: Array<Record<string, unknown>>;
  /** Every line as written, to look for what must never be logged. */
  text(): string;
}

export function captureLog(): CapturedLog {
  const raw: string[] = [];
  const logger = createLogger({
    service: 'agent',
    level: 'debug',
    destination: {
      write(line: string) {
        raw.push(line);
        return true;
      },
    } as never,
  });
  return {
    logger,
    get lines() {
      return raw.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    text: () => raw.join(''),
  };
}

/** The gate every tool goes through, on an embedded authorizer in memory; `grant` writes executor tuples. */
export async function testToolGate(): Promise<
  ToolGateDeps & {
    authorizer: Authorizer;
    registry: Registry;
    log: CapturedLog;
    grant(user: string, tool: string): Promise<void>;
    /** `agent_tool_calls_total` for one tool and status. */
    count(tool: string, status: string): Promise<number>;
  }
> {
  const authorizer = await createEmbeddedAuthorizer();
  const registry = new Registry();
  const metrics = createAgentMetrics(registry);
  const log = captureLog();
  return {
    authorizer,
    metrics,
    logger: log.logger,
    registry,
    log,
    grant: (user, tool) => authorizer.write([{ user, relation: 'executor', object: `tool:${tool}` }]),
    async count(tool, status) {
      const metric = await metrics.toolCalls.get();
      return metric.values.find((v) => v.labels.tool === tool && v.labels.status === status)?.value ?? 0;
    },
  };
}

/** A tool call as the graph's tool node makes it, for the run of `caller`. */
export function callFor(
  caller: string | undefined,
  name: string,
  args: Record<string, unknown>,
  id = 'call_1',
) {
  return {
    call: { id, name, args, type: 'tool_call' as const },
    config: {
      configurable: caller === undefined ? {} : { [CALLER_KEY]: caller },
      toolCall: { id, name, args },
    },
  };
}
