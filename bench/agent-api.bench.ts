/**
 * What the edge's `/agent` adds to an Agent Protocol call: `runs/wait` of a one-step offline run
 * (a thread-less run: the agent answers a greeting without a tool) sent to the agent directly
 * with an agent token, and through the edge's `/agent` with the user's token (verification from
 * the cache, the cached token exchange, forwarding), in alternating rounds against the three
 * real services. Target: the edge adds at most 1 ms at p50.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_EDGE_CLIENT_SECRET } from '@mcp-langgraph/config';
import { GRANT_TYPE, TOKEN_TYPE } from '@mcp-langgraph/protocol';
import { postForm } from '@mcp-langgraph/testing';
import { startServices } from '../scripts/services.js';
import { signIn } from './sign-in.js';

const REQUESTS_PER_ROUND = 40;
const ROUNDS = 6;
const BODY = JSON.stringify({
  assistant_id: 'agent',
  input: { messages: [{ type: 'human', content: 'hello' }] },
});

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)] ?? 0;

async function timed(url: string, token: string): Promise<number> {
  const start = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: BODY,
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`runs/wait answered ${res.status}`);
  return performance.now() - start;
}

export async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-agent-api-'));
  const services = await startServices({
    dataDir,
    env: { AUTH_SEED_USERS: 'alice:secret-a', LOG_LEVEL: 'warn' },
  });
  try {
    const accessToken = await signIn(services, 'alice', 'secret-a');
    const exchanged = await postForm(
      `${services.urls.auth}/token`,
      {
        grant_type: GRANT_TYPE.tokenExchange,
        subject_token: accessToken,
        subject_token_type: TOKEN_TYPE.accessToken,
        resource: services.urls.agent,
      },
      { basic: { id: 'mcp-edge', secret: DEV_EDGE_CLIENT_SECRET } },
    );
    const agentToken = exchanged.body.access_token as string;
    const direct = `${services.urls.agent}/runs/wait`;
    const viaEdge = `${services.urls.edge}/agent/runs/wait`;
    // Warm both paths (JIT, connection pools, the edge's verification and exchange caches).
    for (let i = 0; i < 20; i++) {
      await timed(direct, agentToken);
      await timed(viaEdge, accessToken);
    }
    const times = { direct: [] as number[], edge: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (['direct', 'edge'] as const) : (['edge', 'direct'] as const);
      for (const which of order)
        for (let i = 0; i < REQUESTS_PER_ROUND; i++)
          times[which].push(
            await timed(which === 'direct' ? direct : viaEdge, which === 'direct' ? agentToken : accessToken),
          );
    }
    const p50 = { direct: pct(times.direct, 0.5), edge: pct(times.edge, 0.5) };
    const p95 = { direct: pct(times.direct, 0.95), edge: pct(times.edge, 0.95) };
    console.log(
      `runs/wait direct to the agent    p50 ${p50.direct.toFixed(2)} ms  p95 ${p95.direct.toFixed(2)} ms`,
    );
    console.log(
      `runs/wait through <edge>/agent   p50 ${p50.edge.toFixed(2)} ms  p95 ${p95.edge.toFixed(2)} ms`,
    );
    const added = p50.edge - p50.direct;
    console.log(
      `the edge adds ${added.toFixed(2)} ms at p50 (ratio ${(p50.edge / p50.direct).toFixed(3)}; target <= 1 ms: ${added <= 1 ? 'met' : 'missed'})`,
    );
  } finally {
    await services.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
