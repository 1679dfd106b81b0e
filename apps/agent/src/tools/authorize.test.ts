import { ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { seedTuples } from '@mcp-langgraph/authz';
import { z } from 'zod';
import { callFor, testToolGate } from '../testing/tool-gate.js';
import { authorizeTool } from './authorize.js';

type Gate = Awaited<ReturnType<typeof testToolGate>>;

describe('authorizeTool', () => {
  let gate: Gate;
  let calls: Array<Record<string, unknown>>;
  const echo = () =>
    tool(
      async (args) => {
        calls.push(args);
        if (args.text === 'boom') throw new Error('the echo broke');
        return `echo: ${args.text}`;
      },
      { name: 'echo', description: 'Echoes.', schema: z.object({ text: z.string().max(10) }) },
    );

  beforeAll(async () => {
    gate = await testToolGate();
    await gate.grant('user:alice', 'echo');
  });
  afterAll(() => gate.authorizer.close());
  beforeEach(() => {
    calls = [];
  });

  const run = async (caller: string | undefined, args: Record<string, unknown>, grant?: string) => {
    const { call, config } = callFor(caller, 'echo', args);
    return (await authorizeTool(echo(), gate, grant).invoke(call, config as never)) as ToolMessage;
  };

  it('calls the tool for a user who holds executor on it, under its own name', async () => {
    const before = await gate.count('echo', 'success');
    const message = await run('user:alice', { text: 'hi' });
    expect(message).toBeInstanceOf(ToolMessage);
    expect(message).toMatchObject({
      content: 'echo: hi',
      name: 'echo',
      tool_call_id: 'call_1',
      status: 'success',
    });
    expect(calls).toEqual([{ text: 'hi' }]);
    expect(await gate.count('echo', 'success')).toBe(before + 1);
  });

  it('answers a user without the grant with an error result, and never calls the tool', async () => {
    const before = await gate.count('echo', 'denied');
    const message = await run('user:bob', { text: 'hi' });
    expect(message).toMatchObject({
      content: 'You may not use the tool echo.',
      status: 'error',
      tool_call_id: 'call_1',
    });
    expect(calls).toEqual([]);
    expect(await gate.count('echo', 'denied')).toBe(before + 1);
  });

  it('never takes the user from the arguments', async () => {
    const message = await run('user:bob', { text: 'hi', user: 'user:alice', caller: 'user:alice' });
    expect(message.status).toBe('error');
    expect(calls).toEqual([]);
  });

  it('refuses every call of a run that names no user', async () => {
    const message = await run(undefined, { text: 'hi' });
    expect(message.status).toBe('error');
    expect(message.content).toContain(
      'You may not use the tool echo: this run does not say which user it acts for',
    );
    expect(calls).toEqual([]);
  });

  it('refuses when the authorizer cannot answer (fail closed)', async () => {
    const down = { ...gate, authorizer: { check: () => Promise.reject(new Error('connection refused')) } };
    const { call, config } = callFor('user:alice', 'echo', { text: 'hi' });
    const message = (await authorizeTool(echo(), down).invoke(call, config as never)) as ToolMessage;
    expect(message).toMatchObject({
      status: 'error',
      content: expect.stringContaining('Could not check permission for echo'),
    });
    expect(calls).toEqual([]);
    expect(gate.log.text()).toContain('the authorizer did not answer');
  });

  it("counts the tool's failures and bad arguments as errors, and lets the tool node report them", async () => {
    const before = await gate.count('echo', 'error');
    await expect(run('user:alice', { text: 'boom' })).rejects.toThrow('the echo broke');
    await expect(run('user:alice', { text: 'far too long for it' })).rejects.toThrow(
      'did not match expected schema',
    );
    expect(await gate.count('echo', 'error')).toBe(before + 2);
  });

  it('checks the grant it is given: tool:<server>/<tool> ids pass the embedded engine, wildcard included', async () => {
    expect((await run('user:alice', { text: 'hi' }, 'docs/echo')).status).toBe('error');
    await seedTuples(gate.authorizer, ['docs/echo', 'docs/a%20b%3Ac']);
    expect((await run('user:zoe', { text: 'hi' }, 'docs/echo')).content).toBe('echo: hi');
    expect((await run('user:zoe', { text: 'hi' }, 'docs/a%20b%3Ac')).content).toBe('echo: hi');
    expect(await gate.count('docs/echo', 'success')).toBe(1);
  });

  it('throws the refusal when invoked without a tool call', async () => {
    await expect(
      authorizeTool(echo(), gate).invoke({ text: 'hi' }, { configurable: { __agent_caller: 'user:bob' } }),
    ).rejects.toThrow('You may not use the tool echo.');
  });
});
