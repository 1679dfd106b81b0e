import { bootstrapOpenFga } from './bootstrap.js';
import { authorizerContract } from './contract.js';
import { AuthzError } from './errors.js';
import { OpenFgaAuthorizer } from './openfga.js';
import { type FakeOpenFga, startFakeOpenFga } from './testing/fake-openfga.js';

let fake: FakeOpenFga;
let ids: { storeId: string; modelId: string };

beforeAll(async () => {
  fake = await startFakeOpenFga();
  ids = await bootstrapOpenFga({ apiUrl: fake.url });
});

afterAll(async () => {
  await fake.close();
});

authorizerContract(
  'OpenFGA engine through @openfga/sdk',
  async () => new OpenFgaAuthorizer({ apiUrl: fake.url, ...ids }),
);

describe('OpenFGA engine', () => {
  it('bootstraps idempotently: same store, same model, seed tuples once', async () => {
    const again = await bootstrapOpenFga({ apiUrl: fake.url });
    expect(again).toEqual({ ...ids, storeCreated: false, modelWritten: false });
    const byId = await bootstrapOpenFga({ apiUrl: fake.url, storeId: ids.storeId });
    expect(byId.modelId).toBe(ids.modelId);
    const authz = new OpenFgaAuthorizer({ apiUrl: fake.url, ...ids });
    const seeded = await authz.readTuples({ object: 'tool:chat' });
    expect(seeded).toEqual([{ user: 'user:*', relation: 'executor', object: 'tool:chat' }]);
  });

  it('writes a new model version when the model changed', async () => {
    const changed = await bootstrapOpenFga({
      apiUrl: fake.url,
      storeName: 'other',
      model: 'model\n  schema 1.1\ntype user\ntype tool\n  relations\n    define executor: [user, user:*]\n',
    });
    expect(changed.storeCreated).toBe(true);
    expect(changed.storeId).not.toBe(ids.storeId);
    const next = await bootstrapOpenFga({ apiUrl: fake.url, storeId: changed.storeId });
    expect(next.modelWritten).toBe(true);
    expect(next.modelId).not.toBe(changed.modelId);
  });

  it('answers batch checks in request order through the batch-check API', async () => {
    const authz = new OpenFgaAuthorizer({ apiUrl: fake.url, ...ids });
    await authz.write([{ user: 'user:batch', relation: 'owner', object: 'conversation:batch' }]);
    const answers = await authz.batchCheck([
      { user: 'user:batch', relation: 'viewer', object: 'conversation:batch' },
      { user: 'user:other', relation: 'viewer', object: 'conversation:batch' },
      { user: 'user:any', relation: 'executor', object: 'tool:chat' },
    ]);
    expect(answers).toEqual([true, false, true]);
    expect(fake.requests).toContain(`POST /stores/${ids.storeId}/batch-check`);
  });

  it('lists users through the list-users API, including wildcards and usersets', async () => {
    const authz = new OpenFgaAuthorizer({ apiUrl: fake.url, ...ids });
    await authz.write([
      { user: 'user:lu-owner', relation: 'owner', object: 'conversation:lu' },
      { user: 'organization:lu#member', relation: 'viewer', object: 'conversation:lu' },
    ]);
    const users = await authz.listUsers({
      object: 'conversation:lu',
      relation: 'viewer',
      userFilters: [{ type: 'user' }],
      contextualTuples: [{ user: 'user:lu-guest', relation: 'viewer', object: 'conversation:lu' }],
    });
    expect(users.sort()).toEqual(['user:lu-guest', 'user:lu-owner']);
    const groups = await authz.listUsers({
      object: 'conversation:lu',
      relation: 'viewer',
      userFilters: [{ type: 'organization', relation: 'member' }],
    });
    expect(groups).toEqual(['organization:lu#member']);
    expect(
      await authz.listUsers({ object: 'tool:chat', relation: 'executor', userFilters: [{ type: 'user' }] }),
    ).toEqual(['user:*']);
  });

  it('fails closed with an unavailable error when the server cannot be reached', async () => {
    const down = await startFakeOpenFga();
    const url = down.url;
    await down.close();
    const authz = new OpenFgaAuthorizer({ apiUrl: url, ...ids, maxRetries: 0 });
    const attempt = authz.check({ user: 'user:a', relation: 'executor', object: 'tool:chat' });
    await expect(attempt).rejects.toBeInstanceOf(AuthzError);
    await expect(
      authz.check({ user: 'user:a', relation: 'executor', object: 'tool:chat' }),
    ).rejects.toMatchObject({
      code: 'unavailable',
    });
    await expect(authz.ping()).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('reports model violations as the caller error they are', async () => {
    const authz = new OpenFgaAuthorizer({ apiUrl: fake.url, ...ids });
    await expect(
      authz.write([{ user: 'tool:x', relation: 'owner', object: 'conversation:1' }]),
    ).rejects.toMatchObject({
      code: 'invalid_tuple',
    });
  });
});
