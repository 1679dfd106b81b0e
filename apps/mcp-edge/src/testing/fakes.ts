import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  AGENT_PATHS,
  type ApiError,
  type ApiMessage,
  type ApiThread,
  basicAuthorization,
  createThreadBodySchema,
  GRANT_TYPE,
  type RunResult,
  type RunStreamEvent,
  runCreateBodySchema,
  searchThreadsBodySchema,
  shareBodySchema,
  subjectOf,
  type ThreadState,
  TOKEN_TYPE,
} from '@mcp-langgraph/protocol';
import type { TestIssuer } from '@mcp-langgraph/resource-server/testing';
import { createFakeRuns, type FakeRuns } from './fake-runs.js';

/** The claims of a JWT, read without verification (the fakes trust the test issuer). */
export function claimsOf(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

const failure = (error: string, description?: string): ApiError => ({
  error,
  ...(description ? { error_description: description } : {}),
});

async function listenLocal(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const close = (server: Server) =>
  new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });

export interface FakeTokenEndpoint {
  /** The authorization server's base URL (what `AUTH_INTERNAL_URL` names). */
  baseUrl: string;
  /** The token endpoint, `<baseUrl>/token`. */
  url: string;
  /** How many exchanges were answered. */
  exchanges: number;
  /** How many times the revocation feed was fetched with the edge's credentials. */
  revocationFetches: number;
  /** Access token ids the revocation feed lists. */
  revokedJtis: Set<string>;
  /** While true the revocation feed answers 503, as when the auth service is down. */
  feedDown: boolean;
  close(): Promise<void>;
}

/**
 * The auth service's token endpoint (RFC 8693 exchange for the edge, client credentials for
 * machine clients) and revocation feed, standing in for it in edge tests: checks client
 * credentials and signs tokens with the test issuer's key.
 */
export async function startFakeTokenEndpoint(options: {
  issuer: TestIssuer;
  clientId: string;
  clientSecret: string;
  agentAudience: string;
  /** Machine clients allowed the client_credentials grant, id → secret. */
  machineClients?: Record<string, string>;
}): Promise<FakeTokenEndpoint> {
  const edge = basicAuthorization(options.clientId, options.clientSecret);
  const state: FakeTokenEndpoint = {
    baseUrl: '',
    url: '',
    exchanges: 0,
    revocationFetches: 0,
    revokedJtis: new Set(),
    feedDown: false,
    close: async () => {},
  };
  const server = createServer(async (req, res) => {
    const form = new URLSearchParams(await readBody(req));
    if (req.url === '/revocations' && req.method === 'GET') {
      if (req.headers.authorization !== edge) return send(res, 401, failure('invalid_client'));
      if (state.feedDown) return send(res, 503, failure('temporarily_unavailable'));
      state.revocationFetches += 1;
      return send(res, 200, { jtis: [...state.revokedJtis], disabled_subjects: [] });
    }
    if (req.url !== '/token' || req.method !== 'POST') return send(res, 404, failure('not_found'));
    if (form.get('grant_type') === GRANT_TYPE.clientCredentials) {
      const client = Object.entries(options.machineClients ?? {}).find(
        ([id, secret]) => req.headers.authorization === basicAuthorization(id, secret),
      );
      if (!client) return send(res, 401, failure('invalid_client'));
      const token = options.issuer.sign({
        sub: client[0],
        sub_type: 'client',
        client_id: client[0],
        scope: form.get('scope') ?? '',
        aud: form.get('resource') ?? '',
      });
      return send(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 300 });
    }
    if (req.headers.authorization !== edge) return send(res, 401, failure('invalid_client'));
    if (form.get('grant_type') !== GRANT_TYPE.tokenExchange)
      return send(res, 400, failure('unsupported_grant_type'));
    const subject = claimsOf(form.get('subject_token') ?? '');
    state.exchanges += 1;
    const token = options.issuer.sign({
      sub: subject.sub,
      sub_type: subject.sub_type,
      scope: subject.scope,
      aud: form.get('resource') ?? options.agentAudience,
      client_id: options.clientId,
      act: { sub: options.clientId },
    });
    send(res, 200, {
      access_token: token,
      issued_token_type: TOKEN_TYPE.accessToken,
      token_type: 'Bearer',
      expires_in: 300,
      scope: subject.scope,
    });
  });
  state.baseUrl = await listenLocal(server);
  state.url = `${state.baseUrl}/token`;
  state.close = () => close(server);
  return state;
}

