import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { parse } from 'yaml';
import type { TupleKey } from './authorizer.js';
import { EmbeddedAuthorizer } from './embedded.js';
import { loadModel } from './model-loader.js';
import { openSqliteTupleStore } from './store/sqlite.js';

/** The outcome of one `.fga.yaml` file: one count per asserted relation. */
export interface ModelTestReport {
  passed: number;
  failed: number;
  skipped: number;
  /** One line per failed assertion, saying what was expected and what came back. */
  failures: string[];
  /** One line per skipped assertion group, with the reason. */
  skips: string[];
}

interface FileTuple extends TupleKey {
  condition?: unknown;
}

interface CheckSpec {
  user?: string;
  users?: string[];
  object?: string;
  objects?: string[];
  context?: unknown;
  assertions?: Record<string, boolean>;
}

interface ListObjectsSpec {
  user: string;
  type: string;
  context?: unknown;
  assertions?: Record<string, string[] | null>;
}

interface TestSpec {
  name?: string;
  tuples?: FileTuple[];
  tuple_file?: string;
  tuple_files?: string[];
  check?: CheckSpec[];
  list_objects?: ListObjectsSpec[];
  list_users?: unknown[];
}

interface StoreFile extends TestSpec {
  model?: string;
  model_file?: string;
  tests?: TestSpec[];
}

/** Reads tuples from a YAML, JSON or CSV file (the formats `fga model test` accepts). */
async function readTupleFile(path: string): Promise<FileTuple[]> {
  const text = await readFile(path, 'utf8');
  if (extname(path).toLowerCase() !== '.csv') return (parse(text) as FileTuple[] | null) ?? [];
  const [header, ...lines] = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const columns = (header ?? '').split(',').map((c) => c.trim());
  return lines.map((line) => {
    const cells = line.split(',').map((c) => c.trim());
    const get = (name: string) => cells[columns.indexOf(name)] ?? '';
    const userRelation = get('user_relation');
    return {
      user: `${get('user_type')}:${get('user_id')}${userRelation ? `#${userRelation}` : ''}`,
      relation: get('relation'),
      object: `${get('object_type')}:${get('object_id')}`,
      ...(get('condition_name') ? { condition: get('condition_name') } : {}),
    };
  });
}

async function tuplesOf(spec: TestSpec, base: string): Promise<FileTuple[]> {
  const files = [...(spec.tuple_file ? [spec.tuple_file] : []), ...(spec.tuple_files ?? [])];
  const fromFiles = await Promise.all(files.map((f) => readTupleFile(resolve(base, f))));
  return [...(spec.tuples ?? []), ...fromFiles.flat()];
}

const sorted = (values: readonly string[]) => [...values].sort();

/**
 * Runs a store test file in the format of `fga model test` (`model`/`model_file`, `tuples`/`tuple_file`,
 * `tests[]` with `check` and `list_objects` assertions) against the embedded engine. Paths in the file
 * are relative to it. Each test starts from an empty store holding the file's tuples and its own.
 * Assertions that need conditions, and `list_users`, are counted as skipped with the reason.
 */
export async function runModelTestFile(path: string): Promise<ModelTestReport> {
  const base = dirname(resolve(path));
  const file = (parse(await readFile(path, 'utf8')) ?? {}) as StoreFile;
  const dsl =
    file.model ?? (file.model_file ? await readFile(resolve(base, file.model_file), 'utf8') : undefined);
  if (!dsl) throw new Error(`${path}: neither model nor model_file is set`);
  const model = loadModel(dsl);
  const shared = await tuplesOf(file, base);
  const report: ModelTestReport = { passed: 0, failed: 0, skipped: 0, failures: [], skips: [] };
  const skip = (count: number, reason: string) => {
    report.skipped += count;
    report.skips.push(reason);
  };
  const verdict = (ok: boolean, failure: string) => {
    if (ok) report.passed++;
    else {
      report.failed++;
      report.failures.push(failure);
    }
  };

  for (const [index, test] of (file.tests ?? []).entries()) {
    const name = test.name ?? `test ${index + 1}`;
    const tuples = [...shared, ...(await tuplesOf(test, base))];
    const checkCount = (test.check ?? []).reduce(
      (n, c) =>
        n +
        Object.keys(c.assertions ?? {}).length *
          (c.users ?? [c.user]).length *
          (c.objects ?? [c.object]).length,
      0,
    );
    const listCount = (test.list_objects ?? []).reduce(
      (n, l) => n + Object.keys(l.assertions ?? {}).length,
      0,
    );
    if (test.list_users?.length) skip(test.list_users.length, `${name}: list_users is not supported`);
    if (tuples.some((t) => t.condition !== undefined)) {
      skip(
        checkCount + listCount,
        `${name}: conditional tuples need CEL, which the embedded engine does not evaluate`,
      );
      continue;
    }
    const authz = new EmbeddedAuthorizer(model, await openSqliteTupleStore(':memory:'));
    try {
      for (let i = 0; i < tuples.length; i += 100) {
        await authz.write(
          tuples.slice(i, i + 100).map(({ user, relation, object }) => ({ user, relation, object })),
        );
      }
      for (const check of test.check ?? []) {
        const relations = Object.entries(check.assertions ?? {});
        const pairs = (check.users ?? [check.user ?? '']).flatMap((user) =>
          (check.objects ?? [check.object ?? '']).map((object) => ({ user, object })),
        );
        if (check.context !== undefined) {
          skip(relations.length * pairs.length, `${name}: check with context needs CEL`);
          continue;
        }
        for (const { user, object } of pairs) {
          for (const [relation, expected] of relations) {
            const what = `${name}: check ${object}#${relation}@${user}`;
            try {
              const allowed = await authz.check({ user, relation, object });
              verdict(allowed === expected, `${what}: expected ${expected}, got ${allowed}`);
            } catch (err) {
              verdict(false, `${what}: ${(err as Error).message}`);
            }
          }
        }
      }
      for (const list of test.list_objects ?? []) {
        const relations = Object.entries(list.assertions ?? {});
        if (list.context !== undefined) {
          skip(relations.length, `${name}: list_objects with context needs CEL`);
          continue;
        }
        for (const [relation, expected] of relations) {
          const what = `${name}: list_objects ${list.type}#${relation}@${list.user}`;
          try {
            const got = sorted(await authz.listObjects({ user: list.user, relation, type: list.type }));
            const want = sorted(expected ?? []);
            verdict(
              JSON.stringify(got) === JSON.stringify(want),
              `${what}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`,
            );
          } catch (err) {
            verdict(false, `${what}: ${(err as Error).message}`);
          }
        }
      }
    } catch (err) {
      verdict(false, `${name}: ${(err as Error).message}`);
    } finally {
      await authz.close();
    }
  }
  return report;
}
