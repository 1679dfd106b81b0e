import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One check as the suite writes it to `<output>/<run>/checks.json`. */
export interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
  description?: string;
  errorMessage?: string;
  details?: { message?: string };
}

export interface ScenarioResult {
  scenario: string;
  checks: Check[];
}

/** Entry `<scenario>:<check-id>` → its reason. */
export type ExpectedFailures = Map<string, string>;

const ENTRY = /^\s*-\s*([a-z0-9-]+):([a-z0-9-]+)\s*#\s*(\S.*)$/;

/**
 * Reads the expected-failures file (the suite's `--expected-failures` YAML: a `server:` list of
 * `<scenario>:<check-id>`), insisting that every entry carries its reason as a comment.
 */
export function readExpectedFailures(path: string): ExpectedFailures {
  const entries: ExpectedFailures = new Map();
  for (const [i, line] of readFileSync(path, 'utf8').split('\n').entries()) {
    if (!/^\s*-/.test(line)) continue;
    const m = ENTRY.exec(line);
    if (!m) throw new Error(`${path}:${i + 1}: not "- <scenario>:<check-id> # <reason>": ${line.trim()}`);
    const key = `${m[1]}:${m[2]}`;
    if (entries.has(key)) throw new Error(`${path}:${i + 1}: ${key} is listed twice`);
    entries.set(key, m[3]!);
  }
  return entries;
}

/** Every scenario's checks from a run's output folder (`server-<scenario>-<timestamp>/checks.json`). */
export function readResults(outputDir: string): ScenarioResult[] {
  return readdirSync(outputDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({
      scenario: d.name.replace(/^server-/, '').replace(/-\d{4}-\d\d-\d\dT[\d-]+Z$/, ''),
      checks: JSON.parse(readFileSync(join(outputDir, d.name, 'checks.json'), 'utf8')) as Check[],
    }))
    .sort((a, b) => a.scenario.localeCompare(b.scenario));
}

export interface Verdict {
  scenarios: number;
  passed: number;
  /** Failing checks not in the expected-failures file: each one fails the test. */
  failed: string[];
  /** Failing (or warning) checks the file lists. */
  expected: string[];
  /** Listed checks that passed in this run: the file must drop them. */
  stale: string[];
  /** SHOULD-level findings outside the file, reported but not failing. */
  warnings: string[];
}

const why = (c: Check) => c.errorMessage || c.details?.message || c.description || '';

/** Sorts a run's checks against the expected failures, as the suite's own baseline check does. */
export function judge(results: ScenarioResult[], expected: ExpectedFailures): Verdict {
  const verdict: Verdict = {
    scenarios: results.length,
    passed: 0,
    failed: [],
    expected: [],
    stale: [],
    warnings: [],
  };
  for (const { scenario, checks } of results) {
    for (const check of checks) {
      const key = `${scenario}:${check.id}`;
      const listed = expected.has(key);
      if (check.status === 'SUCCESS') {
        verdict.passed++;
        if (listed) verdict.stale.push(key);
      } else if (listed && (check.status === 'FAILURE' || check.status === 'WARNING')) {
        verdict.expected.push(key);
      } else if (check.status === 'FAILURE') {
        verdict.failed.push(`${key}: ${why(check)}`);
      } else if (check.status === 'WARNING') {
        verdict.warnings.push(`${key}: ${why(check)}`);
      }
    }
  }
  return verdict;
}
