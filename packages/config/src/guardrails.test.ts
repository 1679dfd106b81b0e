import type { z } from 'zod';
import { agentConfigSchema, authConfigSchema, ConfigError, edgeConfigSchema, parseConfig } from './index.js';

/** What a production start-up with this environment refuses (empty when it starts). */
function refused(schema: z.ZodObject, env: Record<string, string | undefined>): readonly string[] {
  try {
    parseConfig(schema, env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

const shared = {
  APP_ENV: 'production',
  OPS_PORT: '9464',
  AUTH_ISSUER: 'https://auth.example.com',
  EDGE_PUBLIC_URL: 'https://mcp.example.com',
  AGENT_PUBLIC_URL: 'https://agent.internal',
  OPENFGA_API_URL: 'https://fga.internal',
  OPENFGA_STORE_ID: 'store-1',
  GATEWAY_SECRET: 'gateway-secret-5e7a9c1b3d',
};
const edge = {
  ...shared,
  BIND_HOST: '0.0.0.0',
  MCP_ALLOWED_HOSTS: 'mcp.example.com',
  REDIS_URL: 'redis://:r3dis-generated-pass@redis:6379',
  EDGE_CLIENT_SECRET: 'edge-generated-secret-8f2a',
};
const agent = {
  ...shared,
  DATABASE_URL: 'postgres://agent:generated-dev-pass-77@db/agent',
  AGENT_CLIENT_SECRET: 'agent-generated-secret-4c1d',
  LLM_MODEL: 'anthropic:claude-sonnet-4-5',
};
const auth = {
  ...shared,
  DATABASE_URL: 'postgres://auth:generated-dev-pass-77@db/auth',
  AUTH_SIGNING_KEYS: '[]',
  EDGE_CLIENT_SECRET: 'edge-generated-secret-8f2a',
  AGENT_CLIENT_SECRET: 'agent-generated-secret-4c1d',
};

describe('production guardrails', () => {
  it('start a well-configured deployment', () => {
    expect(refused(edgeConfigSchema, edge)).toEqual([]);
    expect(refused(agentConfigSchema, agent)).toEqual([]);
    expect(refused(authConfigSchema, auth)).toEqual([]);
  });

  it('refuse the secrets docker-compose publishes, inside connection URLs too', () => {
    expect(
      refused(edgeConfigSchema, { ...edge, EDGE_CLIENT_SECRET: 'compose-dev-edge-secret-change-me' }),
    ).toEqual([expect.stringMatching(/^EDGE_CLIENT_SECRET holds a secret published in this repository/)]);
    expect(
      refused(agentConfigSchema, {
        ...agent,
        DATABASE_URL: 'postgres://mcp:mcp-dev-password@postgres:5432/mcp',
      }),
    ).toEqual([expect.stringMatching(/^DATABASE_URL holds a secret published/)]);
    expect(
      refused(authConfigSchema, { ...auth, AGENT_CLIENT_SECRET: 'compose-dev-agent-secret-change-me' }),
    ).toEqual([expect.stringMatching(/^AGENT_CLIENT_SECRET holds a secret published/)]);
    // A laptop may use them.
    expect(refused(edgeConfigSchema, { EDGE_CLIENT_SECRET: 'compose-dev-edge-secret-change-me' })).toEqual(
      [],
    );
  });

  it('refuse the offline model anywhere in the fallback chain', () => {
    for (const extra of [
      { LLM_FALLBACK_MODELS: 'openai:gpt-4.1-mini,offline' },
      { LLM_FALLBACK_PROVIDERS: 'openai,offline' },
    ])
      expect(refused(agentConfigSchema, { ...agent, ...extra })).toEqual([
        expect.stringMatching(
          /^LLM_FALLBACK_MODELS \/ LLM_FALLBACK_PROVIDERS must not name the offline model/,
        ),
      ]);
    expect(refused(agentConfigSchema, { ...agent, LLM_FALLBACK_MODELS: 'openai:gpt-4.1-mini' })).toEqual([]);
    expect(refused(agentConfigSchema, { LLM_FALLBACK_MODELS: 'offline' })).toEqual([]);
  });

  it('refuse an edge on a public bind without MCP_ALLOWED_HOSTS', () => {
    const { MCP_ALLOWED_HOSTS: _, ...withoutHosts } = edge;
    expect(refused(edgeConfigSchema, withoutHosts)).toEqual([
      expect.stringMatching(
        /^MCP_ALLOWED_HOSTS must list the public host names in production when BIND_HOST \(0\.0\.0\.0\)/,
      ),
    ]);
    expect(refused(edgeConfigSchema, { ...withoutHosts, BIND_HOST: '127.0.0.1' })).toEqual([]);
  });

  it('let the edge run without DATABASE_URL when authorization is OpenFGA, and only then', () => {
    expect(refused(edgeConfigSchema, edge)).toEqual([]);
    const { OPENFGA_STORE_ID: _, ...embeddedAuthz } = edge;
    const problems = refused(edgeConfigSchema, embeddedAuthz);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^DATABASE_URL/),
        expect.stringMatching(/^OPENFGA_API_URL/),
      ]),
    );
    const { DATABASE_URL: __, ...agentWithoutDb } = agent;
    expect(refused(agentConfigSchema, agentWithoutDb)).toEqual([
      expect.stringMatching(/^DATABASE_URL must be set/),
    ]);
  });
});
