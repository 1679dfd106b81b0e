import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import {
  createClientMetadataResolver,
  type FetchedDocument,
  isClientIdUrl,
  isPrivateAddress,
} from './client-metadata.js';

const ID = 'https://client.example/oauth/metadata.json';
const doc = (over: Record<string, unknown> = {}) => ({
  client_id: ID,
  client_name: 'Example client',
  redirect_uris: ['http://127.0.0.1:3000/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  token_endpoint_auth_method: 'none',
  ...over,
});

function resolverWith(answer: (url: URL) => FetchedDocument | Promise<FetchedDocument>, now = () => 1000) {
  const calls: string[] = [];
  const resolver = createClientMetadataResolver({
    allowPrivateAddresses: false,
    now,
    fetchDocument: async (url) => {
      calls.push(url.toString());
      return answer(url);
    },
  });
  return { resolver, calls };
}

describe('client id URLs', () => {
  it.each([
    [ID, true],
    ['https://client.example', false],
    ['https://client.example/', false],
    ['http://client.example/metadata.json', false],
    ['https://client.example/a/../metadata.json', false],
    ['https://client.example/metadata.json#x', false],
    ['https://client.example/metadata.json?x=1', false],
    ['https://user@client.example/metadata.json', false],
    ['some-uuid', false],
  ])('%s → %s', (id, ok) => {
    expect(isClientIdUrl(id)).toBe(ok);
  });
});

describe('private addresses', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['::1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:10.0.0.1', true],
    ['[::1]', true],
    ['8.8.8.8', false],
    ['2606:4700:4700::1111', false],
    ['not-an-ip', true],
  ])('%s → %s', (address, priv) => {
    expect(isPrivateAddress(address)).toBe(priv);
  });
});

describe('redirect URIs in a metadata document', () => {
  it.each([['https://evil.example\\@app.example/cb'], ['https://me@app.example/cb']])(
    'refuses a document listing %s',
    async (uri) => {
      const { resolver } = resolverWith(() => ({
        status: 200,
        body: JSON.stringify(doc({ redirect_uris: [uri] })),
      }));
      expect(await resolver.resolve(ID)).toBeUndefined();
      expect(resolver.lastError(ID)).toMatch(/redirect URIs/);
    },
  );
});

describe('client metadata documents', () => {
  it('turns a valid document into a public client', async () => {
    const { resolver } = resolverWith(() => ({ status: 200, body: JSON.stringify(doc()) }));
    expect(await resolver.resolve(ID)).toMatchObject({
      clientId: ID,
      name: 'Example client',
      authMethod: 'none',
      secretHash: null,
      redirectUris: ['http://127.0.0.1:3000/callback'],
      scopes: ['mcp:tools', 'conversations:read', 'conversations:write'],
    });
  });

  it.each([
    ['a mismatched client_id', doc({ client_id: 'https://other.example/metadata.json' })],
    ['a client secret', doc({ client_secret: 'x' })],
    ['a confidential auth method', doc({ token_endpoint_auth_method: 'client_secret_basic' })],
    ['a plain-http remote redirect URI', doc({ redirect_uris: ['http://evil.example/cb'] })],
    ['no redirect URIs', doc({ redirect_uris: [] })],
    ['client credentials', doc({ grant_types: ['client_credentials'] })],
    ['an array', [doc()]],
  ])('refuses a document with %s', async (_n, body) => {
    const { resolver } = resolverWith(() => ({ status: 200, body: JSON.stringify(body) }));
    expect(await resolver.resolve(ID)).toBeUndefined();
  });

  it('refuses non-200 answers and invalid JSON', async () => {
    expect(await resolverWith(() => ({ status: 302, body: '' })).resolver.resolve(ID)).toBeUndefined();
    expect(await resolverWith(() => ({ status: 200, body: '{nope' })).resolver.resolve(ID)).toBeUndefined();
  });

  it('never fetches ids that are not HTTPS document URLs', async () => {
    const { resolver, calls } = resolverWith(() => ({ status: 200, body: JSON.stringify(doc()) }));
    expect(await resolver.resolve('http://client.example/metadata.json')).toBeUndefined();
    expect(await resolver.resolve('0b6c1c1e-6a36-4d34-8d3c-5b1a7a0e8e7e')).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('caches documents within bounds and refetches after expiry', async () => {
    let now = 1000;
    const { resolver, calls } = resolverWith(
      () => ({ status: 200, body: JSON.stringify(doc()), maxAge: 5 }),
      () => now,
    );
    await resolver.resolve(ID);
    await Promise.all([resolver.resolve(ID), resolver.resolve(ID)]);
    expect(calls).toHaveLength(1);
    now += 59; // max-age 5 is raised to the 60 s minimum
    await resolver.resolve(ID);
    expect(calls).toHaveLength(1);
    now += 2;
    await resolver.resolve(ID);
    expect(calls).toHaveLength(2);
  });

  it('the HTTPS fetch never connects to a private address outside development', async () => {
    const connections: string[] = [];
    const server = createServer((s) => {
      connections.push('x');
      s.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const strict = createClientMetadataResolver({
        allowPrivateAddresses: false,
        now: () => Date.now() / 1000,
        timeoutMs: 2000,
      });
      expect(await strict.resolve(`https://localhost:${port}/metadata.json`)).toBeUndefined();
      expect(await strict.resolve(`https://127.0.0.1:${port}/metadata.json`)).toBeUndefined();
      expect(strict.lastError(`https://127.0.0.1:${port}/metadata.json`)).toMatch(/private/);
      expect(connections).toHaveLength(0);
      // In development the same fetch does connect (and then fails the TLS handshake).
      const dev = createClientMetadataResolver({
        allowPrivateAddresses: true,
        now: () => Date.now() / 1000,
        timeoutMs: 2000,
      });
      expect(await dev.resolve(`https://127.0.0.1:${port}/metadata.json`)).toBeUndefined();
      expect(connections.length).toBeGreaterThan(0);
    } finally {
      server.close();
    }
  });
});
