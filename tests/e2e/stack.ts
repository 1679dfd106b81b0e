import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectMcp } from '@mcp-langgraph/testing';
import type { Client } from '@modelcontextprotocol/client';
import { type RunningServices, type StartOptions, startServices } from '../../scripts/services.js';
import { authorize, type Discovery } from './oauth-client.js';

export const REDIRECT_URI = 'http://127.0.0.1:53682/callback';

export interface Stack {
  services(): RunningServices;
  /** The folder the services keep their SQLite files in. */
  dataDir(): string;
  /** Runs `what`; on failure the error carries the last lines the services printed. */
  explained<T>(what: () => Promise<T>): Promise<T>;
  /** An MCP client SDK connection with `token`, closed after the suite. */
  connect(token: string): Promise<Client>;
  /** Closes `client` after the suite, before the services stop. */
  track(client: Client): Client;
  /** Alice or bob through the login (and consent) pages; the access token. */
  signIn(d: Discovery, clientId: string, username: string, password: string): Promise<string>;
}

/**
 * The three real services as separate processes with their embedded defaults, started before the
 * suite (seed users alice and bob, a fast revocation feed) and stopped after it.
 */
export function useStack(options: Pick<StartOptions, 'trailingSlash' | 'env' | 'restart'> = {}): Stack {
  let services: RunningServices | undefined;
  let dataDir = '';
  const clients: Client[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mcp-langgraph-e2e-'));
    services = await startServices({
      dataDir,
      trailingSlash: options.trailingSlash,
      restart: options.restart,
      env: {
        AUTH_SEED_USERS: 'alice:secret-a,bob:secret-b',
        LOG_LEVEL: 'warn',
        REVOCATION_POLL_MS: '1000',
        ...options.env,
      },
      readyTimeoutMs: 90_000,
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await services?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const stack: Stack = {
    services() {
      if (!services) throw new Error('the services did not start');
      return services;
    },
    dataDir: () => dataDir,
    async explained(what) {
      try {
        return await what();
      } catch (err) {
        (err as Error).message +=
          `\n--- service output ---\n${services?.output().split('\n').slice(-60).join('\n')}`;
        throw err;
      }
    },
    async connect(token) {
      return stack.track(
        await stack.explained(() => connectMcp(stack.services().urls.mcp, token, { name: 'e2e' })),
      );
    },
    track(client) {
      clients.push(client);
      return client;
    },
    async signIn(d, clientId, username, password) {
      const outcome = await stack.explained(() =>
        authorize(d, { clientId, redirectUri: REDIRECT_URI, username, password }),
      );
      expect(outcome.scope.split(' ')).toEqual(expect.arrayContaining(['mcp:tools']));
      // A dynamically registered client gets the user's explicit consent.
      expect(outcome.consented).toBe(true);
      return outcome.accessToken;
    },
  };
  return stack;
}
