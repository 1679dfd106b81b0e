/** Small timing helpers shared by the benchmarks. */

export interface Sample {
  opsPerSec: number;
  p50Us: number;
  p99Us: number;
}

/** Calls `fn` until `ms` have passed, adding each call's duration to `times`. */
async function timed(fn: () => unknown, ms: number, times: number[]): Promise<{ n: number; ms: number }> {
  let n = 0;
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
    n++;
  }
  return { n, ms: performance.now() - start };
}

function sampleOf(total: { n: number; ms: number }, times: number[]): Sample {
  times.sort((a, b) => a - b);
  const pct = (p: number) => (times[Math.min(times.length - 1, Math.floor(times.length * p))] ?? 0) * 1000;
  return { opsPerSec: (total.n / total.ms) * 1000, p50Us: pct(0.5), p99Us: pct(0.99) };
}

/** Runs `fn` for about `ms` milliseconds (after a warm-up) and reports throughput and latency percentiles. */
export async function measure(fn: () => unknown, ms = 1500, warmupMs = 300): Promise<Sample> {
  await timed(fn, warmupMs, []);
  const times: number[] = [];
  return sampleOf(await timed(fn, ms, times), times);
}

/**
 * Runs `base` and `subject` in alternating short slices so machine load hits both alike, and
 * returns both throughputs plus the median of the per-round ratios.
 */
export async function interleaved(
  base: () => unknown,
  subject: () => unknown,
  rounds = 30,
  sliceMs = 60,
): Promise<{ base: Sample; subject: Sample; medianRatio: number }> {
  const times = { base: [] as number[], subject: [] as number[] };
  await timed(base, sliceMs, []);
  await timed(subject, sliceMs, []);
  const totals = { base: { n: 0, ms: 0 }, subject: { n: 0, ms: 0 } };
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    // Alternate which side runs first, so neither always gets the warmer machine.
    const a = i % 2 === 0 ? await timed(base, sliceMs, times.base) : undefined;
    const b = await timed(subject, sliceMs, times.subject);
    const a2 = a ?? (await timed(base, sliceMs, times.base));
    totals.base.n += a2.n;
    totals.base.ms += a2.ms;
    totals.subject.n += b.n;
    totals.subject.ms += b.ms;
    ratios.push(b.n / b.ms / (a2.n / a2.ms));
  }
  ratios.sort((x, y) => x - y);
  return {
    base: sampleOf(totals.base, times.base),
    subject: sampleOf(totals.subject, times.subject),
    medianRatio: ratios[Math.floor(ratios.length / 2)]!,
  };
}

export function report(name: string, s: Sample, baseline?: Sample): void {
  const ratio = baseline ? `  ratio ${(s.opsPerSec / baseline.opsPerSec).toFixed(3)}` : '';
  console.log(
    `${name.padEnd(48)} ${Math.round(s.opsPerSec).toLocaleString('en-US').padStart(12)} ops/s  p50 ${s.p50Us.toFixed(1)} us  p99 ${s.p99Us.toFixed(1)} us${ratio}`,
  );
}
