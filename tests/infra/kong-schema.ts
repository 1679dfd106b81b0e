/**
 * What Kong Gateway 3.9 (the open-source `kong:3.9` image, DB-less) accepts in `kong/kong.yml`,
 * for the plugins and entities this project uses, written from Kong's documented entity and plugin
 * schemas. decK 1.4 validates the file's shape but accepts any plugin name and any config field,
 * so a misspelt field, a plugin Kong does not ship, or a vault reference in a field Kong never
 * resolves would pass it and fail only when Kong loads the file.
 */

/** One field of a plugin's config: its type, and its allowed values or nested fields. */
export type FieldSpec =
  | { type: 'number'; gt?: number }
  | { type: 'integer'; min?: number; max?: number }
  | { type: 'boolean' }
  | { type: 'string'; oneOf?: readonly string[]; referenceable?: boolean }
  | { type: 'string[]' }
  | { type: 'record'; fields: Readonly<Record<string, FieldSpec>> };

const period = { type: 'number', gt: 0 } as const;
const strings = { type: 'string[]' } as const;

/** `config.redis` of the rate-limiting plugin (Kong's shared Redis schema, 3.9). */
const REDIS: Record<string, FieldSpec> = {
  host: { type: 'string' },
  port: { type: 'integer', min: 0, max: 65535 },
  timeout: { type: 'integer', min: 0 },
  username: { type: 'string', referenceable: true },
  password: { type: 'string', referenceable: true },
  database: { type: 'integer', min: 0 },
  ssl: { type: 'boolean' },
  ssl_verify: { type: 'boolean' },
  server_name: { type: 'string' },
};

const transformerRecord = (withUri: boolean): FieldSpec => ({
  type: 'record',
  fields: {
    body: strings,
    headers: strings,
    querystring: strings,
    ...(withUri ? { uri: { type: 'string' } } : {}),
  },
});

const phase = strings;

/** Config fields of each plugin this project may use, as Kong 3.9 documents them. */
export const PLUGIN_CONFIG: Readonly<Record<string, Readonly<Record<string, FieldSpec>>>> = {
  'rate-limiting': {
    second: period,
    minute: period,
    hour: period,
    day: period,
    month: period,
    year: period,
    limit_by: { type: 'string', oneOf: ['consumer', 'credential', 'ip', 'service', 'header', 'path'] },
    header_name: { type: 'string' },
    path: { type: 'string' },
    // `cluster` needs a database: DB-less Kong offers only these two.
    policy: { type: 'string', oneOf: ['local', 'redis'] },
    fault_tolerant: { type: 'boolean' },
    redis: { type: 'record', fields: REDIS },
    hide_client_headers: { type: 'boolean' },
    error_code: { type: 'number', gt: 0 },
    error_message: { type: 'string' },
    sync_rate: { type: 'number' },
  },
  'request-size-limiting': {
    allowed_payload_size: { type: 'integer', min: 0 },
    size_unit: { type: 'string', oneOf: ['megabytes', 'kilobytes', 'bytes'] },
    require_content_length: { type: 'boolean' },
  },
  'correlation-id': {
    header_name: { type: 'string' },
    generator: { type: 'string', oneOf: ['uuid', 'uuid#counter', 'tracker'] },
    echo_downstream: { type: 'boolean' },
  },
  prometheus: {
    per_consumer: { type: 'boolean' },
    status_code_metrics: { type: 'boolean' },
    ai_metrics: { type: 'boolean' },
    latency_metrics: { type: 'boolean' },
    bandwidth_metrics: { type: 'boolean' },
    upstream_health_metrics: { type: 'boolean' },
  },
  'pre-function': {
    certificate: phase,
    rewrite: phase,
    access: phase,
    header_filter: phase,
    body_filter: phase,
    log: phase,
  },
  // Not referenceable in the open-source plugin: its values are sent as written.
  'request-transformer': {
    http_method: { type: 'string' },
    remove: transformerRecord(false),
    rename: transformerRecord(false),
    replace: transformerRecord(true),
    add: transformerRecord(false),
    append: transformerRecord(false),
  },
};

/** Fields of a plugin entry itself (besides `config`). */
export const PLUGIN_FIELDS = new Set(['name', 'instance_name', 'config', 'protocols', 'enabled', 'tags']);

/** Fields of a route (decK nests its plugins). */
export const ROUTE_FIELDS = new Set([
  'name',
  'protocols',
  'methods',
  'hosts',
  'paths',
  'headers',
  'https_redirect_status_code',
  'regex_priority',
  'strip_path',
  'path_handling',
  'preserve_host',
  'request_buffering',
  'response_buffering',
  'snis',
  'sources',
  'destinations',
  'tags',
  'expression',
  'priority',
  'plugins',
]);

/** Fields of a service (`url` is the shorthand for protocol, host, port and path). */
export const SERVICE_FIELDS = new Set([
  'name',
  'url',
  'retries',
  'protocol',
  'host',
  'port',
  'path',
  'connect_timeout',
  'write_timeout',
  'read_timeout',
  'tags',
  'client_certificate',
  'tls_verify',
  'tls_verify_depth',
  'ca_certificates',
  'enabled',
  'routes',
  'plugins',
]);

/** Top-level keys of a decK 3.0 file this project uses. */
export const TOP_LEVEL = new Set(['_format_version', 'services', 'plugins', 'upstreams']);

export const PERIODS = ['second', 'minute', 'hour', 'day', 'month', 'year'] as const;

/** A Kong vault reference to an environment variable: `{vault://env/<name>}` reads `<NAME>`. */
export const ENV_REFERENCE = /^\{vault:\/\/env\/([a-z0-9-]+)\}$/;

/** The environment variable Kong's env vault reads for a reference name (upper case, `-` to `_`). */
export const envName = (reference: string) => reference.toUpperCase().replace(/-/g, '_');
