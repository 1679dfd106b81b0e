import { randomUUID } from 'node:crypto';
import { AGENT_PATHS } from '@mcp-langgraph/protocol';
import { EDGE_ACTOR } from './testing/harness.js';
import { useAgent } from './testing/setup.js';

// Polls every second (the least REVOCATION_POLL_MS allows); stale after two seconds without a list.
const POLL_MS = 1000;
const { agent, call, tokenFor } = useAgent({
  revocationPollMs: POLL_MS,
  revocationMaxStalenessMs: 2 * POLL_MS,
});
const now = () => Math.floor(Date.now() / 1000);

/** A request any conversation token may make, with no side effects: listing one's threads. */
const search = (token: string) => call('POST', AGENT_PATHS.searchThreads, token, {});

/** The status `token` gets once the agent has caught up, asking a few times (a poll is 1 s). */
async function statusOnceSettled(token: string, expected: number, tries = 40): Promise<number> {
  let status = 0;
  for (let i = 0; i < tries; i++) {
    status = (await search(token)).status;
    if (status === expected) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS / 10));
  }
  return status;
}

async function authFailures(reason: string): Promise<number> {
  const text = await (await fetch(`${agent().url}/metrics`)).text();
  const line = new RegExp(`^auth_failures_total\\{reason="${reason}"[^}]*\\} (\\d+)`, 'm').exec(text);
  return Number(line?.[1] ?? 0);
}

afterEach(() => {
  agent().feed.setDown(false);
  agent().feed.set({});
});

describe('the agent accepts only tokens the edge exchanged', () => {
  it('accepts a token exchanged by the edge', async () => {
    expect((await search(tokenFor(randomUUID()))).status).toBe(200);
    expect((await call('POST', AGENT_PATHS.threads, tokenFor(randomUUID()), {})).status).toBe(200);
  });

  it.each([
    [
      "a client's own client-credentials token",
      { sub_type: 'client', client_id: 'reporting', act: undefined },
    ],
    ["a user's own token, not exchanged", { act: undefined }],
    ['a token exchanged by another client', { act: { sub: 'some-other-client' } }],
    [
      'a token the edge received from another actor',
      { act: { sub: 'some-other-client', act: { sub: EDGE_ACTOR } } },
    ],
  ])('refuses %s: 401 invalid_token, counted as actor_not_allowed', async (_what, claims) => {
    const before = await authFailures('actor_not_allowed');
    const token = tokenFor(randomUUID(), claims);
    const created = await call('POST', AGENT_PATHS.threads, token, {});
    expect(created.status).toBe(401);
    expect(created.body).toEqual({
      error: 'invalid_token',
      error_description: 'the access token is invalid or has expired',
      // The platform's field, which LangGraph clients show.
      detail: 'the access token is invalid or has expired',
    });
    expect((await search(token)).status).toBe(401);
    expect(await authFailures('actor_not_allowed')).toBe(before + 2);
  });
});

describe('revocations reach the agent within one poll of the feed', () => {
  it('refuses a revoked token and keeps accepting others', async () => {
    const jti = randomUUID();
    const revoked = tokenFor(randomUUID(), { jti });
    const other = tokenFor(randomUUID());
    expect((await search(revoked)).status).toBe(200);
    agent().feed.set({ jtis: [jti] });
    await agent().feed.nextFetch();
    expect(await statusOnceSettled(revoked, 401)).toBe(401);
    expect((await search(other)).status).toBe(200);
    expect(await authFailures('revoked')).toBeGreaterThan(0);
  });

  it('refuses a token exchanged from a revoked token (its subject_jti)', async () => {
    const userJti = randomUUID();
    const exchanged = tokenFor(randomUUID(), { subject_jti: userJti });
    expect((await search(exchanged)).status).toBe(200);
    agent().feed.set({ jtis: [userJti] });
    await agent().feed.nextFetch();
    expect(await statusOnceSettled(exchanged, 401)).toBe(401);
  });

  it("refuses a disabled user's tokens, new and old, and no one else's", async () => {
    const bob = randomUUID();
    const older = tokenFor(bob);
    expect((await call('POST', AGENT_PATHS.threads, older, {})).status).toBe(200);
    agent().feed.set({ disabled_subjects: [bob] });
    await agent().feed.nextFetch();
    expect(await statusOnceSettled(older, 401)).toBe(401);
    expect((await call('POST', AGENT_PATHS.threads, tokenFor(bob), {})).status).toBe(401);
    expect((await call('POST', AGENT_PATHS.threads, tokenFor(randomUUID()), {})).status).toBe(200);
  });
});

describe('when the revocation feed stays down past REVOCATION_MAX_STALENESS_MS', () => {
  it('refuses tokens issued before the last good list and accepts newer ones', async () => {
    const alice = randomUUID();
    const older = tokenFor(alice, { iat: now() - 60, nbf: now() - 60 });
    expect((await search(older)).status).toBe(200);
    const before = await authFailures('revocation_stale');

    agent().feed.setDown(true);
    // Stale two seconds after the last good list; ask for up to about four.
    expect(await statusOnceSettled(older, 401)).toBe(401);
    const refused = await search(older);
    expect(refused.body.error).toBe('invalid_token');
    expect(refused.body.error_description).toContain('revocation list');
    expect(await authFailures('revocation_stale')).toBeGreaterThan(before);
    // Issued after the last good list: nothing it could have missed can be about this token.
    expect((await call('POST', AGENT_PATHS.threads, tokenFor(alice), {})).status).toBe(200);

    agent().feed.setDown(false);
    await agent().feed.nextFetch();
    expect(await statusOnceSettled(older, 200)).toBe(200);
  });
});
