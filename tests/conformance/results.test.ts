import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judge, readExpectedFailures, readResults } from './results.js';

describe('reading the conformance suite’s results against the expected failures', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'conformance-results-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function file(text: string): string {
    const path = join(dir, 'expected.yaml');
    writeFileSync(path, text);
    return path;
  }

  it('reads entries with their reasons and refuses one without a reason or listed twice', () => {
    const entries = readExpectedFailures(file('server:\n  # group\n  - a-b:c-d # calls test_x\n'));
    expect([...entries]).toEqual([['a-b:c-d', 'calls test_x']]);
    expect(() => readExpectedFailures(file('server:\n  - a-b:c-d\n'))).toThrow(/not "- <scenario>/);
    expect(() => readExpectedFailures(file('server:\n  - a:b # x\n  - a:b # y\n'))).toThrow(/listed twice/);
  });

  it('names scenarios from the output folders and sorts every check', () => {
    for (const [name, checks] of [
      ['server-tools-list-2026-12-02T04-19-52-692Z', [{ id: 'tools-list', status: 'SUCCESS' }]],
      [
        'server-tools-call-image-2026-12-02T04-19-52-700Z',
        [
          { id: 'tools-call-image', status: 'FAILURE', errorMessage: 'Tool test_image_content not found' },
          { id: 'wire-schema-valid', status: 'SUCCESS' },
        ],
      ],
      [
        'server-ping-2026-12-02T04-19-52-800Z',
        [
          { id: 'ping', status: 'FAILURE', errorMessage: 'Method not found' },
          { id: 'ping-shape', status: 'WARNING', errorMessage: 'a SHOULD' },
          { id: 'listed-but-passes', status: 'SUCCESS' },
        ],
      ],
    ] as const) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'checks.json'), JSON.stringify(checks));
    }
    const results = readResults(dir);
    expect(results.map((r) => r.scenario)).toEqual(['ping', 'tools-call-image', 'tools-list']);
    const verdict = judge(
      results,
      new Map([
        ['tools-call-image:tools-call-image', 'fixture'],
        ['ping:listed-but-passes', 'fixture'],
      ]),
    );
    expect(verdict).toEqual({
      scenarios: 3,
      passed: 3,
      failed: ['ping:ping: Method not found'],
      expected: ['tools-call-image:tools-call-image'],
      stale: ['ping:listed-but-passes'],
      warnings: ['ping:ping-shape: a SHOULD'],
    });
  });
});
