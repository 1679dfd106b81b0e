import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestSchema, describeWithPostgres, TEST_DATABASE_URL } from '@mcp-langgraph/db/testing';
import { authorizerContract } from './contract.js';
import { createAuthorizer, createEmbeddedAuthorizer } from './factory.js';
import { PROJECT_MODEL } from './model.js';

authorizerContract('embedded engine on SQLite', () => createAuthorizer({ sqlitePath: ':memory:' }));

describeWithPostgres('embedded engine on PostgreSQL', () => {
  let schema: { schema: string; drop(): Promise<void> };
  beforeAll(async () => {
    schema = await createTestSchema();
  });
  afterAll(async () => {
    await schema.drop();
  });
  authorizerContract('embedded engine on PostgreSQL', () =>
    createAuthorizer({ databaseUrl: TEST_DATABASE_URL, schema: schema.schema }),
  );
});

describe('embedded engine', () => {
  it('ships the model in model.fga', () => {
    expect(PROJECT_MODEL).toBe(readFileSync(join(__dirname, '..', 'model.fga'), 'utf8'));
  });

  it('shares one SQLite file between processes: a write by one is seen by the other at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authz-'));
    const path = join(dir, 'authz.sqlite');
    const edge = await createEmbeddedAuthorizer({ sqlitePath: path });
    const agent = await createEmbeddedAuthorizer({ sqlitePath: path });
    try {
      const tuple = { user: 'user:alice', relation: 'owner', object: 'conversation:c1' };
      expect(await edge.check({ ...tuple, relation: 'viewer' })).toBe(false);
      await agent.write([tuple]);
      expect(await edge.check({ ...tuple, relation: 'viewer' })).toBe(true);
      await Promise.all([edge.write([tuple]), agent.write([tuple])]);
      expect(await edge.readTuples({ object: 'conversation:c1' })).toEqual([tuple]);
      await edge.write([], [tuple]);
      expect(await agent.check(tuple)).toBe(false);
    } finally {
      await edge.close();
      await agent.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an invalid model with the parser message', async () => {
    await expect(
      createEmbeddedAuthorizer({
        model: 'model\n  schema 1.1\ntype doc\n  relations\n    define viewer: nope\n',
      }),
    ).rejects.toThrow(/invalid authorization model/);
  });

  it('throws instead of answering when a resolution is too deep', async () => {
    const relations = Array.from({ length: 30 }, (_, i) =>
      i === 0 ? '    define r0: [user]' : `    define r${i}: [doc#r${i - 1}]`,
    ).join('\n');
    const authz = await createEmbeddedAuthorizer({
      model: `model\n  schema 1.1\ntype user\ntype doc\n  relations\n${relations}\n`,
    });
    try {
      const tuples = Array.from({ length: 29 }, (_, i) => ({
        user: `doc:1#r${i}`,
        relation: `r${i + 1}`,
        object: 'doc:1',
      }));
      await authz.write([{ user: 'user:a', relation: 'r0', object: 'doc:1' }, ...tuples]);
      expect(await authz.check({ user: 'user:a', relation: 'r10', object: 'doc:1' })).toBe(true);
      await expect(authz.check({ user: 'user:a', relation: 'r29', object: 'doc:1' })).rejects.toMatchObject({
        code: 'resolution_too_complex',
      });
    } finally {
      await authz.close();
    }
  });

  it('answers false, not forever, when tuples form a cycle', async () => {
    const authz = await createEmbeddedAuthorizer({
      model:
        'model\n  schema 1.1\ntype user\ntype group\n  relations\n    define member: [user, group#member]\n',
    });
    try {
      await authz.write([
        { user: 'group:a#member', relation: 'member', object: 'group:b' },
        { user: 'group:b#member', relation: 'member', object: 'group:a' },
        { user: 'user:x', relation: 'member', object: 'group:a' },
      ]);
      expect(await authz.check({ user: 'user:x', relation: 'member', object: 'group:b' })).toBe(true);
      expect(await authz.check({ user: 'user:y', relation: 'member', object: 'group:b' })).toBe(false);
      expect((await authz.listObjects({ user: 'user:x', relation: 'member', type: 'group' })).sort()).toEqual(
        ['group:a', 'group:b'],
      );
    } finally {
      await authz.close();
    }
  });
});
