/**
 * Administration: `npm run auth -- <command>`.
 *
 *   users add <name> [--tier free|premium|enterprise] [--scope "..."] [--password-stdin]
 *   users disable <name> | users enable <name> | users list
 *   clients add <name> [--id <id>] [--confidential] [--redirect-uri <uri>]... [--scope "..."]
 *                      [--audience <url>]... [--exchange] [--tier ...] [--first-party]
 *   clients list | clients rotate-secret <client_id>
 *   keys rotate
 *
 * Generated passwords and secrets are printed once and stored only as hashes.
 */

import { parseArgs } from 'node:util';
import { authConfigSchema, loadServiceConfig } from '@mcp-langgraph/config';
import { createLogger } from '@mcp-langgraph/observability';
import { AdminError, createAdmin, newSecret } from './admin.js';
import { createAuthStores } from './context.js';
import { createPasswordHasher } from './services/passwords.js';
import { openAuthStore } from './store/open.js';

const USAGE = `usage: npm run auth -- users add|disable|enable|list, clients add|list|rotate-secret, keys rotate`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** Prints records as JSON (without `secret`, a hash that is never shown) or as tab-separated lines. */
function printList<T extends object>(
  list: T[],
  json: boolean | undefined,
  secret: keyof T,
  line: (r: T) => string[],
) {
  if (json)
    console.log(
      JSON.stringify(
        list.map(({ [secret]: _, ...r }) => r),
        null,
        2,
      ),
    );
  else for (const r of list) console.log(line(r).join('\t'));
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      tier: { type: 'string' },
      scope: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      id: { type: 'string' },
      confidential: { type: 'boolean' },
      'redirect-uri': { type: 'string', multiple: true },
      audience: { type: 'string', multiple: true },
      exchange: { type: 'boolean' },
      'first-party': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const [group, action, arg] = positionals;
  if (!group || !action) {
    console.error(USAGE);
    return 2;
  }
  // `npm run auth` runs inside the workspace; `.env` and a relative DATA_DIR belong to where the
  // command was typed, as for the services started from the repository root.
  if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  const config = await loadServiceConfig(authConfigSchema, process.env);
  const logger = createLogger({
    service: 'auth-cli',
    level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL,
  });
  const database = await openAuthStore(config);
  try {
    const admin = createAdmin({
      stores: createAuthStores(database.db, logger, () => Math.floor(Date.now() / 1000)),
      passwords: createPasswordHasher(),
      accessTokenTtl: config.AUTH_ACCESS_TOKEN_TTL,
      configuredKeys: config.AUTH_SIGNING_KEYS,
    });
    const command = `${group} ${action}`;
    switch (command) {
      case 'users add': {
        if (!arg) throw new AdminError('users add <name>');
        const generated = !values['password-stdin'];
        const password = generated ? newSecret().slice(0, 20) : await readStdin();
        const user = await admin.addUser({ username: arg, password, tier: values.tier, scope: values.scope });
        console.log(
          `added user ${user.username} (${user.id}), tier ${user.tier}, scope "${user.scopes.join(' ')}"`,
        );
        if (generated) console.log(`password (shown once): ${password}`);
        return 0;
      }
      case 'users disable':
      case 'users enable': {
        if (!arg) throw new AdminError(`${command} <name>`);
        const user = await admin.setUserDisabled(arg, action === 'disable');
        console.log(`${user.username} is now ${user.disabled ? 'disabled' : 'enabled'}`);
        return 0;
      }
      case 'users list': {
        printList(await admin.listUsers(), values.json, 'passwordHash', (u) => [
          u.username,
          u.id,
          u.tier,
          u.disabled ? 'disabled' : 'active',
          u.scopes.join(' '),
        ]);
        return 0;
      }
      case 'clients add': {
        if (!arg) throw new AdminError('clients add <name>');
        const { client, secret } = await admin.addClient({
          name: arg,
          clientId: values.id,
          confidential: values.confidential ?? false,
          redirectUris: values['redirect-uri'],
          scope: values.scope,
          audiences: values.audience,
          exchange: values.exchange,
          tier: values.tier,
          firstParty: values['first-party'],
        });
        console.log(
          `added client ${client.clientId} (${client.name}), grants: ${client.grantTypes.join(' ')}`,
        );
        if (secret) console.log(`client secret (shown once): ${secret}`);
        return 0;
      }
      case 'clients list': {
        printList(await admin.listClients(), values.json, 'secretHash', (c) => [
          c.clientId,
          c.name,
          c.authMethod === 'none' ? 'public' : 'confidential',
          c.grantTypes.join(' '),
        ]);
        return 0;
      }
      case 'clients rotate-secret': {
        if (!arg) throw new AdminError('clients rotate-secret <client_id>');
        const secret = await admin.rotateClientSecret(arg);
        console.log(`new client secret for ${arg} (shown once): ${secret}`);
        return 0;
      }
      case 'keys rotate': {
        const r = await admin.rotateKeys();
        if ('configuredValue' in r) {
          console.log('Keys come from the secret provider. Store this as the new AUTH_SIGNING_KEYS value:');
          console.log(r.configuredValue);
        } else {
          console.log(`new signing key ${r.kid}; replicas use it within a minute`);
          if (r.removed.length > 0)
            console.log(`removed keys no token needs any more: ${r.removed.join(', ')}`);
        }
        return 0;
      }
      default:
        console.error(USAGE);
        return 2;
    }
  } finally {
    logger.flush();
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(
      err instanceof AdminError || (err instanceof Error && err.name === 'ConfigError')
        ? err.message
        : `failed: ${(err as Error).message}`,
    );
    process.exit(1);
  },
);
