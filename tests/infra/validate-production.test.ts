import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'validate-production-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `npm run validate:production`'s script as an operator would; returns what it printed. */
function validate(files: { env?: string; kong?: string; envFile?: string }) {
  const envFile = files.envFile ?? write(`${Math.random().toString(36).slice(2)}.env`, files.env ?? '');
  const kong = files.kong === undefined ? [] : ['--kong', write('kong.yml', files.kong)];
  const out = spawnSync(
    process.execPath,
    [
      '--conditions=development',
      '--import',
      'tsx',
      join(ROOT, 'scripts', 'validate-production.ts'),
      '--env-file',
      envFile,
      ...kong,
    ],
    { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 60_000 },
  );
  return { status: out.status, output: `${out.stdout}${out.stderr}` };
}
function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A production deployment's secrets and settings, each generated. */
const GOOD = `
APP_ENV=production
DATABASE_URL=postgres://mcp:q7vr2x-dev-k9pl4mn8wz3@postgres.db:5432/mcp
REDIS_URL=rediss://:H4kP9sD2fG7jL1zX5cV8@redis.redis:6380
AUTH_SIGNING_KEYS=[]
EDGE_CLIENT_SECRET=Yh3Kp8Qz1Lm6Rt9Vw2Xn5Bc7
AGENT_CLIENT_SECRET=Fd4Gs7Hj2Kl9Mn3Pq6Rt8Vx
GATEWAY_SECRET=Zc5Xv8Bn1Mq4Wr7Ty2Ui9Op
OPENFGA_STORE_ID=01HXYZSTORE
OPENFGA_API_TOKEN=Tk7Lp2Qm9Wn4Xr6Zs3Vb8Cd
OPENFGA_DATASTORE_ENGINE=postgres
OPENAI_API_KEY=sk-proj-Ab12Cd34Ef56Gh78Ij90
CORS_ORIGINS=https://app.example.com
`;

const BAD = `
APP_ENV=production
DATABASE_URL=postgres://mcp:mcp-dev-password@postgres:5432/mcp
AUTH_SIGNING_KEYS=[]
EDGE_CLIENT_SECRET=compose-dev-edge-secret-change-me
AGENT_CLIENT_SECRET=aaaaaaaaaaaaaaaaaaaaaaaa
GATEWAY_SECRET=Zc5Xv8Bn1Mq4Wr7Ty2Ui9Op
LLM_MODEL=openai:gpt-4.1-mini
LLM_FALLBACK_MODELS=offline
CORS_ORIGINS=*
AUTH_ISSUER=http://mcp.example.com
OPENFGA_DATASTORE_ENGINE=memory
OPENFGA_STORE_ID=01HXYZSTORE
MCP_ALLOWED_HOSTS=
`;

/** A Kong file with a route that switched its limit off, counters per node, and the header as a literal. */
const BAD_KONG = `
_format_version: "3.0"
plugins:
  - name: rate-limiting
    config: { minute: 600, policy: local }
  - name: request-transformer
    config:
      add:
        headers: ["X-Gateway-Secret:Zc5Xv8Bn1Mq4Wr7Ty2Ui9Op"]
services:
  - name: mcp-edge
    url: http://mcp-edge:4000
    routes:
      - name: mcp
        paths: ["/mcp"]
        plugins:
          - name: rate-limiting
            enabled: false
            config: { minute: 10, policy: redis }
      - name: agent-api
        paths: ["/agent"]
`;

describe('npm run validate:production', () => {
  it('passes the production overlay, Kong and a generated env file', () => {
    const r = validate({ env: GOOD });
    expect(r.output).toContain('no problems found');
    expect(r.status).toBe(0);
  });

  it('lists every problem of a bad deployment and exits 1', () => {
    const r = validate({ env: BAD, kong: BAD_KONG });
    expect(r.status).toBe(1);
    for (const expected of [
      /\[auth\] EDGE_CLIENT_SECRET holds a secret published in this repository/,
      /\[agent\] DATABASE_URL holds a secret published in this repository/,
      /\[agent\] AGENT_CLIENT_SECRET: weak secret \(too few distinct characters\)/,
      /\[agent\] LLM_FALLBACK_MODELS \/ LLM_FALLBACK_PROVIDERS must not name the offline model/,
      /\[mcp-edge\] CORS_ORIGINS must list explicit origins in production, not "\*"/,
      /\[mcp-edge\] AUTH_ISSUER must be an https:\/\/ URL in production/,
      /\[mcp-edge\] MCP_ALLOWED_HOSTS must list the public host names/,
      /\[mcp-edge\] REDIS_URL must be set/,
      /OpenFGA: datastore engine "memory", must be postgres/,
      /kong\.yml: route mcp has no rate limiting/,
      /kong\.yml: route agent-api counts its rate limit in "local", not redis/,
      /kong\.yml: the gateway secret header is a literal in the file/,
    ])
      expect(r.output).toMatch(expected);
    // The secrets themselves are never repeated.
    expect(r.output).not.toContain('mcp-dev-password');
    expect(r.output).not.toContain('Zc5Xv8Bn1Mq4Wr7Ty2Ui9Op');
  });

  it('flags a Kong file without the gateway header and a weak gateway secret', () => {
    const kong = readFileSync(join(ROOT, 'kong', 'kong.yml'), 'utf8').replace(/X-Gateway-Secret/g, 'X-Other');
    const r = validate({ env: GOOD.replace(/GATEWAY_SECRET=.*/, 'GATEWAY_SECRET=gateway-gateway-gw'), kong });
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/no plugin sends the gateway secret header \(X-Gateway-Secret\)/);
    expect(r.output).toMatch(/\[mcp-edge\] GATEWAY_SECRET: weak secret \(too few distinct characters\)/);
  });

  it('names a missing env file', () => {
    const r = validate({ envFile: join(dir, 'none.env') });
    // Node 20 itself reads --env-file wherever it appears and stops first ("not found").
    expect(r.output).toMatch(/none\.env: (no such env file|not found)/);
    expect(r.status).not.toBe(0);
  });
});
