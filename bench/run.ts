/**
 * `npm run bench [name...]`: runs every `bench/*.bench.ts` (or the named ones) one after another.
 * Each benchmark measures its own baseline in the same run and prints ratios, because these
 * machines are noisy; absolute figures are for context only.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

async function main() {
  const wanted = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
    .sort();
  if (files.length === 0) throw new Error(`no benchmark matches ${wanted.join(', ')}`);
  for (const file of files) {
    console.log(`\n### ${file}`);
    const mod = (await import(join(__dirname, file))) as { run(): Promise<void> };
    await mod.run();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
