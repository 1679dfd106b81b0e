/** Small timing helpers shared by the benchmarks. */

export interface Sample {
  opsPerSec: number;
  p50Us: number;
  p99Us: number;
}

/** Runs `fn` for about `ms` milliseconds (after a warm-up) and reports throughput and latency percentiles. */
export async function measure(fn: () => unknown, ms = 1500, warmupMs = 300): Promise<Sample> {
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) await fn();
  const times: number[] = [];
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  const total = performance.now() - start;
  times.sort((a, b) => a - b);
  const pct = (p: number) => (times[Math.min(times.length - 1, Math.floor(times.length * p))] ?? 0) * 1000;
  return { opsPerSec: (times.length / total) * 1000, p50Us: pct(0.5), p99Us: pct(0.99) };
}

export function report(name: string, s: Sample, baseline?: Sample): void {
  const ratio = baseline ? `  ratio ${(s.opsPerSec / baseline.opsPerSec).toFixed(3)}` : '';
  console.log(
    `${name.padEnd(48)} ${Math.round(s.opsPerSec).toLocaleString('en-US').padStart(12)} ops/s  p50 ${s.p50Us.toFixed(1)} us  p99 ${s.p99Us.toFixed(1)} us${ratio}`,
  );
}
