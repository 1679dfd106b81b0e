import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { DEV_EDGE_CLIENT_SECRET } from '@mcp-langgraph/config';
import { AGENT_PATHS, GRANT_TYPE, TOKEN_TYPE } from '@mcp-langgraph/protocol';
import { postForm } from '@mcp-langgraph/testing';
import { ROOT } from '../../scripts/services.js';
import { type Discovery, discover, register } from './oauth-client.js';
import { REDIRECT_URI, useStack } from './stack.js';

/**
 * The agent as an attacker inside the network meets it: it accepts only tokens the edge obtained
 * by exchange for a user, and stops accepting them as soon as the auth service revokes the user's
 * token or disables the user, like the edge does.
 */

const stack = useStack({ env: { REVOCATION_POLL_MS: '1000' } });
const edgeClient = { id: 'mcp-edge', secret: DEV_EDGE_CLIENT_SECRET };
let discovery: Discovery;
let clientId: string;

const urls = () => stack.services().urls;

async function exchange(userToken: string): Promise<string> {
  const res = await postForm(
    `${urls().auth}/token`,
    {
      grant_type: GRANT_TYPE.tokenExchange,
      subject_token: userToken,
      subject_token_type: TOKEN_TYPE.accessToken,
      resource: urls().agent,
    },
    { basic: edgeClient },
  );
  expect(res.status).toBe(200);
  return res.body.access_token;
}

const createThread = (agentToken: string) =>
  fetch(`${urls().agent}${AGENT_PATHS.threads}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
    body: '{}',
  });

/** Polls until the agent refuses `token` (the feed is fetched every second here). */
async function refusedWithin(token: string, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  let status = (await createThread(token)).status;
  while (status !== 401 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    status = (await createThread(token)).status;
  }
  return status;
}

describe('the agent accepts only live tokens exchanged by the edge', () => {
  beforeAll(async () => {
    discovery = await stack.explained(() => discover(urls().mcp));
    clientId = await register(discovery, REDIRECT_URI);
  });

  it('refuses a client-credentials token issued to the edge for the agent (no user, no act)', async () => {
    const own = await postForm(
      `${urls().auth}/token`,
      { grant_type: GRANT_TYPE.clientCredentials, resource: urls().agent },
      { basic: edgeClient },
    );
    expect(own.status).toBe(200);
    expect((await createThread(own.body.access_token)).status).toBe(401);
  });

  it('refuses the exchanged token once the user token it came from is revoked', async () => {
    const userToken = await stack.signIn(discovery, clientId, 'alice', 'secret-a');
    const agentToken = await exchange(userToken);
    expect((await createThread(agentToken)).status).toBe(200);
    const revoked = await postForm(`${urls().auth}/revoke`, { token: userToken, client_id: clientId });
    expect(revoked.status).toBe(200);
    expect(await refusedWithin(agentToken, 10_000)).toBe(401);
  });

  it('refuses a disabled user’s agent token', async () => {
    // bob signs in for the first time: the consent page comes, as for any new client and user.
    const agentToken = await exchange(await stack.signIn(discovery, clientId, 'bob', 'secret-b'));
    expect((await createThread(agentToken)).status).toBe(200);
    const tsx = join(dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');
    execFileSync(
      process.execPath,
      [tsx, '--conditions=development', join(ROOT, 'apps/auth/src/cli.ts'), 'users', 'disable', 'bob'],
      {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: stack.dataDir(), LOG_LEVEL: 'warn' },
        stdio: 'pipe',
      },
    );
    expect(await refusedWithin(agentToken, 10_000)).toBe(401);
  });
});
