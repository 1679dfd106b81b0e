import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jwt from 'jsonwebtoken';
import { createAdmin } from './admin.js';
import { clientIdOf, useAuthServer } from './testing/setup.js';

const { auth, introspect, refresh, token } = useAuthServer({ users: { alice: 'secret-a' }, consent: false });

function admin() {
  return createAdmin({ stores: auth().context, passwords: auth().context.passwords, accessTokenTtl: 900 });
}

const clientCredentials = (id: string, secret: string, extra: Record<string, string> = {}) =>
  token({ grant_type: 'client_credentials', ...extra }, { id, secret });

describe('admin operations', () => {
  it('adds a premium user who can sign in and whose tokens carry the tier', async () => {
    await admin().addUser({ username: 'carol', password: 'carol-password', tier: 'premium' });
    const tokens = await auth().userToken({ username: 'carol', password: 'carol-password' });
    expect(jwt.decode(tokens.access_token)).toMatchObject({ username: 'carol', tier: 'premium' });
    await expect(admin().addUser({ username: 'carol', password: 'another-one' })).rejects.toThrow(
      /already exists/,
    );
    await expect(admin().addUser({ username: 'x y', password: 'long-enough' })).rejects.toThrow(/usernames/);
    await expect(admin().addUser({ username: 'dave', password: 'short' })).rejects.toThrow(/passwords/);
  });

  it('disabling a user stops refresh and introspection at once', async () => {
    await admin().addUser({ username: 'erin', password: 'erin-password' });
    const tokens = await auth().userToken({ username: 'erin', password: 'erin-password' });
    await admin().setUserDisabled('erin', true);
    expect(await introspect(tokens.access_token)).toEqual({ active: false });
    const refreshed = await refresh(tokens.refresh_token!, clientIdOf(tokens.access_token));
    expect(refreshed.body).toMatchObject({ error: 'invalid_grant' });
    await expect(auth().userToken({ username: 'erin', password: 'erin-password' })).rejects.toThrow();
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
    const claims = jwt.decode((ok.body as { access_token: string }).access_token);
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

  it('stores audiences under the platform URL rule and refuses what is not an http(s) URL', async () => {
    const { client } = await admin().addClient({
      name: 'exchanger',
      confidential: true,
      exchange: true,
      audiences: ['https://Agent.example/'],
    });
    expect(client.allowedAudiences).toEqual(['https://agent.example']);
    for (const audience of ['ftp://agent.example', 'http://'])
      await expect(
        admin().addClient({ name: 'refused', confidential: true, audiences: [audience] }),
      ).rejects.toThrow(/must be an http\(s\) URL/);
  });

  it('refuses redirect URIs with userinfo or a backslash', async () => {
    for (const uri of ['https://evil.example\\@app.example/cb', 'https://me@app.example/cb'])
      await expect(
        admin().addClient({ name: 'refused', confidential: false, redirectUris: [uri] }),
      ).rejects.toThrow(/redirect URI/);
  });

  it('rotates signing keys: the new key signs, the old one still verifies', async () => {
    const before = auth().context.keys.current().kid;
    const old = await auth().userToken({ username: 'alice', password: 'secret-a' });
    const r = await admin().rotateKeys();
    expect('kid' in r && r.kid).not.toBe(before);
    await auth().context.keys.reload();
    const jwks = (await (await fetch(auth().jwksUrl)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([before, (r as { kid: string }).kid]));
    const fresh = await auth().userToken({ username: 'alice', password: 'secret-a' });
    expect(jwt.decode(fresh.access_token, { complete: true })!.header.kid).toBe((r as { kid: string }).kid);
    expect(await introspect(old.access_token)).toMatchObject({ active: true });
  });

  it('records admin actions in the audit trail without secrets', async () => {
    const { secret } = await admin().addClient({ name: 'audited', confidential: true });
    const entries = await auth().context.audit.recent(200);
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
