import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './manifests';

export interface Instruction {
  op: string;
  args: string;
}
export interface Stage {
  from: string;
  name?: string | undefined;
  steps: Instruction[];
}

/** A Dockerfile's stages and their instructions (continuations joined, comments dropped). */
export function parseDockerfile(path: string): Stage[] {
  const text = readFileSync(join(ROOT, path), 'utf8').replace(/\\\r?\n/g, ' ');
  const stages: Stage[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [op = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op.toUpperCase() === 'FROM') {
      const [image = '', as, name] = args.split(/\s+/);
      stages.push({ from: image, name: as?.toUpperCase() === 'AS' ? name : undefined, steps: [] });
    } else if (stages.length > 0) stages.at(-1)?.steps.push({ op: op.toUpperCase(), args });
  }
  return stages;
}

/** Docker's .dockerignore semantics, enough for these patterns: `**` any depth, `*` one segment, `!` re-includes. */
export function dockerignored(patterns: string[], path: string): boolean {
  let ignored = false;
  const segments = path.split('/');
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = (negate ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, '');
    const source = pattern
      .split('/')
      .map((seg) =>
        seg === '**' ? '(?:.*)' : seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'),
      )
      .join('/')
      .replace(/\(\?:\.\*\)\//g, '(?:.*/)?');
    const re = new RegExp(`^${source}$`);
    // A pattern that matches a directory excludes everything under it.
    const hit = segments.some((_, i) => re.test(segments.slice(0, i + 1).join('/')));
    if (hit) ignored = !negate;
  }
  return ignored;
}

export function dockerignorePatterns(): string[] {
  return readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}
