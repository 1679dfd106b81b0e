import { isLoopbackHost, type LlmProvider, resolveModelSelection } from '@mcp-langgraph/protocol';
import { DEV_AGENT_CLIENT_SECRET, DEV_EDGE_CLIENT_SECRET, SECRET_NAMES } from './schema.js';

/**
 * Secrets published in this repository (the embedded defaults, docker-compose's example values
 * and `npm start`'s seed passwords): anyone can read them, so production refuses them wherever a
 * secret is read, a password inside a connection URL included.
 */
export const KNOWN_SECRETS: readonly string[] = [
  DEV_EDGE_CLIENT_SECRET,
  DEV_AGENT_CLIENT_SECRET,
  'compose-dev-edge-secret-change-me',
  'compose-dev-agent-secret-change-me',
  'compose-dev-gateway-secret-change-me',
  'mcp-dev-password',
  'secret-a',
  'secret-b',
];

/** The value itself and, for a connection URL, its password. */
function secretParts(value: string): string[] {
  const parts = [value];
  try {
    const password = decodeURIComponent(new URL(value).password);
    if (password) parts.push(password);
  } catch {
    // not a URL: the value is the secret
  }
  return parts;
}

function fallbackProviders(c: Record<string, unknown>): LlmProvider[] {
  return resolveModelSelection({
    model: c.LLM_MODEL as string | undefined,
    provider: c.LLM_PROVIDER as string | undefined,
    fallbackModels: c.LLM_FALLBACK_MODELS as string[] | undefined,
    fallbackProviders: c.LLM_FALLBACK_PROVIDERS as string[] | undefined,
  }).fallbacks.map((f) => f.provider);
}

/** The rules on published secrets, the model chain and Host checking (see {@link productionProblems}). */
function secretAndExposureProblems(c: Record<string, unknown>, has: (k: string) => boolean): string[] {
  const out: string[] = [];
  const published = new Set(KNOWN_SECRETS);
  for (const name of SECRET_NAMES) {
    const v = c[name];
    if (!has(name) || typeof v !== 'string' || !v) continue;
    // The embedded client secrets have their own message above.
    if (v === DEV_EDGE_CLIENT_SECRET || v === DEV_AGENT_CLIENT_SECRET) continue;
    if (secretParts(v).some((p) => published.has(p)))
      out.push(
        `${name} holds a secret published in this repository (docker-compose or a default); generate a new one`,
      );
  }
  if (has('LLM_FALLBACK_MODELS') && fallbackProviders(c).includes('offline'))
    out.push(
      'LLM_FALLBACK_MODELS / LLM_FALLBACK_PROVIDERS must not name the offline model in production (users would get its canned answers)',
    );
  const hosts = c.MCP_ALLOWED_HOSTS;
  if (has('MCP_ALLOWED_HOSTS') && Array.isArray(hosts) && hosts.length === 0)
    if (!isLoopbackHost(String(c.BIND_HOST ?? '')))
      out.push(
        `MCP_ALLOWED_HOSTS must list the public host names in production when BIND_HOST (${String(c.BIND_HOST)}) is not loopback (DNS-rebinding protection)`,
      );
  return out;
}

/** The primary model's provider; the schema has already refused a selection that does not resolve. */
function primaryProvider(c: Record<string, unknown>): LlmProvider {
  return resolveModelSelection({
    model: c.LLM_MODEL as string | undefined,
    provider: c.LLM_PROVIDER as string | undefined,
  }).primary.provider;
}

/**
 * With APP_ENV=production every embedded default is refused: each message names the variable
 * to set. Checks apply only to the variables the service's schema knows.
 */
export function productionProblems(c: Record<string, unknown>, keys: ReadonlySet<string>): string[] {
  if (c.APP_ENV !== 'production') return [];
  const out: string[] = [];
  const has = (k: string) => keys.has(k);
  // The edge's only relational store is authorization's: with OpenFGA it needs no database.
  const openfga = Boolean(c.OPENFGA_API_URL && c.OPENFGA_STORE_ID);
  const needsDatabase = !has('EDGE_PORT') || !openfga;
  if (has('DATABASE_URL') && needsDatabase && !c.DATABASE_URL)
    out.push('DATABASE_URL must be set in production (SQLite is the embedded default only)');
  if (has('OPENFGA_API_URL') && (!c.OPENFGA_API_URL || !c.OPENFGA_STORE_ID))
    out.push(
      'OPENFGA_API_URL and OPENFGA_STORE_ID must be set in production (the embedded authorization engine is for development)',
    );
  if (has('LLM_MODEL') && primaryProvider(c) === 'offline')
    out.push(
      'LLM_MODEL (or the older LLM_PROVIDER) must name a real model provider in production (the offline model is for development)',
    );
  if (has('REDIS_URL') && !c.REDIS_URL)
    out.push('REDIS_URL must be set in production (in-memory rate limits are per process)');
  if (Array.isArray(c.CORS_ORIGINS) && c.CORS_ORIGINS.includes('*'))
    out.push('CORS_ORIGINS must list explicit origins in production, not "*"');
  if (has('EDGE_CLIENT_SECRET') && c.EDGE_CLIENT_SECRET === DEV_EDGE_CLIENT_SECRET)
    out.push('EDGE_CLIENT_SECRET must be set to a generated secret in production (the default is public)');
  if (has('AGENT_CLIENT_SECRET') && c.AGENT_CLIENT_SECRET === DEV_AGENT_CLIENT_SECRET)
    out.push('AGENT_CLIENT_SECRET must be set to a generated secret in production (the default is public)');
  if (has('OPS_PORT') && !c.OPS_PORT)
    out.push('OPS_PORT must be set in production (/metrics and /readyz are not served on the public port)');
  if (has('GATEWAY_SECRET') && !c.GATEWAY_SECRET)
    out.push(
      'GATEWAY_SECRET must be set in production (the secret Kong sends, so the gateway and its limits cannot be bypassed)',
    );
  if (has('AUTH_SIGNING_KEYS') && !c.AUTH_SIGNING_KEYS)
    out.push(
      'AUTH_SIGNING_KEYS must come from the secret provider in production (keys are never generated there)',
    );
  if (has('AUTH_SEED_USERS') && c.AUTH_SEED_USERS)
    out.push('AUTH_SEED_USERS is refused in production: create users with `npm run auth -- users add`');
  for (const k of ['AUTH_ISSUER', 'EDGE_PUBLIC_URL', 'AGENT_PUBLIC_URL'])
    if (typeof c[k] === 'string' && (c[k] as string).startsWith('http://'))
      out.push(`${k} must be an https:// URL in production`);
  out.push(...secretAndExposureProblems(c, has));
  return out;
}
