import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake saw it: route and query only (bodies carry credentials). */
export interface FakeInfisicalRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorized: boolean;
}

export interface FakeInfisical {
  url: string;
  requests: FakeInfisicalRequest[];
  /** Creates or rotates a secret of the served folder (the version goes up, as Infisical's does). */
  setSecret(name: string, value: string): void;
  /** A secret the machine identity may list but not read (Infisical hides its value). */
  setHiddenSecret(name: string): void;
  /** Makes every issued access token invalid, as when one expires. */
  expireTokens(): void;
  /** Answers every request with this status (as a load balancer in front of a down Infisical), or normally again. */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

interface StoredSecret {
  id: string;
  key: string;
  value: string;
  version: number;
  hidden: boolean;
  createdAt: string;
  updatedAt: string;
}

/**
 * A local stand-in for Infisical's HTTP API serving what `@infisical/sdk` 5 calls: universal-auth
 * login (`POST /api/v1/auth/universal-auth/login`) and the raw secrets endpoints
 * (`GET /api/v3/secrets/raw`, `GET /api/v3/secrets/raw/:name`), with Infisical's JSON shapes and
 * its error body (`{reqId, statusCode, message, error}`).
 */
export async function startFakeInfisical(options: {
  clientId: string;
  clientSecret: string;
  projectId: string;
  environment: string;
  secretPath?: string;
  secrets?: Record<string, string>;
}): Promise<FakeInfisical> {
  const folder = options.secretPath ?? '/';
  const secrets = new Map<string, StoredSecret>();
  const tokens = new Set<string>();
  const requests: FakeInfisicalRequest[] = [];
  let failure: number | undefined;

  function setSecret(key: string, value: string, hidden = false): void {
    const at = new Date().toISOString();
    const prev = secrets.get(key);
    secrets.set(key, {
      id: prev?.id ?? randomUUID(),
      key,
      value,
      version: (prev?.version ?? 0) + 1,
      hidden,
      createdAt: prev?.createdAt ?? at,
      updatedAt: at,
    });
  }
  for (const [k, v] of Object.entries(options.secrets ?? {})) setSecret(k, v);

  const raw = (s: StoredSecret) => ({
    id: s.id,
    _id: s.id,
    workspace: options.projectId,
    environment: options.environment,
    version: s.version,
    type: 'shared',
    secretKey: s.key,
    secretValue: s.hidden ? '<hidden-by-infisical>' : s.value,
    secretComment: '',
    secretReminderNote: null,
    secretReminderRepeatDays: null,
    skipMultilineEncoding: false,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    secretValueHidden: s.hidden,
    isRotatedSecret: false,
    rotationId: null,
    secretPath: folder,
    secretMetadata: [],
    tags: [],
  });

  function send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  }
  function error(res: ServerResponse, status: number, name: string, message: string): void {
    send(res, status, { reqId: `req-${randomUUID().slice(0, 8)}`, statusCode: status, message, error: name });
  }
  async function body(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return undefined;
    }
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const authorized = token !== undefined && tokens.has(token);
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorized,
    });
    if (failure !== undefined) return error(res, failure, 'ServiceUnavailable', 'Service Unavailable');

    if (req.method === 'POST' && url.pathname === '/api/v1/auth/universal-auth/login') {
      const b = (await body(req)) as { clientId?: string; clientSecret?: string } | undefined;
      if (b?.clientId !== options.clientId || b?.clientSecret !== options.clientSecret)
        return error(res, 401, 'UnauthorizedError', 'Invalid credentials');
      const accessToken = `eyJ.${randomUUID()}.sig`;
      tokens.add(accessToken);
      return send(res, 200, {
        accessToken,
        expiresIn: 7200,
        accessTokenMaxTTL: 2_592_000,
        tokenType: 'Bearer',
      });
    }

    const single = /^\/api\/v3\/secrets\/raw\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && (url.pathname === '/api/v3/secrets/raw' || single)) {
      if (!authorized) return error(res, 401, 'UnauthorizedError', 'Token expired or invalid');
      const q = url.searchParams;
      if (q.get('workspaceId') !== options.projectId || q.get('environment') !== options.environment)
        return error(
          res,
          404,
          'NotFound',
          `Environment with slug '${q.get('environment')}' in project with ID '${q.get('workspaceId')}' not found`,
        );
      if ((q.get('secretPath') ?? '/') !== folder) return send(res, 200, { secrets: [], imports: [] });
      if (!single) return send(res, 200, { secrets: [...secrets.values()].map(raw), imports: [] });
      const s = secrets.get(decodeURIComponent(single[1] ?? ''));
      if (!s) return error(res, 404, 'NotFound', `Secret with name '${single[1]}' not found`);
      return send(res, 200, { secret: raw(s) });
    }
    error(res, 404, 'NotFound', `Route ${req.method}:${url.pathname} not found`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setSecret: (k, v) => setSecret(k, v),
    setHiddenSecret: (k) => setSecret(k, 'x', true),
    expireTokens: () => tokens.clear(),
    failWith(status) {
      failure = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
