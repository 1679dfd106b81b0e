import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentConfigSchema, authConfigSchema, edgeConfigSchema, parseConfig } from '@mcp-langgraph/config';
import { parse } from 'yaml';
import { ROOT, tool, vaultEnvNames } from './manifests';

type Service = {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | null>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
  ports?: Array<string | { published?: string | number; host_ip?: string }>;
  profiles?: string[];
  restart?: string;
  read_only?: boolean;
  cap_drop?: string[];
  volumes?: Array<string | { source?: string; target?: string }>;
};

const hasCompose = tool('docker-compose');
const file = join(ROOT, 'docker-compose.yml');

/** The compose file as docker-compose resolves it (interpolated defaults), or as written without the tool. */
let resolved: Record<string, Service> | undefined;
function services(): Record<string, Service> {
  if (resolved) return resolved;
  const text = hasCompose
    ? execFileSync('docker-compose', ['-f', file, 'config'], { encoding: 'utf8', cwd: ROOT })
    : readFileSync(file, 'utf8');
  resolved = (parse(text) as { services: Record<string, Service> }).services;
  return resolved;
}

const APPS = { auth: authConfigSchema, agent: agentConfigSchema, 'mcp-edge': edgeConfigSchema } as const;
/** Run once to completion: others wait for them with service_completed_successfully. */
const oneShot = (s: Service) => s.restart === 'no';
const mountTargets = (s: Service) =>
  (s.volumes ?? []).map((v) => (typeof v === 'string' ? (v.split(':')[1] ?? '') : (v.target ?? '')));

describe('docker-compose', () => {
  it('is a valid compose file (docker-compose config -q)', () => {
    if (!hasCompose) return;
    execFileSync('docker-compose', ['-f', file, 'config', '-q'], { stdio: 'pipe', cwd: ROOT });
  });

  it('runs the whole stack', () => {
    expect(Object.keys(services())).toEqual(
      expect.arrayContaining([
        'kong',
        'redis',
        'postgres',
        'openfga',
        'openfga-migrate',
        'auth',
        'agent',
        'mcp-edge',
        'otel-collector',
        'jaeger',
        'prometheus',
        'grafana',
        'redis-exporter',
      ]),
    );
  });

  it('pins every pulled image to an exact version, and builds each app from its own Dockerfile', () => {
    for (const [name, s] of Object.entries(services())) {
      if (s.build) {
        const dockerfile = (s.build as { dockerfile?: string }).dockerfile;
        expect([name, dockerfile]).toEqual([name, expect.stringMatching(/^apps\/[a-z-]+\/Dockerfile$/)]);
        continue;
      }
      // A full release number (PostgreSQL's are major.minor), optionally a variant (-alpine), never a
      // moving tag such as 7 or latest.
      expect([name, s.image]).toEqual([
        name,
        expect.stringMatching(/:v?\d+\.\d+(\.\d+)?(-[a-z][a-z0-9.-]*)?$/),
      ]);
    }
  });

  it('checks the health of every long-running service and starts each after what it needs', () => {
    const all = services();
    for (const [name, s] of Object.entries(all)) {
      if (!oneShot(s)) expect([name, !!s.healthcheck?.test && !s.healthcheck.disable]).toEqual([name, true]);
      const deps = s.depends_on ?? {};
      expect([name, Array.isArray(deps)]).toEqual([name, false]);
      for (const [dep, { condition }] of Object.entries(deps as Record<string, { condition?: string }>)) {
        const target = all[dep];
        expect([name, dep, target !== undefined]).toEqual([name, dep, true]);
        expect([name, dep, condition]).toEqual([
          name,
          dep,
          target && oneShot(target) ? 'service_completed_successfully' : 'service_healthy',
        ]);
      }
    }
  });

  it('publishes only Kong’s proxy port; the UIs listen on loopback only', () => {
    for (const [name, s] of Object.entries(services()))
      for (const p of s.ports ?? []) {
        const hostIp =
          typeof p === 'string' ? (p.split(':').length === 3 ? p.split(':')[0] : '') : (p.host_ip ?? '');
        const published = typeof p === 'string' ? p.split(':').at(-2) : String(p.published);
        if (name === 'kong') expect(published).toBe('8000');
        else expect([name, hostIp]).toEqual([name, '127.0.0.1']);
      }
  });

  it('runs the services and Kong read-only without capabilities', () => {
    for (const name of ['auth', 'agent', 'mcp-edge', 'kong']) {
      const s = services()[name]!;
      expect([name, s.read_only, s.cap_drop]).toEqual([name, true, ['ALL']]);
    }
  });

  it('gives each service a configuration its own schema accepts, and no other service’s secrets', () => {
    for (const [app, schema] of Object.entries(APPS)) {
      const env = Object.fromEntries(
        Object.entries(services()[app]?.environment ?? {}).map(([k, v]) => [k, v ?? undefined]),
      );
      expect(() => parseConfig(schema, env)).not.toThrow();
      expect(env.AUTH_SIGNING_KEYS).toBeUndefined();
      if (app !== 'auth')
        expect(Object.keys(env)).not.toContain(
          app === 'agent' ? 'EDGE_CLIENT_SECRET' : 'AGENT_CLIENT_SECRET',
        );
      if (app !== 'agent') expect(Object.keys(env).filter((k) => /_API_KEY$/.test(k))).toEqual([]);
    }
  });

  it('gives Kong every variable kong.yml reads through {vault://env/...}', () => {
    const env = services().kong?.environment ?? {};
    for (const v of vaultEnvNames()) expect([v, v in env]).toEqual([v, true]);
  });

  it('scrapes every ops port and Kong’s metrics with the Prometheus configuration it mounts', () => {
    const prometheus = services().prometheus!;
    expect(mountTargets(prometheus)).toContain('/etc/prometheus');
    const config = parse(readFileSync(join(ROOT, 'infra', 'prometheus', 'prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{ static_configs?: Array<{ targets: string[] }> }>;
    };
    const targets = config.scrape_configs.flatMap((c) => (c.static_configs ?? []).flatMap((s) => s.targets));
    expect(targets).toEqual(
      expect.arrayContaining(['auth:9464', 'agent:9464', 'mcp-edge:9464', 'kong:8100']),
    );
    for (const app of Object.keys(APPS)) expect(services()[app]?.environment?.OPS_PORT).toBe('9464');
  });

  it('provisions Grafana from infra/grafana, with every dashboard folder mounted', () => {
    const grafana = services().grafana!;
    const mounted = mountTargets(grafana);
    expect(mounted).toContain('/etc/grafana/provisioning');
    const dir = join(ROOT, 'infra', 'grafana', 'provisioning', 'dashboards');
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
      const providers = (
        parse(readFileSync(join(dir, f), 'utf8')) as { providers?: Array<{ options?: { path?: string } }> }
      ).providers;
      for (const p of providers ?? []) {
        const path = p.options?.path ?? '';
        expect([f, mounted.some((m) => path === m || path.startsWith(`${m}/`))]).toEqual([f, true]);
      }
    }
  });
});
