import { pkcePair, readForm } from '@mcp-langgraph/testing';
import { testClock, useAuthServer } from '../testing/setup.js';

const EDGE = 'http://localhost:4000';

describe('authorization code with PKCE over HTTP', () => {
  const { auth, remember, submit, token, verifyWithJwks } = useAuthServer({
    users: { alice: 'secret-a', bob: 'secret-b' },
  });

  it('registers, signs in, consents, redeems the code and gets a verifiable token', async () => {
    const reg = await fetch(`${auth().url}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: ['http://127.0.0.1:33418/callback'],
        client_name: 'Flow <test>',
      }),
    });
    expect(reg.status).toBe(201);
    const client = (await reg.json()) as Record<string, unknown>;
    expect(client.token_endpoint_auth_method).toBe('none');
    const clientId = client.client_id as string;

    const { verifier, challenge } = pkcePair();
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: 'http://127.0.0.1:33418/callback',
      state: 'st-123',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      resource: `${EDGE}/mcp`,
    });
    const page = remember(await fetch(`${auth().url}/authorize?${q}`));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="username"');
    expect(html).toContain('name="password"');
    expect(html).toContain('Flow &lt;test&gt;');
    expect(html).not.toContain('Flow <test>');
    const login = readForm(html);
    expect(login.fields.csrf_token).toBeTruthy();

    const consentRes = await submit(login.action, {
      ...login.fields,
      username: 'alice',
      password: 'secret-a',
    });
    expect(consentRes.status).toBe(200);
    const consent = readForm(await consentRes.text());
    expect(consent.action).toBe('/authorize/consent');
    const done = await submit(consent.action, { ...consent.fields, decision: 'allow' });
    expect(done.status).toBe(302);
    const back = new URL(done.headers.get('location')!);
    expect(back.origin + back.pathname).toBe('http://127.0.0.1:33418/callback');
    expect(back.searchParams.get('state')).toBe('st-123');
    expect(back.searchParams.get('iss')).toBe(auth().issuer);
    const code = back.searchParams.get('code')!;

    const tokenRes = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://127.0.0.1:33418/callback',
      code_verifier: verifier,
      client_id: clientId,
      resource: `${EDGE}/mcp`,
    });
    expect(tokenRes.status).toBe(200);
    expect(tokenRes.headers.get('cache-control')).toBe('no-store');
    const tokens = tokenRes.body as Record<string, unknown>;
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      scope: 'mcp:tools conversations:read conversations:write',
    });
    expect(tokens.expires_in).toBeLessThanOrEqual(900);
    expect(typeof tokens.refresh_token).toBe('string');

    const { header, claims } = await verifyWithJwks(tokens.access_token as string, `${EDGE}/mcp`);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(typeof header.kid).toBe('string');
    const alice = await auth().context.users.findByUsername('alice');
    expect(claims).toMatchObject({
      iss: auth().issuer,
      sub: alice!.id,
      aud: `${EDGE}/mcp`,
      client_id: clientId,
      sub_type: 'user',
      username: 'alice',
      scope: 'mcp:tools conversations:read conversations:write',
      tier: 'free',
    });
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(900);
    expect(claims.nbf).toBe(claims.iat);
    expect(typeof claims.jti).toBe('string');
  });
});

describe('authorization codes', () => {
  const { auth, introspect, redeem, refresh, signIn, token } = useAuthServer({
    users: { alice: 'secret-a' },
    consent: false,
  });
  const codeFor = (client: { clientId: string; redirectUri: string }) => signIn(client, 'alice', 'secret-a');

  it('a reused code is refused and what it issued is revoked', async () => {
    const client = await auth().registerClient();
    const { code, verifier: v } = await codeFor(client);
    const first = await redeem(client, code, v);
    expect(first.status).toBe(200);
    const tokens = first.body as { access_token: string; refresh_token: string };
    expect((await introspect(tokens.access_token)).active).toBe(true);

    const again = await redeem(client, code, v);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: 'invalid_grant' });
    expect((await introspect(tokens.access_token)).active).toBe(false);
    expect((await refresh(tokens.refresh_token, client.clientId)).body).toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('a PKCE verifier that does not match is refused', async () => {
    const client = await auth().registerClient();
    const { code } = await codeFor(client);
    const res = await redeem(client, code, 'x'.repeat(43));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_grant' });
  });

  it('a redirect URI that differs from the authorization request is refused', async () => {
    const client = await auth().registerClient(['https://a.example/cb', 'https://a.example/other']);
    const { code, verifier: v } = await codeFor(client);
    const res = await redeem(client, code, v, { redirect_uri: 'https://a.example/other' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_grant' });
  });

  it('a code is bound to its client', async () => {
    const client = await auth().registerClient();
    const thief = await auth().registerClient();
    const { code, verifier: v } = await codeFor(client);
    const res = await redeem(thief, code, v);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_grant' });
    // The rightful client can still redeem it.
    expect((await redeem(client, code, v)).status).toBe(200);
  });

  it('a code is bound to its resource', async () => {
    const client = await auth().registerClient();
    const { code, verifier: v } = await codeFor(client);
    const res = await redeem(client, code, v, { resource: 'http://localhost:4002' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_target' });
  });

  it('refuses a missing code, a malformed verifier and an unknown client', async () => {
    const client = await auth().registerClient(['https://client.example/cb']);
    const noCode = await token({ grant_type: 'authorization_code', client_id: client.clientId });
    expect(noCode.body).toMatchObject({ error: 'invalid_request' });
    const badVerifier = await token({
      grant_type: 'authorization_code',
      client_id: client.clientId,
      code: 'abc',
      redirect_uri: client.redirectUri,
      code_verifier: 'short',
    });
    expect(badVerifier.body).toMatchObject({ error: 'invalid_request' });
    const unknown = await token({ grant_type: 'authorization_code', client_id: 'who', code: 'abc' });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses an unknown code', async () => {
    const client = await auth().registerClient(['https://client.example/cb']);
    const res = await redeem(client, 'made-up-code', 'a'.repeat(43));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('authorization code lifetime', () => {
  const clock = testClock();
  const { auth, redeem, signIn } = useAuthServer({
    users: { alice: 'secret-a' },
    consent: false,
    clock: clock.now,
    env: { AUTH_CODE_TTL: '30' },
  });

  it('an authorization code older than its lifetime is refused', async () => {
    const client = await auth().registerClient();
    const { code, verifier } = await signIn(client, 'alice', 'secret-a');
    clock.set(31);
    const res = await redeem(client, code, verifier);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_grant' });
  });
});
