import {
  ENV_REFERENCE,
  type FieldSpec,
  PERIODS,
  PLUGIN_CONFIG,
  PLUGIN_FIELDS,
  ROUTE_FIELDS,
  SERVICE_FIELDS,
  TOP_LEVEL,
} from './kong-schema.js';

export type Plugin = { name: string; config?: Record<string, unknown>; enabled?: boolean };
export type Route = {
  name: string;
  paths?: string[];
  methods?: string[];
  headers?: Record<string, string[]>;
  plugins?: Plugin[];
};
export type Service = {
  name: string;
  url?: string;
  host?: string;
  port?: number;
  routes?: Route[];
  plugins?: Plugin[];
};
export type KongFile = {
  _format_version: string;
  services: Service[];
  plugins?: Plugin[];
  upstreams?: Array<{ name: string; targets?: Array<{ target: string }> }>;
};

/** Paths only other services or Prometheus may reach: no route may match them. */
export const NEVER_ROUTED = ['/metrics', '/readyz', '/revocations', '/introspect'];

const enabled = (plugins: readonly Plugin[] | undefined, name: string) =>
  plugins?.find((p) => p.name === name && p.enabled !== false);

export const routesOf = (doc: KongFile) =>
  doc.services.flatMap((s) => (s.routes ?? []).map((r) => ({ service: s, route: r })));

/** The rate-limiting plugin that applies to a route: its own, else its service's, else the global one. */
export function effectiveLimit(doc: KongFile, service: Service, route: Route): Plugin | undefined {
  return (
    enabled(route.plugins, 'rate-limiting') ??
    enabled(service.plugins, 'rate-limiting') ??
    enabled(doc.plugins, 'rate-limiting')
  );
}

function checkField(at: string, value: unknown, spec: FieldSpec, out: string[]): void {
  if (
    typeof value === 'string' &&
    ENV_REFERENCE.test(value) &&
    !(spec.type === 'string' && spec.referenceable)
  )
    out.push(`${at}: Kong 3.9 resolves no vault reference in this field (it would be used as written)`);
  switch (spec.type) {
    case 'number':
      if (typeof value !== 'number' || (spec.gt !== undefined && !(value > spec.gt)))
        out.push(`${at}: expected a number above ${spec.gt ?? '-inf'}`);
      return;
    case 'integer':
      if (
        !Number.isInteger(value) ||
        (value as number) < (spec.min ?? -Infinity) ||
        (value as number) > (spec.max ?? Infinity)
      )
        out.push(`${at}: expected an integer in range`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') out.push(`${at}: expected a boolean`);
      return;
    case 'string':
      if (typeof value !== 'string') out.push(`${at}: expected a string`);
      else if (spec.oneOf && !spec.oneOf.includes(value))
        out.push(`${at}: ${value} is not one of ${spec.oneOf.join(', ')}`);
      return;
    case 'string[]':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
        out.push(`${at}: expected a list of strings`);
      return;
    case 'record':
      checkRecord(at, value, spec.fields, out);
  }
}

function checkRecord(
  at: string,
  value: unknown,
  fields: Readonly<Record<string, FieldSpec>>,
  out: string[],
): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    out.push(`${at}: expected a record`);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const spec = fields[k];
    if (!spec) out.push(`${at}.${k}: not a field Kong 3.9 documents`);
    else checkField(`${at}.${k}`, v, spec, out);
  }
}

function checkPlugin(at: string, plugin: Plugin, out: string[]): void {
  for (const k of Object.keys(plugin)) if (!PLUGIN_FIELDS.has(k)) out.push(`${at}.${k}: not a plugin field`);
  const fields = PLUGIN_CONFIG[plugin.name];
  if (!fields) {
    out.push(`${at}: ${plugin.name} is not a plugin this check knows from Kong 3.9's documentation`);
    return;
  }
  checkRecord(`${at}(${plugin.name}).config`, plugin.config ?? {}, fields, out);
  if (plugin.name !== 'rate-limiting') return;
  // Kong's own entity checks: a period at least, periods in order, Redis settings for the redis policy.
  const c = plugin.config ?? {};
  const set = PERIODS.filter((p) => typeof c[p] === 'number');
  if (set.length === 0) out.push(`${at}: rate-limiting needs at least one period`);
  for (let i = 1; i < set.length; i++)
    if ((c[set[i]!] as number) < (c[set[i - 1]!] as number))
      out.push(`${at}: the ${set[i]} limit is below the ${set[i - 1]} one`);
  const redis = (c.redis ?? {}) as Record<string, unknown>;
  if (
    c.policy === 'redis' &&
    (redis.host === undefined || redis.port === undefined || redis.timeout === undefined)
  )
    out.push(`${at}: the redis policy needs redis.host, redis.port and redis.timeout`);
}

