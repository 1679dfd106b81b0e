import { createPublicKey } from 'node:crypto';
import { pkcePair, readForm } from '@mcp-langgraph/testing';
import jwt from 'jsonwebtoken';
import { authorizeWithPassword, startAuthServer, type TestAuthServer } from './testing.js';

const EDGE = 'http://localhost:4000';
const AGENT = 'http://localhost:4002';

let auth: TestAuthServer;

beforeAll(async () => {
  auth = await startAuthServer({ users: { alice: 'secret-a', bob: 'secret-b' } });
});
afterAll(async () => {
  await auth.close();
});

async function jwks() {
  const res = await fetch(auth.jwksUrl);
  return (await res.json()) as { keys: (Record<string, string> & { kid: string })[] };
}

async function verifyWithJwks(token: string, audience: string) {
  const header = jwt.decode(token, { complete: true })!.header;
  const jwk = (await jwks()).keys.find((k) => k.kid === header.kid);
  expect(jwk).toBeDefined();
  const key = createPublicKey({ key: jwk as never, format: 'jwk' });
  return {
    header,
    claims: jwt.verify(token, key, {
      algorithms: ['ES256'],
      issuer: auth.issuer,
      audience,
    }) as jwt.JwtPayload,
  };
}

function form(body: Record<string, string>, basic?: [string, string]) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64')}`;
  return { method: 'POST', headers, body: new URLSearchParams(body) };
}