interface FakeThread {
  thread: ApiThread;
  owner: string;
  messages: ApiMessage[];
  /** Subjects the owner shared the thread with, and their role. */
  shares: Map<string, 'viewer' | 'editor'>;
}

export interface FakeAgent {
  url: string;
  /** Every bearer token the agent received, in order. */
  tokensSeen: string[];
  /** Make the next responses fail with this status (undefined: behave normally). */
  failWith?: number;
  /** Make streamed runs end with this error code instead of the answer. */
  streamError?: string;
  /** Leave runs unanswered until the caller hangs up, which `runsAbandoned` counts. */
  holdRuns?: boolean;
  runsAbandoned: number;
  /** Background runs (`/threads/{id}/runs`), which a test may hold and finish. */
  runs: FakeRuns;
  close(): Promise<void>;
}

/**
 * The updates and final values of a run of the fake: a tool step, then the answer (or
 * `streamError`); with `tokens` (`messages-tuple` asked) the answer also comes word by word first,
 * as the model's token chunks do.
 */
function runEvents(
  runId: string,
  messages: ApiMessage[],
  content: string,
  streamError?: string,
  tokens = false,
): RunStreamEvent[] {
  const call = { id: 'c1', name: 'echo', args: { content } };
  const answer = messages.at(-1)!;
  const words = typeof answer.content === 'string' ? answer.content.split(/(?<= )/) : [];
  const chunks: RunStreamEvent[] = tokens
    ? words.map((word) => ({
        event: 'messages' as const,
        data: [
          { type: 'AIMessageChunk', content: word, id: answer.id ?? null },
          { langgraph_node: 'agent', run_id: runId },
        ],
      }))
    : [];
  return [
    { event: 'metadata', data: { run_id: runId, attempt: 1 } },
    { event: 'updates', data: { agent: { messages: [{ type: 'ai', content: '', tool_calls: [call] }] } } },
    {
      event: 'updates',
      data: { tools: { messages: [{ type: 'tool', name: 'echo', content, tool_call_id: 'c1' }] } },
    },
    ...chunks,
    { event: 'updates', data: { respond: { messages: [answer] } } },
    ...(streamError
      ? [{ event: 'error' as const, data: { error: streamError, message: 'internal detail' } }]
      : [
          { event: 'values' as const, data: { messages } },
          { event: 'end' as const, data: null },
        ]),
  ];
}

/**
 * The agent's Agent Protocol API in miniature, in the shapes of `@mcp-langgraph/protocol`: threads
 * owned by the token's subject, a run that answers with a fixed reply, 404 for threads of someone
 * else, 422 for bodies the real agent would refuse. Requires an agent-audience token.
 */