/** Every entity, field, plugin name and config field is one Kong 3.9 accepts. */
export function fieldProblems(doc: KongFile): string[] {
  const out: string[] = [];
  for (const k of Object.keys(doc)) if (!TOP_LEVEL.has(k)) out.push(`${k}: not a top-level key used here`);
  if (doc._format_version !== '3.0') out.push('_format_version must be "3.0"');
  (doc.plugins ?? []).forEach((p, i) => {
    checkPlugin(`plugins[${i}]`, p, out);
  });
  for (const s of doc.services) {
    for (const k of Object.keys(s))
      if (!SERVICE_FIELDS.has(k)) out.push(`services.${s.name}.${k}: not a service field`);
    (s.plugins ?? []).forEach((p, i) => {
      checkPlugin(`services.${s.name}.plugins[${i}]`, p, out);
    });
    for (const r of s.routes ?? []) {
      for (const k of Object.keys(r))
        if (!ROUTE_FIELDS.has(k)) out.push(`routes.${r.name}.${k}: not a route field`);
      (r.plugins ?? []).forEach((p, i) => {
        checkPlugin(`routes.${r.name}.plugins[${i}]`, p, out);
      });
    }
  }
  return out;
}

/** Every route is limited per client IP in the shared Redis, failing closed. */
export function rateLimitProblems(doc: KongFile): string[] {
  const out: string[] = [];
  for (const { service, route } of routesOf(doc)) {
    const limit = effectiveLimit(doc, service, route);
    if (!limit) {
      out.push(`route ${route.name} has no rate limit`);
      continue;
    }
    const c = limit.config ?? {};
    if (c.policy !== 'redis') out.push(`route ${route.name}: the limit is not kept in Redis`);
    if (c.limit_by !== 'ip') out.push(`route ${route.name}: the limit is not per client IP`);
    if (c.fault_tolerant !== false) out.push(`route ${route.name}: the limit fails open when Redis is down`);
    if ((c.redis as Record<string, unknown> | undefined)?.host !== 'redis')
      out.push(`route ${route.name}: Redis is not the \`redis\` host compose and Kubernetes resolve`);
  }
  return out;
}

/** The agent is never a target; no route reaches the internal-only paths. */
export function exposureProblems(doc: KongFile): string[] {
  const out: string[] = [];
  const isAgent = (host: string | undefined, port?: number) =>
    host !== undefined && (/^agent(\.|$)/i.test(host) || port === 4002);
  for (const s of doc.services) {
    const url = s.url ? new URL(s.url) : undefined;
    if (isAgent(url?.hostname, url ? Number(url.port) : undefined) || isAgent(s.host, s.port))
      out.push(`service ${s.name} points at the agent`);
  }
  for (const u of doc.upstreams ?? [])
    for (const t of u.targets ?? [])
      if (isAgent(t.target.split(':')[0], Number(t.target.split(':')[1])))
        out.push(`upstream ${u.name} targets the agent`);
  for (const { route } of routesOf(doc))
    for (const path of route.paths ?? []) {
      if (path.startsWith('~'))
        out.push(`route ${route.name}: regex path ${path} (prefix paths only, so they can be checked)`);
      for (const hidden of NEVER_ROUTED)
        if (hidden.startsWith(path)) out.push(`route ${route.name}: ${path} also routes ${hidden}`);
    }
  return out;
}

const SECRET_KEY = /pass(word)?|secret|token|api_?key|credential/i;
const HEADER_NAME = /^X(-[A-Z][a-z]+)+$/;

/** Credentials appear only as vault references; Lua code holds no literal that looks like one. */
export function secretProblems(doc: KongFile): string[] {
  const out: string[] = [];
  const walk = (at: string, value: unknown, key: string) => {
    if (typeof value === 'string') {
      if (SECRET_KEY.test(key) && value !== '' && !ENV_REFERENCE.test(value))
        out.push(`${at}: a literal credential (use a {vault://env/...} reference)`);
      for (const literal of value.matchAll(/"([^"\s]{16,})"/g))
        if (!ENV_REFERENCE.test(literal[1]!) && !HEADER_NAME.test(literal[1]!))
          out.push(`${at}: code holds a literal that may be a secret`);
      const header = /^([^:]+):(.*)$/.exec(value);
      if (header && SECRET_KEY.test(header[1]!) && at.includes('headers'))
        out.push(`${at}: header ${header[1]} is set from a literal value`);
    } else if (Array.isArray(value)) for (const [i, v] of value.entries()) walk(`${at}[${i}]`, v, key);
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(`${at}.${k}`, v, k);
  };
  walk('kong.yml', doc, '');
  return out;
}

/** The global plugin that adds `header` from an env vault reference, and the reference's name. */
export function gatewayHeader(doc: KongFile, header: string): { reference?: string; problems: string[] } {
  const fn = enabled(doc.plugins, 'pre-function');
  const code = ((fn?.config?.access as string[] | undefined) ?? []).join('\n');
  const sets = new RegExp(`set_header\\("${header}",\\s*(\\w+)\\)`, 'i').exec(code);
  const ref = /local (\w+) = "\{vault:\/\/env\/([a-z0-9-]+)\}"/.exec(code);
  const problems: string[] = [];
  if (!sets) problems.push(`no global plugin sets ${header} on every forwarded request`);
  if (!ref || !new RegExp(`\\b${sets?.[1] ?? '\\0'}\\s*=\\s*kong\\.vault\\.get\\(${ref[1]}\\)`).test(code))
    problems.push(`${header} is not set from kong.vault.get of an env reference`);
  return { reference: ref?.[2], problems };
}

/** The periods of a rate-limiting plugin that are set. */
export function limitsOf(plugin: Plugin | undefined): Partial<Record<(typeof PERIODS)[number], number>> {
  const c = plugin?.config ?? {};
  return Object.fromEntries(PERIODS.filter((p) => typeof c[p] === 'number').map((p) => [p, c[p] as number]));
}
