import { createServer } from 'node:http';
import { basicAuthorization } from '@mcp-langgraph/protocol';

/** What the authorization server's `/revocations` answers: deny-listed token ids and disabled users. */
export interface RevocationList {
  jtis?: string[];
  disabled_subjects?: string[];
}

/** A stand-in for the authorization server's revocation feed that a test can change and take down. */
export interface FakeRevocationFeed {
  /** Base URL (the service's `AUTH_INTERNAL_URL`); the feed is at `${url}/revocations`. */
  url: string;
  /** Replaces the list every later fetch gets. */
  set(list: RevocationList): void;
  /** While down, every fetch gets 503, as when the authorization server is unreachable. */
  setDown(down: boolean): void;
  /** Resolves once a later fetch has been answered with the list (not while the feed is down). */
  nextFetch(): Promise<void>;
  close(): Promise<void>;
}

/** `GET /revocations` on 127.0.0.1, answered only to the given client's Basic credentials. */
export async function startRevocationFeed(client: {
  id: string;
  secret: string;
}): Promise<FakeRevocationFeed> {
  const expected = basicAuthorization(client.id, client.secret);
  let list: Required<RevocationList> = { jtis: [], disabled_subjects: [] };
  let down = false;
  let waiting: Array<() => void> = [];
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/revocations') {
      res.writeHead(404).end();
      return;
    }
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_client' }));
      return;
    }
    if (down) {
      res.writeHead(503).end();
      return;
    }
    const answered = waiting;
    waiting = [];
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(list), () => {
      for (const resolve of answered) resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    set(next) {
      list = { jtis: next.jtis ?? [], disabled_subjects: next.disabled_subjects ?? [] };
    },
    setDown(value) {
      down = value;
    },
    nextFetch: () => new Promise<void>((resolve) => waiting.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
