import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { TupleKey } from './authorizer.js';
import { EmbeddedAuthorizer } from './embedded.js';
import { AuthzError } from './errors.js';
import { loadModel } from './model-loader.js';
import { openSqliteTupleStore } from './store/sqlite.js';

interface Stage {
  model: string;
  tuples?: TupleKey[] | null;
  checkAssertions?: Array<{
    tuple: TupleKey;
    contextualTuples?: TupleKey[];
    context?: unknown;
    expectation?: boolean;
    errorCode?: number;
  }> | null;
  listObjectsAssertions?: Array<{
    request: { user: string; type: string; relation: string };
    contextualTuples?: TupleKey[];
    context?: unknown;
    expectation?: string[] | null;
    errorCode?: number;
  }> | null;
  listUsersAssertions?: Array<{
    request: { object: string; relation: string; filters: string[] };
    contextualTuples?: TupleKey[];
    context?: unknown;
    expectation?: string[] | null;
    errorCode?: number;
  }> | null;
}

interface Suite {
  tests: Array<{ name: string; stages: Stage[] }>;
}

const suite = parse(
  readFileSync(join(__dirname, '..', 'testdata', 'consolidated_1_1_tests.yaml'), 'utf8'),
) as Suite;

/** OpenFGA's numeric error codes for the engine's error codes. */
const OPENFGA_ERROR_CODES: Record<string, number> = {
  validation_error: 2000,
  resolution_too_complex: 2002,
  type_not_found: 2021,
  relation_not_found: 2022,
  invalid_tuple: 2027,
};

type Verdict = { status: 'passed' } | { status: 'failed' | 'skipped'; reason: string };

/** Why a stage cannot be evaluated by the embedded engine, if it cannot. */
function skipReason(stage: Stage): string | undefined {
  if (/\bcondition\b/.test(stage.model))
    return 'uses conditions (CEL is not evaluated by the embedded engine)';
  const withContext = [
    ...(stage.checkAssertions ?? []),
    ...(stage.listObjectsAssertions ?? []),
    ...(stage.listUsersAssertions ?? []),
  ].some((a) => a.context !== undefined);
  if (withContext) return 'passes a condition context (CEL is not evaluated by the embedded engine)';
  return undefined;
}

async function outcome<T>(run: () => Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await run() };
  } catch (error) {
    return { error };
  }
}

async function runTest(test: Suite['tests'][number]): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  const store = await openSqliteTupleStore(':memory:');
  try {
    for (const [index, stage] of test.stages.entries()) {
      const where = `${test.name} stage ${index + 1}`;
      const count =
        (stage.checkAssertions?.length ?? 0) +
        (stage.listObjectsAssertions?.length ?? 0) +
        (stage.listUsersAssertions?.length ?? 0);
      const skip = skipReason(stage);
      if (skip) {
        for (let i = 0; i < count; i++) verdicts.push({ status: 'skipped', reason: `${where}: ${skip}` });
        continue;
      }
      const authz = new EmbeddedAuthorizer(loadModel(stage.model), store, false);
      const tuples = stage.tuples ?? [];
      for (let i = 0; i < tuples.length; i += 100) await authz.write(tuples.slice(i, i + 100));
      for (const a of stage.checkAssertions ?? []) {
        const name = `${where} check ${a.tuple.object}#${a.tuple.relation}@${a.tuple.user}`;
        const r = await outcome(() =>
          authz.check({ ...a.tuple, contextualTuples: a.contextualTuples ?? [] }),
        );
        verdicts.push(judge(name, r, a.errorCode, a.expectation ?? false));
      }
      for (const a of stage.listObjectsAssertions ?? []) {
        const name = `${where} list ${a.request.type}#${a.request.relation}@${a.request.user}`;
        const r = await outcome(async () =>
          (await authz.listObjects({ ...a.request, contextualTuples: a.contextualTuples ?? [] })).sort(),
        );
        verdicts.push(judge(name, r, a.errorCode, [...(a.expectation ?? [])].sort()));
      }
      for (const a of stage.listUsersAssertions ?? []) {
        const { object, relation, filters } = a.request;
        const name = `${where} list users ${object}#${relation}@${filters.join(',')}`;
        const userFilters = filters.map((f) => {
          const [type = '', userRelation] = f.split('#');
          return { type, relation: userRelation };
        });
        const r = await outcome(async () =>
          (
            await authz.listUsers({
              object,
              relation,
              userFilters,
              contextualTuples: a.contextualTuples ?? [],
            })
          ).sort(),
        );
        verdicts.push(judge(name, r, a.errorCode, [...(a.expectation ?? [])].sort()));
      }
    }
  } finally {
    await store.close();
  }
  return verdicts;
}

function judge(
  name: string,
  r: { value?: unknown; error?: unknown },
  errorCode: number | undefined,
  expected: unknown,
): Verdict {
  if (errorCode !== undefined) {
    if (!r.error)
      return {
        status: 'failed',
        reason: `${name}: expected error ${errorCode}, got ${JSON.stringify(r.value)}`,
      };
    const code = r.error instanceof AuthzError ? OPENFGA_ERROR_CODES[r.error.code] : undefined;
    return code === errorCode
      ? { status: 'passed' }
      : {
          status: 'failed',
          reason: `${name}: expected error ${errorCode}, got ${(r.error as Error).message}`,
        };
  }
  if (r.error) return { status: 'failed', reason: `${name}: unexpected error ${(r.error as Error).message}` };
  return JSON.stringify(r.value) === JSON.stringify(expected)
    ? { status: 'passed' }
    : {
        status: 'failed',
        reason: `${name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(r.value)}`,
      };
}

describe('OpenFGA consolidated conformance suite (schema 1.1)', () => {
  it('answers every check, list-objects and list-users assertion as OpenFGA does', async () => {
    const verdicts: Verdict[] = [];
    for (const test of suite.tests) verdicts.push(...(await runTest(test)));
    const count = (s: Verdict['status']) => verdicts.filter((v) => v.status === s).length;
    const failures = verdicts.flatMap((v) => (v.status === 'failed' ? [v.reason] : []));
    const skips = [...new Set(verdicts.flatMap((v) => (v.status === 'skipped' ? [v.reason] : [])))];
    process.stdout.write(
      `OpenFGA conformance: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped\n` +
        skips.map((s) => `  skipped: ${s}\n`).join('') +
        failures.map((f) => `  FAILED: ${f}\n`).join(''),
    );
    expect(verdicts.length).toBeGreaterThan(900);
    expect(failures).toEqual([]);
  });
});
