import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentConfigSchema, authConfigSchema, edgeConfigSchema } from './index.js';

describe('README configuration table', () => {
  it('documents every variable a service reads', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const documented = new Set([...readme.matchAll(/^\|\s*`([A-Z0-9_]+)`\s*\|/gm)].map((m) => m[1]));
    const read = new Set(
      [authConfigSchema, agentConfigSchema, edgeConfigSchema].flatMap((s) => Object.keys(s.shape)),
    );
    expect([...read].filter((k) => !documented.has(k))).toEqual([]);
  });
});