export async function startFakeAgent(options: { audience: string }): Promise<FakeAgent> {
  const threads = new Map<string, FakeThread>();
  const state: FakeAgent = {
    url: '',
    tokensSeen: [],
    runsAbandoned: 0,
    runs: createFakeRuns(),
    close: async () => {},
  };
  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    // The platform's liveness answer, the only route without a token (the edge's readiness asks it).
    if (req.method === 'GET' && req.url === AGENT_PATHS.ok) return send(res, 200, { ok: true });
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return send(res, 401, failure('invalid_token'));
    state.tokensSeen.push(token);
    const claims = claimsOf(token);
    if (claims.aud !== options.audience) return send(res, 401, failure('invalid_token'));
    if (state.failWith) return send(res, state.failWith, failure('failure', 'internal detail'));
    const subject = subjectOf(claims.sub_type === 'client' ? 'client' : 'user', String(claims.sub));
    const body = raw ? (JSON.parse(raw) as unknown) : {};
    const path = (req.url ?? '').split('?')[0] ?? '';
    const own = (id: string) => {
      const t = threads.get(id);
      return t && t.owner === subject ? t : undefined;
    };
    const viewable = (id: string) => {
      const t = threads.get(id);
      return t && (t.owner === subject || t.shares.has(subject)) ? t : undefined;
    };
    const now = new Date().toISOString();
    if (req.method === 'POST' && path === AGENT_PATHS.threads) {
      const parsed = createThreadBodySchema.safeParse(body);
      if (!parsed.success) return send(res, 422, failure('invalid_request'));
      const thread: ApiThread = {
        thread_id: randomUUID(),
        created_at: now,
        updated_at: now,
        status: 'idle',
        metadata: parsed.data.metadata ?? {},
      };
      threads.set(thread.thread_id, { thread, owner: subject, messages: [], shares: new Map() });
      return send(res, 200, thread);
    }
    if (req.method === 'POST' && path === AGENT_PATHS.searchThreads) {
      const page = searchThreadsBodySchema.safeParse(body);
      if (!page.success) return send(res, 422, failure('invalid_request'));
      const { limit, offset, sort_order } = page.data;
      // Most recently updated first (ties by id, so pages do not overlap), as the agent sorts.
      const order = sort_order === 'asc' ? -1 : 1;
      const mine: ApiThread[] = [...threads.values()]
        .filter((t) => t.owner === subject)
        .map((t) => ({
          ...t.thread,
          title: typeof t.messages[0]?.content === 'string' ? t.messages[0].content : null,
        }))
        .sort(
          (a, b) =>
            order * b.updated_at.localeCompare(a.updated_at) || a.thread_id.localeCompare(b.thread_id),
        )
        .slice(offset, offset + limit);
      return send(res, 200, mine);
    }
    const run = /^\/threads\/([^/]+)\/runs\/(wait|stream)$/.exec(path);
    if (req.method === 'POST' && run) {
      const t = own(run[1] ?? '');
      if (!t) return send(res, 404, failure('not_found'));
      const input = runCreateBodySchema.safeParse(body);
      if (!input.success) return send(res, 422, failure('invalid_request'));
      if (state.holdRuns) {
        res.once('close', () => {
          if (!res.writableEnded) state.runsAbandoned += 1;
        });
        return;
      }
      const first = input.data.input?.messages?.[0]?.content;
      const content = typeof first === 'string' ? first : '';
      t.messages.push(
        { type: 'human', content, id: randomUUID() },
        { type: 'ai', content: `You said: ${content}`, id: randomUUID() },
      );
      t.thread.updated_at = new Date().toISOString();
      if (run[2] === 'wait') return send(res, 200, { messages: t.messages } satisfies RunResult);
      res.setHeader('content-type', 'text/event-stream');
      for (const { event, data } of runEvents(
        randomUUID(),
        t.messages,
        content,
        state.streamError,
        input.data.stream_mode?.includes('messages-tuple'),
      ))
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      return res.end();
    }
    const shareMatch = /^\/threads\/([^/]+)\/share$/.exec(path);
    if (req.method === 'POST' && shareMatch) {
      const t = own(shareMatch[1] ?? '');
      if (!t) return send(res, 404, failure('not_found'));
      const share = shareBodySchema.safeParse(body);
      if (!share.success) return send(res, 422, failure('invalid_request'));
      t.shares.set(share.data.user, share.data.role);
      res.statusCode = 204;
      return res.end();
    }
    const threadMatch = /^\/threads\/([^/]+)$/.exec(path);
    if (req.method === 'DELETE' && threadMatch) {
      if (!own(threadMatch[1] ?? '')) return send(res, 404, failure('not_found'));
      threads.delete(threadMatch[1] ?? '');
      res.statusCode = 204;
      return res.end();
    }
    if (state.runs.route(req.method ?? '', path, body, own, res)) return;
    const stateMatch = /^\/threads\/([^/]+)\/state$/.exec(path);
    if (req.method === 'GET' && stateMatch) {
      const t = viewable(stateMatch[1] ?? '');
      if (!t) return send(res, 404, failure('not_found'));
      const threadState: ThreadState = {
        values: { messages: t.messages },
        next: [],
        tasks: [],
        checkpoint: { thread_id: t.thread.thread_id, checkpoint_ns: '', checkpoint_id: randomUUID() },
        metadata: {},
        created_at: now,
      };
      return send(res, 200, threadState);
    }
    send(res, 404, failure('not_found'));
  });
  state.url = await listenLocal(server);
  state.close = () => close(server);
  return state;
}
