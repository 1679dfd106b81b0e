import type { Authorizer, CheckRequest } from './authorizer.js';
import { withDecisionCache } from './decision-cache.js';

/** An engine whose answers the test sets, counting the checks that reach it. */
function engine() {
  const allowed = new Set<string>();
  const calls: string[] = [];
  let release: (() => void) | undefined;
  const inner: Authorizer = {
    async check(r: CheckRequest) {
      calls.push(r.object);
      const answer = allowed.has(`${r.user}|${r.object}`);
      if (release === undefined) return answer;
      await new Promise<void>((resolve) => {
        const previous = release;
        release = () => {
          previous?.();
          resolve();
        };
      });
      return answer;
    },
    listObjects: async () => [],
    write: async (writes) => {
      for (const w of writes) allowed.add(`${w.user}|${w.object}`);
    },
    ping: async () => {},
    close: async () => {},
  };
  return {
    inner,
    allowed,
    calls,
    hold: () => {
      release = () => {};
    },
    releaseAll: () => {
      const r = release;
      release = undefined;
      r?.();
    },
  };
}

const req = (object: string, user = 'user:a'): CheckRequest => ({ user, relation: 'viewer', object });

describe('decision cache', () => {
  it('reuses a decision within its TTL and asks again after it', async () => {
    let t = 0;
    const e = engine();
    const cache = withDecisionCache(e.inner, { ttlMs: 1000, now: () => t });
    e.allowed.add('user:a|doc:1');
    expect(await cache.check(req('doc:1'))).toBe(true);
    expect(await cache.check(req('doc:1'))).toBe(true);
    expect(e.calls).toEqual(['doc:1']);
    e.allowed.delete('user:a|doc:1');
    t = 1001;
    expect(await cache.check(req('doc:1'))).toBe(false);
    expect(e.calls).toHaveLength(2);
  });

  it('forgets every decision when this process writes', async () => {
    const e = engine();
    const cache = withDecisionCache(e.inner);
    expect(await cache.check(req('doc:1'))).toBe(false);
    await cache.write([{ user: 'user:a', relation: 'viewer', object: 'doc:1' }]);
    expect(await cache.check(req('doc:1'))).toBe(true);
  });

  it('does not keep an answer computed before a write that landed meanwhile', async () => {
    const e = engine();
    const cache = withDecisionCache(e.inner);
    e.hold();
    const before = cache.check(req('doc:1'));
    await cache.write([{ user: 'user:a', relation: 'viewer', object: 'doc:1' }]);
    e.releaseAll();
    expect(await before).toBe(false);
    expect(await cache.check(req('doc:1'))).toBe(true);
  });

  it('keeps at most maxEntries decisions, dropping the least recently used', async () => {
    const e = engine();
    const cache = withDecisionCache(e.inner, { maxEntries: 2 });
    await cache.check(req('doc:1'));
    await cache.check(req('doc:2'));
    await cache.check(req('doc:1'));
    await cache.check(req('doc:3'));
    e.calls.length = 0;
    await cache.check(req('doc:1'));
    await cache.check(req('doc:2'));
    expect(e.calls).toEqual(['doc:2']);
  });

  it('never caches checks with contextual tuples', async () => {
    const e = engine();
    const cache = withDecisionCache(e.inner);
    const contextual = {
      ...req('doc:1'),
      contextualTuples: [{ user: 'user:a', relation: 'viewer', object: 'doc:1' }],
    };
    await cache.check(contextual);
    await cache.check(contextual);
    expect(e.calls).toHaveLength(2);
  });

  it('answers batches from the cache and asks the engine only for the rest', async () => {
    const e = engine();
    e.allowed.add('user:a|doc:2');
    const cache = withDecisionCache(e.inner);
    await cache.check(req('doc:1'));
    e.calls.length = 0;
    expect(await cache.batchCheck([req('doc:1'), req('doc:2'), req('doc:3')])).toEqual([false, true, false]);
    expect(e.calls).toEqual(['doc:2', 'doc:3']);
  });
});
