import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The agent running as a child process (`agent-process.ts` under tsx), as the platform starts it. */
export interface AgentProcess {
  url: string;
  child: ChildProcess;
  /** What it printed, for failure messages. */
  output(): string;
  /** Kills it with `signal` and resolves once it is gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts the agent with `env` and `args` on `port`, and resolves once `/readyz` answers. */
export async function startAgentProcess(
  env: Record<string, string>,
  args: string[],
  port: number,
): Promise<AgentProcess> {
  const tsx = join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs');
  const script = join(__dirname, 'agent-process.ts');
  const child = spawn(process.execPath, ['--conditions=development', '--import', tsx, script, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env, AGENT_PORT: String(port), BIND_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  for (const stream of [child.stdout, child.stderr])
    stream?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the agent exited with ${child.exitCode}:\n${printed}`);
    const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the agent was not ready within 60 s:\n${printed}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => printed,
    kill: (signal) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
