import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { createLogger } from './logger.js';
import { startTracing, tracingOptions } from './tracing.js';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './tracing-receiver.js';
import { redactQuery } from './tracing-redact.js';
import { currentTraceId, currentTraceparent, inSpan } from './tracing-spans.js';

const run = promisify(execFile);

function logSink() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'test', destination }) };
}

describe('tracing off (no endpoint)', () => {
  it('starts nothing, and spans and log lines carry no trace', async () => {
    const tracing = startTracing({ serviceName: 'test', endpoint: undefined });
    expect(tracing.enabled).toBe(false);
    const { lines, logger } = logSink();
    const result = await inSpan('work', {}, async () => {
      logger.info('inside');
      return currentTraceparent();
    });
    expect(result).toBeUndefined();
    expect(currentTraceId()).toBeUndefined();
    await tracing.shutdown();
    expect(JSON.parse(lines[0]!)).not.toHaveProperty('trace_id');
  });

  it('reads the service name, endpoint, delay and ratio from the configuration', () => {
    const base = { OTEL_BSP_SCHEDULE_DELAY: 200, OTEL_TRACES_SAMPLER_ARG: 0.5 };
    expect(
      tracingOptions('agent', { ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }),
    ).toEqual({
      serviceName: 'agent',
      endpoint: 'http://collector:4318',
      scheduledDelayMs: 200,
      sampleRatio: 0.5,
    });
    expect(tracingOptions('agent', { ...base, OTEL_SERVICE_NAME: 'agent-eu' }).serviceName).toBe('agent-eu');
  });
});

describe('tracing to an OTLP/HTTP collector (a traced process)', () => {
  let receiver: OtlpReceiver;
  let spans: readonly ReceivedSpan[];
  let lines: Array<Record<string, unknown>>;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const tsx = join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs');
    const { stdout } = await run(
      process.execPath,
      ['--conditions=development', '--import', tsx, join(__dirname, 'tracing-fixture.ts'), receiver.url],
      { timeout: 60_000 },
    );
    expect(stdout.trim().split('\n').at(-1)).toBe('done');
    lines = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    spans = await receiver.waitFor((s) => s.some((x) => x.name === 'failing'), 20_000);
  }, 90_000);

  afterAll(() => receiver.close());

  const named = (name: string) => {
    const span = spans.find((s) => s.name === name);
    if (!span) throw new Error(`no span ${name} in ${spans.map((s) => s.name).join(', ')}`);
    return span;
  };

  it('follows a request from the fetch call through the server and express to the work it does', () => {
    const client = named('client');
    const fetchSpan = spans.find((s) => s.kind === 3 && s.parentSpanId === client.spanId)!;
    expect(fetchSpan).toBeDefined();
    const server = spans.find((s) => s.kind === 2 && s.parentSpanId === fetchSpan.spanId)!;
    expect(server.name).toBe('GET /items/:id');
    expect(server.attributes['http.route']).toBe('/items/:id');
    const handler = spans.find((s) => s.parentSpanId === server.spanId)!;
    expect(handler.attributes['express.type']).toBe('request_handler');
    expect(named('work').parentSpanId).toBe(handler.spanId);
    for (const s of [fetchSpan, server, handler, named('work')]) expect(s.traceId).toBe(client.traceId);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['tracing-fixture']));
  });

  it('continues a stored traceparent as the parent of later work', () => {
    expect(named('queued').traceId).toBe(named('client').traceId);
    // The handler stored its own span's context after its work was done.
    const handler = spans.find((s) => s.attributes['express.type'] === 'request_handler')!;
    expect(named('queued').parentSpanId).toBe(handler.spanId);
  });

  it('traces no health probe', () => {
    expect(spans.filter((s) => String(s.attributes['url.path'] ?? '').includes('healthz'))).toEqual([]);
  });

  it('marks a failed span with the error class, never its message', () => {
    expect(named('failing').status).toBe(2);
    expect(named('failing').attributes['error.type']).toBe('TypeError');
  });

  it('exports no token, secret or authorization header', () => {
    const text = JSON.stringify(spans);
    expect(text).not.toMatch(/s3cret|abc123|hunter2|Bearer/);
    const server = spans.find((s) => s.kind === 2)!;
    expect(server.attributes['url.query']).toBe('token=[redacted]&page=2');
    expect(named('work').attributes['url.full']).toBe('http://x/cb?access_token=[redacted]&page=2');
    expect(named('work').attributes['http.request.header.x-gateway-secret']).toBe('[redacted]');
    // Token counts are not tokens.
    expect(named('work').attributes['gen_ai.usage.output_tokens']).toBe(5);
  });

  it('puts the trace id on log lines inside a span and on none outside', () => {
    const line = (msg: string) => lines.find((l) => l.msg === msg)!;
    expect(line('handling an item').trace_id).toBe(named('client').traceId);
    expect(line('continuing later').trace_id).toBe(named('client').traceId);
    expect(line('outside any span')).not.toHaveProperty('trace_id');
  });
});

describe('a request logger that already names its trace', () => {
  it('writes trace_id once', async () => {
    const { lines, logger } = logSink();
    const tracing = startTracing({ serviceName: 'test', endpoint: undefined });
    logger.child({ request_id: 'r1', trace_id: 'abc' }).info('x');
    await tracing.shutdown();
    expect(lines[0]!.match(/"trace_id"/g)).toHaveLength(1);
  });
});

describe('redactQuery', () => {
  it.each([
    ['/token?code=abc&state=xyz&scope=mcp', '/token?code=[redacted]&state=[redacted]&scope=mcp'],
    ['https://h/p?access%5Ftoken=t&x=1#frag', 'https://h/p?access%5Ftoken=[redacted]&x=1#frag'],
    ['https://h/p?api_key=k', 'https://h/p?api_key=[redacted]'],
    ['https://h/plain/path', 'https://h/plain/path'],
    ['/p?flag&page=2', '/p?flag&page=2'],
    ['/p?%E0%A4%A=1', '/p?%E0%A4%A=[redacted]'],
  ])('%s', (input, output) => {
    expect(redactQuery(input)).toBe(output);
  });

  it('reads a bare query, with or without its question mark', () => {
    expect(redactQuery('token=abc&redirect_uri=http://c/cb', true)).toBe(
      'token=[redacted]&redirect_uri=http://c/cb',
    );
    expect(redactQuery('?token=abc', true)).toBe('?token=[redacted]');
  });
});