describe('metadata', () => {
  it('publishes RFC 8414 metadata and the same document as OpenID discovery', async () => {
    const res = await fetch(`${auth.url}/.well-known/oauth-authorization-server`);
    expect(res.status).toBe(200);
    const m = (await res.json()) as Record<string, unknown>;
    expect(m).toMatchObject({
      issuer: auth.url,
      authorization_endpoint: `${auth.url}/authorize`,
      token_endpoint: `${auth.url}/token`,
      registration_endpoint: `${auth.url}/register`,
      jwks_uri: `${auth.url}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(m.scopes_supported).toEqual(['mcp:tools', 'conversations:read', 'conversations:write', 'admin']);
    expect(m.grant_types_supported).toEqual(
      expect.arrayContaining([
        'authorization_code',
        'refresh_token',
        'client_credentials',
        'urn:ietf:params:oauth:grant-type:token-exchange',
      ]),
    );
    const oidc = await (await fetch(`${auth.url}/.well-known/openid-configuration`)).json();
    expect(oidc).toEqual(m);
  });

  it('publishes ES256 P-256 keys with a kid', async () => {
    const { keys } = await jwks();
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const k of keys) {
      expect(k).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(typeof k.kid).toBe('string');
      expect(k.d).toBeUndefined();
    }
  });
});

describe('authorization code with PKCE over HTTP', () => {
  it('registers, signs in, consents, redeems the code and gets a verifiable token', async () => {
    const reg = await fetch(`${auth.url}/register`, {
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
    const page = await fetch(`${auth.url}/authorize?${q}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="username"');
    expect(html).toContain('name="password"');
    expect(html).toContain('Flow &lt;test&gt;');
    expect(html).not.toContain('Flow <test>');
    const login = readForm(html);
    expect(login.fields.csrf_token).toBeTruthy();

    const consentRes = await fetch(`${auth.url}${login.action}`, {
      ...form({ ...login.fields, username: 'alice', password: 'secret-a' }),
      redirect: 'manual',
    });
    expect(consentRes.status).toBe(200);
    const consent = readForm(await consentRes.text());
    expect(consent.action).toBe('/authorize/consent');
    const done = await fetch(`${auth.url}${consent.action}`, {
      ...form({ ...consent.fields, decision: 'allow' }),
      redirect: 'manual',
    });
    expect(done.status).toBe(302);
    const back = new URL(done.headers.get('location')!);
    expect(back.origin + back.pathname).toBe('http://127.0.0.1:33418/callback');
    expect(back.searchParams.get('state')).toBe('st-123');
    expect(back.searchParams.get('iss')).toBe(auth.issuer);
    const code = back.searchParams.get('code')!;

    const tokenRes = await fetch(
      `${auth.url}/token`,
      form({
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'http://127.0.0.1:33418/callback',
        code_verifier: verifier,
        client_id: clientId,
        resource: `${EDGE}/mcp`,
      }),
    );
    expect(tokenRes.status).toBe(200);
    expect(tokenRes.headers.get('cache-control')).toBe('no-store');
    const tokens = (await tokenRes.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      scope: 'mcp:tools conversations:read conversations:write',
    });
    expect(tokens.expires_in).toBeLessThanOrEqual(900);
    expect(typeof tokens.refresh_token).toBe('string');

    const { header, claims } = await verifyWithJwks(tokens.access_token as string, `${EDGE}/mcp`);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(typeof header.kid).toBe('string');
    const alice = await auth.context.users.findByUsername('alice');
    expect(claims).toMatchObject({
      iss: auth.issuer,
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

  it('remembers consent: the second sign-in for the same client and scopes goes straight back', async () => {
    const client = await auth.registerClient(['https://app.example/cb']);
    await authorizeWithPassword({ authUrl: auth.url, ...client, username: 'bob', password: 'secret-b' });
    const { verifier, challenge } = pkcePair();
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: client.redirectUri,
      state: 's',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const login = readForm(await (await fetch(`${auth.url}/authorize?${q}`)).text());
    const res = await fetch(`${auth.url}/authorize`, {
      ...form({ ...login.fields, username: 'bob', password: 'secret-b' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    expect(verifier).toBeTruthy();
  });

  it('sends the user back with access_denied when consent is refused', async () => {
    const client = await auth.registerClient(['https://deny.example/cb']);
    const { challenge } = pkcePair();
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: client.redirectUri,
      state: 'deny-state',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const login = readForm(await (await fetch(`${auth.url}/authorize?${q}`)).text());
    const consentPage = await fetch(
      `${auth.url}/authorize`,
      form({ ...login.fields, username: 'alice', password: 'secret-a' }),
    );
    const consent = readForm(await consentPage.text());
    const res = await fetch(`${auth.url}/authorize/consent`, {
      ...form({ ...consent.fields, decision: 'deny' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('deny-state');
    expect(back.searchParams.get('code')).toBeNull();
  });
});

describe('refresh tokens', () => {
  it('rotates on every use and revokes the family when a used token comes back', async () => {
    const first = await auth.userToken({ username: 'alice', password: 'secret-a' });
    const claims = jwt.decode(first.access_token) as jwt.JwtPayload;
    const clientId = claims.client_id as string;
    const r1 = await fetch(
      `${auth.url}/token`,
      form({ grant_type: 'refresh_token', refresh_token: first.refresh_token!, client_id: clientId }),
    );
    expect(r1.status).toBe(200);
    const second = (await r1.json()) as { access_token: string; refresh_token: string; scope: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.scope).toBe(first.scope);

    const replay = await fetch(
      `${auth.url}/token`,
      form({ grant_type: 'refresh_token', refresh_token: first.refresh_token!, client_id: clientId }),
    );
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    // The replay revoked the family: the newest token is dead too.
    const after = await fetch(
      `${auth.url}/token`,
      form({ grant_type: 'refresh_token', refresh_token: second.refresh_token, client_id: clientId }),
    );
    expect(after.status).toBe(400);
    expect(await after.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('narrows scope on request but never widens it', async () => {
    const first = await auth.userToken({
      username: 'bob',
      password: 'secret-b',
      scope: 'mcp:tools conversations:read',
    });
    const clientId = (jwt.decode(first.access_token) as jwt.JwtPayload).client_id as string;
    const wider = await fetch(
      `${auth.url}/token`,
      form({
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token!,
        client_id: clientId,
        scope: 'conversations:write',
      }),
    );
    expect(wider.status).toBe(400);
    expect(await wider.json()).toMatchObject({ error: 'invalid_scope' });
    const narrower = await fetch(
      `${auth.url}/token`,
      form({
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token!,
        client_id: clientId,
        scope: 'mcp:tools',
      }),
    );
    expect(narrower.status).toBe(200);
    expect(await narrower.json()).toMatchObject({ scope: 'mcp:tools' });
  });
});

describe('token exchange (RFC 8693)', () => {
  it('gives the edge an agent-audience token for the same user, with act and no longer life', async () => {
    const user = await auth.userToken({ username: 'alice', password: 'secret-a' });
    const res = await fetch(
      `${auth.url}/token`,
      form(
        {
          grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
          subject_token: user.access_token,
          subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          resource: AGENT,
        },
        [auth.edgeClient.clientId, auth.edgeClient.clientSecret],
      ),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      scope: user.scope,
    });
    const subject = jwt.decode(user.access_token) as jwt.JwtPayload;
    const { claims } = await verifyWithJwks(body.access_token as string, AGENT);
    expect(claims).toMatchObject({
      sub: subject.sub,
      sub_type: 'user',
      username: 'alice',
      aud: AGENT,
      client_id: 'mcp-edge',
      act: { sub: 'mcp-edge' },
    });
    expect(claims.exp!).toBeLessThanOrEqual(subject.exp!);
  });

  it('accepts client_secret_post and a narrower scope', async () => {
    const user = await auth.userToken({ username: 'bob', password: 'secret-b' });
    const res = await fetch(
      `${auth.url}/token`,
      form({
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token: user.access_token,
        subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        resource: AGENT,
        scope: 'conversations:read',
        client_id: auth.edgeClient.clientId,
        client_secret: auth.edgeClient.clientSecret,
      }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ scope: 'conversations:read' });
  });

  it('refuses audiences the edge may not reach, wider scopes and public clients', async () => {
    const user = await auth.userToken({ username: 'bob', password: 'secret-b' });
    const base = {
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: user.access_token,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    };
    const edge: [string, string] = [auth.edgeClient.clientId, auth.edgeClient.clientSecret];
    const other = await fetch(
      `${auth.url}/token`,
      form({ ...base, resource: 'https://elsewhere.example' }, edge),
    );
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ error: 'invalid_target' });
    const wide = await fetch(`${auth.url}/token`, form({ ...base, resource: AGENT, scope: 'admin' }, edge));
    expect(wide.status).toBe(400);
    expect(await wide.json()).toMatchObject({ error: 'invalid_scope' });
    const pub = await auth.registerClient();
    const asPublic = await fetch(
      `${auth.url}/token`,
      form({ ...base, resource: AGENT, client_id: pub.clientId }),
    );
    expect(asPublic.status).toBe(400);
    expect(await asPublic.json()).toMatchObject({ error: 'unauthorized_client' });
    const garbage = await fetch(
      `${auth.url}/token`,
      form({ ...base, subject_token: 'not-a-token', resource: AGENT }, edge),
    );
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('client credentials', () => {
  it('issues a client token to a confidential client', async () => {
    const res = await fetch(
      `${auth.url}/token`,
      form({ grant_type: 'client_credentials', scope: 'mcp:tools' }, [
        auth.edgeClient.clientId,
        auth.edgeClient.clientSecret,
      ]),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.refresh_token).toBeUndefined();
    const { claims } = await verifyWithJwks(body.access_token as string, `${EDGE}/mcp`);
    expect(claims).toMatchObject({
      sub: 'mcp-edge',
      sub_type: 'client',
      client_id: 'mcp-edge',
      scope: 'mcp:tools',
    });
    expect(claims.username).toBeUndefined();
  });

  it('refuses a wrong secret with 401 and a Basic challenge', async () => {
    const res = await fetch(
      `${auth.url}/token`,
      form({ grant_type: 'client_credentials' }, [auth.edgeClient.clientId, 'wrong-secret-value']),
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses public clients', async () => {
    const pub = await auth.registerClient();
    const res = await fetch(
      `${auth.url}/token`,
      form({ grant_type: 'client_credentials', client_id: pub.clientId }),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'unauthorized_client' });
  });
});
