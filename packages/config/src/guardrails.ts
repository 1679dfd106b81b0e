import { type LlmProvider, resolveModelSelection } from '@mcp-langgraph/protocol';
import { DEV_AGENT_CLIENT_SECRET, DEV_EDGE_CLIENT_SECRET } from './schema.js';

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
  if (has('DATABASE_URL') && !c.DATABASE_URL)
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
  return out;
}
