/**
 * Load from a separate process, so the server under test keeps the machine's other core: wrk
 * (/usr/bin/wrk, written in C, so the generator costs little) with a Lua script that posts the
 * subject's body and reports its counts and latency percentiles as JSON; bench/load.ts (Node) when
 * wrk is not installed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const WRK = '/usr/bin/wrk';

export interface Subject {
  name: string;
  body: string;
  headers: Record<string, string>;
}

export interface LoadResult {
  rps: number;
  requests: number;
  p50Us: number;
  p99Us: number;
}

function collect(cmd: string, args: string[], stdin?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited with ${code}`))));
    child.stdin.end(stdin ?? '');
  });
}

/** A Lua long string that cannot be closed by the text inside it. */
function luaString(text: string): string {
  let eq = '=';
  while (text.includes(`]${eq}]`)) eq += '=';
  return `[${eq}[${text}]${eq}]`;
}

function wrkScript(subject: Subject): string {
  return [
    'wrk.method = "POST"',
    `wrk.body = ${luaString(subject.body)}`,
    ...Object.entries(subject.headers).map(([k, v]) => `wrk.headers[ ${luaString(k)} ] = ${luaString(v)}`),
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format(\'\\n{"requests":%d,"durationUs":%d,"bad":%d,"p50Us":%d,"p99Us":%d}\\n\',',
    '    summary.requests, summary.duration, e.status + e.connect + e.read + e.write + e.timeout,',
    '    latency:percentile(50), latency:percentile(99)))',
    'end',
  ].join('\n');
}

/** Requests per second and latency percentiles of `subject` against `url` for `seconds`. */
export async function runLoad(
  url: string,
  subject: Subject,
  seconds: number,
  connections: number,
): Promise<LoadResult> {
  if (!existsSync(WRK)) {
    const out = await collect(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'load.ts'), url, String(seconds * 1000), String(connections)],
      JSON.stringify({ body: subject.body, headers: subject.headers }),
    );
    return JSON.parse(out) as LoadResult;
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-wrk-'));
  try {
    const script = join(dir, 'subject.lua');
    writeFileSync(script, wrkScript(subject));
    const out = await collect(WRK, [
      '-t1',
      `-c${connections}`,
      `-d${seconds}s`,
      '--timeout',
      '10s',
      '-s',
      script,
      url,
    ]);
    const line = out.split('\n').find((l) => l.startsWith('{"requests"'));
    if (!line) throw new Error(`wrk printed no summary:\n${out}`);
    const r = JSON.parse(line) as {
      requests: number;
      durationUs: number;
      bad: number;
      p50Us: number;
      p99Us: number;
    };
    if (r.bad > 0) throw new Error(`${r.bad} of ${r.requests} requests to ${url} failed (${subject.name})`);
    return { rps: r.requests / (r.durationUs / 1e6), requests: r.requests, p50Us: r.p50Us, p99Us: r.p99Us };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
