import { randomUUID } from 'node:crypto';
import type { Authorizer, TupleKey } from './authorizer.js';
import { seedTuples, toolGrants } from './seed.js';

/**
 * The behaviour every `Authorizer` must show over the project's model (`model.fga`). Run it against each
 * engine: `authorizerContract('embedded on SQLite', () => createAuthorizer({ sqlitePath: ':memory:' }))`.
 * `make` is called before each test and the authorizer is closed after it. Ids are random per test, so
 * engines sharing one store between tests are fine.
 */
export function authorizerContract(name: string, make: () => Promise<Authorizer>): void {
  describe(`Authorizer contract: ${name}`, () => {
    let authz: Authorizer;
    let id: (type: string) => string;

    beforeEach(async () => {
      authz = await make();
      const run = randomUUID().slice(0, 8);
      id = (type) => `${type}:${run}-${randomUUID().slice(0, 8)}`;
    });

    afterEach(async () => {
      await authz.close();
    });

    const check = (user: string, relation: string, object: string, contextualTuples: TupleKey[] = []) =>
      authz.check({ user, relation, object, contextualTuples });

    it('answers ping when the store is reachable', async () => {
      await expect(authz.ping()).resolves.toBeUndefined();
    });

    it('lets a conversation owner edit and view it, and nobody else', async () => {
      const [alice, bob, conversation] = [id('user'), id('user'), id('conversation')];
      await authz.write([{ user: alice, relation: 'owner', object: conversation }]);
      expect(await check(alice, 'owner', conversation)).toBe(true);
      expect(await check(alice, 'editor', conversation)).toBe(true);
      expect(await check(alice, 'viewer', conversation)).toBe(true);
      expect(await check(bob, 'viewer', conversation)).toBe(false);
      expect(await check(alice, 'viewer', id('conversation'))).toBe(false);
    });

    it('gives an editor view but not ownership, and a viewer nothing more', async () => {
      const [editor, viewer, conversation] = [id('user'), id('user'), id('conversation')];
      await authz.write([
        { user: editor, relation: 'editor', object: conversation },
        { user: viewer, relation: 'viewer', object: conversation },
      ]);
      expect(await check(editor, 'viewer', conversation)).toBe(true);
      expect(await check(editor, 'owner', conversation)).toBe(false);
      expect(await check(viewer, 'viewer', conversation)).toBe(true);
      expect(await check(viewer, 'editor', conversation)).toBe(false);
    });

    it('treats clients as subjects of their own', async () => {
      const [client, conversation] = [id('client'), id('conversation')];
      await authz.write([{ user: client, relation: 'owner', object: conversation }]);
      expect(await check(client, 'editor', conversation)).toBe(true);
      expect(await check(`user:${client.split(':')[1]}`, 'editor', conversation)).toBe(false);
    });

    it("lets an organization's members and admins execute its tools", async () => {
      const [member, admin, outsider, org, tool] = [
        id('user'),
        id('user'),
        id('user'),
        id('organization'),
        id('tool'),
      ];
      await authz.write([
        { user: org, relation: 'organization', object: tool },
        { user: member, relation: 'member', object: org },
        { user: admin, relation: 'admin', object: org },
      ]);
      expect(await check(member, 'executor', tool)).toBe(true);
      expect(await check(admin, 'executor', tool)).toBe(true);
      expect(await check(admin, 'member', org)).toBe(true);
      expect(await check(member, 'admin', org)).toBe(false);
      expect(await check(outsider, 'executor', tool)).toBe(false);
    });

    it('lets a tool owner and directly granted users and clients execute it', async () => {
      const [owner, user, client, tool] = [id('user'), id('user'), id('client'), id('tool')];
      await authz.write([
        { user: owner, relation: 'owner', object: tool },
        { user, relation: 'executor', object: tool },
        { user: client, relation: 'executor', object: tool },
      ]);
      expect(await check(owner, 'executor', tool)).toBe(true);
      expect(await check(user, 'executor', tool)).toBe(true);
      expect(await check(client, 'executor', tool)).toBe(true);
      expect(await check(id('client'), 'executor', tool)).toBe(false);
    });

    it('opens a tool to every user with user:*, but not to clients', async () => {
      const tool = id('tool');
      await authz.write([{ user: 'user:*', relation: 'executor', object: tool }]);
      expect(await check(id('user'), 'executor', tool)).toBe(true);
      expect(await check(id('client'), 'executor', tool)).toBe(false);
      expect(await check(id('user'), 'owner', tool)).toBe(false);
    });

    it('writes the seed tuples idempotently so that any user can call the built-in tools', async () => {
      const tools = ['chat', 'get_conversation'];
      await seedTuples(authz, tools);
      await seedTuples(authz, tools);
      for (const tuple of toolGrants(tools))
        expect(await check(id('user'), 'executor', tuple.object)).toBe(true);
      expect(await check(id('user'), 'executor', 'tool:not-seeded')).toBe(false);
    });

    it('shares a conversation with every member of an organization', async () => {
      const [member, outsider, org, conversation] = [
        id('user'),
        id('user'),
        id('organization'),
        id('conversation'),
      ];
      await authz.write([
        { user: `${org}#member`, relation: 'viewer', object: conversation },
        { user: member, relation: 'member', object: org },
      ]);
      expect(await check(member, 'viewer', conversation)).toBe(true);
      expect(await check(member, 'editor', conversation)).toBe(false);
      expect(await check(outsider, 'viewer', conversation)).toBe(false);
    });

    it('forgets deleted tuples, and ignores deleting missing ones and rewriting existing ones', async () => {
      const [alice, conversation] = [id('user'), id('conversation')];
      const tuple = { user: alice, relation: 'owner', object: conversation };
      await authz.write([tuple]);
      await authz.write([tuple]);
      expect(await check(alice, 'viewer', conversation)).toBe(true);
      await authz.write([], [tuple]);
      expect(await check(alice, 'viewer', conversation)).toBe(false);
      await expect(authz.write([], [tuple])).resolves.toBeUndefined();
    });

    it('replaces one tuple by another in a single write', async () => {
      const [alice, bob, conversation] = [id('user'), id('user'), id('conversation')];
      await authz.write([{ user: alice, relation: 'owner', object: conversation }]);
      await authz.write(
        [{ user: bob, relation: 'owner', object: conversation }],
        [{ user: alice, relation: 'owner', object: conversation }],
      );
      expect(await check(alice, 'owner', conversation)).toBe(false);
      expect(await check(bob, 'owner', conversation)).toBe(true);
    });

    it('rejects tuples the model does not allow, and writes nothing of a rejected batch', async () => {
      const [alice, conversation] = [id('user'), id('conversation')];
      const ok = { user: alice, relation: 'owner', object: conversation };
      await expect(
        authz.write([ok, { user: id('tool'), relation: 'owner', object: conversation }]),
      ).rejects.toThrow();
      await expect(
        authz.write([{ user: alice, relation: 'reader', object: conversation }]),
      ).rejects.toThrow();
      await expect(
        authz.write([{ user: 'client:*', relation: 'executor', object: id('tool') }]),
      ).rejects.toThrow();
      await expect(authz.write([{ user: alice, relation: 'owner', object: 'nothing:1' }])).rejects.toThrow();
      expect(await check(alice, 'owner', conversation)).toBe(false);
    });

    it('rejects checks it cannot answer instead of denying silently', async () => {
      await expect(check(id('user'), 'viewer', 'nothing:1')).rejects.toThrow();
      await expect(check(id('user'), 'reader', id('conversation'))).rejects.toThrow();
      await expect(check('not a user', 'viewer', id('conversation'))).rejects.toThrow();
    });

    it('honours contextual tuples for one request without storing them', async () => {
      const [alice, conversation] = [id('user'), id('conversation')];
      const contextual = [{ user: alice, relation: 'owner', object: conversation }];
      expect(await check(alice, 'editor', conversation, contextual)).toBe(true);
      expect(await check(alice, 'editor', conversation)).toBe(false);
      await expect(
        check(alice, 'editor', conversation, [{ user: id('tool'), relation: 'owner', object: conversation }]),
      ).rejects.toThrow();
    });

    it('lists the conversations a user can view, however the access was granted', async () => {
      const [alice, bob, org] = [id('user'), id('user'), id('organization')];
      const [owned, edited, shared, other, contextual] = [1, 2, 3, 4, 5].map(() => id('conversation'));
      await authz.write([
        { user: alice, relation: 'owner', object: owned! },
        { user: alice, relation: 'editor', object: edited! },
        { user: `${org}#member`, relation: 'viewer', object: shared! },
        { user: alice, relation: 'member', object: org },
        { user: bob, relation: 'owner', object: other! },
      ]);
      const list = (user: string, relation: string, contextualTuples: TupleKey[] = []) =>
        authz.listObjects({ user, relation, type: 'conversation', contextualTuples }).then((l) => l.sort());
      expect(await list(alice, 'viewer')).toEqual([owned, edited, shared].sort());
      expect(await list(alice, 'editor')).toEqual([owned, edited].sort());
      expect(await list(alice, 'owner')).toEqual([owned]);
      expect(await list(bob, 'viewer')).toEqual([other]);
      expect(await list(id('user'), 'viewer')).toEqual([]);
      expect(await list(alice, 'owner', [{ user: alice, relation: 'owner', object: contextual! }])).toEqual(
        [owned, contextual].sort(),
      );
    });

    it('lists tools a user may execute through an organization', async () => {
      const [alice, org, tool, otherTool] = [id('user'), id('organization'), id('tool'), id('tool')];
      await authz.write([
        { user: org, relation: 'organization', object: tool },
        { user: alice, relation: 'admin', object: org },
        { user: id('user'), relation: 'owner', object: otherTool },
      ]);
      const tools = await authz.listObjects({ user: alice, relation: 'executor', type: 'tool' });
      expect(tools).toContain(tool);
      expect(tools).not.toContain(otherTool);
    });
  });
}
