import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describeWhenAvailable } from '@mcp-langgraph/testing';
import pg from 'pg';

/** The PostgreSQL the integration tests use (the development and CI machines run one locally). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function tcpReachable(url: string, defaultPort: number): boolean {
  const u = new URL(url);
  const script = `const s=require('net').connect(${Number(u.port || defaultPort)},${JSON.stringify(u.hostname)});s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));setTimeout(()=>process.exit(1),2000);`;
  return spawnSync(process.execPath, ['-e', script], { timeout: 5000 }).status === 0;
}

/** `describe` for tests that need a real service (see `describeWhenAvailable`). */
function describeWithService(service: string, url: string, port: number) {
  return (name: string, fn: () => void): void =>
    describeWhenAvailable(name, fn, {
      missing: tcpReachable(url, port) ? undefined : `${service} is not reachable at ${new URL(url).host}`,
      need: service,
      ciHint: 'CI must start it before the tests',
    });
}

export const describeWithPostgres = describeWithService('PostgreSQL', TEST_DATABASE_URL, 5432);
export const describeWithRedis = describeWithService('Redis', TEST_REDIS_URL, 6379);

/** Creates a throwaway schema so parallel test files never see each other's rows. */
export async function createTestSchema(): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  return {
    schema,
    async drop() {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}
