import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const tsx = join(dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');
const cli = join(__dirname, 'cli.ts');

describe('authz grant, revoke and check', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'authz-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [tsx, '--conditions=development', cli, ...args], {
      env: { ...process.env, DATA_DIR: dataDir, INIT_CWD: dataDir, DATABASE_URL: '', AUTHZ_DATABASE_URL: '' },
      encoding: 'utf8',
    });
    return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
  };

  it('grants a downstream tool to one user, checks it, and revokes it', () => {
    expect(run('grant', 'user:alice', 'executor', 'tool:files/read')).toMatchObject({
      code: 0,
      out: 'granted: user:alice executor tool:files/read',
    });
    expect(run('check', 'user:alice', 'executor', 'tool:files/read')).toMatchObject({
      code: 0,
      out: 'allowed',
    });
    expect(run('check', 'user:bob', 'executor', 'tool:files/read')).toMatchObject({ code: 1, out: 'denied' });
    expect(run('revoke', 'user:alice', 'executor', 'tool:files/read').code).toBe(0);
    expect(run('check', 'user:alice', 'executor', 'tool:files/read')).toMatchObject({
      code: 1,
      out: 'denied',
    });
  });

  it('refuses malformed tuples and relations the model does not define, saying why', () => {
    const bare = run('grant', 'alice', 'executor', 'tool:x');
    expect(bare.code).toBe(2);
    expect(bare.err).toContain('type:id');
    const unknown = run('grant', 'user:alice', 'nonsense', 'tool:x');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("relation 'nonsense' is not defined on 'tool'");
  });
});
