import { ConfigError } from '@mcp-langgraph/config';
import { apiClient } from '../../testing/client.js';
import { type Harness, startAgent } from '../../testing/harness.js';
import type { FakeLlm } from '../../testing/llm/server.js';
import { freePort, startTestMcpServer, type TestMcpServer } from '../../testing/mcp-server.js';
import { askAgent, startToolModel } from '../../testing/tool-model.js';

describe('the agent with a downstream MCP server that is down at start', () => {
  let llm: FakeLlm;
  let agent: Harness;
  let docs: TestMcpServer | undefined;
  let port: number;
  const api = apiClient(() => agent);
  const ask = (text: string) => askAgent(api.sdk('erin'), text);

  beforeAll(async () => {
    const fake = await startToolModel();
    llm = fake.llm;
    port = await freePort();
    agent = await startAgent({
      models: [fake.model],
      // `public`: every signed-in user may use its tools once they are known.
      env: {
        AGENT_MCP_SERVERS: JSON.stringify([
          { name: 'docs', url: `http://127.0.0.1:${port}/mcp`, public: true, timeout_ms: 500 },
        ]),
      },
      mcpRetry: { initialMs: 50, maxMs: 100 },
    });
  });
  afterAll(async () => {
    await agent?.close();
    await docs?.close();
    await llm?.close();
  });

  it('starts, and runs go on without the server', async () => {
    const { answer } = await ask('What do the docs say about kong?');
    expect(answer).toContain('I have these tools: calculator, clock');
    expect(answer).not.toContain('docs__');
    expect((await ask('Please multiply 17 by 23.')).answer).toBe('Tool said: 391');
  });

  it('offers the tools once the server is up, and the result reaches the conversation', async () => {
    docs = await startTestMcpServer({ port });
    const until = Date.now() + 15_000;
    let reply = await ask('What do the docs say about kong?');
    while (reply.tool === undefined && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      reply = await ask('What do the docs say about kong?');
    }
    expect(reply.tool).toMatchObject({ name: 'docs__search', status: 'success' });
    expect(reply.answer).toBe('Tool said: Found 1 page for "kong": docs/kong.md');
    expect(llm.requests.at(-1)!.tools).toEqual(expect.arrayContaining(['docs__search', 'docs__slow']));
  });

  it('answers a tool that hangs with a timeout the model reads, and the run ends', async () => {
    const { tool, answer } = await ask('Run the slow docs job.');
    expect(tool).toMatchObject({ name: 'docs__slow', status: 'error' });
    expect(tool.content).toContain('The tool docs__slow did not answer within 500 ms.');
    expect(answer).toContain('did not answer within 500 ms');
  });

  it('tells the model when the server went away', async () => {
    await docs!.close();
    docs = undefined;
    const { tool, answer } = await ask('What do the docs say about kong?');
    expect(tool).toMatchObject({ name: 'docs__search', status: 'error' });
    expect(tool.content).toContain('The "docs" tool server is not reachable right now');
    expect(answer).toContain('not reachable');
  });
});

it('refuses to start with a malformed AGENT_MCP_SERVERS, naming the variable and the entry', async () => {
  const started = startAgent({
    env: { AGENT_MCP_SERVERS: '[{"name":"docs","url":"https://a/mcp","command":"x"}]' },
  });
  await expect(started).rejects.toThrow(ConfigError);
  await expect(started).rejects.toThrow('AGENT_MCP_SERVERS: entry 1 ("docs"): give exactly one of url');
});
