/**
 * MCP edge, in one run, with the load from a separate process (wrk, or bench/load.ts):
 *  - authenticated `tools/list` and an authorized `tools/call` of `list_conversations` through the
 *    whole edge (Host/Origin checks, bearer verification, the SDK's Streamable HTTP handler, and for
 *    the call the scope check, `executor` authorization, the rate limit, token exchange and the
 *    agent call), against the peer baseline: the official SDK on bare node:http with the same tool
 *    definitions and no auth (bench/bare-sdk.ts), and bare node:http answering the same bytes;
 *    throughput ratios from alternating rounds;
 *  - the edge's overhead on one connection: the tools/call latency minus that of the same agent
 *    call made directly (p50 and p99);
 *  - the edge's heap over 200,000 tool calls, in KB per request (flat means no leak).
 * The agent is the fake of the edge's tests in a process of its own (bench/fake-agent-process.ts),
 * as it is a service of its own in a deployment; the edge is the production composition.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { startEdge } from '../apps/mcp-edge/src/testing/harness.js';
import { startBareSdkServer } from './bare-sdk.js';
import { type LoadResult, runLoad, type Subject } from './load-runner.js';

const CONNECTIONS = 16;
const ROUND_S = 2;
const ROUNDS = 5;
const LATENCY_S = 3;
const MEMORY_REQUESTS = 200_000;

const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const SEARCH = { limit: 20, offset: 0, sort_by: 'updated_at', sort_order: 'desc' };

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (us: number) => `${(us / 1000).toFixed(2)} ms`;
const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

function subjects(token: string): { list: Subject; call: Subject } {
  const base = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: `Bearer ${token}`,
    'mcp-protocol-version': '2026-07-28',
  };
  return {
    list: {
      name: 'tools/list',
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: META } }),
      headers: { ...base, 'mcp-method': 'tools/list' },
    },
    call: {
      name: 'tools/call list_conversations',
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'list_conversations', arguments: {}, _meta: META },
      }),
      headers: { ...base, 'mcp-method': 'tools/call', 'mcp-name': 'list_conversations' },
    },
  };
}

async function post(url: string, subject: Subject): Promise<{ type: string; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: subject.headers, body: subject.body });
  const text = await res.text();
  if (res.status !== 200 || text.includes('"isError":true') || text.includes('"error"'))
    throw new Error(`${url} answered ${res.status} to ${subject.name}: ${text.slice(0, 300)}`);
  return { type: res.headers.get('content-type') ?? 'application/json', text };
}

/** Bare node:http answering one recorded response: the floor of any HTTP server on this machine. */
async function bareHttp(answer: { type: string; text: string }): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': answer.type });
      res.end(answer.text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`, server };
}

/** Alternating rounds; the median of the per-round throughput ratios edge / each baseline. */
async function compare(subject: Subject, urls: Record<'edge' | 'sdk' | 'http', string>) {
  for (const url of Object.values(urls)) await runLoad(url, subject, 1, CONNECTIONS);
  const rounds: Record<'edge' | 'sdk' | 'http', LoadResult>[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const sdk = await runLoad(urls.sdk, subject, ROUND_S, CONNECTIONS);
    const edge = await runLoad(urls.edge, subject, ROUND_S, CONNECTIONS);
    const http = await runLoad(urls.http, subject, ROUND_S, CONNECTIONS);
    rounds.push({ edge, sdk, http });
  }
  const median = (f: (r: (typeof rounds)[number]) => number) =>
    rounds.map(f).sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!;
  const last = rounds.at(-1)!;
  return {
    rps: { edge: median((r) => r.edge.rps), sdk: median((r) => r.sdk.rps), http: median((r) => r.http.rps) },
    vsSdk: median((r) => r.edge.rps / r.sdk.rps),
    vsHttp: median((r) => r.edge.rps / r.http.rps),
    last,
  };
}

function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** The fake agent in a child process: its URL, the newest agent token it saw, and a way to stop it. */
async function startAgentProcess() {
  const child = fork(join(__dirname, 'fake-agent-process.ts'), {
    execArgv: ['--conditions=development', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [first] = (await once(child, 'message')) as [{ url: string }];
  return {
    url: first.url,
    async lastToken(): Promise<string> {
      child.send('token');
      const [answer] = (await once(child, 'message')) as [{ token: string | null }];
      if (!answer.token) throw new Error('the agent has not been called yet');
      return answer.token;
    },
    async close() {
      child.send('close');
      await once(child, 'exit');
    },
  };
}

export async function run(): Promise<void> {
  const agent = await startAgentProcess();
  const edge = await startEdge({ toolCallsPerMinute: 100_000_000, agentUrl: agent.url });
  // One user for the whole run, with a token that outlives it (the memory phase takes minutes).
  const { list, call } = subjects(edge.token({ exp: Math.floor(Date.now() / 1000) + 3600 }));
  const closers: (() => Promise<void>)[] = [() => agent.close(), () => edge.close()];
  try {
    // Three conversations for the caller, so list_conversations answers something real.
    await post(edge.mcpUrl, call);
    const agentToken = await agent.lastToken();
    for (const title of ['one', 'two', 'three'])
      await fetch(`${agent.url}/threads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${agentToken}` },
        body: JSON.stringify({ metadata: { title } }),
      });

    const answers = { list: await post(edge.mcpUrl, list), call: await post(edge.mcpUrl, call) };
    const recorded = JSON.parse(answers.call.text) as { result: CallToolResult };
    const sdk = await startBareSdkServer({ list_conversations: recorded.result });
    closers.push(() => sdk.close());
    await post(sdk.url, list);
    await post(sdk.url, call);

    console.log(`throughput, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${ROUND_S} s:`);
    const results: Record<string, Awaited<ReturnType<typeof compare>>> = {};
    for (const [key, subject] of [
      ['list', list],
      ['call', call],
    ] as const) {
      const http = await bareHttp(answers[key]);
      closers.push(() => new Promise<void>((r) => http.server.close(() => r())));
      const r = await compare(subject, { edge: edge.mcpUrl, sdk: sdk.url, http: http.url });
      results[key] = r;
      console.log(
        `  ${subject.name.padEnd(30)} edge ${fmt(r.rps.edge).padStart(6)} req/s, bare SDK ${fmt(r.rps.sdk).padStart(6)}, ` +
          `bare node:http ${fmt(r.rps.http).padStart(6)}; edge/bare SDK ${r.vsSdk.toFixed(3)}, edge/node:http ${r.vsHttp.toFixed(3)}`,
      );
    }

    // Overhead on one connection: the edge's tools/call against the agent call it makes.
    const direct: Subject = {
      name: 'POST /threads/search (direct)',
      body: JSON.stringify(SEARCH),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${agentToken}` },
    };
    await runLoad(`${agent.url}/threads/search`, direct, 1, 1);
    await runLoad(edge.mcpUrl, call, 1, 1);
    const agentDirect = await runLoad(`${agent.url}/threads/search`, direct, LATENCY_S, 1);
    const throughEdge = await runLoad(edge.mcpUrl, call, LATENCY_S, 1);
    const over = { p50: throughEdge.p50Us - agentDirect.p50Us, p99: throughEdge.p99Us - agentDirect.p99Us };
    console.log(
      `overhead on one connection: tools/call p50 ${ms(throughEdge.p50Us)} p99 ${ms(throughEdge.p99Us)}, ` +
        `the agent call directly p50 ${ms(agentDirect.p50Us)} p99 ${ms(agentDirect.p99Us)}; ` +
        `the edge adds p50 ${ms(over.p50)} (target <= 1 ms), p99 ${ms(over.p99)} (target <= 3 ms)`,
    );

    // Heap over 200,000 tool calls (the agent's memory is its own process's).
    const gc = exposeGc();
    const heap = () => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const start = heap();
    const samples: { requests: number; heapKb: number }[] = [];
    let total = 0;
    while (total < MEMORY_REQUESTS) {
      total += (await runLoad(edge.mcpUrl, call, 5, CONNECTIONS)).requests;
      samples.push({ requests: total, heapKb: (heap() - start) / 1024 });
    }
    const half = samples.find((s) => s.requests >= total / 2)!;
    const end = samples.at(-1)!;
    const secondHalfKbPerRequest = (end.heapKb - half.heapKb) / (end.requests - half.requests);
    console.log(
      `memory over ${fmt(total)} tools/call (${samples.length} samples after GC): heap above the start ` +
        `between ${mb(Math.min(...samples.map((x) => x.heapKb)))} and ${mb(Math.max(...samples.map((x) => x.heapKb)))}, ` +
        `${mb(end.heapKb)} at the end; ${(end.heapKb / total).toFixed(4)} KB per request overall, ` +
        `${secondHalfKbPerRequest.toFixed(4)} KB per request in the second half (flat = no leak)`,
    );

    const list_ = results.list!;
    const call_ = results.call!;
    console.log(
      [
        'targets:',
        `  tools/list vs bare SDK ${list_.vsSdk.toFixed(3)} (>= 0.9: ${list_.vsSdk >= 0.9 ? 'met' : 'missed'})`,
        `  tools/call vs bare SDK ${call_.vsSdk.toFixed(3)} (>= 0.5: ${call_.vsSdk >= 0.5 ? 'met' : 'missed'})`,
        `  overhead p50 ${ms(over.p50)} (<= 1 ms: ${over.p50 <= 1000 ? 'met' : 'missed'}), ` +
          `p99 ${ms(over.p99)} (<= 3 ms: ${over.p99 <= 3000 ? 'met' : 'missed'})`,
      ].join('\n'),
    );
  } finally {
    for (const close of closers.reverse()) await close();
  }
}
