import type { ValidationTarget } from './initializers.js';
import { runValidationSuite } from './run-suite.js';

/**
 * One jest case that runs the whole validation package against a saver and asserts every case
 * passed and none was skipped, printing the counts for the test log.
 */
export function itPassesTheValidationSuite(target: ValidationTarget, timeoutMs: number): void {
  it(
    'passes every case, none skipped',
    async () => {
      const result = await runValidationSuite(target);
      process.stdout.write(
        `checkpoint validation (${target}): ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped\n`,
      );
      expect(result.failures).toEqual([]);
      // The package has 726 cases for a saver; a run that found far fewer did not really run.
      expect(result.total).toBeGreaterThan(700);
      expect(result).toMatchObject({ failed: 0, skipped: 0, passed: result.total });
    },
    timeoutMs,
  );
}
