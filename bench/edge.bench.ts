/**
 * MCP edge throughput: authenticated `tools/list` requests through the whole edge (Host/Origin
 * checks, bearer verification from the cache, the SDK's Streamable HTTP handler) against a bare
 * `node:http` server answering the same bytes on the same machine, in alternating rounds; the load
 * comes from a separate process.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { startEdge } from '../apps/mcp-edge/src/testing/harness.js';

const CONCURRENCY = 16;
const ROUND_MS = 2000;
const ROUNDS = 3;

const MODERN = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/list',
  params: {
    _meta: {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': {},
    },
  },
});
const LEGACY = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });

interface Subject {
  name: string;
  body: string;
  headers: Record<string, string>;
}

/** Requests per second from a load generator in a child process (bench/load.ts). */
function load(url: URL, subject: Subject, ms: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'load.ts'), url.href, String(ms), String(CONCURRENCY)],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(Number(out)) : reject(new Error(`load generator exited with ${code}`)),
    );
    child.stdin.end(JSON.stringify({ body: subject.body, headers: subject.headers }));
  });
}

export async function run(): Promise<void> {
  const edge = await startEdge({ toolCallsPerMinute: 1_000_000 });
  const base = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: `Bearer ${edge.token()}`,
  };
  const subjects: Subject[] = [
    {
      name: 'tools/list, MCP 2026-07-28',
      body: MODERN,
      headers: { ...base, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
    },
    {
      name: 'tools/list, MCP 2025-06-18',
      body: LEGACY,
      headers: { ...base, 'mcp-protocol-version': '2025-06-18' },
    },
  ];
  const edgeUrl = new URL(edge.mcpUrl);
  try {
    for (const subject of subjects) {
      // The baseline answers the edge's own response, so both send the same bytes.
      const probe = await fetch(edgeUrl, { method: 'POST', headers: subject.headers, body: subject.body });
      if (probe.status !== 200) throw new Error(`edge answered ${probe.status}: ${await probe.text()}`);
      const answer = await probe.text();
      const type = probe.headers.get('content-type') ?? 'application/json';
      const bare = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          res.writeHead(200, { 'content-type': type });
          res.end(answer);
        });
      });
      await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
      const bareUrl = new URL(`http://127.0.0.1:${(bare.address() as { port: number }).port}/mcp`);
      try {
        await load(bareUrl, subject, 300);
        await load(edgeUrl, subject, 300);
        const ratios: number[] = [];
        let lastBase = 0;
        let lastEdge = 0;
        for (let i = 0; i < ROUNDS; i++) {
          lastBase = await load(bareUrl, subject, ROUND_MS);
          lastEdge = await load(edgeUrl, subject, ROUND_MS);
          ratios.push(lastEdge / lastBase);
        }
        ratios.sort((a, b) => a - b);
        const median = ratios[Math.floor(ratios.length / 2)]!;
        console.log(
          `${subject.name.padEnd(28)} edge ${Math.round(lastEdge).toLocaleString('en-US').padStart(7)} req/s, bare node:http ${Math.round(lastBase).toLocaleString('en-US').padStart(7)} req/s, median ratio ${median.toFixed(3)}`,
        );
      } finally {
        await new Promise<void>((r) => bare.close(() => r()));
      }
    }
    console.log(
      `(${ROUNDS} alternating rounds of ${ROUND_MS} ms, ${CONCURRENCY} connections from a separate load process)`,
    );
  } finally {
    await edge.close();
  }
}
