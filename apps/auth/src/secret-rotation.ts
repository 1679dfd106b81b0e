import {
  type AuthConfig,
  createRotatingSecret,
  followSecretRotations,
  type LiveConfig,
  type RotatingSecret,
  rotationOverlapMs,
} from '@mcp-langgraph/config';
import { type Logger, secretRotationCounter } from '@mcp-langgraph/observability';
import type { Registry } from 'prom-client';
import type { AuthContext } from './context.js';
import { ensureAgentClient, ensureEdgeClient } from './seed.js';

/** The auth service's secrets that rotate while it runs, each with its overlap window. */
export interface AuthSecrets {
  /** What Kong (and the edge's token exchange) must send in `X-Gateway-Secret`. */
  gateway: RotatingSecret;
  edgeClient: RotatingSecret;
  agentClient: RotatingSecret;
  /** The configured secrets of the edge's and the agent's clients, accepted besides the stored hash. */
  clientSecrets(clientId: string): readonly string[];
}

export function authSecrets(config: AuthConfig, now?: () => number): AuthSecrets {
  const options = { overlapMs: rotationOverlapMs(config), now };
  const gateway = createRotatingSecret('GATEWAY_SECRET', config.GATEWAY_SECRET, options);
  const edgeClient = createRotatingSecret('EDGE_CLIENT_SECRET', config.EDGE_CLIENT_SECRET, options);
  const agentClient = createRotatingSecret('AGENT_CLIENT_SECRET', config.AGENT_CLIENT_SECRET, options);
  return {
    gateway,
    edgeClient,
    agentClient,
    clientSecrets(clientId) {
      if (clientId === config.EDGE_CLIENT_ID) return edgeClient.accepted();
      if (clientId === config.AGENT_CLIENT_ID) return agentClient.accepted();
      return [];
    },
  };
}

/**
 * Applies rotated secrets to the running service: the gateway secret (read per request), the
 * edge's and the agent's client secrets (accepted at once; the stored hash follows), and
 * `AUTH_SIGNING_KEYS` (the first key signs from now on, every listed key is in the JWKS). The
 * database URL takes effect at the next restart.
 */
export function followAuthRotations(
  live: LiveConfig<AuthConfig>,
  deps: { context: AuthContext; secrets: AuthSecrets; logger: Logger; registry: Registry },
) {
  const { context, secrets } = deps;
  return followSecretRotations(live, {
    logger: deps.logger,
    count: secretRotationCounter(deps.registry),
    apply: {
      GATEWAY_SECRET: (c) => secrets.gateway.rotate(c.GATEWAY_SECRET),
      EDGE_CLIENT_SECRET: async (c) => {
        secrets.edgeClient.rotate(c.EDGE_CLIENT_SECRET);
        await ensureEdgeClient(context, c);
      },
      AGENT_CLIENT_SECRET: async (c) => {
        secrets.agentClient.rotate(c.AGENT_CLIENT_SECRET);
        await ensureAgentClient(context, c);
      },
      AUTH_SIGNING_KEYS: (c) => context.keys.configure(c.AUTH_SIGNING_KEYS),
    },
  });
}
