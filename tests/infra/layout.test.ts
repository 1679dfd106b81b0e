import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Workspace folders under apps/ and packages/ that hold a package. */
function workspaces(): string[] {
  return ['apps', 'packages'].flatMap((top) =>
    readdirSync(join(ROOT, top))
      .filter((d) => statSync(join(ROOT, top, d)).isDirectory())
      .filter((d) => {
        try {
          return statSync(join(ROOT, top, d, 'package.json')).isFile();
        } catch {
          return false;
        }
      })
      .map((d) => `${top}/${d}`),
  );
}

describe('repository layout', () => {
  it('has a row in the README package table for every workspace, and none for what is gone', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| service '), readme.indexOf('## Two commands'));
    const documented = [...table.matchAll(/^\|\s*`((?:apps|packages)\/[^`]+)`/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(workspaces().sort());
  });

  it('keeps every source file under 400 lines', () => {
    const long: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (['node_modules', 'dist', '.data', '.turbo', 'testdata'].includes(entry.name)) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(ts|mts|cjs|js)$/.test(entry.name)) {
          const lines = readFileSync(path, 'utf8').split('\n').length - 1;
          if (lines > 400) long.push(`${path.slice(ROOT.length + 1)} (${lines})`);
        }
      }
    };
    for (const top of ['apps', 'packages', 'scripts', 'bench', 'tests']) walk(join(ROOT, top));
    expect(long).toEqual([]);
  });
});
