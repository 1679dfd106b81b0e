import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

/** Repository root, found from this file so the script works from any working directory. */
export const ROOT = resolve(__dirname, '..');

export type ServiceName = 'auth' | 'agent' | 'mcp-edge';
export const SERVICES: readonly ServiceName[] = ['auth', 'agent', 'mcp-edge'];

export interface StartOptions {
  /** Folder for the SQLite files (auth, agent, checkpoints, authz). */
  dataDir: string;
  /** Extra environment for all three services (seed users, log level, ...). */
  env?: Record<string, string>;
  /** Fixed ports; any left out is picked free. */
  ports?: Partial<Record<'edge' | 'auth' | 'agent', number>>;
  /** Host name used in the public URLs. */
  publicHost?: string;
  /**
   * Write every URL the services are configured with as a platform team often does, with a
   * trailing slash (`AUTH_ISSUER=https://auth.example.com/`). The URLs returned stay unslashed.
   */
  trailingSlash?: boolean;
  /** Receives every output line, prefixed with the service name. Default: kept in memory only. */
  onLine?: (service: ServiceName, line: string) => void;
  readyTimeoutMs?: number;
  /**
   * Start a service again when it dies, after 1 s, doubling up to 30 s while it keeps dying (a run of a
   * minute resets the delay); each restart is announced on `onLine` (`npm start` does this).
   */
  restart?: boolean;
}

export interface RunningServices {
  urls: { edge: string; auth: string; agent: string; mcp: string };
  /** Everything the services printed so far (for test failure messages). */
  output(): string;
  /** The process id of a service as it runs now (a restart gives it a new one). */
  pid(name: ServiceName): number | undefined;
  stop(): Promise<void>;
}

const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 30_000;
/** A service that ran this long before dying restarts after the shortest delay again. */
const HEALTHY_RUN_MS = 60_000;

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

async function waitReady(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  name: string,
  output: () => string,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}:\n${output()}`);
    try {
      const r = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${name} was not ready at ${url}/readyz within ${timeoutMs} ms:\n${output()}`);
}

/**
 * Starts auth, agent and mcp-edge as separate processes with the embedded defaults and waits
 * until each answers `/readyz`. Used by `npm start` and by the end-to-end tests.
 */
export async function startServices(options: StartOptions): Promise<RunningServices> {
  const host = options.publicHost ?? '127.0.0.1';
  const ports = {
    auth: options.ports?.auth ?? (await freePort()),
    agent: options.ports?.agent ?? (await freePort()),
    edge: options.ports?.edge ?? (await freePort()),
  };
  const urls = {
    auth: `http://${host}:${ports.auth}`,
    agent: `http://${host}:${ports.agent}`,
    edge: `http://${host}:${ports.edge}`,
    mcp: `http://${host}:${ports.edge}/mcp`,
  };
  const slash = options.trailingSlash ? '/' : '';
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    DATA_DIR: options.dataDir,
    AUTH_PORT: String(ports.auth),
    AGENT_PORT: String(ports.agent),
    EDGE_PORT: String(ports.edge),
    AUTH_ISSUER: `${urls.auth}${slash}`,
    AGENT_PUBLIC_URL: `${urls.agent}${slash}`,
    AGENT_URL: `http://127.0.0.1:${ports.agent}${slash}`,
    EDGE_PUBLIC_URL: `${urls.edge}${slash}`,
    AUTH_INTERNAL_URL: `http://127.0.0.1:${ports.auth}${slash}`,
    ...options.env,
  };
  const lines: string[] = [];
  const children = new Map<ServiceName, ChildProcess>();
  const tsxLoader = join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs');
  let stopping = false;
  const say = (name: ServiceName, line: string) => {
    lines.push(`[${name}] ${line}`);
    if (lines.length > 2000) lines.shift();
    options.onLine?.(name, line);
  };

  function launch(name: ServiceName, delayMs = RESTART_MIN_MS): void {
    const startedAt = Date.now();
    const child = spawn(
      process.execPath,
      ['--conditions=development', '--import', tsxLoader, join(ROOT, 'apps', name, 'src', 'main.ts')],
      { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.set(name, child);
    for (const stream of [child.stdout, child.stderr]) {
      let buf = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        buf += chunk;
        let i = buf.indexOf('\n');
        while (i >= 0) {
          say(name, buf.slice(0, i));
          buf = buf.slice(i + 1);
          i = buf.indexOf('\n');
        }
      });
    }
    child.once('exit', (code, signal) => {
      if (stopping || !options.restart) return;
      const delay = Date.now() - startedAt >= HEALTHY_RUN_MS ? RESTART_MIN_MS : delayMs;
      say(name, `${name} exited (${signal ?? `code ${code}`}); restarting in ${delay / 1000} s`);
      setTimeout(() => {
        if (!stopping) launch(name, Math.min(delay * 2, RESTART_MAX_MS));
      }, delay).unref();
    });
  }
  for (const name of SERVICES) launch(name);
  const output = () => lines.join('\n');

  async function stop(): Promise<void> {
    stopping = true;
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((res) => {
            if (child.exitCode !== null || child.signalCode !== null) return res();
            const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(kill);
              res();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  }

  try {
    const timeout = options.readyTimeoutMs ?? 60_000;
    await Promise.all([
      waitReady(`http://127.0.0.1:${ports.auth}`, children.get('auth')!, timeout, 'auth', output),
      waitReady(`http://127.0.0.1:${ports.agent}`, children.get('agent')!, timeout, 'agent', output),
      waitReady(`http://127.0.0.1:${ports.edge}`, children.get('mcp-edge')!, timeout, 'mcp-edge', output),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { urls, output, pid: (name) => children.get(name)?.pid, stop };
}
