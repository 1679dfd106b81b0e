import type { ToolMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import {
  freePort,
  STDIO_MCP_SERVER,
  startLegacySseMcpServer,
  startTestMcpServer,
  startTokenEndpoint,
  type TestMcpServer,
} from '../../testing/mcp-server.js';
import { callFor, testToolGate } from '../../testing/tool-gate.js';
import { MAX_RESULT_CHARS } from './connection.js';
import { type Downstream, startDownstream } from './downstream.js';
import type { McpServerEntry } from './server-config.js';

const ALICE = 'user:alice';
type Gate = Awaited<ReturnType<typeof testToolGate>>;

const byName = (tools: StructuredToolInterface[], name: string) => {
  const tool = tools.find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name} among ${tools.map((t) => t.name).join(', ')}`);
  return tool;
};

async function invoke(downstream: Downstream, name: string, args: Record<string, unknown>, caller = ALICE) {
  const { call, config } = callFor(caller, name, args);
  return (await byName(downstream.tools(), name).invoke(call, config as never)) as ToolMessage;
}

/** Resolves once `check` holds, polling; fails the test after `ms`. */
async function eventually(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('the condition never held');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('downstream MCP servers', () => {
  let gate: Gate;
  let server: TestMcpServer;
  const open: Array<{ close(): Promise<void> }> = [];
  const start = async (entries: McpServerEntry[], timeoutMs = 5000) => {
    const seeded: string[][] = [];
    const downstream = await startDownstream(entries, {
      logger: gate.logger,
      gate,
      timeoutMs,
      retry: { initialMs: 50, maxMs: 200 },
      seed: async (grants) => {
        seeded.push([...grants]);
      },
    });
    open.push(downstream);
    return Object.assign(downstream, { seeded });
  };

  beforeAll(async () => {
    gate = await testToolGate();
    server = await startTestMcpServer();
    await gate.grant(ALICE, 'docs/search');
    await gate.grant(ALICE, 'docs/slow');
  });
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
  });
  afterAll(async () => {
    await server.close();
    await gate.authorizer.close();
  });

  it('offers each tool as <server>__<tool> and calls it on the server', async () => {
    const downstream = await start([{ name: 'docs', url: server.url }]);
    expect(downstream.tools().map((t) => t.name)).toEqual(['docs__search', 'docs__slow']);
    expect(byName(downstream.tools(), 'docs__search').description).toContain(
      'Searches the test documentation.',
    );
    const message = await invoke(downstream, 'docs__search', { query: 'kong' });
    expect(message.content).toBe('Found 1 page for "kong": docs/kong.md');
    expect(message).toMatchObject({ name: 'docs__search', tool_call_id: 'call_1', status: 'success' });
    expect(server.calls.at(-1)).toEqual({ tool: 'search', args: { query: 'kong' } });
    expect(await gate.count('docs/search', 'success')).toBeGreaterThanOrEqual(1);
  });

  it("hands the model the server's error result", async () => {
    const downstream = await start([{ name: 'docs', url: server.url }]);
    await expect(invoke(downstream, 'docs__search', { query: 'fail' })).rejects.toThrow(
      'The tool docs__search reported an error: the index is being rebuilt',
    );
  });

  it('bounds the text a result hands the model', async () => {
    const downstream = await start([{ name: 'docs', url: server.url }]);
    const { content } = await invoke(downstream, 'docs__search', { query: 'huge' });
    expect(typeof content).toBe('string');
    expect((content as string).length).toBeLessThan(MAX_RESULT_CHARS + 100);
    expect(content).toMatch(/\[… 150000 more characters left out\]$/);
  });

  it('gives up on a tool that hangs', async () => {
    const downstream = await start([{ name: 'docs', url: server.url, timeout_ms: 300 }]);
    await expect(invoke(downstream, 'docs__slow', {})).rejects.toThrow(
      'The tool docs__slow did not answer within 300 ms.',
    );
    expect(server.calls.at(-1)).toEqual({ tool: 'slow', args: {} });
    // The server is still there: the next call works.
    expect((await invoke(downstream, 'docs__search', { query: 'after' })).content).toContain('after');
  });

  it('refuses the call for a user without the grant, before it reaches the server', async () => {
    const downstream = await start([{ name: 'docs', url: server.url }]);
    const calls = server.calls.length;
    const message = await invoke(downstream, 'docs__search', { query: 'secret' }, 'user:mallory');
    expect(message).toMatchObject({ status: 'error', content: 'You may not use the tool docs__search.' });
    expect(server.calls).toHaveLength(calls);
  });

  it('grants the tools of a public server to every user, and only then', async () => {
    const shy = await start([{ name: 'docs', url: server.url }]);
    expect(shy.seeded).toEqual([]);
    const open = await start([{ name: 'docs', url: server.url, public: true }]);
    expect(open.seeded).toEqual([['docs/search', 'docs/slow']]);
  });

  it('starts without a server that is down, names it in the log, and picks it up when it comes up', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/private/mcp?key=hunter2`;
    const downstream = await start([{ name: 'late', url }]);
    expect(downstream.tools()).toEqual([]);
    const warning = gate.log.lines.find((l) => String(l.msg).includes('"late" is unreachable'));
    expect(warning).toMatchObject({ server: 'late', host: `127.0.0.1:${port}`, level: 'warn' });
    expect(gate.log.text()).not.toContain('hunter2');
    expect(gate.log.text()).not.toContain('/private');

    let changes = 0;
    downstream.onChange(() => changes++);
    const late = await startTestMcpServer({ port });
    try {
      await eventually(() => downstream.tools().length === 2);
      expect(changes).toBe(1);
      await gate.grant(ALICE, 'late/search');
      expect((await invoke(downstream, 'late__search', { query: 'up' })).content).toContain('"up"');
    } finally {
      await late.close();
    }
  });

  it('tells the model when a server went away, and reconnects when it is back', async () => {
    const port = await freePort();
    let flaky = await startTestMcpServer({ port });
    const downstream = await start([{ name: 'flaky', url: `http://127.0.0.1:${port}/mcp` }]);
    await gate.grant(ALICE, 'flaky/search');
    expect((await invoke(downstream, 'flaky__search', { query: 'one' })).content).toContain('one');
    await flaky.close();
    await expect(invoke(downstream, 'flaky__search', { query: 'two' })).rejects.toThrow(
      'The "flaky" tool server is not reachable right now; try again later.',
    );
    flaky = await startTestMcpServer({ port });
    try {
      await eventually(
        () => gate.log.lines.filter((l) => l.msg === 'downstream MCP server "flaky" connected').length >= 2,
      );
      expect((await invoke(downstream, 'flaky__search', { query: 'three' })).content).toContain('three');
    } finally {
      await flaky.close();
    }
  });

  it('obtains a bearer token by the client-credentials grant, reuses it, and renews it when refused', async () => {
    const tokens = await startTokenEndpoint({ id: 'agent-docs', secret: 's3cr3t:with/odd chars' });
    let accepted = 'token-1';
    const guarded = await startTestMcpServer({ accepts: () => accepted });
    try {
      const downstream = await start([
        {
          name: 'guarded',
          url: guarded.url,
          headers: { 'x-tenant': 'acme' },
          oauth: {
            token_url: tokens.url,
            client_id: 'agent-docs',
            client_secret: 's3cr3t:with/odd chars',
            scope: 'docs.read',
            resource: 'https://docs.example/mcp',
          },
        },
      ]);
      await gate.grant(ALICE, 'guarded/search');
      expect((await invoke(downstream, 'guarded__search', { query: 'a' })).content).toContain('"a"');
      expect((await invoke(downstream, 'guarded__search', { query: 'b' })).content).toContain('"b"');
      expect(tokens.requests).toHaveLength(1);
      expect(tokens.requests[0]!.form.get('grant_type')).toBe('client_credentials');
      expect(tokens.requests[0]!.form.get('scope')).toBe('docs.read');
      expect(tokens.requests[0]!.form.get('resource')).toBe('https://docs.example/mcp');
      expect(guarded.authorizations.every((a) => a === 'Bearer token-1')).toBe(true);

      // The server stops accepting the token: the next request fetches a new one and is repeated.
      accepted = 'token-2';
      expect((await invoke(downstream, 'guarded__search', { query: 'c' })).content).toContain('"c"');
      expect(tokens.requests).toHaveLength(2);
      expect(gate.log.text()).not.toContain('s3cr3t');
      expect(gate.log.text()).not.toContain('token-');
    } finally {
      await guarded.close();
      await tokens.close();
    }
  });

  it('falls back to the HTTP+SSE transport for a server of the 2024-11-05 revision', async () => {
    const legacy = await startLegacySseMcpServer();
    try {
      const downstream = await start([{ name: 'old', url: legacy.url }]);
      await gate.grant(ALICE, 'old/search');
      expect((await invoke(downstream, 'old__search', { query: 'x' })).content).toBe('legacy result for "x"');
    } finally {
      await legacy.close();
    }
  });

  it("runs a stdio server with the environment its entry gives, and none of the agent's", async () => {
    process.env.AGENT_SECRET_PROBE = 'leaked';
    try {
      const downstream = await start([
        {
          name: 'local',
          command: process.execPath,
          args: [STDIO_MCP_SERVER],
          env: { STDIO_GREETING: 'hello' },
        },
      ]);
      await gate.grant(ALICE, 'local/echo');
      expect((await invoke(downstream, 'local__echo', { text: 'hi' })).content).toBe(
        'echo: hi (hello, no secret)',
      );
    } finally {
      delete process.env.AGENT_SECRET_PROBE;
    }
  });

  it('closes its connections on close: later calls say the server is unreachable', async () => {
    const downstream = await start([{ name: 'docs', url: server.url }]);
    const search = byName(downstream.tools(), 'docs__search');
    await downstream.close();
    const { call, config } = callFor(ALICE, 'docs__search', { query: 'x' });
    await expect(search.invoke(call, config as never)).rejects.toThrow('not reachable');
  });
});
