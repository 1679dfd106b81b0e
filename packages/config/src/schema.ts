import { ModelSelectionError, normalizeUrl, resolveModelSelection } from '@mcp-langgraph/protocol';
import { z } from 'zod';

/** Values that are fine on a laptop and refused in production. */
export const DEV_EDGE_CLIENT_SECRET = 'dev-only-edge-secret-change-me';
export const DEV_AGENT_CLIENT_SECRET = 'dev-only-agent-secret-change-me';

const csv = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

const port = (d: number) => z.coerce.number().int().min(0).max(65535).default(d);
/**
 * An http(s) URL, normalised once here (no trailing slash, lower-case host) so every service
 * compares `iss`, `aud` and resources against the same spelling the others use.
 */
const url = z.url({ protocol: /^https?$/ }).transform(normalizeUrl);
const optionalString = z
  .string()
  .optional()
  .transform((s) => (s === '' ? undefined : s));

/**
 * Express's `trust proxy`: which hops' `X-Forwarded-For` to believe. Nothing by default, so no
 * local process can choose the client address a rate limit keys on; a deployment names its hops
 * (`1` behind one proxy, addresses or subnets, `true` for any).
 */
const trustProxy = z
  .string()
  .default('false')
  .transform((v): boolean | number | string => {
    const t = v.trim();
    if (t === '' || t === 'false') return false;
    if (t === 'true') return true;
    if (/^\d+$/.test(t)) return Number(t);
    return t;
  });

const millis = (d: number, max = 600_000) => z.coerce.number().int().min(100).max(max).default(d);

/**
 * Infisical (universal auth): set INFISICAL_CLIENT_ID to read secrets from it. The client secret
 * comes from the environment only; every other secret may live in Infisical.
 */
const infisical = {
  INFISICAL_SITE_URL: url.default('https://app.infisical.com'),
  INFISICAL_CLIENT_ID: optionalString,
  INFISICAL_CLIENT_SECRET: optionalString,
  INFISICAL_PROJECT_ID: optionalString,
  INFISICAL_ENVIRONMENT: optionalString,
  INFISICAL_SECRET_PATH: z.string().startsWith('/').default('/'),
  /** How long fetched secrets are trusted before the background refresh fetches them again. */
  INFISICAL_REFRESH_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /** Longest start-up may wait for Infisical (login and the first fetch). */
  INFISICAL_TIMEOUT_MS: millis(10_000, 120_000),
};

/** The Infisical settings alone, read before the service's schema (they locate the other secrets). */
export const infisicalConfigSchema = z.object(infisical);

