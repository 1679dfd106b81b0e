import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { baseName, codeMetrics, EXTERNAL_METRICS, metricNames } from './emitted-metrics.js';

const ROOT = join(__dirname, '..', '..');
const GRAFANA = join(ROOT, 'infra', 'grafana');
const DASHBOARDS = join(GRAFANA, 'dashboards');

type Target = { expr?: string; datasource?: { uid?: string } };
type Panel = {
  id: number;
  type: string;
  title: string;
  datasource?: { uid?: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Target[];
};
type Dashboard = { uid: string; title: string; tags: string[]; panels: Panel[] };

const files = readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json'));
const dashboards = files.map((f) => ({
  file: f,
  json: JSON.parse(readFileSync(join(DASHBOARDS, f), 'utf8')) as Dashboard,
}));
const datasources = (
  parse(readFileSync(join(GRAFANA, 'provisioning', 'datasources', 'datasources.yml'), 'utf8')) as {
    datasources: Array<{ uid: string; type: string; url: string }>;
  }
).datasources;

/** prom-client's default metrics (process and Node.js), registered by `collectDefaultMetrics`. */
function promClientDefault(name: string): boolean {
  const dir = join(ROOT, 'node_modules', 'prom-client', 'lib', 'metrics');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .some((f) => readFileSync(join(dir, f), 'utf8').includes(`'${name}'`));
}

describe('Grafana (infra/grafana)', () => {
  it('provisions Prometheus and Jaeger, reached by their compose service names', () => {
    expect(datasources.map((d) => [d.type, d.uid, d.url])).toEqual([
      ['prometheus', 'prometheus', 'http://prometheus:9090'],
      ['jaeger', 'jaeger', 'http://jaeger:16686'],
    ]);
  });

  it('loads the dashboards from where docker-compose mounts them', () => {
    const provider = parse(
      readFileSync(join(GRAFANA, 'provisioning', 'dashboards', 'dashboards.yml'), 'utf8'),
    ) as {
      providers: Array<{ type: string; options: { path: string } }>;
    };
    const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
      services: { grafana: { volumes: string[] } };
    };
    const mount = compose.services.grafana.volumes.find((v) => v.startsWith('./infra/grafana/dashboards:'));
    expect(mount?.split(':')[1]).toBe(provider.providers[0]?.options.path);
    expect(compose.services.grafana.volumes).toContainEqual(
      expect.stringMatching(/^\.\/infra\/grafana\/provisioning:\/etc\/grafana\/provisioning/),
    );
  });

  it('has a dashboard each for auth, the edge, the agent and Kong, with unique uids and titles', () => {
    expect(files.sort()).toEqual(['agent.json', 'auth.json', 'kong.json', 'mcp-edge.json']);
    const uids = dashboards.map((d) => d.json.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(new Set(dashboards.map((d) => d.json.title)).size).toBe(dashboards.length);
    for (const { json } of dashboards) expect(json.uid).toMatch(/^[a-z0-9-]{1,40}$/);
  });

  it('lays out panels with unique ids inside the 24-column grid', () => {
    for (const { file, json } of dashboards) {
      const ids = json.panels.map((p) => p.id);
      expect({ file, unique: new Set(ids).size === ids.length }).toEqual({ file, unique: true });
      for (const p of json.panels) expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    }
  });

  it('queries, in every panel, a provisioned data source for metrics that are emitted', () => {
    const code = codeMetrics();
    const uids = new Set(datasources.map((d) => d.uid));
    const problems: string[] = [];
    for (const { file, json } of dashboards)
      for (const panel of json.panels) {
        const at = `${file}: ${panel.title}`;
        if (!panel.targets?.length) problems.push(`${at}: no query`);
        for (const t of panel.targets ?? []) {
          if (!t.expr) problems.push(`${at}: an empty query`);
          if (!uids.has(t.datasource?.uid ?? panel.datasource?.uid ?? ''))
            problems.push(`${at}: unknown data source`);
          for (const metric of metricNames(t.expr ?? ''))
            if (
              !code.has(baseName(metric)) &&
              !(baseName(metric) in EXTERNAL_METRICS) &&
              !promClientDefault(metric)
            )
              problems.push(`${at}: ${metric} is not emitted`);
        }
      }
    expect(problems).toEqual([]);
    expect(promClientDefault('process_resident_memory_bytes')).toBe(true);
    expect(promClientDefault('made_up_bytes')).toBe(false);
  });
});
