/**
 * A load generator in its own process, so the server under test has the machine's other core:
 * `tsx bench/load.ts <url> <ms> <concurrency>` with the subject `{body, headers}` as JSON on stdin;
 * prints `{rps, requests, p50Us, p99Us}` as JSON, or exits non-zero when any request failed.
 */
import { Agent, request } from 'node:http';

async function main() {
  const [url, msArg, concurrencyArg] = process.argv.slice(2);
  const ms = Number(msArg);
  const concurrency = Number(concurrencyArg);
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const subject = JSON.parse(input) as { body: string; headers: Record<string, string> };
  const target = new URL(url!);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const headers = { ...subject.headers, 'content-length': String(Buffer.byteLength(subject.body)) };
  const post = () =>
    new Promise<number>((resolve, reject) => {
      const start = performance.now();
      const req = request(target, { method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          times.push((performance.now() - start) * 1000);
          resolve(res.statusCode ?? 0);
        });
      });
      req.on('error', reject);
      req.end(subject.body);
    });
  const times: number[] = [];
  let done = 0;
  let bad = 0;
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        if ((await post()) === 200) done++;
        else bad++;
      }
    }),
  );
  agent.destroy();
  if (bad > 0) {
    process.stderr.write(`${bad} requests failed\n`);
    process.exit(1);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))] ?? 0;
  process.stdout.write(
    JSON.stringify({ rps: (done / ms) * 1000, requests: done, p50Us: pct(0.5), p99Us: pct(0.99) }),
  );
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
