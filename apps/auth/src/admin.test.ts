import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jwt from 'jsonwebtoken';
import { createAdmin } from './admin.js';
import { createPasswordHasher } from './services/passwords.js';
import { startAuthServer, type TestAuthServer } from './testing.js';

let auth: TestAuthServer;

beforeAll(async () => {
  auth = await startAuthServer({ users: { alice: 'secret-a' }, consent: false });
});
afterAll(async () => {
  await auth.close();
});

function admin() {
  return createAdmin({
    stores: auth.context,
    passwords: createPasswordHasher({ memoryCost: 4096, timeCost: 1 }),
    accessTokenTtl: 900,
  });
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function clientCredentials(id: string, secret: string, extra: Record<string, string> = {}) {
  return fetch(`${auth.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(id, secret) },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...extra }),
  });
}

describe('admin operations', () => {
  it('adds a premium user who can sign in and whose tokens carry the tier', async () => {
    await admin().addUser({ username: 'carol', password: 'carol-password', tier: 'premium' });
    const tokens = await auth.userToken({ username: 'carol', password: 'carol-password' });
    expect(jwt.decode(tokens.access_token)).toMatchObject({ username: 'carol', tier: 'premium' });
    await expect(admin().addUser({ username: 'carol', password: 'another-one' })).rejects.toThrow(
      /already exists/,
    );
    await expect(admin().addUser({ username: 'x y', password: 'long-enough' })).rejects.toThrow(/usernames/);
    await expect(admin().addUser({ username: 'dave', password: 'short' })).rejects.toThrow(/passwords/);
  });

  it('disabling a user stops refresh and introspection at once', async () => {
    await admin().addUser({ username: 'erin', password: 'erin-password' });
    const tokens = await auth.userToken({ username: 'erin', password: 'erin-password' });
    await admin().setUserDisabled('erin', true);
    const intro = await fetch(`${auth.url}/introspect`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(auth.edgeClient.clientId, auth.edgeClient.clientSecret),
      },
      body: new URLSearchParams({ token: tokens.access_token }),
    });
    expect(await intro.json()).toEqual({ active: false });
    const clientId = (jwt.decode(tokens.access_token) as jwt.JwtPayload).client_id as string;
    const refresh = await fetch(`${auth.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
        client_id: clientId,
      }),
    });
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
    await expect(auth.userToken({ username: 'erin', password: 'erin-password' })).rejects.toThrow();
  });

  it('adds a confidential client whose secret is stored hashed and can be rotated', async () => {
    const { client, secret } = await admin().addClient({
      name: 'reporting job',
      clientId: 'reporting',
      confidential: true,
      scope: 'conversations:read',
      tier: 'enterprise',
    });
    expect(client.secretHash).not.toContain(secret!);
    expect(client.secretHash).toMatch(/^\$argon2id\$/);
    const ok = await clientCredentials('reporting', secret!);
    expect(ok.status).toBe(200);
    const claims = jwt.decode(((await ok.json()) as { access_token: string }).access_token);
    expect(claims).toMatchObject({
      sub: 'reporting',
      sub_type: 'client',
      scope: 'conversations:read',
      tier: 'enterprise',
    });
    expect((await clientCredentials('reporting', secret!, { scope: 'admin' })).status).toBe(400);

    const rotated = await admin().rotateClientSecret('reporting');
    expect((await clientCredentials('reporting', secret!)).status).toBe(401);
    expect((await clientCredentials('reporting', rotated)).status).toBe(200);
    const listed = await admin().listClients();
    expect(listed.map((c) => c.clientId)).toContain('reporting');
  });

  it('rotates signing keys: the new key signs, the old one still verifies', async () => {
    const before = auth.context.keys.current().kid;
    const old = await auth.userToken({ username: 'alice', password: 'secret-a' });
    const r = await admin().rotateKeys();
    expect('kid' in r && r.kid).not.toBe(before);
    await auth.context.keys.reload();
    const jwks = (await (await fetch(auth.jwksUrl)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([before, (r as { kid: string }).kid]));
    const fresh = await auth.userToken({ username: 'alice', password: 'secret-a' });
    expect(jwt.decode(fresh.access_token, { complete: true })!.header.kid).toBe((r as { kid: string }).kid);
    const intro = await fetch(`${auth.url}/introspect`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(auth.edgeClient.clientId, auth.edgeClient.clientSecret),
      },
      body: new URLSearchParams({ token: old.access_token }),
    });
    expect(await intro.json()).toMatchObject({ active: true });
  });

  it('records admin actions in the audit trail without secrets', async () => {
    const { secret } = await admin().addClient({ name: 'audited', confidential: true });
    const entries = await auth.context.audit.recent(200);
    const events = entries.map((e) => e.event);
    expect(events).toEqual(
      expect.arrayContaining([
        'admin.user_added',
        'admin.client_added',
        'key.rotated',
        'login',
        'token.issued',
      ]),
    );
    const dump = JSON.stringify(entries);
    expect(dump).not.toContain(secret!);
    expect(dump).not.toContain('secret-a');
    expect(dump).not.toContain('carol-password');
  });
});

describe('npm run auth (CLI)', () => {
  const run = promisify(execFile);
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'auth-cli-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const cli = (...args: string[]) =>
    run(
      process.execPath,
      ['--import', 'tsx', '--conditions=development', join(__dirname, 'cli.ts'), ...args],
      {
        env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent', APP_ENV: 'development' },
        cwd: join(__dirname, '..'),
      },
    );

  it('adds, lists and disables users, adds clients and rotates keys', async () => {
    const added = await cli('users', 'add', 'frank', '--tier', 'premium');
    expect(added.stdout).toMatch(/added user frank/);
    expect(added.stdout).toMatch(/password \(shown once\): \S{20}/);
    expect((await cli('users', 'disable', 'frank')).stdout).toMatch(/disabled/);
    expect((await cli('users', 'list')).stdout).toMatch(/frank\t[0-9a-f-]{36}\tpremium\tdisabled/);
    const client = await cli('clients', 'add', 'batch', '--confidential', '--id', 'batch-job');
    expect(client.stdout).toMatch(/client secret \(shown once\): \S{40,}/);
    expect((await cli('keys', 'rotate')).stdout).toMatch(/new signing key/);
    await expect(cli('bogus', 'thing')).rejects.toMatchObject({ code: 2 });
  });
});
