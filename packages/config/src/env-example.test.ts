import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentConfigSchema, authConfigSchema, edgeConfigSchema, SECRET_NAMES } from './index.js';

const lines = readFileSync(join(__dirname, '..', '..', '..', '.env.example'), 'utf8').split('\n');
/** Each variable the example names, with the line above it. */
const named = new Map<string, string>();
lines.forEach((line, i) => {
  const m = /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line);
  if (m?.[1]) named.set(m[1], lines[i - 1] ?? '');
});

describe('.env.example', () => {
  it('names every variable of the three services', () => {
    const read = new Set(
      [authConfigSchema, agentConfigSchema, edgeConfigSchema].flatMap((s) => Object.keys(s.shape)),
    );
    expect([...read].filter((k) => !named.has(k))).toEqual([]);
  });

  it('marks every secret, and holds no value for one', () => {
    for (const name of [...SECRET_NAMES, 'INFISICAL_CLIENT_SECRET']) {
      expect([name, named.get(name)]).toEqual([name, expect.stringContaining('(secret)')]);
      const line = lines.find((l) => new RegExp(`^#?\\s*${name}=`).test(l)) ?? '';
      expect([name, line.split('=')[1]]).toEqual([
        name,
        expect.not.stringMatching(/^[A-Za-z0-9+/=_-]{12,}$/),
      ]);
    }
  });
});
