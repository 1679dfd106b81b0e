import type { Authorizer, CheckRequest, TupleKey } from './authorizer.js';

export interface DecisionCacheOptions {
  /** Most decisions kept; the least recently used goes first (default 10,000). */
  maxEntries?: number | undefined;
  /** How long a decision may be reused (default 1,000 ms). Bounds how late another process's write is seen. */
  ttlMs?: number | undefined;
  now?: (() => number) | undefined;
}

/** An authorizer that can also answer several checks at once. */
export interface BatchAuthorizer extends Authorizer {
  /** Answers in request order. */
  batchCheck(requests: readonly CheckRequest[]): Promise<boolean[]>;
}

/** `batchCheck` of the engine when it has one, else one check after another. */
export function batchCheckOf(
  authorizer: Authorizer,
): (requests: readonly CheckRequest[]) => Promise<boolean[]> {
  const native = (authorizer as Partial<BatchAuthorizer>).batchCheck;
  if (native) return (requests) => native.call(authorizer, requests);
  return async (requests) => {
    const out: boolean[] = [];
    for (const r of requests) out.push(await authorizer.check(r));
    return out;
  };
}

const keyOf = (r: CheckRequest) => `${r.user}\n${r.relation}\n${r.object}`;

/**
 * Reuses check decisions for a short time. Checks with contextual tuples are never cached. Any write
 * through this authorizer empties the cache, and a check that started before a write does not store
 * its (possibly stale) answer; writes by other processes are seen once the TTL has passed.
 */
export function withDecisionCache(inner: Authorizer, options: DecisionCacheOptions = {}): BatchAuthorizer {
  const max = options.maxEntries ?? 10_000;
  const ttl = options.ttlMs ?? 1000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { allowed: boolean; expires: number }>();
  let generation = 0;
  const innerBatch = batchCheckOf(inner);

  const lookup = (key: string): boolean | undefined => {
    const hit = entries.get(key);
    if (!hit) return undefined;
    entries.delete(key);
    if (hit.expires <= now()) return undefined;
    entries.set(key, hit);
    return hit.allowed;
  };
  const store = (key: string, allowed: boolean, startedAt: number) => {
    if (startedAt !== generation) return;
    entries.delete(key);
    entries.set(key, { allowed, expires: now() + ttl });
    while (entries.size > max) entries.delete(entries.keys().next().value as string);
  };
  const cacheable = (r: CheckRequest) => !r.contextualTuples || r.contextualTuples.length === 0;

  return {
    async check(request) {
      if (!cacheable(request)) return inner.check(request);
      const key = keyOf(request);
      const hit = lookup(key);
      if (hit !== undefined) return hit;
      const startedAt = generation;
      const allowed = await inner.check(request);
      store(key, allowed, startedAt);
      return allowed;
    },
    async batchCheck(requests) {
      const answers: Array<boolean | undefined> = requests.map((r) =>
        cacheable(r) ? lookup(keyOf(r)) : undefined,
      );
      const missing = requests.flatMap((_request, i) => (answers[i] === undefined ? [i] : []));
      if (missing.length > 0) {
        const startedAt = generation;
        const fresh = await innerBatch(missing.map((i) => requests[i]!));
        missing.forEach((index, n) => {
          const request = requests[index]!;
          answers[index] = fresh[n]!;
          if (cacheable(request)) store(keyOf(request), fresh[n]!, startedAt);
        });
      }
      return answers as boolean[];
    },
    listObjects: (request) => inner.listObjects(request),
    async write(writes: readonly TupleKey[], deletes?: readonly TupleKey[]) {
      generation++;
      entries.clear();
      try {
        await inner.write(writes, deletes);
      } finally {
        // A check racing the write must not store an answer computed before it landed.
        generation++;
        entries.clear();
      }
    },
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
}
