import { describeWithPostgres } from '@mcp-langgraph/db/testing';
import { runValidationSuite } from './validation/run-suite.js';

describeWithPostgres('@langchain/langgraph-checkpoint-validation on the PostgreSQL saver', () => {
  it('passes every case, none skipped', async () => {
    const result = await runValidationSuite('postgres');
    process.stdout.write(
      `checkpoint validation (postgres): ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped\n`,
    );
    expect(result.failures).toEqual([]);
    expect(result.total).toBeGreaterThan(700);
    expect(result).toMatchObject({ failed: 0, skipped: 0, passed: result.total });
  }, 180_000);
});
