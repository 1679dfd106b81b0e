/** Nanoseconds `reps` calls of `work` take. */
function round(work: () => void, reps: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) work();
  return Number(process.hrtime.bigint() - start);
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

/** Rounds of each input per attempt, taken in turn so both see the same load. */
const ROUNDS = 5;
/** Attempts at most; a ratio this far under 64× ends them early. */
const ATTEMPTS = 3;
const CLEARLY_LINEAR = 12;

/**
 * How many times more `large` costs than `small`, measured in the same run (never an absolute
 * duration). For inputs eight times longer, linear work costs about 8×; work that rescans its
 * input for every character costs about 64×. The machine is shared with other test workers, so
 * each side's cost is its best of several interleaved rounds (the least disturbed measurement of
 * the same work), and an attempt disturbed anyway is retried: the ratio reported is the best one.
 */
export function costRatio(small: () => void, large: () => void): number {
  small();
  large();
  const reps = repsFor(small);
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < ATTEMPTS && best >= CLEARLY_LINEAR; attempt++) {
    let smallCost = Number.POSITIVE_INFINITY;
    let largeCost = Number.POSITIVE_INFINITY;
    for (let r = 0; r < ROUNDS; r++) {
      smallCost = Math.min(smallCost, round(small, reps));
      largeCost = Math.min(largeCost, round(large, reps));
    }
    best = Math.min(best, largeCost / smallCost);
  }
  return best;
}
