import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type ApiMessage, type ApiRun, runCreateBodySchema } from '@mcp-langgraph/protocol';

/** A thread of the fake agent, as its runs see it. */
interface RunThread {
  messages: ApiMessage[];
}

interface FakeRun {
  run: ApiRun;
  thread: RunThread;
  content: string;
  /** Joins waiting for the run to end. */
  waiting: Array<() => void>;
}

/** The fake agent's background runs (`/threads/{id}/runs…`), which tests finish or hold. */
export interface FakeRuns {
  /** While true, new background runs stay `running` until {@link FakeRuns.finish}. */
  hold: boolean;
  /** Ends every held run with its answer (or, with `error`, as a failed run); returns how many. */
  finish(outcome?: 'success' | 'error'): number;
  /** Runs stopped by `/cancel`. */
  cancelled: number;
  /** Joins still waiting for their run to end (a caller that hangs up stops waiting). */
  readonly joinsWaiting: number;
  /** Answers one request when it is a run route; false otherwise. */
  route(
    method: string,
    path: string,
    body: unknown,
    thread: (id: string) => RunThread | undefined,
    res: ServerResponse,
  ): boolean;
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

/** The run is over: every join waiting for it answers. */
function ended(r: FakeRun) {
  for (const wake of r.waiting.splice(0)) wake();
}

/**
 * Background runs as the agent's run routes answer them: `POST /threads/{id}/runs` stores a run
 * and answers its record at once, `GET …/runs/{run_id}` its status, `GET …/join` waits for it to
 * end and answers the thread's messages, `POST …/cancel` interrupts it, `GET …/runs` lists them
 * newest first.
 */
export function createFakeRuns(): FakeRuns {
  const runs = new Map<string, FakeRun>();
  const fail = (r: FakeRun) => {
    r.run = { ...r.run, status: 'error', updated_at: new Date().toISOString() };
    ended(r);
  };
  const complete = (r: FakeRun) => {
    r.thread.messages.push(
      { type: 'human', content: r.content, id: randomUUID() },
      { type: 'ai', content: `You said: ${r.content}`, id: randomUUID() },
    );
    r.run = { ...r.run, status: 'success', updated_at: new Date().toISOString() };
    ended(r);
  };
  const state: FakeRuns = {
    hold: false,
    cancelled: 0,
    get joinsWaiting() {
      let n = 0;
      for (const r of runs.values()) n += r.waiting.length;
      return n;
    },
    finish(outcome = 'success') {
      let n = 0;
      for (const r of runs.values())
        if (r.run.status === 'running') {
          if (outcome === 'error') fail(r);
          else complete(r);
          n += 1;
        }
      return n;
    },
    route(method, path, body, thread, res) {
      const m = /^\/threads\/([^/]+)\/runs(?:\/([^/]+)(?:\/(join|cancel))?)?$/.exec(path);
      if (!m || m[2] === 'wait' || m[2] === 'stream') return false;
      const t = thread(m[1] ?? '');
      if (!t) {
        json(res, 404, { error: 'not_found' });
        return true;
      }
      if (!m[2] && method === 'POST') {
        const input = runCreateBodySchema.safeParse(body);
        if (!input.success) {
          json(res, 422, { error: 'invalid_request' });
          return true;
        }
        const first = input.data.input?.messages?.[0]?.content;
        const now = new Date().toISOString();
        const r: FakeRun = {
          thread: t,
          content: typeof first === 'string' ? first : '',
          waiting: [],
          run: {
            run_id: randomUUID(),
            thread_id: m[1] ?? '',
            assistant_id: input.data.assistant_id,
            created_at: now,
            updated_at: now,
            status: 'running',
            metadata: input.data.metadata ?? {},
            multitask_strategy: 'reject',
          },
        };
        runs.set(r.run.run_id, r);
        if (!state.hold) complete(r);
        json(res, 200, r.run);
        return true;
      }
      if (!m[2] && method === 'GET') {
        const mine = [...runs.values()].filter((r) => r.thread === t).map((r) => r.run);
        json(res, 200, mine.reverse());
        return true;
      }
      const r = runs.get(m[2] ?? '');
      if (!r || r.thread !== t) {
        json(res, 404, { error: 'not_found' });
        return true;
      }
      if (m[3] === 'cancel' && method === 'POST') {
        if (r.run.status === 'running') {
          r.run = { ...r.run, status: 'interrupted', updated_at: new Date().toISOString() };
          state.cancelled += 1;
          ended(r);
        }
        res.statusCode = 202;
        res.end();
      } else if (m[3] === 'join' && method === 'GET') {
        const answer = () =>
          json(
            res,
            200,
            r.run.status === 'error'
              ? { __error__: { error: 'run_failed', message: 'internal detail' } }
              : { messages: t.messages },
          );
        if (r.run.status !== 'running') answer();
        else {
          r.waiting.push(answer);
          res.once('close', () => {
            const at = r.waiting.indexOf(answer);
            if (at >= 0) r.waiting.splice(at, 1);
          });
        }
      } else if (!m[3] && method === 'GET') json(res, 200, r.run);
      else json(res, 404, { error: 'not_found' });
      return true;
    },
  };
  return state;
}
