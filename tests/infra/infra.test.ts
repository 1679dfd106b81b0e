import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');

/** Runs a validation tool; a missing tool fails under CI=true and is reported as skipped elsewhere. */
function tool(name: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
  if (!found && process.env.CI === 'true')
    throw new Error(`${name} is not installed; .ci/run must install it`);
  if (!found) process.stderr.write(`skipping ${name} validation: ${name} is not installed\n`);
  return found;
}

type Plugin = { name: string; config?: Record<string, unknown> };
type Route = { name: string; paths?: string[]; plugins?: Plugin[] };
type KongService = { name: string; url: string; routes?: Route[]; plugins?: Plugin[] };
const kong = parse(readFileSync(join(ROOT, 'kong', 'kong.yml'), 'utf8')) as {
  services: KongService[];
  plugins: Plugin[];
};

describe('Kong gateway configuration', () => {
  it('enforces a global, Redis-backed, fail-closed rate limit', () => {
    const rl = kong.plugins.find((p) => p.name === 'rate-limiting');
    expect(rl).toBeDefined();
    expect(rl?.config).toMatchObject({ policy: 'redis', fault_tolerant: false });
    expect(kong.plugins.map((p) => p.name)).toEqual(
      expect.arrayContaining(['request-size-limiting', 'correlation-id', 'prometheus']),
    );
  });

  it('limits the login and token endpoints more tightly than the global limit', () => {
    const global = kong.plugins.find((p) => p.name === 'rate-limiting')?.config?.minute as number;
    const routes = kong.services.flatMap((s) => s.routes ?? []);
    for (const name of ['auth-login', 'auth-token']) {
      const limit = routes.find((r) => r.name === name)?.plugins?.find((p) => p.name === 'rate-limiting');
      expect(limit?.config?.minute).toBeLessThan(global);
      expect(limit?.config?.policy).toBe('redis');
    }
  });

  it('routes the MCP endpoint and OAuth endpoints but never the agent', () => {
    const paths = kong.services.flatMap((s) => (s.routes ?? []).flatMap((r) => r.paths ?? []));
    expect(paths).toEqual(
      expect.arrayContaining([
        '/mcp',
        '/.well-known/oauth-protected-resource',
        '/authorize',
        '/token',
        '/register',
      ]),
    );
    expect(kong.services.map((s) => s.url).join(' ')).not.toMatch(/agent/);
  });

  it('is a valid declarative file for decK', () => {
    if (!tool('deck')) return;
    const out = spawnSync('deck', ['validate', '-s', join(ROOT, 'kong', 'kong.yml')], { encoding: 'utf8' });
    expect(`${out.stdout}${out.stderr}`).not.toMatch(/error/i);
    expect(out.status).toBe(0);
  });
});

// docker-compose: compose.test.ts; Kubernetes: kubernetes*.test.ts; images: images.test.ts.

describe('Prometheus alerts', () => {
  it('load and pass their rule unit tests', () => {
    if (!tool('promtool')) return;
    const dir = join(ROOT, 'infra', 'prometheus');
    execFileSync('promtool', ['check', 'rules', join(dir, 'alerts.yml')], { stdio: 'pipe' });
    const out = spawnSync('promtool', ['test', 'rules', join(dir, 'alerts.test.yml')], {
      encoding: 'utf8',
      cwd: dir,
    });
    expect(`${out.stdout}${out.stderr}`).toContain('SUCCESS');
    expect(out.status).toBe(0);
  });

  it('use only metrics the services emit', () => {
    const rules = readFileSync(join(ROOT, 'infra', 'prometheus', 'alerts.yml'), 'utf8');
    const emitted = [
      'up',
      'http_requests_total',
      'http_request_duration_seconds_bucket',
      'auth_failures_total',
      'authz_failures_total',
      'agent_runs_total',
    ];
    const used = new Set(
      [...rules.matchAll(/\b([a-z_]+)(?:\{|\[)/g)]
        .map((m) => m[1])
        .filter((n) => n?.includes('_') || n === 'up'),
    );
    const src = ['apps', 'packages']
      .map((d) =>
        execFileSync('grep', ['-rhoE', "name: '[a-z_]+'", join(ROOT, d), '--include=*.ts'], {
          encoding: 'utf8',
        }),
      )
      .join('');
    for (const metric of used) {
      if (metric === 'up') continue;
      expect(emitted).toContain(metric);
      expect(src).toContain(`name: '${metric!.replace(/_bucket$/, '')}'`);
    }
  });
});
