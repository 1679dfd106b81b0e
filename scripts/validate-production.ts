/**
 * `npm run validate:production -- [--env-file F] [--overlay DIR] [--kong FILE]`: checks a
 * production deployment before it starts and exits 1 listing every problem.
 *
 * Each service's environment is the overlay's settings for its Deployment (ConfigMaps and literal
 * `env`) under the env file, read with the service's own schema and production guardrails (and
 * through Infisical when the file configures it). On top: Kong rate limiting on every route and
 * the gateway secret header, no published, default or weak secret, OpenFGA on PostgreSQL,
 * https public URLs, explicit CORS origins, MCP_ALLOWED_HOSTS, Redis and PostgreSQL.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import {
  agentConfigSchema,
  authConfigSchema,
  ConfigError,
  edgeConfigSchema,
  KNOWN_SECRETS,
  loadServiceConfig,
  SECRET_NAMES,
} from '@mcp-langgraph/config';
import { parse, parseAllDocuments } from 'yaml';

const ROOT = resolve(__dirname, '..');
const SERVICES = { auth: authConfigSchema, agent: agentConfigSchema, 'mcp-edge': edgeConfigSchema } as const;
type ServiceName = keyof typeof SERVICES;
type Env = Record<string, string>;
type Manifest = {
  kind?: string;
  metadata?: { name?: string };
  data?: Record<string, string>;
  spec?: unknown;
};

/** Secrets a person chooses (not a provider's API key): they must also be long and random. */
const CHOSEN_SECRETS = [
  'EDGE_CLIENT_SECRET',
  'AGENT_CLIENT_SECRET',
  'GATEWAY_SECRET',
  'OPENFGA_API_TOKEN',
  'MCP_STDIO_CLIENT_SECRET',
  'INFISICAL_CLIENT_SECRET',
];
const URL_SECRETS = ['DATABASE_URL', 'AUTHZ_DATABASE_URL', 'REDIS_URL'];
const PLACEHOLDER =
  /change-?me|changeit|password|example|placeholder|dev-only|letmein|12345|qwerty|^secret|^your[-_]/i;

function args(argv: string[]): { envFile: string; overlay?: string; kong: string } {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const overlay =
    get('--overlay') ??
    (existsSync(join(ROOT, 'kubernetes/overlays/production')) ? 'kubernetes/overlays/production' : undefined);
  return { envFile: get('--env-file') ?? '.env.production', overlay, kong: get('--kong') ?? 'kong/kong.yml' };
}

