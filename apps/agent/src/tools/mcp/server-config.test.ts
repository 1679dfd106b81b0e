import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@mcp-langgraph/config';
import { grantOf, modelToolName, PROVIDER_TOOL_NAME } from './naming.js';
import { describeServer, parseMcpServers } from './server-config.js';

const refused = (value: string) => {
  try {
    parseMcpServers(value);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('accepted');
};

describe('AGENT_MCP_SERVERS', () => {
  it('is empty when unset', () => {
    expect(parseMcpServers(undefined)).toEqual([]);
    expect(parseMcpServers('  ')).toEqual([]);
  });

  it('reads HTTP and stdio entries from a JSON list', () => {
    const servers = parseMcpServers(
      JSON.stringify([
        { name: 'docs', url: 'https://docs.example/mcp', headers: { 'X-Tenant': 'acme' }, public: true },
        {
          name: 'files_2',
          command: 'npx',
          args: ['-y', 'some-server'],
          env: { ROOT: '/srv' },
          timeout_ms: 5000,
        },
      ]),
    );
    expect(servers.map((s) => s.name)).toEqual(['docs', 'files_2']);
    expect(servers[1]).toMatchObject({ command: 'npx', timeout_ms: 5000 });
  });

  it('reads the list from the file it names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-servers-'));
    try {
      const file = join(dir, 'servers.json');
      writeFileSync(file, JSON.stringify([{ name: 'docs', url: 'http://127.0.0.1:9/mcp' }]));
      expect(parseMcpServers(file)).toEqual([{ name: 'docs', url: 'http://127.0.0.1:9/mcp' }]);
      expect(refused(join(dir, 'missing.json'))).toContain(
        'AGENT_MCP_SERVERS: is neither a JSON list nor a readable file (ENOENT',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['[{"name":"docs"}]', 'entry 1 ("docs"): give exactly one of url (Streamable HTTP) and command (stdio)'],
    ['[{"name":"docs","url":"https://a/mcp","command":"x"}]', 'entry 1 ("docs"): give exactly one of url'],
    ['[{"name":"Docs","url":"https://a/mcp"}]', 'entry 1: name: must match'],
    ['[{"name":"a","url":"ftp://a/mcp"}]', 'entry 1 ("a"): url: must be an http(s) URL'],
    ['[{"name":"a","url":"https://a/mcp","args":["x"]}]', 'args and env belong to a stdio server'],
    ['[{"name":"a","command":"x","oauth":{}}]', 'entry 1 ("a"): oauth.token_url'],
    ['[{"name":"a","url":"https://a/mcp","colour":"red"}]', 'Unrecognized key'],
    ['[{"name":"a","url":"https://a/mcp","timeout_ms":5}]', 'entry 1 ("a"): timeout_ms'],
    [
      '[{"name":"a","url":"https://a/mcp"},{"name":"a","command":"x"}]',
      'entry 2 ("a"): the name "a" is used twice',
    ],
    ['{"name":"a"}', 'must be a JSON list'],
    ['[{"name":', 'is not valid JSON'],
  ])('stops start-up on %s, naming the variable and the entry', (value, message) => {
    const text = refused(value);
    expect(text).toContain('AGENT_MCP_SERVERS: ');
    expect(text).toContain(message);
  });

  it('never repeats a secret in its message', () => {
    const text = refused(
      JSON.stringify([
        {
          name: 'a',
          url: 'https://a/mcp',
          oauth: { token_url: 'nope', client_id: 'c', client_secret: 'hunter2' },
        },
      ]),
    );
    expect(text).toContain('oauth.token_url');
    expect(text).not.toContain('hunter2');
  });

  it('describes a server for the log by name and host only', () => {
    expect(
      describeServer({ name: 'docs', url: 'https://user:pw@docs.example:8443/private/mcp?key=k' }),
    ).toEqual({
      server: 'docs',
      host: 'docs.example:8443',
      transport: 'http',
    });
    expect(describeServer({ name: 'local', command: 'node', args: ['--secret=x'] })).toEqual({
      server: 'local',
      transport: 'stdio',
    });
  });
});

describe('downstream tool names', () => {
  it('offers <server>__<tool> when that is a valid provider tool name', () => {
    expect(modelToolName('docs', 'search', new Set())).toBe('docs__search');
    expect(grantOf('docs', 'search')).toBe('docs/search');
  });

  it('makes any other name valid, short and distinct', () => {
    const taken = new Set<string>();
    const a = modelToolName('docs', 'files.read', taken)!;
    taken.add(a);
    const b = modelToolName('docs', 'files/read', taken)!;
    const long = modelToolName('docs', 'x'.repeat(200), taken)!;
    for (const name of [a, b, long]) expect(name).toMatch(PROVIDER_TOOL_NAME);
    expect(a).toMatch(/^docs__files_read_[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(long.length).toBe(64);
    expect(modelToolName('docs', 'search', new Set(['docs__search']))).toMatch(/^docs__search_[0-9a-f]{8}$/);
  });

  it('encodes what the authorization engines refuse in an object id', () => {
    expect(grantOf('docs', 'a b:c#d/e')).toBe('docs/a%20b%3Ac%23d%2Fe');
    expect(grantOf('docs', 'é')).toBe('docs/%C3%A9');
    expect(grantOf('docs', 'x'.repeat(300))).toBeUndefined();
  });
});
