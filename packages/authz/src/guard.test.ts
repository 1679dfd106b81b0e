import { Registry } from 'prom-client';
import type { Authorizer } from './authorizer.js';
import { AuthzError } from './errors.js';
import { createAuthorizer } from './factory.js';
import { withGuard } from './guard.js';

function flaky() {
  const state = { down: false, calls: 0 };
  const inner: Authorizer = {
    async check(r) {
      state.calls++;
      if (state.down) throw new Error('connect ECONNREFUSED 10.0.0.1:8080');
      if (r.object === 'bad:1') throw new AuthzError('validation_error', 'bad request');
      return r.user === 'user:yes';
    },
    listObjects: async () => [],
    write: async () => {},
    ping: async () => {
      if (state.down) throw new Error('down');
    },
    close: async () => {},
  };
  return { inner, state };
}

const check = (authz: Authorizer, user = 'user:yes', object = 'tool:chat') =>
  authz.check({ user, relation: 'executor', object });

async function value(registry: Registry, name: string, labels: Record<string, string> = {}) {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as Array<{ value: number; labels: Record<string, string> }>;
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0;
}

describe('guard: fail closed, circuit breaker, metrics', () => {
  it('turns engine errors into unavailable errors and counts every decision', async () => {
    const registry = new Registry();
    const { inner, state } = flaky();
    const authz = withGuard(inner, { registry });
    expect(await check(authz)).toBe(true);
    expect(await check(authz, 'user:no')).toBe(false);
    state.down = true;
    await expect(check(authz)).rejects.toMatchObject({ code: 'unavailable' });
    expect(await value(registry, 'authz_checks_total', { decision: 'allow' })).toBe(1);
    expect(await value(registry, 'authz_checks_total', { decision: 'deny' })).toBe(1);
    expect(await value(registry, 'authz_checks_total', { decision: 'error' })).toBe(1);
    expect(await value(registry, 'authz_failures_total')).toBe(1);
    const metrics = await registry.metrics();
    expect(metrics).toContain('authz_check_duration_seconds_count 3');
  });

  it('opens after consecutive failures, rejects without calling the engine, and closes after a good trial', async () => {
    let t = 0;
    const { inner, state } = flaky();
    const authz = withGuard(inner, { breaker: { failureThreshold: 3, resetAfterMs: 1000, now: () => t } });
    state.down = true;
    for (let i = 0; i < 3; i++) await expect(check(authz)).rejects.toThrow();
    expect(state.calls).toBe(3);
    await expect(check(authz)).rejects.toThrow(/circuit open/);
    expect(state.calls).toBe(3);
    t = 1500;
    await expect(check(authz)).rejects.toThrow();
    expect(state.calls).toBe(4);
    await expect(check(authz)).rejects.toThrow(/circuit open/);
    state.down = false;
    t = 3000;
    expect(await check(authz)).toBe(true);
    expect(await check(authz)).toBe(true);
  });

  it('does not let request errors open the circuit', async () => {
    const { inner } = flaky();
    const authz = withGuard(inner, { breaker: { failureThreshold: 1 } });
    await expect(check(authz, 'user:yes', 'bad:1')).rejects.toMatchObject({ code: 'validation_error' });
    expect(await check(authz)).toBe(true);
  });

  it('builds an embedded authorizer with metrics on the given registry', async () => {
    const registry = new Registry();
    const authz = await createAuthorizer({ registry });
    try {
      await authz.write([{ user: 'user:*', relation: 'executor', object: 'tool:chat' }]);
      expect(
        await authz.batchCheck([
          { user: 'user:a', relation: 'executor', object: 'tool:chat' },
          { user: 'client:a', relation: 'executor', object: 'tool:chat' },
        ]),
      ).toEqual([true, false]);
      expect(await value(registry, 'authz_checks_total', { decision: 'allow' })).toBe(1);
      expect(await value(registry, 'authz_checks_total', { decision: 'deny' })).toBe(1);
      // A second authorizer on the same registry reuses the metrics instead of failing to register them.
      const second = await createAuthorizer({ registry });
      await second.close();
    } finally {
      await authz.close();
    }
  });

  it('denies (throws) when OpenFGA cannot be reached', async () => {
    const registry = new Registry();
    const authz = await createAuthorizer({
      registry,
      openfga: { apiUrl: 'http://127.0.0.1:9', storeId: '01JA8PM3QM7VBPGB8KMPK8SBD5', maxRetries: 0 },
    });
    await expect(check(authz)).rejects.toMatchObject({ code: 'unavailable' });
    expect(await value(registry, 'authz_failures_total')).toBe(1);
  });
});
