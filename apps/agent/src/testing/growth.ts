/**
 * The least disturbed cost of `work`, in nanoseconds per call: `reps` calls per round, best of a
 * few rounds. Machines are noisy; the minimum over the same work is what the code costs.
 */
function cost(work: () => void, reps: number, rounds = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) work();
    best = Math.min(best, Number(process.hrtime.bigint() - start));
  }
  return best / reps;
}

/** How many calls of `work` take about two milliseconds (at least one), so a round is measurable. */
function repsFor(work: () => void): number {
  const start = process.hrtime.bigint();
  let reps = 0;
  while (Number(process.hrtime.bigint() - start) < 2e6 && reps < 10_000) {
    work();
    reps++;
  }
  return Math.max(reps, 1);
}

/**
 * How many times more `large` costs than `small`, measured in the same run (never an absolute
 * duration). For inputs eight times longer, linear work costs about 8×; work that rescans its
 * input for every character costs about 64×.
 */
export function costRatio(small: () => void, large: () => void): number {
  small();
  large();
  const reps = repsFor(small);
  return cost(large, reps) / cost(small, reps);
}
