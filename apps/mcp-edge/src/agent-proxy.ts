import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { AppError, type Logger } from '@mcp-langgraph/observability';
import { TokenExchangeError, type VerifiedToken, verifiedToken } from '@mcp-langgraph/resource-server';
import type { RequestHandler } from 'express';

export interface AgentProxyOptions {
  /** Where the edge reaches the agent. */
  agentUrl: string;
  /** Trades the caller's token for an agent-audience token (RFC 8693), cached per user token. */
  exchanger: { exchange(subject: VerifiedToken): Promise<string> };
  /** Longest wait for the agent's answer to begin (a stream then runs as long as it needs). */
  timeoutMs: number;
  /** Largest request body passed on (`BODY_LIMIT`, in bytes). */
  maxBodyBytes: number;
  logger: Logger;
}

// What crosses the proxy, in either direction. The caller's credentials and cookies never do.
const REQUEST_HEADERS = ['content-type', 'accept', 'last-event-id', 'prefer'];
const RESPONSE_HEADERS = [
  'content-type',
  'content-location',
  'location',
  'cache-control',
  'retry-after',
  'www-authenticate',
  'x-accel-buffering',
];

/** The request body, read whole (API bodies are small); undefined when it is over `max` bytes. */
async function readBody(req: Readable, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let seen = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > max) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function delegationFailed(err: unknown): AppError {
  const refused = err instanceof TokenExchangeError && err.status !== undefined && err.status < 500;
  return refused
    ? new AppError(
        401,
        'invalid_token',
        'your access token could not be delegated to the agent; sign in again',
      )
    : new AppError(503, 'temporarily_unavailable', 'the authorization server is unavailable; try again', {
        'Retry-After': '5',
      });
}

/**
 * The agent's Agent Protocol API under the edge's `/agent`, for API consumers and the LangGraph
 * SDK: the caller's token (already verified by the bearer guard) is exchanged for an agent token,
 * the request goes on with only the headers the API needs, and the answer — JSON, or a server-sent
 * event stream passed through chunk by chunk, unbuffered — comes back with the headers the SDK
 * reads (`Content-Location`, `Location` for reconnection, relative to `/agent`). A caller who goes
 * away aborts the upstream request, so the agent sees the disconnect (`on_disconnect`). The agent
 * does its own authorization on every route. Plain `node:http` with kept-alive connections: this
 * sits on every API call.
 */
export function agentProxy(options: AgentProxyOptions): RequestHandler {
  const base = new URL(options.agentUrl);
  const secure = base.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const prefix = base.pathname === '/' ? '' : base.pathname;

  return async (req, res, next) => {
    let agentToken: string;
    try {
      agentToken = await options.exchanger.exchange(verifiedToken(req));
    } catch (err) {
      return next(delegationFailed(err));
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const body = hasBody ? await readBody(req, options.maxBodyBytes).catch(() => Buffer.alloc(0)) : undefined;
    if (hasBody && body === undefined)
      return next(new AppError(413, 'payload_too_large', 'request body is larger than the limit'));

    const headers: Record<string, string> = { authorization: `Bearer ${agentToken}`, 'x-request-id': req.id };
    for (const name of REQUEST_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    if (body && body.length > 0) headers['content-length'] = String(body.length);

    const upstream = send({
      agent,
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port,
      method: req.method,
      path: `${prefix}${req.url}`,
      headers,
    });
    // Until the agent answers, a deadline; after that the answer (a stream) takes as long as it needs.
    const deadline = setTimeout(() => upstream.destroy(new Error('timeout')), options.timeoutMs);
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy(new Error('client went away'));
    });
    upstream.once('error', (err) => {
      clearTimeout(deadline);
      if (res.headersSent || res.destroyed) return void res.destroy();
      const timedOut = err.message === 'timeout';
      options.logger.warn({ err: err.message, timed_out: timedOut }, 'agent unreachable');
      next(
        timedOut
          ? new AppError(504, 'agent_timeout', 'the agent did not answer in time')
          : new AppError(502, 'agent_unavailable', 'the agent is unavailable right now; try again'),
      );
    });
    upstream.once('response', (answer: IncomingMessage) => {
      clearTimeout(deadline);
      res.status(answer.statusCode ?? 502);
      for (const name of RESPONSE_HEADERS) {
        const value = answer.headers[name];
        if (value !== undefined) res.setHeader(name, value);
      }
      if (answer.headers['content-type']?.startsWith('text/event-stream')) {
        // Proxies in front of the edge must not hold the events back either.
        res.setHeader('X-Accel-Buffering', 'no');
        res.setHeader('Cache-Control', 'no-cache, no-transform');
        res.flushHeaders();
      }
      answer.on('error', () => res.destroy());
      answer.pipe(res);
    });
    upstream.end(body);
  };
}
