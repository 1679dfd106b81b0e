import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_SECRET_HEADER } from '@mcp-langgraph/observability';
import { parse } from 'yaml';
import {
  effectiveLimit,
  exposureProblems,
  fieldProblems,
  gatewayHeader,
  type KongFile,
  limitsOf,
  rateLimitProblems,
  routesOf,
  secretProblems,
} from './kong-checks.js';
import { envName } from './kong-schema.js';

const ROOT = join(__dirname, '..', '..');
const FILE = join(ROOT, 'kong', 'kong.yml');
const kong = parse(readFileSync(FILE, 'utf8')) as KongFile;
// A JSON copy: YAML aliases (the shared `redis` block) become separate objects, so one route can be changed.
const copy = (): KongFile => JSON.parse(JSON.stringify(kong)) as KongFile;
const route = (doc: KongFile, name: string) => routesOf(doc).find((r) => r.route.name === name)!;

/** The tools/call route (MCP 2026-07-28's Mcp-Method header) and the general /mcp route. */
function mcpRoutes(doc: KongFile) {
  const mcp = routesOf(doc).filter((r) => r.route.paths?.includes('/mcp'));
  const headerOf = (r: (typeof mcp)[number]) =>
    Object.entries(r.route.headers ?? {}).find(([k]) => k.toLowerCase() === 'mcp-method')?.[1];
  return {
    toolsCall: mcp.find((r) => headerOf(r)?.includes('tools/call')),
    general: mcp.find((r) => r.route.headers === undefined),
  };
}

describe('kong/kong.yml', () => {
  it('uses only entities, plugins and config fields Kong 3.9 documents', () => {
    expect(fieldProblems(kong)).toEqual([]);
    const bad = copy();
    bad.plugins!.push({ name: 'rate-limiter', config: {} });
    const limit = route(bad, 'auth-login').route.plugins![0]!;
    limit.config!.redis_hots = 'redis';
    limit.config!.policy = 'cluster';
    (limit.config!.redis as Record<string, unknown>).host = '{vault://env/redis-host}';
    expect(fieldProblems(bad)).toEqual([
      expect.stringContaining('rate-limiter is not a plugin'),
      expect.stringContaining('policy: cluster is not one of local, redis'),
      expect.stringContaining('resolves no vault reference in this field'),
      expect.stringContaining('redis_hots: not a field'),
    ]);
  });

  it('rate limits every route per client IP in Redis, failing closed (the global limit counts)', () => {
    expect(rateLimitProblems(kong)).toEqual([]);
    const bad = copy();
    bad.plugins = bad.plugins!.filter((p) => p.name !== 'rate-limiting');
    route(bad, 'auth-token').route.plugins![0]!.config!.fault_tolerant = true;
    expect(rateLimitProblems(bad)).toEqual(
      expect.arrayContaining([
        'route protected-resource-metadata has no rate limit',
        'route auth-metadata has no rate limit',
        'route auth-token: the limit fails open when Redis is down',
      ]),
    );
  });

  it('gives MCP tool calls a tighter limit than the rest of MCP, matched on the Mcp-Method header', () => {
    const { toolsCall, general } = mcpRoutes(kong);
    expect(toolsCall?.route.methods).toEqual(['POST']);
    expect(general).toBeDefined();
    const tight = limitsOf(effectiveLimit(kong, toolsCall!.service, toolsCall!.route));
    const loose = limitsOf(effectiveLimit(kong, general!.service, general!.route));
    expect(Object.keys(loose).length).toBeGreaterThan(0);
    for (const [period, limit] of Object.entries(loose))
      expect(tight[period as keyof typeof tight]).toBeLessThan(limit);
  });

  it('limits sign-in and the token endpoints more tightly than the global limit', () => {
    const global = limitsOf(kong.plugins!.find((p) => p.name === 'rate-limiting')).minute!;
    for (const name of ['auth-login', 'auth-token']) {
      const r = route(kong, name);
      expect(limitsOf(effectiveLimit(kong, r.service, r.route)).minute).toBeLessThan(global);
    }
  });

  it('routes the MCP, agent API and OAuth endpoints, never the agent or the internal paths', () => {
    const paths = routesOf(kong).flatMap((r) => r.route.paths ?? []);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/mcp',
        '/agent',
        '/.well-known/oauth-protected-resource',
        '/.well-known/oauth-authorization-server',
        '/.well-known/jwks.json',
        '/authorize',
        '/token',
        '/revoke',
        '/register',
      ]),
    );
    expect(exposureProblems(kong)).toEqual([]);
    const bad = copy();
    bad.services.push({ name: 'agent', url: 'http://agent:4002', routes: [{ name: 'all', paths: ['/'] }] });
    bad.upstreams = [{ name: 'runs', targets: [{ target: 'agent:4002' }] }];
    expect(exposureProblems(bad)).toEqual([
      'service agent points at the agent',
      'upstream runs targets the agent',
      'route all: / also routes /metrics',
      'route all: / also routes /readyz',
      'route all: / also routes /revocations',
      'route all: / also routes /introspect',
    ]);
  });

  it('holds no literal secret: credentials and the gateway header come from the env vault', () => {
    expect(secretProblems(kong)).toEqual([]);
    const bad = copy();
    (route(bad, 'mcp').route.plugins![0]!.config!.redis as Record<string, unknown>).password =
      'hunter2-hunter2';
    bad.plugins!.push({
      name: 'request-transformer',
      config: { add: { headers: ['X-Gateway-Secret:compose-dev-gateway-secret'] } },
    });
    expect(secretProblems(bad)).toEqual([
      expect.stringContaining('header X-Gateway-Secret is set from a literal value'),
      expect.stringContaining('routes[1].plugins[0].config.redis.password: a literal credential'),
    ]);
  });

  it('adds the gateway secret the services check, read from GATEWAY_SECRET, on every route', () => {
    const { reference, problems } = gatewayHeader(kong, GATEWAY_SECRET_HEADER);
    expect(problems).toEqual([]);
    expect(envName(reference!)).toBe('GATEWAY_SECRET');
    const bad = copy();
    bad.plugins = bad.plugins!.filter((p) => p.name !== 'pre-function');
    expect(gatewayHeader(bad, GATEWAY_SECRET_HEADER).problems).toHaveLength(2);
  });

  it('is a valid declarative file for decK', () => {
    const found = spawnSync('sh', ['-c', 'command -v deck']).status === 0;
    if (!found && process.env.CI === 'true') throw new Error('deck is not installed');
    if (!found) return void process.stderr.write('skipping decK validation: deck is not installed\n');
    const out = spawnSync('deck', ['validate', '-s', FILE], { encoding: 'utf8' });
    expect(`${out.stdout}${out.stderr}`).not.toMatch(/error/i);
    expect(out.status).toBe(0);
  });
});
