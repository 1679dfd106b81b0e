/**
 * Time to the first token of an answer, with a local streaming model server in OpenAI's wire
 * format (the agent configured as `openai-compatible`), in alternating rounds:
 * - the model server called directly (a streamed chat completion, to its first content delta);
 * - through `<edge>/agent` (`runs/stream` with `messages-tuple`, to the first token chunk);
 * - through the edge's MCP endpoint (the `chat` tool with a progress token, to the first progress
 *   notification that carries answer text).
 * Reported: each path's p50 and p99 and what the platform adds to the direct call at both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectMcp } from '@mcp-langgraph/testing';
import { startFakeOpenAi } from '../apps/agent/src/testing/llm/index.js';
import { startServices } from '../scripts/services.js';
import { signIn } from './sign-in.js';

const ROUNDS = 6;
const PER_ROUND = 15;
const ANSWER = 'Streaming answers reach the client token by token.';
const KEY = 'bench-model-key';

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;

/** Reads `body` until `found` says a chunk holds the first token; the time since `start`. */
async function firstChunk(
  body: ReadableStream<Uint8Array>,
  start: number,
  found: (text: string) => boolean,
): Promise<number> {
  const decoder = new TextDecoder();
  let seen = '';
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) throw new Error('the stream ended before the first token');
      seen += decoder.decode(value, { stream: true });
      if (found(seen)) return performance.now() - start;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

export async function run(): Promise<void> {
  const model = await startFakeOpenAi({ key: KEY, script: () => ({ kind: 'text', text: ANSWER }) });
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-first-token-'));
  const services = await startServices({
    dataDir,
    env: {
      AUTH_SEED_USERS: 'alice:secret-a',
      LOG_LEVEL: 'warn',
      LLM_MODEL: 'openai-compatible:bench-model',
      LLM_BASE_URL: `${model.url}/v1`,
      LLM_API_KEY: KEY,
      AGENT_DOCS_DIR: '',
      // Hundreds of calls a minute from one user: above the free tier's limit.
      MCP_TOOL_RATE_LIMIT: '100000',
    },
  });
  try {
    const accessToken = await signIn(services, 'alice', 'secret-a');
    const mcp = await connectMcp(services.urls.mcp, accessToken, { name: 'first-token-bench' });
    const firstWord = ANSWER.split(' ')[0]!;

    const direct = async () => {
      const start = performance.now();
      const res = await fetch(`${model.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'bench-model',
          stream: true,
          messages: [{ role: 'user', content: 'hello' }],
        }),
      });
      return firstChunk(res.body!, start, (t) => t.includes(firstWord));
    };
    const agentApi = async () => {
      const start = performance.now();
      const res = await fetch(`${services.urls.edge}/agent/runs/stream`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          assistant_id: 'agent',
          input: { messages: [{ type: 'human', content: 'hello' }] },
          stream_mode: ['messages-tuple'],
        }),
      });
      if (!res.ok) throw new Error(`runs/stream answered ${res.status}`);
      return firstChunk(res.body!, start, (t) => /event: messages\r?\ndata: .*"content":"[^"]/.test(t));
    };
    const mcpTool = async () => {
      const start = performance.now();
      let first: number | undefined;
      const abort = new AbortController();
      const done = mcp
        .callTool(
          { name: 'chat', arguments: { message: 'hello' } },
          {
            signal: abort.signal,
            onprogress: (p) => {
              if (first === undefined && p.message?.startsWith(firstWord)) first = performance.now() - start;
            },
          },
        )
        .catch((err: unknown) => err);
      const outcome = await done;
      if (first === undefined)
        throw new Error(
          `no progress notification carried the answer: ${JSON.stringify(outcome).slice(0, 300)}`,
        );
      return first;
    };

    const paths = { direct, agentApi, mcpTool } as const;
    const times: Record<keyof typeof paths, number[]> = { direct: [], agentApi: [], mcpTool: [] };
    // Warm every path (JIT, connection pools, token caches).
    for (let i = 0; i < 10; i++) for (const p of Object.values(paths)) await p();
    const names = Object.keys(paths) as Array<keyof typeof paths>;
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order) for (let i = 0; i < PER_ROUND; i++) times[name].push(await paths[name]());
    }
    const line = (label: string, xs: number[]) =>
      `${label.padEnd(44)} p50 ${pct(xs, 0.5).toFixed(2)} ms  p99 ${pct(xs, 0.99).toFixed(2)} ms`;
    console.log(line('model server directly (first content delta)', times.direct));
    console.log(line('<edge>/agent runs/stream (messages-tuple)', times.agentApi));
    console.log(line('<edge>/mcp chat (first answer progress)', times.mcpTool));
    for (const name of ['agentApi', 'mcpTool'] as const) {
      const p50 = pct(times[name], 0.5) - pct(times.direct, 0.5);
      const p99 = pct(times[name], 0.99) - pct(times.direct, 0.99);
      console.log(
        `${name === 'agentApi' ? '/agent' : 'MCP'} adds ${p50.toFixed(2)} ms at p50, ${p99.toFixed(2)} ms at p99 (ratio at p50 ${(pct(times[name], 0.5) / pct(times.direct, 0.5)).toFixed(1)})`,
      );
    }
    await mcp.close();
  } finally {
    await services.stop();
    await model.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
