import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerignored, dockerignorePatterns, parseDockerfile, type Stage } from './dockerfile';
import { APPS, ROOT } from './manifests';

/** Node.js release lines in long-term support. */
const LTS_MAJORS = [22, 24];
const final = (stages: Stage[]) => stages.at(-1)!;
const PORTS = {
  auth: ['AUTH_PORT', 4001],
  agent: ['AGENT_PORT', 4002],
  'mcp-edge': ['EDGE_PORT', 4000],
} as const;

describe.each(APPS)('the %s image', (app) => {
  const stages = () => parseDockerfile(`apps/${app}/Dockerfile`);

  it('builds every stage on one exact, supported Node.js LTS slim image', () => {
    const bases = new Set(stages().map((s) => s.from));
    expect(bases.size).toBe(1);
    const [base = ''] = [...bases];
    const m = /^node:(\d+)\.(\d+)\.(\d+)-bookworm-slim$/.exec(base);
    expect(m).not.toBeNull();
    expect(LTS_MAJORS).toContain(Number(m?.[1]));
  });

  it('prunes the workspace to this app and installs its packages before copying any source', () => {
    const prune = stages()[0]!;
    expect(
      prune.steps.some(
        (s) => s.op === 'RUN' && s.args.includes(`turbo prune @mcp-langgraph/${app} --docker`),
      ),
    ).toBe(true);
    for (const stage of stages().slice(1)) {
      const install = stage.steps.findIndex((s) => s.op === 'RUN' && /\bnpm ci\b/.test(s.args));
      if (install < 0) continue;
      const before = stage.steps.slice(0, install).filter((s) => s.op === 'COPY');
      // Only the pruned package.json files and lockfile come before the install.
      for (const c of before)
        expect([stage.name, c.args]).toEqual([stage.name, expect.stringMatching(/\/out\/json\/ \.\/$/)]);
      const after = stage.steps.slice(install + 1).filter((s) => s.op === 'COPY');
      if (stage.name === 'build') expect(after.map((c) => c.args)).toContain('--from=prune /out/full/ ./');
    }
    const deps = stages().find((s) => s.name === 'deps')!;
    expect(deps.steps.some((s) => s.op === 'RUN' && s.args.includes('npm ci --omit=dev'))).toBe(true);
  });

  it('ships only production dependencies, built output and (for the agent) the docs: no sources, no tests', () => {
    const copies = final(stages())
      .steps.filter((s) => s.op === 'COPY' || s.op === 'ADD')
      .map((s) => s.args);
    const expected = ['--from=deps /app/ ./', '--from=build /built/ ./'];
    if (app === 'agent') expected.push('docs/ /app/docs/');
    expect(copies).toEqual(expected);
    // /built is filled with dist/ folders (and the authorization model for its CLI) only.
    const build = stages().find((s) => s.name === 'build')!;
    const fill = build.steps.find((s) => s.args.includes('/built'))?.args ?? '';
    expect(fill).toMatch(/cp -R "\$d\/dist"/);
    expect(fill).not.toMatch(/\bsrc\b|test/);
  });

  it('runs as the unprivileged node user, writing only to /data and /tmp', () => {
    const steps = final(stages()).steps;
    const users = steps.filter((s) => s.op === 'USER').map((s) => s.args);
    expect(users).toEqual(['node']);
    const userAt = steps.findIndex((s) => s.op === 'USER');
    expect(steps.slice(userAt).filter((s) => s.op === 'RUN' || s.op === 'COPY')).toEqual([]);
    const env = steps
      .filter((s) => s.op === 'ENV')
      .map((s) => s.args)
      .join(' ');
    expect(env).toContain('DATA_DIR=/data');
    expect(steps).toEqual(expect.arrayContaining([{ op: 'VOLUME', args: '["/data"]' }]));
  });

  it('checks its own health with node against /healthz (no curl) and starts dist/main.js', () => {
    const steps = final(stages()).steps;
    const health = steps.find((s) => s.op === 'HEALTHCHECK')?.args ?? '';
    const [variable, port] = PORTS[app];
    expect(health).toContain(`CMD node -e "fetch('http://127.0.0.1:\${${variable}:-${port}}/healthz')`);
    expect(health).not.toMatch(/curl|wget/);
    expect(steps.filter((s) => s.op === 'WORKDIR').at(-1)?.args).toBe(`/app/apps/${app}`);
    expect(steps.find((s) => s.op === 'CMD')?.args).toBe('["node", "dist/main.js"]');
    if (app === 'agent') expect(steps.map((s) => s.args).join(' ')).toContain('AGENT_DOCS_DIR=/app/docs');
  });

  it('installs from a pruned lockfile npm ci accepts', () => {
    const out = mkdtempSync(join(tmpdir(), `prune-${app}-`));
    try {
      execFileSync(
        join(ROOT, 'node_modules', '.bin', 'turbo'),
        ['prune', `@mcp-langgraph/${app}`, '--docker', '--out-dir', out],
        {
          cwd: ROOT,
          stdio: 'pipe',
          env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
        },
      );
      // --dry-run checks package.json against the lockfile and resolves the tree without fetching.
      const log = execFileSync(
        'npm',
        ['ci', '--dry-run', '--offline', '--ignore-scripts', '--omit=dev', '--no-audit', '--no-fund'],
        { cwd: join(out, 'json'), encoding: 'utf8', stdio: 'pipe' },
      );
      expect(log).toMatch(/added \d+ packages/);
      expect(existsSync(join(out, 'json', 'apps', app, 'package.json'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('the build output the images copy', () => {
  const built = existsSync(join(ROOT, 'apps', 'auth', 'dist', 'main.js'));
  if (!built && process.env.CI === 'true') throw new Error('npm run build must run before the image checks');
  if (!built) process.stderr.write('skipping build-output checks: run `npm run build` first\n');

  it('has each entry point and admin CLI the images start', () => {
    if (!built) return;
    for (const app of APPS)
      expect([app, existsSync(join(ROOT, 'apps', app, 'dist', 'main.js'))]).toEqual([app, true]);
    for (const path of [
      'apps/auth/dist/cli.js',
      'packages/authz/dist/cli.js',
      'packages/authz/model.fga',
      'packages/authz/model.fga.yaml',
    ])
      expect([path, existsSync(join(ROOT, path))]).toEqual([path, true]);
  });

  it('holds no compiled tests', () => {
    if (!built) return;
    const tests: string[] = [];
    for (const top of ['apps', 'packages'])
      for (const pkg of readdirSync(join(ROOT, top))) {
        const dist = join(ROOT, top, pkg, 'dist');
        if (!existsSync(dist)) continue;
        for (const f of readdirSync(dist, { recursive: true }) as string[])
          if (/\.test\.js$/.test(f)) tests.push(`${top}/${pkg}/dist/${f}`);
      }
    expect(tests).toEqual([]);
  });
});

describe('.dockerignore', () => {
  const patterns = dockerignorePatterns();
  it.each([
    '.env',
    'apps/agent/.env',
    'apps/auth/.env.local',
    '.data/auth.db',
    'packages/authz/.data/tuples.db',
    'node_modules/zod/index.js',
    'apps/agent/node_modules/openai/index.js',
    'apps/agent/src/graph.test.ts',
    'packages/db/src/postgres.int.test.ts',
    'tests/e2e/chat.int.test.ts',
    'apps/mcp-edge/dist/main.js',
    '.turbo/cache/x',
    'packages/config/.turbo/turbo-build.log',
    'packages/authz/testdata/model.json',
    '.git/HEAD',
  ])('keeps %s out of the build context', (path) => {
    expect(dockerignored(patterns, path)).toBe(true);
  });
  it.each([
    'apps/agent/src/graph.ts',
    'apps/agent/package.json',
    'packages/authz/model.fga',
    'package-lock.json',
    'tsconfig.base.json',
    'turbo.json',
    'docs/security.md',
  ])('lets %s into the build context', (path) => {
    expect(dockerignored(patterns, path)).toBe(false);
  });
});
