import { discover, register } from '../e2e/oauth-client.js';
import { REDIRECT_URI, useStack } from '../e2e/stack.js';
import { describeWithTools, INSPECTOR, runTool } from './tools.js';

/** The MCP Inspector's CLI (2.12) against the real edge, with a signed-in user's token in a header. */
describeWithTools('the MCP Inspector CLI against the real edge', () => {
  const stack = useStack();
  let token = '';

  beforeAll(async () => {
    const d = await discover(stack.services().urls.mcp);
    token = await stack.signIn(d, await register(d, REDIRECT_URI), 'alice', 'secret-a');
  });

  async function inspect(args: string[], bearer = token) {
    const run = await runTool(
      INSPECTOR,
      ['--cli', stack.services().urls.mcp, '--header', `Authorization: Bearer ${bearer}`, ...args],
      60_000,
    );
    return run;
  }

  async function answer<T>(args: string[]): Promise<T> {
    const run = await inspect(args);
    if (run.code !== 0) throw new Error(`the Inspector exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
    return JSON.parse(run.stdout) as T;
  }

  it('lists the edge’s tools with their input schemas', async () => {
    const { tools } = await answer<{ tools: { name: string; inputSchema: { required?: string[] } }[] }>([
      '--method',
      'tools/list',
    ]);
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect([...byName.keys()]).toEqual(
      expect.arrayContaining(['chat', 'list_conversations', 'get_conversation']),
    );
    expect(byName.get('chat')?.inputSchema.required).toEqual(['message']);
  });

  it('lists prompts and resource templates', async () => {
    const { prompts } = await answer<{ prompts: { name: string }[] }>(['--method', 'prompts/list']);
    expect(prompts.length).toBeGreaterThan(0);
    for (const p of prompts) expect(p.name).toMatch(/^[a-z_]+$/);
    const { resourceTemplates } = await answer<{ resourceTemplates: { uriTemplate: string }[] }>([
      '--method',
      'resources/templates/list',
    ]);
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain('conversation://{thread_id}');
  });

  it('calls chat, and the conversation is then listed as a resource', async () => {
    const result = await answer<{
      content: { type: string; text: string }[];
      structuredContent: { thread_id: string; answer: string };
      isError?: boolean;
    }>(['--method', 'tools/call', '--tool-name', 'chat', '--tool-arg', 'message=What is 6 times 7?']);
    expect(result.isError).toBeFalsy();
    expect(result.content[0]?.text).toContain('42');
    expect(result.structuredContent.answer).toContain('42');
    const thread = result.structuredContent.thread_id;
    expect(thread).toMatch(/^[0-9a-f-]{36}$/);

    const { resources } = await answer<{ resources: { uri: string }[] }>(['--method', 'resources/list']);
    expect(resources.map((r) => r.uri)).toContain(`conversation://${thread}`);
  });

  it('gets the tool’s validation error for bad arguments, and nothing without a valid token', async () => {
    const bad = await inspect([
      '--method',
      'tools/call',
      '--tool-name',
      'chat',
      '--tool-arg',
      `message=${'x'.repeat(8001)}`,
    ]);
    expect(bad.code).not.toBe(0);
    const refused = JSON.parse(bad.stdout) as { isError?: boolean; content: { text: string }[] };
    expect(refused.isError).toBe(true);
    expect(refused.content[0]?.text).toMatch(/message: Too big/);

    const denied = await inspect(['--method', 'tools/list'], 'not-a-token');
    expect(denied.code).not.toBe(0);
    expect(denied.stdout).not.toContain('list_conversations');
    expect(`${denied.stdout}${denied.stderr}`).toMatch(/auth/i);
  });
});
