import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { TestIssuer } from '@mcp-langgraph/resource-server/testing';

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
  url: string;
  /** How many exchanges were answered. */
  exchanges: number;
  close(): Promise<void>;
}

/**
 * An RFC 8693 token endpoint standing in for the auth service in edge tests: checks the edge's
 * client credentials and signs an agent-audience token with the test issuer's key.
 */
export async function startFakeTokenEndpoint(options: {
  issuer: TestIssuer;
  clientId: string;
  clientSecret: string;
  agentAudience: string;
  /** Machine clients allowed the client_credentials grant, id → secret. */
  machineClients?: Record<string, string>;
}): Promise<FakeTokenEndpoint> {
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const expected = basic(options.clientId, options.clientSecret);
  const state: FakeTokenEndpoint = { url: '', exchanges: 0, close: async () => {} };
  const server = createServer(async (req, res) => {
    const form = new URLSearchParams(await readBody(req));
    if (req.url !== '/token' || req.method !== 'POST') return send(res, 404, { error: 'not_found' });
    if (form.get('grant_type') === 'client_credentials') {
      const client = Object.entries(options.machineClients ?? {}).find(
        ([id, secret]) => req.headers.authorization === basic(id, secret),
      );
      if (!client) return send(res, 401, { error: 'invalid_client' });
      const token = options.issuer.sign({
        sub: client[0],
        sub_type: 'client',
        client_id: client[0],
        scope: form.get('scope') ?? '',
        aud: form.get('resource') ?? '',
      });
      return send(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 300 });
    }
    if (req.headers.authorization !== expected) return send(res, 401, { error: 'invalid_client' });
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:token-exchange')
      return send(res, 400, { error: 'unsupported_grant_type' });
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
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      expires_in: 300,
      scope: subject.scope,
    });
  });
  state.url = `${await listenLocal(server)}/token`;
  state.close = () => close(server);
  return state;
}

interface FakeThread {
  thread_id: string;
  owner: string;
  created_at: string;
  messages: Array<{ role: string; content: string }>;
}

export interface FakeAgent {
  url: string;
  /** Every bearer token the agent received, in order. */
  tokensSeen: string[];
  /** Make the next responses fail with this status (undefined: behave normally). */
  failWith?: number;
  /** Make streamed runs end with this error code instead of the answer. */
  streamError?: string;
  close(): Promise<void>;
}

/**
 * The agent's HTTP API in miniature: threads owned by the token's subject, a run that answers
 * with a fixed reply, 404 for threads of someone else. Requires an agent-audience token.
 */
export async function startFakeAgent(options: { audience: string }): Promise<FakeAgent> {
  const threads = new Map<string, FakeThread>();
  const state: FakeAgent = { url: '', tokensSeen: [], close: async () => {} };
  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return send(res, 401, { error: 'invalid_token' });
    state.tokensSeen.push(token);
    const claims = claimsOf(token);
    if (claims.aud !== options.audience) return send(res, 401, { error: 'invalid_token' });
    if (state.failWith)
      return send(res, state.failWith, { error: 'failure', error_description: 'internal detail' });
    const subject = `${String(claims.sub_type)}:${String(claims.sub)}`;
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const path = (req.url ?? '').split('?')[0] ?? '';
    const own = (id: string) => {
      const t = threads.get(id);
      return t && t.owner === subject ? t : undefined;
    };
    if (req.method === 'POST' && path === '/threads') {
      const t: FakeThread = {
        thread_id: randomUUID(),
        owner: subject,
        created_at: new Date().toISOString(),
        messages: [],
      };
      threads.set(t.thread_id, t);
      return send(res, 201, {
        thread_id: t.thread_id,
        created_at: t.created_at,
        metadata: body.metadata ?? {},
      });
    }
    if (req.method === 'POST' && path === '/threads/search') {
      const mine = [...threads.values()].filter((t) => t.owner === subject);
      return send(
        res,
        200,
        mine.map((t) => ({
          thread_id: t.thread_id,
          created_at: t.created_at,
          updated_at: t.created_at,
          metadata: {},
          title: t.messages[0]?.content ?? null,
        })),
      );
    }
    const run = /^\/threads\/([^/]+)\/runs\/(wait|stream)$/.exec(path);
    if (req.method === 'POST' && run) {
      const t = own(run[1] ?? '');
      if (!t) return send(res, 404, { error: 'not_found' });
      const input = body.input as { messages: Array<{ role: string; content: string }> };
      const content = input.messages[0]?.content ?? '';
      const answer = `You said: ${content}`;
      t.messages.push({ role: 'user', content }, { role: 'assistant', content: answer });
      const result = {
        run_id: randomUUID(),
        thread_id: t.thread_id,
        status: 'success',
        answer,
        messages: t.messages,
      };
      if (run[2] === 'wait') return send(res, 200, result);
      res.setHeader('content-type', 'text/event-stream');
      const event = (name: string, data: unknown) =>
        res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
      event('metadata', { run_id: result.run_id, thread_id: t.thread_id });
      event('updates', {
        node: 'agent',
        messages: [
          { role: 'assistant', content: '', tool_calls: [{ id: 'c1', name: 'echo', args: { content } }] },
        ],
      });
      event('updates', {
        node: 'tools',
        messages: [{ role: 'tool', name: 'echo', content, tool_call_id: 'c1' }],
      });
      event('updates', { node: 'respond', messages: [{ role: 'assistant', content: answer }] });
      if (state.streamError)
        event('error', { error: state.streamError, error_description: 'internal detail' });
      else event('end', result);
      return res.end();
    }
    const stateMatch = /^\/threads\/([^/]+)\/state$/.exec(path);
    if (req.method === 'GET' && stateMatch) {
      const t = own(stateMatch[1] ?? '');
      if (!t) return send(res, 404, { error: 'not_found' });
      return send(res, 200, { thread_id: t.thread_id, values: { messages: t.messages } });
    }
    send(res, 404, { error: 'not_found' });
  });
  state.url = await listenLocal(server);
  state.close = () => close(server);
  return state;
}
