import { randomBytes } from 'node:crypto';
import {
  agentConfigSchema,
  authConfigSchema,
  ConfigError,
  edgeConfigSchema,
  parseConfig,
} from '@mcp-langgraph/config';
import {
  APPS,
  containers,
  find,
  generated,
  type K8sObject,
  OVERLAYS,
  overlay,
  secretKeys,
  tool,
} from './manifests';

const SCHEMAS = { auth: authConfigSchema, agent: agentConfigSchema, 'mcp-edge': edgeConfigSchema } as const;

/** A value of the kind Infisical would hold, fresh and strong, so no guardrail sees a known one. */
function placeholder(key: string): string {
  const secret = randomBytes(24).toString('base64url');
  if (key === 'DATABASE_URL') return `postgres://mcp:${secret}@postgres.internal:5432/mcp?sslmode=require`;
  if (key === 'REDIS_URL') return `rediss://:${secret}@redis.internal:6379`;
  if (key.startsWith('OPENFGA_') && key.endsWith('_ID'))
    return `01J${randomBytes(12).toString('hex').toUpperCase()}`;
  return secret;
}

/** The environment a service's container gets: its ConfigMaps, its Secret and its own `env`. */
function environment(objects: K8sObject[], app: string, without: string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  const c = containers(find(objects, 'Deployment', app))[0]!;
  for (const from of c.envFrom ?? []) {
    if (from.configMapRef) {
      const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === from.configMapRef?.name);
      Object.assign(env, cm?.data ?? {});
    }
    if (from.secretRef) {
      const literal = objects.find((o) => o.kind === 'Secret' && o.metadata.name === from.secretRef?.name);
      if (literal)
        for (const [k, v] of Object.entries(literal.data ?? {}))
          env[k] = Buffer.from(v, 'base64').toString('utf8');
      else for (const k of secretKeys(objects, app)) env[k] = placeholder(k);
    }
  }
  for (const e of c.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  for (const k of without) delete env[k];
  return env;
}

if (tool('kubectl'))
  describe.each(OVERLAYS)('the %s overlay configures every service completely', (name) => {
    it.each(APPS)('%s starts with its ConfigMap and Secret (its own config schema and guardrails)', (app) => {
      const env = environment(overlay(name), app);
      const config = parseConfig(SCHEMAS[app], env) as Record<string, unknown>;
      expect(config.APP_ENV).toBe(name === 'production' ? 'production' : 'development');
      expect(config.OPS_PORT).toBe(9464);
    });
  });

if (tool('kubectl'))
  describe('the production overlay', () => {
    const objects = () => overlay('production');
    const config = (app: keyof typeof SCHEMAS) =>
      parseConfig(SCHEMAS[app], environment(objects(), app)) as Record<string, unknown>;

    it('uses a real model, OpenFGA, PostgreSQL and Redis', () => {
      const agent = config('agent');
      expect(agent.LLM_MODEL).toMatch(/^openai:/);
      for (const c of [agent, config('mcp-edge')]) {
        expect(c.OPENFGA_API_URL).toMatch(/^https?:\/\//);
        expect(c.OPENFGA_STORE_ID).toBeTruthy();
        expect(c.DATABASE_URL).toMatch(/^postgres:\/\//);
      }
      expect(config('mcp-edge').REDIS_URL).toMatch(/^rediss?:\/\//);
      expect(config('auth').DATABASE_URL).toMatch(/^postgres:\/\//);
    });

    it('is refused when a secret its folder must hold is missing (the check can fail)', () => {
      const env = environment(objects(), 'auth', ['AUTH_SIGNING_KEYS']);
      expect(() => parseConfig(authConfigSchema, env)).toThrow(ConfigError);
      expect(() => parseConfig(authConfigSchema, env)).toThrow(/AUTH_SIGNING_KEYS/);
      const agentEnv = environment(objects(), 'agent', ['OPENFGA_STORE_ID']);
      expect(() => parseConfig(agentConfigSchema, agentEnv)).toThrow(/OPENFGA_STORE_ID/);
    });

    it('keeps secrets out of the ConfigMap', () => {
      const data = generated(objects(), 'ConfigMap', 'mcp-langgraph-config')?.data ?? {};
      for (const key of Object.keys(data))
        expect(key).not.toMatch(/SECRET|PASSWORD|_KEY$|_KEYS$|TOKEN|DATABASE_URL|REDIS_URL/);
    });
  });
