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
}

/** The fake agent's background runs (`/threads/{id}/runs…`), which tests finish or hold. */
export interface FakeRuns {
  /** While true, new background runs stay `running` until {@link FakeRuns.finish}. */
  hold: boolean;
  /** Ends every held run with its answer; returns how many. */
  finish(): number;
  /** Runs stopped by `/cancel`. */
  cancelled: number;
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

/**
 * Background runs as the agent's run routes answer them: `POST /threads/{id}/runs` stores a run
 * and answers its record at once, `GET …/runs/{run_id}` its status, `GET …/join` the thread's
 * messages once it is over, `POST …/cancel` interrupts it, `GET …/runs` lists them newest first.
 */
export function createFakeRuns(): FakeRuns {
  const runs = new Map<string, FakeRun>();
  const complete = (r: FakeRun) => {
    r.thread.messages.push(
      { type: 'human', content: r.content, id: randomUUID() },
      { type: 'ai', content: `You said: ${r.content}`, id: randomUUID() },
    );
    r.run = { ...r.run, status: 'success', updated_at: new Date().toISOString() };
  };
  const state: FakeRuns = {
    hold: false,
    cancelled: 0,
    finish() {
      let n = 0;
      for (const r of runs.values())
        if (r.run.status === 'running') {
          complete(r);
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
        }
        res.statusCode = 202;
        res.end();
      } else if (m[3] === 'join' && method === 'GET') json(res, 200, { messages: t.messages });
      else if (!m[3] && method === 'GET') json(res, 200, r.run);
      else json(res, 404, { error: 'not_found' });
      return true;
    },
  };
  return state;
}
