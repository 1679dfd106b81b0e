import { DEV_AGENT_CLIENT_SECRET, DEV_EDGE_CLIENT_SECRET } from '@mcp-langgraph/config';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '@mcp-langgraph/observability';
import { callTool, textOf } from '@mcp-langgraph/testing';
import { discover, register } from './oauth-client.js';
import { REDIRECT_URI, useStack } from './stack.js';

/**
 * Traces across the three real services: with OTEL_EXPORTER_OTLP_ENDPOINT pointing at an
 * in-process OTLP/HTTP receiver, one `chat` call through the edge is one trace holding the
 * edge's request, the token exchange at auth, the agent's API request and the run the agent's
 * worker executed after it (graph nodes, the model call, the calculator call).
 */

const env: Record<string, string> = { OTEL_BSP_SCHEDULE_DELAY: '200', LOG_LEVEL: 'info' };
let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
});
const stack = useStack({ env });
afterAll(() => receiver.close());

const SERVICES = ['agent', 'auth', 'mcp-edge'];

describe('one chat call is one trace across the services', () => {
  let accessToken: string;
  let trace: ReceivedSpan[];
  let traceId: string;

  beforeAll(async () => {
    const discovery = await stack.explained(() => discover(stack.services().urls.mcp));
    const clientId = await stack.explained(() => register(discovery, REDIRECT_URI));
    accessToken = await stack.signIn(discovery, clientId, 'alice', 'secret-a');
    const client = await stack.connect(accessToken);
    const r = await stack.explained(() => callTool(client, 'chat', { message: 'What is 17 * 23?' }));
    expect(r.isError).toBeFalsy();
    expect(textOf(r)).toContain('391');
    // The batch exporters send every 200 ms; the run's last spans end just before the answer.
    const complete = (spans: readonly ReceivedSpan[]) => {
      const run = spans.find((s) => s.service === 'agent' && s.name === 'agent.run');
      if (!run) return false;
      const same = spans.filter((s) => s.traceId === run.traceId);
      return (
        SERVICES.every((name) => same.some((s) => s.service === name)) &&
        same.some((s) => s.name === 'node respond') &&
        same.some((s) => s.service === 'mcp-edge' && !s.parentSpanId)
      );
    };
    const spans = await stack.explained(() => receiver.waitFor(complete, 60_000));
    traceId = spans.find((s) => s.name === 'agent.run')!.traceId;
    trace = spans.filter((s) => s.traceId === traceId);
  }, 180_000);

  const byId = (id: string | undefined) => trace.find((s) => s.spanId === id);
  const only = (service: string, name: string) => {
    const found = trace.filter((s) => s.service === service && s.name === name);
    if (found.length === 0)
      throw new Error(
        `no ${service} span "${name}" in ${trace.map((s) => `${s.service}:${s.name}`).join(', ')}`,
      );
    return found;
  };

  it('starts at the edge and holds spans of all three services', () => {
    expect(new Set(trace.map((s) => s.service))).toEqual(new Set(SERVICES));
    const roots = trace.filter((s) => !s.parentSpanId);
    expect(roots).toHaveLength(1);
    expect(roots[0]!.service).toBe('mcp-edge');
    expect(roots[0]!.kind).toBe(2);
    expect(roots[0]!.name).toBe('POST /mcp');
    // Every other span's parent is in the same trace: nothing is orphaned on the way.
    for (const s of trace) if (s !== roots[0]) expect(byId(s.parentSpanId)).toBeDefined();
  });

  it('carries the trace from the edge into the token exchange at auth', () => {
    const [exchange] = only('auth', 'POST /token');
    const caller = byId(exchange!.parentSpanId)!;
    expect(caller.service).toBe('mcp-edge');
    expect(caller.kind).toBe(3);
  });

  it('links the run the worker executed to the agent request that queued it', () => {
    const [run] = only('agent', 'agent.run');
    let parent = byId(run!.parentSpanId);
    expect(parent?.service).toBe('agent');
    while (parent && parent.kind !== 2) parent = byId(parent.parentSpanId);
    expect(parent?.service).toBe('agent');
    expect(String(parent?.attributes['http.route'])).toMatch(/runs/);
    expect(byId(parent?.parentSpanId)?.service).toBe('mcp-edge');
  });

  it('has a span per graph node, model call and tool call inside the run', () => {
    const [run] = only('agent', 'agent.run');
    const agentNodes = only('agent', 'node agent');
    expect(agentNodes).toHaveLength(2);
    for (const node of agentNodes) expect(node.parentSpanId).toBe(run!.spanId);
    const chats = only('agent', 'chat');
    expect(chats).toHaveLength(2);
    for (const chat of chats) expect(byId(chat.parentSpanId)?.name).toBe('node agent');
    expect(chats.some((c) => Number(c.attributes['gen_ai.usage.output_tokens']) > 0)).toBe(true);
    const [tools] = only('agent', 'node tools');
    expect(tools!.parentSpanId).toBe(run!.spanId);
    const [calc] = only('agent', 'execute_tool calculator');
    expect(calc!.parentSpanId).toBe(tools!.spanId);
    expect(calc!.attributes['tool.outcome']).toBe('success');
    expect(only('agent', 'node respond')[0]!.parentSpanId).toBe(run!.spanId);
  });

  it('logs the run with the trace id of its request', () => {
    const queued = stack
      .services()
      .output()
      .split('\n')
      .filter((l) => l.startsWith('[agent] {') && l.includes('"run queued"'))
      .map((l) => JSON.parse(l.slice('[agent] '.length)) as { trace_id?: string });
    expect(queued.map((l) => l.trace_id)).toContain(traceId);
  });

  it('exports no token, secret or message text', () => {
    const text = JSON.stringify(receiver.spans());
    expect(text).not.toContain(accessToken);
    expect(text).not.toMatch(/Bearer|secret-a/);
    expect(text).not.toContain(DEV_EDGE_CLIENT_SECRET);
    expect(text).not.toContain(DEV_AGENT_CLIENT_SECRET);
    expect(text).not.toContain('17 * 23');
  });
});
