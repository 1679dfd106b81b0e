import { randomUUID } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/client';
import { createCallerLogLevels } from './logging.js';
import { type EdgeUnderTest, startEdge } from './testing/harness.js';
import { connectAt, LEGACY_REVISIONS, MODERN, postRaw } from './testing/revisions.js';

let edge: EdgeUnderTest;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(async () => {
  await edge.close();
});

interface LogLine {
  level: string;
  logger?: string;
  data: unknown;
}

/** A connection that records the log notifications it receives. */
async function recording(token: string, revision: (typeof LEGACY_REVISIONS)[number] | typeof MODERN) {
  const client = await connectAt(edge.mcpUrl, token, revision);
  const lines: LogLine[] = [];
  client.setNotificationHandler('notifications/message', (n) => {
    lines.push(n.params as LogLine);
  });
  return { client, lines };
}

const chat = (client: Client, message: string, meta?: Record<string, unknown>) =>
  client.callTool({ name: 'chat', arguments: { message }, ...(meta ? { _meta: meta } : {}) });

describe.each(LEGACY_REVISIONS)('log notifications over %s', (revision) => {
  it('reports the chat tool’s steps at info until the caller raises the level', async () => {
    const token = edge.token({ sub: randomUUID() });
    const { client, lines } = await recording(token, revision);
    await chat(client, 'log me');
    expect(lines).toEqual([
      { level: 'info', logger: 'chat', data: 'started a new conversation' },
      { level: 'info', logger: 'chat', data: 'the answer is ready' },
    ]);
    for (const line of lines) expect(JSON.stringify(line)).not.toContain(token);

    lines.length = 0;
    await client.setLoggingLevel('warning');
    await chat(client, 'quiet now');
    expect(lines).toEqual([]);

    // Another user (or another client of the same user) keeps its own level.
    const other = await recording(edge.token({ sub: randomUUID() }), revision);
    await chat(other.client, 'still chatty');
    expect(other.lines.map((l) => l.data)).toContain('started a new conversation');
    await other.client.close();

    await client.setLoggingLevel('debug');
    await chat(client, 'chatty again');
    expect(lines.map((l) => l.data)).toContain('started a new conversation');
    await client.close();
  });

  it('refuses a level MCP does not define as invalid params', async () => {
    const { body } = await postRaw(
      edge.mcpUrl,
      edge.token(),
      { jsonrpc: '2.0', id: 1, method: 'logging/setLevel', params: { level: 'loud' } },
      { 'mcp-protocol-version': revision },
    );
    expect(body.error?.code).toBe(-32602);
  });
});

describe('log notifications over 2026-07-28', () => {
  const level = (l: string) => ({ 'io.modelcontextprotocol/logLevel': l });

  it('come only when the request names a level, and only at or above it', async () => {
    const { client, lines } = await recording(edge.token({ sub: randomUUID() }), MODERN);
    await chat(client, 'no level');
    expect(lines).toEqual([]);
    await chat(client, 'info level', level('info'));
    expect(lines.map((l) => l.data)).toEqual(['started a new conversation', 'the answer is ready']);
    lines.length = 0;
    await chat(client, 'error level', level('error'));
    expect(lines).toEqual([]);
    await client.close();
  });

  it('report the steps of a streamed run, tools included', async () => {
    const { client, lines } = await recording(edge.token({ sub: randomUUID() }), MODERN);
    await client.callTool(
      { name: 'chat', arguments: { message: 'stream it' }, _meta: level('info') },
      { onprogress: () => {} },
    );
    await client.close();
    expect(lines.map((l) => l.data)).toEqual([
      'started a new conversation',
      'using echo',
      'echo answered',
      'the answer is ready',
    ]);
  });
});

describe('caller log levels', () => {
  it('forget a level after its time and the oldest caller past the bound', () => {
    let now = 0;
    const levels = createCallerLogLevels({ ttlMs: 1000, maxCallers: 2, now: () => now });
    levels.set('a', 'error');
    levels.set('b', 'debug');
    expect(levels.get('a')).toBe('error');
    levels.set('c', 'info');
    expect(levels.get('a')).toBeUndefined();
    expect(levels.get('b')).toBe('debug');
    now = 1500;
    expect(levels.get('b')).toBeUndefined();
    expect(levels.get('c')).toBeUndefined();
  });
});
