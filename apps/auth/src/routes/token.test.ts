import { basicAuth } from '@mcp-langgraph/testing';
import { useAuthServer } from '../testing/setup.js';

const { auth, edge, token } = useAuthServer({ users: { alice: 'secret-a' }, consent: false });

/** A body the form helpers would not send: malformed, repeated fields, another content type. */
const raw = (contentType: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${auth().url}/token`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body,
  });

describe('/token bad input', () => {
  it.each([
    ['no body', {}, 'invalid_request'],
    ['unknown grant', { grant_type: 'password', username: 'a', password: 'b' }, 'unsupported_grant_type'],
    ['implicit', { grant_type: 'implicit' }, 'unsupported_grant_type'],
  ])('%s → %s', async (_n, body, error) => {
    const res = await token(body as Record<string, string>, edge());
    expect(res.status).toBe(400);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ error });
  });

  it('answers JSON errors for malformed JSON and wrong content types', async () => {
    const bad = await raw('application/json', '{"grant_type":');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error?: string }).error).toBeDefined();
    const text = await raw('text/plain', 'x');
    expect(text.status).toBe(400);
    expect(await text.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('checks grant_type before the client: a repeated or overlong one is named', async () => {
    const repeated = await raw(
      'application/x-www-form-urlencoded',
      'grant_type=client_credentials&grant_type=refresh_token',
    );
    expect(repeated.status).toBe(400);
    expect(await repeated.json()).toMatchObject({
      error: 'invalid_request',
      error_description: 'grant_type must be given once, as a string',
    });
    const long = await token({ grant_type: 'x'.repeat(201) });
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({
      error: 'invalid_request',
      error_description: 'grant_type is too long',
    });
  });

  it("checks a grant's own parameters once the client is known", async () => {
    const unknownClient = await token({ grant_type: 'refresh_token', client_id: 'nobody' });
    expect(unknownClient.status).toBe(401);
    const missing = await token({ grant_type: 'refresh_token' }, edge());
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      error: 'invalid_request',
      error_description: 'refresh_token is required',
    });
    const json = await raw(
      'application/json',
      JSON.stringify({ grant_type: 'client_credentials', scope: ['mcp:tools'] }),
      { authorization: basicAuth(edge().id, edge().secret) },
    );
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({
      error: 'invalid_request',
      error_description: 'scope must be given once, as a string',
    });
  });
});
