/**
 * A process with tracing on, for `tracing.test.ts` (the OTLP exporter loads `http` with a dynamic
 * import, which jest's module sandbox refuses): an express app called through fetch inside a
 * span, work in spans, a queued continuation and log lines, exported to the collector at
 * `argv[2]`. Prints `done` once its spans are flushed.
 */
import express from 'express';
import { createLogger } from './logger.js';
import { startTracing } from './tracing.js';
import { currentTraceparent, inSpan } from './tracing-spans.js';

const tracing = startTracing({
  serviceName: 'tracing-fixture',
  endpoint: process.argv[2],
  scheduledDelayMs: 100,
});
const logger = createLogger({ service: 'tracing-fixture', destination: process.stdout });

const app = express();
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
app.get('/items/:id', async (_req, res) => {
  logger.info('handling an item');
  const attributes = {
    'url.full': 'http://x/cb?access_token=abc123&page=2',
    'http.request.header.x-gateway-secret': 'abc123',
    'gen_ai.usage.output_tokens': 5,
  };
  await inSpan('work', { attributes }, async () => {});
  res.json({ traceparent: currentTraceparent() });
});
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

await fetch(`${base}/healthz`);
const { traceparent } = await inSpan('client', {}, async () => {
  const r = await fetch(`${base}/items/7?token=s3cret&page=2`, {
    headers: { authorization: 'Bearer s3cret' },
  });
  return (await r.json()) as { traceparent: string };
});
await inSpan('queued', { parent: traceparent }, async () => {
  logger.info('continuing later');
});
await inSpan('failing', {}, async () => {
  throw new TypeError('the user typed hunter2');
}).catch(() => {});
logger.info('outside any span');
server.closeAllConnections();
await new Promise((r) => server.close(r));
await tracing.shutdown();
process.stdout.write('done\n');
