import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ValidationTarget } from './initializers.js';

/** What one run of the validation package reported. */
export interface SuiteResult {
  passed: number;
  failed: number;
  skipped: number;
  total: number;
  /** Names and first lines of the failures, for the assertion message. */
  failures: string[];
  /** vitest's own output when it produced no report (it could not start). */
  output: string;
}

interface Report {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numTotalTests: number;
  testResults: Array<{
    message?: string;
    assertionResults: Array<{ status: string; fullName: string; failureMessages?: string[] }>;
  }>;
}

/**
 * Runs `@langchain/langgraph-checkpoint-validation` against one of our savers. The package's spec
 * functions use vitest's globals (and `expect.soft`), so they run under vitest in a child
 * process, with the JSON reporter, and jest asserts on the counts.
 */
export function runValidationSuite(target: ValidationTarget): Promise<SuiteResult> {
  const out = mkdtempSync(join(tmpdir(), 'checkpoint-validation-'));
  const reportFile = join(out, 'report.json');
  const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
  const args = [vitest, 'run', '--config', join(__dirname, 'vitest.config.mjs')];
  args.push('--reporter=json', `--outputFile=${reportFile}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: __dirname,
      env: { ...process.env, CHECKPOINT_VALIDATION_TARGET: target, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.on('error', reject);
    child.on('close', () => {
      try {
        let report: Report | undefined;
        try {
          report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
        } catch {
          report = undefined;
        }
        if (!report) {
          resolve({ passed: 0, failed: 0, skipped: 0, total: 0, failures: [], output: output.slice(-4000) });
          return;
        }
        const failures = report.testResults.flatMap((file) => [
          ...(file.message ? [file.message.slice(0, 500)] : []),
          ...file.assertionResults
            .filter((a) => a.status === 'failed')
            .map((a) => `${a.fullName}: ${(a.failureMessages?.[0] ?? '').split('\n')[0]}`),
        ]);
        resolve({
          passed: report.numPassedTests,
          failed: report.numFailedTests,
          skipped: report.numPendingTests + report.numTodoTests,
          total: report.numTotalTests,
          failures,
          output: output.slice(-4000),
        });
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  });
}
