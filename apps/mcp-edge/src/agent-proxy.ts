import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
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
  fetch?: typeof fetch;
}

// What crosses the proxy, in either direction. The caller's credentials and cookies never do.
const REQUEST_HEADERS = ['content-type', 'accept', 'last-event-id', 'prefer', 'x-request-id'];
const RESPONSE_HEADERS = [
  'content-type',
  'content-location',
  'location',
  'cache-control',
  'retry-after',
  'www-authenticate',
  'x-accel-buffering',
];

/** The request body as a stream the upstream fetch sends, cut off past `max` bytes (`tooLarge`). */
function limitedBody(req: Readable, max: number): { stream: ReadableStream<Uint8Array>; tooLarge: boolean } {
  let seen = 0;
  const state = {
    tooLarge: false,
    stream: new ReadableStream<Uint8Array>({
      async start(controller) {
        try {
          for await (const chunk of req as AsyncIterable<Buffer>) {
            seen += chunk.length;
            if (seen > max) {
              state.tooLarge = true;
              throw new Error('request body is larger than the limit');
            }
            controller.enqueue(new Uint8Array(chunk));
          }
          controller.close();
        } catch (err) {
          controller.error(err);
        }
      },
    }),
  };
  return state;
}

/**
 * The agent's Agent Protocol API under the edge's `/agent`, for API consumers and the LangGraph
 * SDK: the caller's token (already verified by the bearer guard) is exchanged for an agent token,
 * the request goes on with only the headers the API needs, and the answer — JSON, or a server-sent
 * event stream passed through unbuffered, chunk by chunk — comes back with the headers the SDK
 * reads (`Content-Location`, `Location` for reconnection, relative to `/agent`). A caller who goes
 * away aborts the upstream request, so the agent sees the disconnect (`on_disconnect`). The agent
 * does its own authorization on every route.
 */
export function agentProxy(options: AgentProxyOptions): RequestHandler {
  const doFetch = options.fetch ?? fetch;
  const base = options.agentUrl;
  return async (req, res, next) => {
    const caller = verifiedToken(req);
    let agentToken: string;
    try {
      agentToken = await options.exchanger.exchange(caller);
    } catch (err) {
      const refused = err instanceof TokenExchangeError && err.status !== undefined && err.status < 500;
      return next(
        refused
          ? new AppError(
              401,
              'invalid_token',
              'your access token could not be delegated to the agent; sign in again',
            )
          : new AppError(
              503,
              'temporarily_unavailable',
              'the authorization server is unavailable; try again',
              {
                'Retry-After': '5',
              },
            ),
      );
    }
    const headers: Record<string, string> = { authorization: `Bearer ${agentToken}`, 'x-request-id': req.id };
    for (const name of REQUEST_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string' && name !== 'x-request-id') headers[name] = value;
    }
    const upstream = new AbortController();
    // Until the agent answers, a deadline; after that the answer (a stream) takes as long as it needs.
    const deadline = setTimeout(() => upstream.abort(new Error('timeout')), options.timeoutMs);
    res.once('close', () => {
      if (!res.writableFinished) upstream.abort(new Error('client went away'));
    });
    const body =
      req.method !== 'GET' && req.method !== 'HEAD' ? limitedBody(req, options.maxBodyBytes) : undefined;
    let answer: Response;
    try {
      answer = await doFetch(`${base}${req.url}`, {
        method: req.method,
        headers,
        ...(body ? { body: body.stream, duplex: 'half' } : {}),
        signal: upstream.signal,
        redirect: 'manual',
      } as RequestInit);
    } catch (err) {
      clearTimeout(deadline);
      if (res.destroyed) return;
      if (body?.tooLarge)
        return next(new AppError(413, 'payload_too_large', 'request body is larger than the limit'));
      const timedOut =
        upstream.signal.reason instanceof Error && upstream.signal.reason.message === 'timeout';
      options.logger.warn({ err: (err as Error).message, timed_out: timedOut }, 'agent unreachable');
      return next(
        timedOut
          ? new AppError(504, 'agent_timeout', 'the agent did not answer in time')
          : new AppError(502, 'agent_unavailable', 'the agent is unavailable right now; try again'),
      );
    }
    clearTimeout(deadline);
    res.status(answer.status);
    for (const name of RESPONSE_HEADERS) {
      const value = answer.headers.get(name);
      if (value !== null) res.setHeader(name, value);
    }
    if (!answer.body) return void res.end();
    if (answer.headers.get('content-type')?.startsWith('text/event-stream')) {
      // Proxies in front of the edge must not hold the events back either.
      res.setHeader('X-Accel-Buffering', 'no');
      res.setHeader('Cache-Control', 'no-cache, no-transform');
      res.flushHeaders();
    }
    const events = Readable.fromWeb(answer.body as unknown as WebReadableStream<Uint8Array>);
    events.on('error', () => res.destroy());
    events.pipe(res);
  };
}
