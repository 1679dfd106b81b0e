import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runModelTestFile } from './model-test.js';

const PACKAGE = join(__dirname, '..');

describe('model tests (fga model test format)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'authz-model-test-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes every assertion of the project model file', async () => {
    const report = await runModelTestFile(join(PACKAGE, 'model.fga.yaml'));
    expect(report.failures).toEqual([]);
    expect(report.passed).toBeGreaterThanOrEqual(40);
    expect(report.skipped).toBe(0);
  });

  it('reads model and tuple files relative to the test file and reports wrong expectations', async () => {
    writeFileSync(
      join(dir, 'm.fga'),
      'model\n  schema 1.1\ntype user\ntype doc\n  relations\n    define viewer: [user]\n',
    );
    writeFileSync(
      join(dir, 't.csv'),
      'user_type,user_id,user_relation,relation,object_type,object_id\nuser,ann,,viewer,doc,1\n',
    );
    writeFileSync(join(dir, 't.yaml'), '- user: user:bob\n  relation: viewer\n  object: doc:2\n');
    writeFileSync(
      join(dir, 'store.fga.yaml'),
      [
        'model_file: ./m.fga',
        'tuple_files: [./t.csv, ./t.yaml]',
        'tests:',
        '  - name: docs',
        '    check:',
        '      - user: user:ann',
        '        object: doc:1',
        '        assertions: {viewer: true}',
        '      - user: user:bob',
        '        object: doc:1',
        '        assertions: {viewer: true}',
        '    list_objects:',
        '      - user: user:bob',
        '        type: doc',
        '        assertions: {viewer: [doc:2]}',
      ].join('\n'),
    );
    const report = await runModelTestFile(join(dir, 'store.fga.yaml'));
    expect(report.passed).toBe(2);
    expect(report.failed).toBe(1);
    expect(report.failures[0]).toMatch(/doc:1#viewer@user:bob: expected true, got false/);
  });

  it('skips assertions that need conditions, saying why', async () => {
    writeFileSync(
      join(dir, 'c.fga.yaml'),
      [
        'model: |',
        '  model',
        '    schema 1.1',
        '  type user',
        '  type doc',
        '    relations',
        '      define viewer: [user]',
        'tests:',
        '  - check:',
        '      - user: user:ann',
        '        object: doc:1',
        '        context: {now: "2024-01-01T00:00:00Z"}',
        '        assertions: {viewer: false}',
      ].join('\n'),
    );
    const report = await runModelTestFile(join(dir, 'c.fga.yaml'));
    expect(report).toMatchObject({ passed: 0, failed: 0, skipped: 1 });
    expect(report.skips[0]).toMatch(/CEL/);
  });

  it('runs from the command line and exits non-zero on a failure', () => {
    writeFileSync(
      join(dir, 'bad.fga.yaml'),
      [
        `model_file: ${join(PACKAGE, 'model.fga')}`,
        'tests:',
        '  - check:',
        '      - user: user:ann',
        '        object: conversation:1',
        '        assertions: {viewer: true, owner: false}',
      ].join('\n'),
    );
    const run = (file: string) =>
      spawnSync(
        process.execPath,
        [require.resolve('tsx/cli'), '--conditions=development', 'src/cli.ts', 'test', file],
        {
          cwd: PACKAGE,
          env: { ...process.env, INIT_CWD: dir },
          encoding: 'utf8',
        },
      );
    const bad = run('bad.fga.yaml');
    expect(bad.stdout).toContain('1 passed, 1 failed');
    expect(bad.status).toBe(1);
    const good = run(join(PACKAGE, 'model.fga.yaml'));
    expect(good.stdout).toMatch(/\d+ passed, 0 failed/);
    expect(good.status).toBe(0);
  });
});
