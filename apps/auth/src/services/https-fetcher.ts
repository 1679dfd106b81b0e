import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { IncomingMessage } from 'node:http';
import { type Agent, request } from 'node:https';
import { isIP } from 'node:net';
import { addressRefusal } from './address-policy.js';

/** A fetched document: the status, the body text, and how long it may be cached (seconds). */
export interface FetchedDocument {
  status: number;
  body: string;
  maxAge?: number | undefined;
}

export type DocumentFetcher = (url: URL) => Promise<FetchedDocument>;

/** Why a document could not be used; the message goes to logs, never to the client. */
export class DocumentError extends Error {}

export interface HttpsFetcherOptions {
  /** Development only: allow loopback and private networks (link-local and metadata never). */
  allowPrivateAddresses: boolean;
  /** The whole fetch, from DNS to the last byte. */
  timeoutMs: number;
  maxBytes: number;
  /** Certificates to trust instead of the system's (tests with a self-signed server). */
  ca?: string | Buffer | undefined;
  agent?: Agent | undefined;
}

type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

function cacheLifetime(res: IncomingMessage): number | undefined {
  const cc = String(res.headers['cache-control'] ?? '');
  if (/no-store|no-cache/.test(cc)) return 0;
  const m = /max-age=(\d+)/.exec(cc);
  return m ? Number(m[1]) : undefined;
}

/**
 * HTTPS GET without redirects, refusing link-local and metadata addresses always and private ones
 * unless allowed, checked on the literal host and on every address its name resolves to (no DNS
 * rebinding past it). The time limit is a deadline for the whole fetch (an `AbortSignal`), not a
 * socket idle timeout, which a server sending a byte now and then would never trip; the size limit
 * is enforced while the body streams in.
 */
export function createHttpsFetcher(o: HttpsFetcherOptions): DocumentFetcher {
  return (url) =>
    new Promise<FetchedDocument>((resolve, reject) => {
      const literal = url.hostname.replace(/^\[|\]$/g, '');
      const refusedLiteral =
        isIP(literal) !== 0 ? addressRefusal(literal, o.allowPrivateAddresses) : undefined;
      if (refusedLiteral) return reject(new DocumentError(`the document is on ${refusedLiteral}`));

      const signal = AbortSignal.timeout(o.timeoutMs);
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        reject(signal.aborted ? new DocumentError('the document took too long') : err);
      };
      const req = request(
        url,
        {
          method: 'GET',
          headers: { accept: 'application/json' },
          signal,
          ...(o.ca !== undefined ? { ca: o.ca } : {}),
          ...(o.agent ? { agent: o.agent } : {}),
          lookup: (hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
            dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
              if (err) return callback(err, '', 4);
              const list = addresses as LookupAddress[];
              const refusal = list
                .map((a) => addressRefusal(a.address, o.allowPrivateAddresses))
                .find(Boolean);
              if (refusal)
                return callback(new DocumentError(`the document host resolves to ${refusal}`), '', 4);
              const first = list[0];
              if (!first) return callback(new DocumentError('the document host has no address'), '', 4);
              if (options.all) return callback(null, list);
              callback(null, first.address, first.family);
            });
          },
        },
        (res) => {
          const declared = Number(res.headers['content-length'] ?? 0);
          if (declared > o.maxBytes) {
            req.destroy();
            return fail(new DocumentError('the document is too large'));
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > o.maxBytes) {
              req.destroy();
              return fail(new DocumentError('the document is too large'));
            }
            chunks.push(c);
          });
          res.on('end', () => {
            if (settled) return;
            settled = true;
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              maxAge: cacheLifetime(res),
            });
          });
          res.on('error', fail);
          res.on('close', () => fail(new DocumentError('the document host closed the connection')));
        },
      );
      req.on('error', fail);
      req.end();
    });
}