/** The overlay rendered by kustomize (the Kong file it embeds may sit outside the overlay). */
function renderOverlay(dir: string, problems: string[]): Manifest[] {
  for (const extra of [[], ['--load-restrictor', 'LoadRestrictionsNone']]) {
    try {
      const out = execFileSync('kubectl', ['kustomize', dir, ...extra], { encoding: 'utf8', stdio: 'pipe' });
      return parseAllDocuments(out)
        .map((d) => d.toJSON() as Manifest)
        .filter(Boolean);
    } catch (err) {
      if (extra.length > 0)
        problems.push(`overlay ${dir}: kubectl kustomize failed: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return [];
}

type Container = {
  name?: string;
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string } }[];
};
function containersOf(m: Manifest): Container[] {
  const spec = m.spec as { template?: { spec?: { containers?: Container[] } } } | undefined;
  return spec?.template?.spec?.containers ?? [];
}

/** What the overlay sets for one Deployment: its ConfigMaps, then its literal `env`. */
function overlayEnv(manifests: Manifest[], service: ServiceName): Env {
  const maps = new Map(
    manifests.filter((m) => m.kind === 'ConfigMap').map((m) => [m.metadata?.name, m.data ?? {}]),
  );
  const out: Env = {};
  const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata?.name === service);
  for (const c of deployment ? containersOf(deployment) : []) {
    for (const from of c.envFrom ?? []) Object.assign(out, maps.get(from.configMapRef?.name) ?? {});
    for (const e of c.env ?? []) if (e.value !== undefined) out[e.name] = e.value;
  }
  return out;
}

/** Values published in the repository: the guardrails' list and every example in docker-compose. */
function publishedSecrets(): Set<string> {
  const known = new Set(KNOWN_SECRETS);
  const compose = join(ROOT, 'docker-compose.yml');
  if (!existsSync(compose)) return known;
  const text = readFileSync(compose, 'utf8');
  for (const m of text.matchAll(/\$\{([A-Z0-9_]+):-([^}]*)\}/g))
    if (/SECRET|PASSWORD|TOKEN|KEY|SEED/.test(m[1] ?? '') && m[2])
      for (const p of secretParts(m[2])) known.add(p);
  for (const m of text.matchAll(/^\s*[A-Z0-9_]*(?:PASSWORD|SECRET)[A-Z0-9_]*:\s*"?([^"\s$]+)"?\s*$/gm))
    if (m[1]) known.add(m[1]);
  for (const m of text.matchAll(/[a-z]+:\/\/[^\s:@/]+:([^\s@/]+)@/g)) if (m[1]) known.add(m[1]);
  return known;
}

/** A value, its URL password, and seed-user passwords (`name:password,...`). */
function secretParts(value: string): string[] {
  const parts = [value];
  try {
    const pw = decodeURIComponent(new URL(value).password);
    if (pw) parts.push(pw);
  } catch {
    for (const pair of value.split(','))
      if (pair.includes(':')) parts.push(pair.slice(pair.indexOf(':') + 1));
  }
  return parts;
}

/** Why a chosen secret is weak, or undefined. */
function weakness(value: string): string | undefined {
  if (value.length < 16) return 'shorter than 16 characters';
  if (new Set(value).size < 8) return 'too few distinct characters';
  if (PLACEHOLDER.test(value)) return 'looks like a placeholder';
  return undefined;
}

function secretProblems(env: Env, published: Set<string>): string[] {
  const out: string[] = [];
  for (const name of [...new Set([...SECRET_NAMES, 'INFISICAL_CLIENT_SECRET'])]) {
    const v = env[name];
    if (!v) continue;
    if (secretParts(v).some((p) => published.has(p))) {
      out.push(`${name}: a secret published in this repository (docker-compose or a default)`);
      continue;
    }
    if (CHOSEN_SECRETS.includes(name)) {
      const why = weakness(v);
      if (why) out.push(`${name}: weak secret (${why})`);
    } else if (URL_SECRETS.includes(name)) {
      let pw = '';
      try {
        pw = decodeURIComponent(new URL(v).password);
      } catch {
        out.push(`${name}: not a URL`);
      }
      const why = pw ? weakness(pw) : undefined;
      if (why) out.push(`${name}: weak password (${why})`);
    } else if (PLACEHOLDER.test(v)) out.push(`${name}: looks like a placeholder, not a real key`);
  }
  return out;
}

/** What production needs beyond the guardrails (which refuse defaults, `*` origins, offline models). */
function deploymentProblems(service: ServiceName, env: Env): string[] {
  const out: string[] = [];
  if (env.APP_ENV !== 'production') out.push('APP_ENV must be production');
  if (env.INFISICAL_SITE_URL && !env.INFISICAL_SITE_URL.startsWith('https://'))
    out.push('INFISICAL_SITE_URL must be an https:// URL');
  for (const origin of (env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()))
    if (origin && origin !== '*' && !/^https:\/\/[^/*]+$/.test(origin))
      out.push(`CORS_ORIGINS: "${origin}" is not an explicit https:// origin`);
  if (service === 'mcp-edge') {
    if (!env.MCP_ALLOWED_HOSTS) out.push('MCP_ALLOWED_HOSTS must list the public host names');
    if (!env.REDIS_URL) out.push('REDIS_URL must be set (rate limits shared by the replicas)');
  } else if (!env.DATABASE_URL) out.push('DATABASE_URL must be set to a PostgreSQL URL');
  if (env.DATABASE_URL && !/^postgres(ql)?:\/\//.test(env.DATABASE_URL))
    out.push('DATABASE_URL must be a PostgreSQL URL (postgres://)');
  if (env.REDIS_URL && !/^rediss?:\/\//.test(env.REDIS_URL))
    out.push('REDIS_URL must be a redis:// or rediss:// URL');
  return out;
}

/** Ours, minus those naming a variable the service's own checks already reported. */
function notReported(own: readonly string[], ours: string[]): string[] {
  return ours.filter((p) => {
    const name = /^[A-Z0-9_]+/.exec(p)?.[0];
    return !name || !own.some((o) => o.startsWith(`${name} `));
  });
}

/** OpenFGA's own configuration, wherever it is declared: an OpenFGA container in the overlay, or the env file. */
function openfgaProblems(manifests: Manifest[], file: Env): string[] {
  const declared: string[] = [];
  for (const m of manifests)
    for (const c of containersOf(m))
      for (const e of c.env ?? []) if (e.name === 'OPENFGA_DATASTORE_ENGINE') declared.push(e.value ?? '');
  if (file.OPENFGA_DATASTORE_ENGINE) declared.push(file.OPENFGA_DATASTORE_ENGINE);
  if (declared.length === 0)
    return [
      'OpenFGA: its datastore is not declared (no OpenFGA container in the overlay); set OPENFGA_DATASTORE_ENGINE=postgres in the env file once OpenFGA runs on PostgreSQL',
    ];
  return declared
    .filter((d) => d !== 'postgres')
    .map((d) => `OpenFGA: datastore engine "${d}", must be postgres`);
}

type Plugin = { name: string; enabled?: boolean; config?: Record<string, unknown> };
type Route = { name?: string; plugins?: Plugin[] };
type KongFile = {
  plugins?: Plugin[];
  services?: { name?: string; plugins?: Plugin[]; routes?: Route[] }[];
  routes?: Route[];
};

function kongProblems(file: string, text: string): string[] {
  const kong = (parse(text) ?? {}) as KongFile;
  const out: string[] = [];
  const limit = (ps: Plugin[] | undefined) => ps?.find((p) => /^rate-limiting(-advanced)?$/.test(p.name));
  const global = limit(kong.plugins);
  const routes = [
    ...(kong.services ?? []).flatMap((s) => (s.routes ?? []).map((r) => ({ r, s: s.plugins }))),
    ...(kong.routes ?? []).map((r) => ({ r, s: undefined })),
  ];
  if (routes.length === 0) out.push(`${file}: no routes`);
  for (const { r, s } of routes) {
    const rl = limit(r.plugins) ?? limit(s) ?? global;
    if (!rl || rl.enabled === false) out.push(`${file}: route ${r.name ?? '(unnamed)'} has no rate limiting`);
    else if (rl.config?.policy !== 'redis')
      out.push(
        `${file}: route ${r.name ?? '(unnamed)'} counts its rate limit in "${String(rl.config?.policy ?? 'local')}", not redis`,
      );
  }
  const all = [...(kong.plugins ?? []), ...(kong.services ?? []).flatMap((s) => s.plugins ?? [])];
  const header = all.find(
    (p) => p.enabled !== false && /x-gateway-secret/i.test(JSON.stringify(p.config ?? {})),
  );
  if (!header)
    out.push(`${file}: no plugin sends the gateway secret header (X-Gateway-Secret) to the services`);
  else if (header.name === 'request-transformer' && !/\{vault:\/\//.test(JSON.stringify(header.config)))
    out.push(
      `${file}: the gateway secret header is a literal in the file (it is then published); take it from a vault reference`,
    );
  return out;
}

/**
 * The service's own schema and guardrails over this environment. A malformed value stops zod
 * before the guardrails run, so it is reported and left out for one more pass over the rest.
 */
async function serviceProblems(schema: (typeof SERVICES)[ServiceName], env: Env): Promise<string[]> {
  const out: string[] = [];
  let rest = { ...env };
  const removed: string[] = [];
  for (let pass = 0; pass < 3; pass++) {
    try {
      await loadServiceConfig(schema, rest, { envFile: join(ROOT, '.no-env-file') });
      return out;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      // A later pass's "X must be set" only means X was left out.
      const fresh = err.problems.filter(
        (p) => !out.includes(p) && !removed.some((n) => p.startsWith(`${n} `)),
      );
      out.push(...fresh);
      const malformed = err.problems.map((p) => /^([A-Z0-9_]+):/.exec(p)?.[1]).filter((n) => n !== undefined);
      if (malformed.length === 0) return out;
      removed.push(...malformed);
      rest = Object.fromEntries(Object.entries(rest).filter(([k]) => !malformed.includes(k)));
    }
  }
  return out;
}

async function validate(): Promise<string[]> {
  const opts = args(process.argv.slice(2));
  const problems: string[] = [];
  if (!existsSync(opts.envFile)) return [`${opts.envFile}: no such env file (--env-file)`];
  const file = parseEnv(readFileSync(opts.envFile, 'utf8')) as Env;
  const manifests = opts.overlay ? renderOverlay(opts.overlay, problems) : [];
  const published = publishedSecrets();
  for (const [service, schema] of Object.entries(SERVICES) as [
    ServiceName,
    (typeof SERVICES)[ServiceName],
  ][]) {
    const env: Env = { ...overlayEnv(manifests, service), ...file };
    const own = (k: string) => k in schema.shape;
    const reported = await serviceProblems(schema, env);
    const mine = Object.fromEntries(Object.entries(env).filter(([k]) => own(k))) as Env;
    const ours = notReported(reported, [
      ...deploymentProblems(service, mine),
      ...secretProblems(mine, published),
    ]);
    problems.push(...[...reported, ...ours].map((p) => `[${service}] ${p}`));
  }
  problems.push(...openfgaProblems(manifests, file));
  if (!file.GATEWAY_SECRET)
    problems.push('GATEWAY_SECRET must be set (the value Kong sends and auth and the edge require)');
  if (existsSync(opts.kong)) problems.push(...kongProblems(opts.kong, readFileSync(opts.kong, 'utf8')));
  else problems.push(`${opts.kong}: not found (--kong)`);
  // The Kong configuration the overlay deploys, when it carries one.
  for (const m of manifests)
    if (m.kind === 'ConfigMap' && m.data?.['kong.yml'])
      problems.push(...kongProblems(`overlay ConfigMap ${m.metadata?.name}`, m.data['kong.yml']));
  return problems;
}

validate().then(
  (problems) => {
    if (problems.length === 0) {
      process.stdout.write('production configuration: no problems found\n');
      return;
    }
    process.stdout.write(`production configuration: ${problems.length} problem(s)\n`);
    for (const p of problems) process.stdout.write(`  - ${p}\n`);
    process.exitCode = 1;
  },
  (err: unknown) => {
    process.stderr.write(`validate:production failed: ${(err as Error).message}\n`);
    process.exitCode = 2;
  },
);