const base = {
  ...infisical,
  APP_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  DATA_DIR: z.string().default('.data'),
  BIND_HOST: z.string().default('127.0.0.1'),
  CORS_ORIGINS: csv,
  BODY_LIMIT: z.string().default('100kb'),
  TRUST_PROXY: trustProxy,
  DATABASE_URL: optionalString,
  AUTH_ISSUER: url.default('http://localhost:4001'),
  /** A separate port for `/metrics` and `/readyz` (required in production); unset serves them on the main port. */
  OPS_PORT: optionalString.pipe(z.coerce.number<string | undefined>().int().min(1).max(65535).optional()),
  /** Longest a client may take to send a whole request (headers and body). */
  HTTP_REQUEST_TIMEOUT_MS: millis(30_000),
  /** Longest a client may take to send the request headers. */
  HTTP_HEADERS_TIMEOUT_MS: millis(10_000),
  /** How long an idle keep-alive connection stays open. */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: millis(5_000),
  /** Leeway for token expiry and not-before, the same at every service. */
  AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
  /** OTLP/HTTP base URL of a trace collector (`/v1/traces` is appended); unset turns tracing off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.pipe(url.optional()),
  /** The `service.name` of this service's spans; the service's own name when unset. */
  OTEL_SERVICE_NAME: optionalString,
  /** Longest a finished span waits before its batch is exported. */
  OTEL_BSP_SCHEDULE_DELAY: millis(5_000, 60_000),
  /** Share of new traces recorded (0–1); a request that arrives with a trace keeps its caller's decision. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
};

/** Where a resource server finds the authorization server's keys and the authorization engine. */
const resourceServer = {
  /** How this service reaches the authorization server when its public issuer URL is not routable here. */
  AUTH_INTERNAL_URL: optionalString.pipe(url.optional()),
  AUTH_JWKS_URL: optionalString.pipe(url.optional()),
  OPENFGA_API_URL: optionalString.pipe(url.optional()),
  OPENFGA_STORE_ID: optionalString,
  OPENFGA_MODEL_ID: optionalString,
  OPENFGA_API_TOKEN: optionalString,
  AUTHZ_DATABASE_URL: optionalString,
  /** How often the revocation feed is fetched: the longest a revoked token keeps working here. */
  REVOCATION_POLL_MS: z.coerce.number().int().min(1000).max(300_000).default(10_000),
  /**
   * How long without a successful fetch before tokens older than the last good list are refused;
   * three poll intervals when unset.
   */
  REVOCATION_MAX_STALENESS_MS: z.coerce.number().int().min(1000).max(3_600_000).optional(),
};

export const authConfigSchema = z.object({
  ...base,
  AUTH_PORT: port(4001),
  AUTH_SEED_USERS: optionalString,
  AUTH_ACCESS_TOKEN_TTL: z.coerce.number().int().min(30).max(900).default(900),
  AUTH_CODE_TTL: z.coerce.number().int().min(10).max(600).default(60),
  AUTH_SIGNING_KEYS: optionalString,
  AUTH_DEFAULT_RESOURCE: optionalString.pipe(url.optional()),
  EDGE_PUBLIC_URL: url.default('http://localhost:4000'),
  AGENT_PUBLIC_URL: url.default('http://localhost:4002'),
  EDGE_CLIENT_ID: z.string().min(1).default('mcp-edge'),
  EDGE_CLIENT_SECRET: z.string().min(16).default(DEV_EDGE_CLIENT_SECRET),
  AGENT_CLIENT_ID: z.string().min(1).default('agent'),
  AGENT_CLIENT_SECRET: z.string().min(16).default(DEV_AGENT_CLIENT_SECRET),
  AUTH_REFRESH_TOKEN_IDLE_TTL: z.coerce.number().int().min(60).default(1_209_600),
  AUTH_REFRESH_TOKEN_ABSOLUTE_TTL: z.coerce.number().int().min(60).default(2_592_000),
  AUTH_CONSENT: z.enum(['true', 'false']).default('true'),
  AUTH_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  AUTH_LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().min(1).default(900),
  AUTH_LOGIN_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(500),
  AUTH_CLIENT_METADATA_DOCUMENTS: z.enum(['true', 'false']).default('true'),
  /** What Kong sends in `X-Gateway-Secret`: when set, requests without it are refused (required in production). */
  GATEWAY_SECRET: optionalString.pipe(z.string().min(16).optional()),
});

/** LLM_MODEL and its companions name known providers; the issue names the variable to fix. */
function checkModelSelection(c: Record<string, unknown>, ctx: z.RefinementCtx): void {
  try {
    resolveModelSelection({
      model: c.LLM_MODEL as string | undefined,
      provider: c.LLM_PROVIDER as string | undefined,
      fallbackModels: c.LLM_FALLBACK_MODELS as string[],
      fallbackProviders: c.LLM_FALLBACK_PROVIDERS as string[],
    });
  } catch (err) {
    if (!(err instanceof ModelSelectionError)) throw err;
    ctx.addIssue({
      code: 'custom',
      path: [err.variable],
      message: err.message.slice(err.variable.length + 2),
    });
  }
}

const agentConfigObject = z.object({
  ...base,
  ...resourceServer,
  AGENT_PORT: port(4002),
  AGENT_PUBLIC_URL: url.default('http://localhost:4002'),
  /** The agent's confidential client, with which it reads the revocation feed. */
  AGENT_CLIENT_ID: z.string().min(1).default('agent'),
  AGENT_CLIENT_SECRET: z.string().min(16).default(DEV_AGENT_CLIENT_SECRET),
  /** Clients whose exchanged tokens the agent accepts (`act.sub`): the MCP edge. */
  AGENT_ALLOWED_ACTORS: csv.pipe(z.array(z.string()).min(1)).default(['mcp-edge']),
  AGENT_MAX_ITERATIONS: z.coerce.number().int().min(1).max(25).default(6),
  /** Most recent checkpoints of a thread kept besides each run's final one (history, forks). */
  AGENT_CHECKPOINTS_RETAINED: z.coerce.number().int().min(1).max(1000).default(10),
  /** Longest a run may take; below the edge's AGENT_TIMEOUT_MS so the agent answers first. */
  AGENT_RUN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(100_000),
  /** Folder of Markdown and text files `knowledge_search` searches (relative to the working directory); empty disables it. */
  AGENT_DOCS_DIR: z
    .string()
    .default('docs')
    .transform((s) => s.trim()),
  /** How often the docs folder is checked for changed files; 0 checks only at start-up. */
  AGENT_DOCS_POLL_MS: z.coerce
    .number()
    .int()
    .max(86_400_000)
    .default(60_000)
    .refine((ms) => ms === 0 || ms >= 1000, 'must be 0 (only at start-up) or at least 1000'),
  /** Tavily's API key: the `web_search` tool is offered only when it is set. */
  TAVILY_API_KEY: optionalString,
  /** Tavily's API origin (a proxy, or a local server in tests); default `https://api.tavily.com`. */
  TAVILY_BASE_URL: optionalString.pipe(url.optional()),
  /** Downstream MCP servers whose tools the agent offers: a JSON list, or the path of a JSON file. */
  AGENT_MCP_SERVERS: optionalString,
  /** Longest one downstream MCP tool call (or connection attempt) may take. */
  AGENT_MCP_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** The primary model, `<provider>:<model>` (`openai:gpt-4.1-mini`, `ollama:llama3.1:8b`) or `offline`. */
  LLM_MODEL: optionalString,
  /** Models tried in order when the one before fails with a retryable error, same form. */
  LLM_FALLBACK_MODELS: csv,
  /** Older form: the primary provider, with LLM_MODEL as its bare model name. */
  LLM_PROVIDER: optionalString,
  /** Older form: fallback providers with their default models, e.g. `anthropic,offline`. */
  LLM_FALLBACK_PROVIDERS: csv,
  /** The `openai-compatible` endpoint (vLLM, LiteLLM, …); also `openai`'s when OPENAI_BASE_URL is unset. */
  LLM_BASE_URL: optionalString.pipe(url.optional()),
  /** Key for the `openai-compatible` endpoint, if it wants one. */
  LLM_API_KEY: optionalString,
  LLM_TEMPERATURE: z.coerce.number().min(0).max(2).default(0),
  /** Longest one model request may take before it counts as failed (and is retried). */
  LLM_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  /** Retries of a model request after a retryable failure (429, 5xx, timeout, network), with backoff. */
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /** The model's context window in tokens; older turns that do not fit are left out (default per model). */
  LLM_CONTEXT_TOKENS: optionalString.pipe(z.coerce.number<string | undefined>().int().min(1000).optional()),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(url.optional()),
  AZURE_OPENAI_API_KEY: optionalString,
  /** `https://<resource>.openai.azure.com`; the deployment is the model part of the spec. */
  AZURE_OPENAI_ENDPOINT: optionalString.pipe(url.optional()),
  AZURE_OPENAI_API_VERSION: z.string().min(1).default('2024-10-21'),
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: optionalString.pipe(url.optional()),
  GOOGLE_API_KEY: optionalString,
  /** Gemini API endpoint, for a proxy (default Google's). */
  GOOGLE_GENAI_BASE_URL: optionalString.pipe(url.optional()),
  AWS_REGION: optionalString,
  /** Static AWS credentials for Bedrock; unset, the AWS SDK's default chain (roles, profiles) applies. */
  AWS_ACCESS_KEY_ID: optionalString,
  AWS_SECRET_ACCESS_KEY: optionalString,
  AWS_SESSION_TOKEN: optionalString,
  /** Bedrock runtime endpoint (VPC endpoint, proxy); default the region's. */
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: optionalString.pipe(url.optional()),
  OLLAMA_BASE_URL: optionalString.pipe(url.optional()),
  MISTRAL_API_KEY: optionalString,
  MISTRAL_SERVER_URL: optionalString.pipe(url.optional()),
});

export const agentConfigSchema = agentConfigObject.superRefine(checkModelSelection);

export const edgeConfigSchema = z.object({
  ...base,
  ...resourceServer,
  EDGE_PORT: port(4000),
  EDGE_PUBLIC_URL: url.default('http://localhost:4000'),
  AGENT_URL: url.default('http://localhost:4002'),
  AGENT_PUBLIC_URL: url.default('http://localhost:4002'),
  EDGE_CLIENT_ID: z.string().min(1).default('mcp-edge'),
  EDGE_CLIENT_SECRET: z.string().min(16).default(DEV_EDGE_CLIENT_SECRET),
  MCP_ALLOWED_HOSTS: csv,
  MCP_ALLOWED_ORIGINS: csv,
  /** Longest wait for one agent call; a run with several tool steps can take a while. */
  AGENT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(120_000),
  /** Further attempts of an idempotent agent call (reads, searches) that found the agent unavailable. */
  AGENT_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** Consecutive agent failures after which calls fail at once, without trying, for AGENT_BREAKER_OPEN_MS. */
  AGENT_BREAKER_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  AGENT_BREAKER_OPEN_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** Tool calls allowed per user and tool per minute for the free tier (bursts up to the same number). */
  MCP_TOOL_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(60),
  /** The same for tokens whose `tier` claim is premium, and enterprise. */
  MCP_TOOL_RATE_LIMIT_PREMIUM: z.coerce.number().int().min(1).max(100_000).default(300),
  MCP_TOOL_RATE_LIMIT_ENTERPRISE: z.coerce.number().int().min(1).max(100_000).default(1200),
  /** Shares tool-call limits across replicas; in memory per process when unset. */
  REDIS_URL: optionalString,
  /** The same gateway secret as the auth service's; also sent with the edge's token exchange at auth. */
  GATEWAY_SECRET: optionalString.pipe(z.string().min(16).optional()),
  /** stdio entry point only: an access token for the edge, or client credentials to obtain them. */
  MCP_STDIO_ACCESS_TOKEN: optionalString,
  MCP_STDIO_CLIENT_ID: optionalString,
  MCP_STDIO_CLIENT_SECRET: optionalString,
});

export type AuthConfig = Readonly<z.infer<typeof authConfigSchema>>;
export type AgentConfig = Readonly<z.infer<typeof agentConfigSchema>>;
export type EdgeConfig = Readonly<z.infer<typeof edgeConfigSchema>>;

/** The model providers' credentials, which the agent's model clients are built from. */
export const MODEL_SECRET_NAMES = [
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'LLM_API_KEY',
  'AZURE_OPENAI_API_KEY',
  'GOOGLE_API_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'MISTRAL_API_KEY',
] as const;

/** Names read through the secret provider chain rather than only the plain environment. */
export const SECRET_NAMES = [
  'DATABASE_URL',
  'AUTHZ_DATABASE_URL',
  'AUTH_SIGNING_KEYS',
  'EDGE_CLIENT_SECRET',
  'AGENT_CLIENT_SECRET',
  'OPENFGA_API_TOKEN',
  ...MODEL_SECRET_NAMES,
  'REDIS_URL',
  'MCP_STDIO_ACCESS_TOKEN',
  'MCP_STDIO_CLIENT_SECRET',
  'TAVILY_API_KEY',
  'AGENT_MCP_SERVERS',
  'GATEWAY_SECRET',
] as const;
