/**
 * The edge benchmark's agent, in a process of its own as in a deployment: the edge tests' fake
 * Agent Protocol server (no model, no store), so the edge's process does only the edge's work.
 * It reports its URL to the parent and answers `token` with the newest agent token it has seen.
 */
import { startFakeAgent } from '../apps/mcp-edge/src/testing/fakes.js';
import { AGENT_AUDIENCE } from '../apps/mcp-edge/src/testing/harness.js';

async function main() {
  const agent = await startFakeAgent({ audience: AGENT_AUDIENCE });
  // Only the newest token is of use; the memory phase would otherwise keep hundreds of thousands.
  setInterval(() => agent.tokensSeen.splice(0, Math.max(0, agent.tokensSeen.length - 1)), 1000).unref();
  process.on('message', (message) => {
    if (message === 'token') process.send?.({ token: agent.tokensSeen.at(-1) ?? null });
    if (message === 'close') void agent.close().then(() => process.exit(0));
  });
  process.send?.({ url: agent.url });
}

void main();
