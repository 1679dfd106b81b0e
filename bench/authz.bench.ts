/**
 * Embedded authorization engine on the project model with 100,000 tuples (1,000 users, 100
 * organizations, 10,000 conversations, 100 tools), decision cache off, in a SQLite file in WAL mode
 * (the shared-file default). Baseline: a plain Map lookup of a direct tuple, measured in the same run.
 * Targets: direct check >= 50,000/s; three-hop `executor` p99 < 1 ms; listing 1,000 conversations < 10 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CheckRequest, createEmbeddedAuthorizer, type TupleKey } from '@mcp-langgraph/authz';
import { measure, report } from './stats';

const USERS = 1000;
const ORGS = 100;
const CONVERSATIONS = 10_000;
const TOOLS = 100;
const TOTAL = 100_000;
/** user:u0 owns exactly this many conversations; the list-objects case lists them. */
const HEAVY_USER_CONVERSATIONS = 1000;

/** Deterministic PRNG (mulberry32) so every run builds the same store. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function dataset(): TupleKey[] {
  const rand = prng(42);
  const pick = (n: number) => Math.floor(rand() * n);
  const tuples: TupleKey[] = [];
  for (let u = 0; u < USERS; u++)
    tuples.push({ user: `user:u${u}`, relation: 'member', object: `organization:o${u % ORGS}` });
  for (let o = 0; o < ORGS; o++)
    tuples.push({ user: `user:u${(o * 7 + 3) % USERS}`, relation: 'admin', object: `organization:o${o}` });
  for (let t = 0; t < TOOLS; t++) {
    tuples.push({ user: `organization:o${t % ORGS}`, relation: 'organization', object: `tool:t${t}` });
    tuples.push({ user: `user:u${(t * 13 + 5) % USERS}`, relation: 'owner', object: `tool:t${t}` });
  }
  for (let c = 0; c < CONVERSATIONS; c++) {
    const owner = c < HEAVY_USER_CONVERSATIONS ? 0 : 1 + pick(USERS - 1);
    tuples.push({ user: `user:u${owner}`, relation: 'owner', object: `conversation:c${c}` });
  }
  const seen = new Set(tuples.map((t) => `${t.object}#${t.relation}@${t.user}`));
  while (tuples.length < TOTAL) {
    const t = {
      user: `user:u${1 + pick(USERS - 1)}`,
      relation: rand() < 0.5 ? 'editor' : 'viewer',
      object: `conversation:c${pick(CONVERSATIONS)}`,
    };
    const key = `${t.object}#${t.relation}@${t.user}`;
    if (seen.has(key)) continue;
    seen.add(key);
    tuples.push(t);
  }
  return tuples;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'authz-bench-'));
  const authz = await createEmbeddedAuthorizer({ sqlitePath: join(dir, 'authz.sqlite') });
  try {
    const tuples = dataset();
    const loadStart = performance.now();
    for (let i = 0; i < tuples.length; i += 1000) await authz.write(tuples.slice(i, i + 1000));
    console.log(
      `loaded ${tuples.length.toLocaleString('en-US')} tuples in ${Math.round(performance.now() - loadStart)} ms`,
    );

    const rand = prng(7);
    const pick = (n: number) => Math.floor(rand() * n);
    const map = new Map(tuples.map((t) => [`${t.object}#${t.relation}@${t.user}`, true]));
    // Half of the direct requests hit a stored owner tuple, half miss.
    const owners = tuples.filter((t) => t.relation === 'owner' && t.object.startsWith('conversation:'));
    const direct: CheckRequest[] = Array.from({ length: 4096 }, (_, i) => {
      const hit = owners[pick(owners.length)]!;
      return i % 2 === 0 ? hit : { ...hit, user: `user:u${pick(USERS)}` };
    });
    // Members of the tool's organization: executor through `member from organization` (three hops).
    const threeHop: CheckRequest[] = Array.from({ length: 4096 }, () => {
      const t = pick(TOOLS);
      const org = t % ORGS;
      const member = org + ORGS * pick(USERS / ORGS);
      return { user: `user:u${member}`, relation: 'executor', object: `tool:t${t}` };
    });
    for (const r of threeHop.slice(0, 64)) {
      if (!(await authz.check(r))) throw new Error(`three-hop request not allowed: ${JSON.stringify(r)}`);
    }

    let i = 0;
    const baseline = await measure(() =>
      map.has(`${direct[i & 4095]!.object}#owner@${direct[i++ & 4095]!.user}`),
    );
    report('Map lookup of a direct tuple (baseline)', baseline);
    let d = 0;
    const directSample = await measure(() => authz.check(direct[d++ & 4095]!));
    report('check: direct relation (owner)', directSample, baseline);
    let h = 0;
    const hopSample = await measure(() => authz.check(threeHop[h++ & 4095]!));
    report('check: executor via member from organization', hopSample, baseline);

    const heavy = await authz.listObjects({ user: 'user:u0', relation: 'viewer', type: 'conversation' });
    if (heavy.length !== HEAVY_USER_CONVERSATIONS)
      throw new Error(`expected 1000 conversations, got ${heavy.length}`);
    const listSample = await measure(
      () => authz.listObjects({ user: 'user:u0', relation: 'viewer', type: 'conversation' }),
      2000,
    );
    report('listObjects: viewer of 1,000 conversations', listSample, baseline);

    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    console.log(
      [
        `direct checks/s ${Math.round(directSample.opsPerSec)} (target >= 50,000: ${verdict(directSample.opsPerSec >= 50_000)})`,
        `three-hop p99 ${(hopSample.p99Us / 1000).toFixed(3)} ms (target < 1 ms: ${verdict(hopSample.p99Us < 1000)})`,
        `list-objects p50 ${(listSample.p50Us / 1000).toFixed(2)} ms, p99 ${(listSample.p99Us / 1000).toFixed(2)} ms (target < 10 ms: ${verdict(listSample.p99Us < 10_000)})`,
        `ratios to the Map baseline: direct ${(directSample.opsPerSec / baseline.opsPerSec).toFixed(4)}, three-hop ${(hopSample.opsPerSec / baseline.opsPerSec).toFixed(4)}, list ${(listSample.opsPerSec / baseline.opsPerSec).toFixed(6)}`,
      ].join('\n'),
    );
  } finally {
    await authz.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
