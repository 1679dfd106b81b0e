import type { Environment } from './env.js';
import type { InfisicalSettings } from './infisical.js';
import { infisicalConfigSchema } from './schema.js';

/**
 * The Infisical settings from the environment, or undefined when INFISICAL_CLIENT_ID is unset
 * (secrets then come from the environment alone). A half-configured Infisical is a list of the
 * variables still missing, so the service stops rather than silently running without it.
 */
export function infisicalSettingsFrom(env: Environment): InfisicalSettings | undefined | string[] {
  const r = infisicalConfigSchema.safeParse(env);
  if (!r.success) return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const c = r.data;
  if (!c.INFISICAL_CLIENT_ID) return undefined;
  const missing = (['INFISICAL_CLIENT_SECRET', 'INFISICAL_PROJECT_ID', 'INFISICAL_ENVIRONMENT'] as const)
    .filter((k) => !c[k])
    .map((k) => `${k} must be set when INFISICAL_CLIENT_ID is (secrets are read from Infisical)`);
  if (missing.length > 0) return missing;
  return {
    siteUrl: c.INFISICAL_SITE_URL,
    clientId: c.INFISICAL_CLIENT_ID,
    clientSecret: c.INFISICAL_CLIENT_SECRET as string,
    projectId: c.INFISICAL_PROJECT_ID as string,
    environment: c.INFISICAL_ENVIRONMENT as string,
    secretPath: c.INFISICAL_SECRET_PATH,
    refreshMs: c.INFISICAL_REFRESH_SECONDS * 1000,
    timeoutMs: c.INFISICAL_TIMEOUT_MS,
  };
}
