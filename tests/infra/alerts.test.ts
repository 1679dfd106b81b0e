import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { baseName, codeMetrics, EXTERNAL_METRICS, metricNames } from './emitted-metrics.js';

const DIR = join(__dirname, '..', '..', 'infra', 'prometheus');
const read = (file: string) => parse(readFileSync(join(DIR, file), 'utf8'));

type Rule = { alert: string; expr: string; labels?: Record<string, string> };
const rules = (read('alerts.yml') as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((g) => g.rules);
const cases = (
  read('alerts.test.yml') as {
    tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
  }
).tests.flatMap((t) => t.alert_rule_test);

/** promtool, required under CI=true and reported as skipped elsewhere. */
function promtool(args: string[]) {
  const found = spawnSync('sh', ['-c', 'command -v promtool']).status === 0;
  if (!found && process.env.CI === 'true') throw new Error('promtool is not installed');
  if (!found) {
    process.stderr.write('skipping promtool: it is not installed\n');
    return undefined;
  }
  return spawnSync('promtool', args, { encoding: 'utf8', cwd: DIR });
}

describe('Prometheus alerts (infra/prometheus)', () => {
  it('load, and pass their promtool unit tests', () => {
    const check = promtool(['check', 'rules', 'alerts.yml']);
    if (!check) return;
    expect(check.status).toBe(0);
    expect(check.stdout).toContain(`SUCCESS: ${rules.length} rules found`);
    const test = promtool(['test', 'rules', 'alerts.test.yml'])!;
    expect(`${test.stdout}${test.stderr}`).toContain('SUCCESS');
    expect(test.status).toBe(0);
  });

  it('have a unit test case each, in which the alert fires', () => {
    for (const { alert } of rules)
      expect({ alert, fires: cases.some((c) => c.alertname === alert && c.exp_alerts.length > 0) }).toEqual({
        alert,
        fires: true,
      });
  });

  it('cover what the platform must be told about', () => {
    expect(rules.map((r) => r.alert).sort()).toEqual(
      [
        'AgentRunsFailing',
        'AuthorizationDenialsSpike',
        'AuthorizationEngineFailing',
        'EdgeToolRateLimiting',
        'HighServerErrorRate',
        'KongDown',
        'KongRateLimiting',
        'KongServerErrors',
        'LoginFailureSpike',
        'ModelErrors',
        'PodRestarting',
        'RedisDown',
        'RevocationFeedStale',
        'ServiceDown',
        'SlowRequests',
      ].sort(),
    );
    for (const r of rules) expect(['page', 'ticket']).toContain(r.labels?.severity);
  });

  it('use only metrics that are emitted: by the services, or by Kong and the exporters', () => {
    const code = codeMetrics();
    const unknown = rules
      .flatMap((r) => metricNames(r.expr).map((m) => ({ alert: r.alert, metric: m })))
      .filter(({ metric }) => !code.has(baseName(metric)) && !(baseName(metric) in EXTERNAL_METRICS));
    expect(unknown).toEqual([]);
    // The check itself tells a made-up name from a real one.
    expect(
      metricNames('sum by (service) (rate(made_up_total{a="b"}[5m])) / sum(rate(agent_runs_total[5m]))'),
    ).toEqual(['made_up_total', 'agent_runs_total']);
    expect(code.has('made_up_total')).toBe(false);
  });

  it('name the jobs the scrape configurations give the services, in compose and in Kubernetes', () => {
    const compose = (
      read('prometheus.yml') as { scrape_configs: Array<{ job_name: string }> }
    ).scrape_configs.map((s) => s.job_name);
    const jobs = rules.flatMap((r) =>
      [...r.expr.matchAll(/job(?:="([^"]+)"|=~"([^"]+)")/g)].flatMap((m) => (m[1] ?? m[2]!).split('|')),
    );
    expect(new Set(jobs)).toEqual(new Set(['auth', 'agent', 'mcp-edge', 'kong', 'redis']));
    for (const job of jobs) expect(compose).toContain(job);
    // Kubernetes names each pod's job after its app.kubernetes.io/name label, the same names.
    const k8s = read('kubernetes.yml') as {
      scrape_configs: Array<{ relabel_configs?: Array<{ source_labels?: string[]; target_label?: string }> }>;
    };
    expect(k8s.scrape_configs[0]?.relabel_configs).toContainEqual({
      source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'],
      target_label: 'job',
    });
    const config = promtool(['check', 'config', 'prometheus.yml']);
    if (config) expect(`${config.stdout}${config.stderr}`).toMatch(/SUCCESS: prometheus\.yml is valid/);
  });
});
