import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { describeWhenAvailable } from '@mcp-langgraph/testing';

/** The git-ignored folder `scripts/tools.sh` installs the Node 22 tools into. */
export const TOOLS_DIR = resolve(__dirname, '..', '..', '.tools');
const NODE_BIN = join(TOOLS_DIR, 'node_modules', 'node', 'bin');
const BIN = join(TOOLS_DIR, 'node_modules', '.bin');

export const CONFORMANCE = join(BIN, 'conformance');
export const INSPECTOR = join(BIN, 'mcp-inspector');

/** Why the tools cannot run, or undefined when Node 22 and both tools are in place. */
function missing(): string | undefined {
  const node = join(NODE_BIN, 'node');
  if (!existsSync(node)) return `Node 22 is not installed in ${TOOLS_DIR}`;
  const version = spawnSync(node, ['-v'], { encoding: 'utf8', timeout: 10_000 }).stdout?.trim() ?? '';
  if (!version.startsWith('v22.')) return `${node} is ${version || 'not runnable'}, not Node 22`;
  for (const bin of [CONFORMANCE, INSPECTOR]) if (!existsSync(bin)) return `${bin} is not installed`;
  return undefined;
}

/**
 * `describe` for tests that run the Node 22 tools. Tools not installed: a loud failure under
 * CI=true (CI runs scripts/tools.sh first), a skip with the reason printed everywhere else.
 */
export function describeWithTools(name: string, fn: () => void): void {
  const reason = missing();
  describeWhenAvailable(name, fn, {
    missing: reason && `${reason} (run scripts/tools.sh)`,
    need: 'the tools in .tools/',
    ciHint: 'CI must run scripts/tools.sh before the tests',
  });
}

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a tool with Node 22 first on PATH and a throwaway HOME (the Inspector keeps a catalog
 * there), without blocking the test process; killed after `timeoutMs`.
 */
export async function runTool(bin: string, args: string[], timeoutMs: number): Promise<ToolRun> {
  const home = mkdtempSync(join(tmpdir(), 'mcp-tools-home-'));
  const env = {
    ...process.env,
    PATH: `${NODE_BIN}${delimiter}${process.env.PATH ?? ''}`,
    HOME: home,
    // No colours in what the tests read and print.
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
  try {
    return await new Promise<ToolRun>((done, fail) => {
      const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        stdout += s;
      });
      child.stderr.setEncoding('utf8').on('data', (s: string) => {
        stderr += s;
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('error', (err) => {
        clearTimeout(timer);
        fail(err);
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        done({ code, stdout, stderr });
      });
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
