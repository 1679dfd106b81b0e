/**
 * `npm start`: the three services on one machine with the embedded defaults (SQLite under
 * DATA_DIR, embedded authorization engine, offline model). Ports, data folder and seed users
 * come from the environment and `.env`. Ctrl-C stops all three.
 */
import { resolve } from 'node:path';
import { readEnvironment } from '@mcp-langgraph/config';
import { ROOT, type ServiceName, startServices } from './services';

const COLORS: Record<ServiceName, string> = { auth: '\x1b[35m', agent: '\x1b[36m', 'mcp-edge': '\x1b[33m' };

async function main() {
  const env = readEnvironment(process.env, resolve(ROOT, '.env'));
  const num = (v: string | undefined, d: number) => (v ? Number(v) : d);
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) extra[k] = v;
  extra.AUTH_SEED_USERS ??= 'alice:secret-a,bob:secret-b';
  extra.LOG_LEVEL ??= 'info';
  const color = process.stdout.isTTY;
  const running = await startServices({
    dataDir: resolve(ROOT, env.DATA_DIR ?? '.data'),
    publicHost: 'localhost',
    ports: {
      edge: num(env.EDGE_PORT, 4000),
      auth: num(env.AUTH_PORT, 4001),
      agent: num(env.AGENT_PORT, 4002),
    },
    env: extra,
    restart: true,
    onLine: (name, line) => {
      const tag = color ? `${COLORS[name]}${name.padEnd(8)}\x1b[0m` : name.padEnd(8);
      process.stdout.write(`${tag} | ${line}\n`);
    },
  });
  const { urls } = running;
  process.stdout.write(
    [
      '',
      'mcp-langgraph is running:',
      `  MCP endpoint   ${urls.mcp}`,
      `  auth service   ${urls.auth}   (login page, OAuth 2.1, JWKS)`,
      `  agent service  ${urls.agent}   (internal: needs an agent-audience token)`,
      `  seed users     ${extra.AUTH_SEED_USERS.split(',')
        .map((u) => u.split(':')[0])
        .join(', ')}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping...\n');
    running.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
