import { runValidationSuite } from './validation/run-suite.js';

describe('@langchain/langgraph-checkpoint-validation on the SQLite saver', () => {
  it('passes every case, none skipped', async () => {
    const result = await runValidationSuite('sqlite');
    process.stdout.write(
      `checkpoint validation (sqlite): ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped\n`,
    );
    expect(result.failures).toEqual([]);
    expect(result.total).toBeGreaterThan(700);
    expect(result).toMatchObject({ failed: 0, skipped: 0, passed: result.total });
  }, 120_000);
});
