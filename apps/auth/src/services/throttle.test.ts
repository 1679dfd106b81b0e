import { createDatabase, migrateToLatest } from '@mcp-langgraph/db';
import type { Kysely } from 'kysely';
import { AUTH_MIGRATION_TABLE, authMigrations } from '../store/migrations.js';
import type { AuthDB } from '../store/schema.js';
import { createLoginThrottle, type LoginThrottleOptions } from './throttle.js';

let close: () => Promise<void>;
let db: Kysely<AuthDB>;

beforeEach(async () => {
  const d = createDatabase<AuthDB>({ sqlitePath: ':memory:' });
  await migrateToLatest(d.db as Kysely<unknown>, authMigrations, AUTH_MIGRATION_TABLE);
  db = d.db;
  close = () => d.close();
});
afterEach(async () => {
  await close();
});

function throttle(over: Partial<LoginThrottleOptions> & { now: () => number }) {
  return createLoginThrottle(db, {
    maxFailures: 5,
    lockoutSeconds: 100,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    ...over,
  });
}

describe('login throttle', () => {
  it('slows an account down, doubling up to the cap, but never locks it', async () => {
    const t = throttle({ now: () => 1000 });
    const gates = [];
    for (let i = 0; i < 12; i++) gates.push(await t.attempt(['acct:alice']));
    expect(gates.map((g) => g.delayMs)).toEqual([0, 0, 0, 100, 200, 400, 800, 1000, 1000, 1000, 1000, 1000]);
    expect(gates.some((g) => g.locked)).toBe(false);
  });

  it('delays an address, then locks it out, then forgets it once quiet', async () => {
    let now = 1000;
    const t = throttle({ now: () => now });
    const keys = ['acct:alice', 'ip:1.2.3.4'];
    const delays: number[] = [];
    for (let i = 0; i < 15; i++) delays.push((await t.attempt(keys)).delayMs);
    expect(delays.slice(0, 5)).toEqual([0, 0, 0, 100, 200]);
    const locked = await t.attempt(keys);
    expect(locked).toMatchObject({ locked: true, retryAfter: 100 });
    now += 50;
    expect((await t.attempt(keys)).locked).toBe(true);
    now += 51;
    expect((await t.attempt(keys)).locked).toBe(false);
    now += 500;
    expect(await t.attempt(keys)).toEqual({ locked: false, delayMs: 0, retryAfter: 0 });
  });

  it('parallel attempts cannot slip past the limit', async () => {
    const t = throttle({ now: () => 1000, baseDelayMs: 0, maxDelayMs: 0 });
    const gates = await Promise.all(Array.from({ length: 20 }, () => t.attempt(['ip:6.6.6.6'])));
    expect(gates.filter((g) => !g.locked)).toHaveLength(15);
  });

  it('locks an address only after three times the account limit', async () => {
    const t = throttle({ now: () => 1000, maxFailures: 2 });
    for (let i = 0; i < 6; i++) expect((await t.attempt([`ip:9.9.9.9`, `acct:user${i}`])).locked).toBe(false);
    expect((await t.attempt(['acct:someone-else', 'ip:9.9.9.9'])).locked).toBe(true);
  });

  it('a success clears the account and gives the address its attempt back', async () => {
    const t = throttle({ now: () => 1000, maxFailures: 2 });
    for (let i = 0; i < 5; i++) await t.attempt(['acct:a', 'ip:x']);
    expect((await t.attempt(['acct:a'])).delayMs).toBeGreaterThan(0);
    await t.succeed('acct:a', 'ip:x');
    const row = await db
      .selectFrom('login_throttle')
      .selectAll()
      .where('key', '=', 'ip:x')
      .executeTakeFirst();
    expect(row?.failures).toBe(4);
    expect((await t.attempt(['acct:a'])).delayMs).toBe(0);
    // The address limit is 6: two more failures are allowed, the next one is locked out.
    expect((await t.attempt(['ip:x'])).locked).toBe(false);
    expect((await t.attempt(['ip:x'])).locked).toBe(false);
    expect((await t.attempt(['ip:x'])).locked).toBe(true);
  });

  it('purges keys that are neither recent nor locked', async () => {
    let now = 1000;
    const t = throttle({ now: () => now });
    await t.attempt(['acct:old']);
    now = 5000;
    await t.attempt(['acct:new']);
    await t.purgeExpired(4000);
    const keys = (await db.selectFrom('login_throttle').select('key').execute()).map((r) => r.key);
    expect(keys).toEqual(['acct:new']);
  });
});
