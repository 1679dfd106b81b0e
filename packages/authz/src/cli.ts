import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { TupleKey } from './authorizer.js';
import { bootstrapOpenFga } from './bootstrap.js';
import { authorizerOptionsFromConfig, createAuthorizer } from './factory.js';
import { runModelTestFile } from './model-test.js';

const USAGE = `usage:
  authz test <file.fga.yaml>...      run model tests (the format of \`fga model test\`) on the embedded engine
  authz bootstrap [--api-url URL] [--store-id ID] [--store-name NAME]
                                     create or reuse the OpenFGA store and write the model
                                     (the MCP edge writes its tool grants at start-up)
                                     (defaults from OPENFGA_API_URL, OPENFGA_STORE_ID, OPENFGA_API_TOKEN)
  authz grant <user> <relation> <object>    write a tuple, e.g. grant user:alice executor tool:files/read
  authz revoke <user> <relation> <object>   delete it
  authz check <user> <relation> <object>    print allowed or denied (exit 0 or 1)
                                     on the engine the services use: OpenFGA (OPENFGA_API_URL and
                                     OPENFGA_STORE_ID), else PostgreSQL (AUTHZ_DATABASE_URL, DATABASE_URL),
                                     else DATA_DIR/authz.db`;

/** Where the services' tuples live, from the same variables the services read. */
function engineEnvironment() {
  const env = process.env;
  const cwd = env.INIT_CWD ?? process.cwd();
  return {
    OPENFGA_API_URL: env.OPENFGA_API_URL || undefined,
    OPENFGA_STORE_ID: env.OPENFGA_STORE_ID || undefined,
    OPENFGA_MODEL_ID: env.OPENFGA_MODEL_ID || undefined,
    OPENFGA_API_TOKEN: env.OPENFGA_API_TOKEN || undefined,
    AUTHZ_DATABASE_URL: env.AUTHZ_DATABASE_URL || undefined,
    DATABASE_URL: env.DATABASE_URL || undefined,
    // Relative to where the command was typed, as the services resolve it from theirs.
    DATA_DIR: resolve(cwd, env.DATA_DIR || '.data'),
  };
}

const TYPED_ID = /^[a-z][a-z0-9_-]*:[^\s#]{1,256}$/;

/** `grant`, `revoke` and `check` of one tuple. */
async function tuple(command: 'grant' | 'revoke' | 'check', args: string[]): Promise<number> {
  const [user, relation, object] = args;
  if (args.length !== 3 || !user || !relation || !object) {
    console.error(USAGE);
    return 2;
  }
  if (!TYPED_ID.test(object) || !(TYPED_ID.test(user) || /^[a-z][a-z0-9_-]*:\*$/.test(user))) {
    console.error(
      'user and object are type:id (user may be type:*), e.g. user:alice executor tool:calculator',
    );
    return 2;
  }
  const authorizer = await createAuthorizer({
    ...authorizerOptionsFromConfig(engineEnvironment()),
    cache: false,
  });
  try {
    const key: TupleKey = { user, relation, object };
    if (command === 'check') {
      const allowed = await authorizer.check(key);
      console.log(allowed ? 'allowed' : 'denied');
      return allowed ? 0 : 1;
    }
    if (command === 'grant') await authorizer.write([key]);
    else await authorizer.write([], [key]);
    console.log(`${command === 'grant' ? 'granted' : 'revoked'}: ${user} ${relation} ${object}`);
    return 0;
  } finally {
    await authorizer.close?.();
  }
}

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
  if (command === 'grant' || command === 'revoke' || command === 'check') return tuple(command, rest);
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
