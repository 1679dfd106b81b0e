import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discover, register } from '../e2e/oauth-client.js';
import { REDIRECT_URI, useStack } from '../e2e/stack.js';
import { judge, readExpectedFailures, readResults, type Verdict } from './results.js';
import { startTokenProxy, type TokenProxy } from './token-proxy.js';
import { CONFORMANCE, describeWithTools, runTool } from './tools.js';

const EXPECTED_FILE = join(__dirname, 'expected-failures.yaml');
const KNOWN_REVISIONS = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25', '2026-07-28'];

/**
 * How each revision is run: the suite has frozen requirement sets for 2026-07-28 and 2025-11-25;
 * 2025-06-18 has none, so its scenarios are chosen by --spec-version and the proxy offers 2025-06-18
 * in `initialize` (the suite's client always asks for 2025-11-25), which puts the run on that wire.
 */
const REVISIONS: { revision: string; args: string[]; pinInitialize?: string }[] = [
  { revision: '2026-07-28', args: ['--requirements', '2026-07-28'] },
  { revision: '2025-11-25', args: ['--requirements', '2025-11-25'] },
  { revision: '2025-06-18', args: ['--spec-version', '2025-06-18'], pinInitialize: '2025-06-18' },
];

describeWithTools('the official MCP conformance suite against the real edge', () => {
  const stack = useStack();
  const expected = readExpectedFailures(EXPECTED_FILE);
  const seenExpected = new Set<string>();
  let proxy: TokenProxy;
  let token = '';
  let pin: string | undefined;

  beforeAll(async () => {
    const { mcp, edge } = stack.services().urls;
    const d = await discover(mcp);
    token = await stack.signIn(d, await register(d, REDIRECT_URI), 'alice', 'secret-a');
    proxy = await startTokenProxy(edge, { token: () => token, initializeVersion: () => pin });
  });

  afterAll(async () => {
    await proxy?.close();
  });

  it.each(REVISIONS)(
    'meets what $revision requires, apart from checks of the suite’s fixtures',
    async ({ revision, args, pinInitialize }) => {
      const out = mkdtempSync(join(tmpdir(), `conformance-${revision}-`));
      pin = pinInitialize;
      proxy.resetVersions();
      try {
        const run = await runTool(
          CONFORMANCE,
          ['server', '--url', proxy.url(new URL(stack.services().urls.mcp).pathname), ...args, '-o', out],
          240_000,
        );
        const results = readResults(out);
        if (results.length === 0)
          throw new Error(`the suite wrote no results (exit ${run.code}):\n${run.stderr}\n${run.stdout}`);
        const verdict: Verdict = judge(results, expected);
        for (const key of verdict.expected) seenExpected.add(key);
        console.log(
          [
            `conformance ${revision}: ${verdict.scenarios} scenarios, ${verdict.passed} checks passed, ` +
              `${verdict.failed.length} failed, ${verdict.expected.length} expected failures (suite fixtures), ` +
              `${verdict.warnings.length} warnings`,
            ...verdict.warnings.map((w) => `  warning ${w}`),
            ...verdict.failed.map((f) => `  FAILED ${f}`),
            ...verdict.stale.map((s) => `  now passes, remove from expected-failures.yaml: ${s}`),
          ].join('\n'),
        );

        // The run happened at this revision's wire, not another one the edge also serves.
        const versions = proxy.versions();
        expect(versions[revision]).toBeGreaterThan(0);
        expect(Object.keys(versions).filter((v) => KNOWN_REVISIONS.includes(v) && v !== revision)).toEqual(
          [],
        );

        expect(verdict.failed).toEqual([]);
        expect(verdict.stale).toEqual([]);
        expect(verdict.passed).toBeGreaterThan(0);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
    300_000,
  );

  it('lists no expected failure that failed in none of the runs', () => {
    expect([...expected.keys()].filter((key) => !seenExpected.has(key))).toEqual([]);
  });
});
