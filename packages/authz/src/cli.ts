import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bootstrapOpenFga } from './bootstrap.js';
import { runModelTestFile } from './model-test.js';

const USAGE = `usage:
  authz test <file.fga.yaml>...      run model tests (the format of \`fga model test\`) on the embedded engine
  authz bootstrap [--api-url URL] [--store-id ID] [--store-name NAME]
                                     create or reuse the OpenFGA store and write the model
                                     (the MCP edge writes its tool grants at start-up)
                                     (defaults from OPENFGA_API_URL, OPENFGA_STORE_ID, OPENFGA_API_TOKEN)`;

async function test(files: string[]): Promise<number> {
  if (files.length === 0) {
    console.error(USAGE);
    return 2;
  }
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  // Through `npm run`, the working directory is this package; paths are meant from where the command was typed.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  for (const file of files) {
    const report = await runModelTestFile(resolve(cwd, file));
    for (const failure of report.failures) console.log(`FAIL ${file}: ${failure}`);
    for (const reason of report.skips) console.log(`SKIP ${file}: ${reason}`);
    passed += report.passed;
    failed += report.failed;
    skipped += report.skipped;
  }
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed > 0 ? 1 : 0;
}

async function bootstrap(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'api-url': { type: 'string' },
      'store-id': { type: 'string' },
      'store-name': { type: 'string' },
    },
  });
  const apiUrl = values['api-url'] ?? process.env.OPENFGA_API_URL;
  if (!apiUrl) {
    console.error('bootstrap needs --api-url or OPENFGA_API_URL');
    return 2;
  }
  const result = await bootstrapOpenFga({
    apiUrl,
    storeId: values['store-id'] ?? (process.env.OPENFGA_STORE_ID || undefined),
    storeName: values['store-name'],
    apiToken: process.env.OPENFGA_API_TOKEN || undefined,
  });
  console.log(`OPENFGA_STORE_ID=${result.storeId}`);
  console.log(`OPENFGA_MODEL_ID=${result.modelId}`);
  console.log(
    `store ${result.storeCreated ? 'created' : 'reused'}, model ${result.modelWritten ? 'written' : 'unchanged'}`,
  );
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'test') return test(rest);
  if (command === 'bootstrap') return bootstrap(rest);
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
