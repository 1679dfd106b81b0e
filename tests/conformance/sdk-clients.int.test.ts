import { textOf } from '@mcp-langgraph/testing';
import {
  type CallToolResult,
  Client as ClientV2,
  StreamableHTTPClientTransport as TransportV2,
  UnauthorizedError as UnauthorizedV2,
} from '@modelcontextprotocol/client';
import { UnauthorizedError as UnauthorizedV1 } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, CreateTaskResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { connectTaskClient } from '../../apps/mcp-edge/src/tasks/task-client.js';
import { PageSignInProvider } from '../e2e/oauth-client.js';
import { REDIRECT_URI, useStack } from '../e2e/stack.js';

/**
 * Both official MCP client SDKs through the real OAuth 2.1 flow, each driving it with its own
 * `OAuthClientProvider`: the first connection gets the 401, the SDK discovers the authorization
 * server, registers, and sends the user to the authorization URL, where the provider signs in
 * through the login and consent pages; `finishAuth` trades the code (PKCE) for a token, and the
 * next connection calls chat as the signed-in user.
 */
const stack = useStack();
const { explained } = stack;
const mcpUrl = () => new URL(stack.services().urls.mcp);
let v1: ClientV1;
let v2: ClientV2;
let v2Provider: PageSignInProvider;
let aliceThread = '';

afterAll(async () => {
  await Promise.all([v1?.close(), v2?.close()]);
});

interface Answer {
  text: string;
  threadId: string;
}

function answerOf(result: CallToolResult): Answer {
  expect(result.isError).toBeFalsy();
  const structured = result.structuredContent as { thread_id: string; answer: string };
  expect(structured.answer).toBe(textOf(result));
  return { text: textOf(result), threadId: structured.thread_id };
}

describe('the MCP client SDK v1 (@modelcontextprotocol/sdk) through OAuth', () => {
  it('signs in through its own OAuth flow and negotiates 2025-11-25', async () => {
    const provider = new PageSignInProvider(REDIRECT_URI, { username: 'alice', password: 'secret-a' });
    const first = new TransportV1(mcpUrl(), { authProvider: provider });
    const unauthenticated = new ClientV1({ name: 'sdk-v1', version: '1.0.0' });
    await expect(explained(() => unauthenticated.connect(first))).rejects.toBeInstanceOf(UnauthorizedV1);
    await unauthenticated.close().catch(() => {});
    expect(provider.consented).toBe(true);
    const callback = provider.callback!;
    await explained(() => first.finishAuth(callback.searchParams.get('code') ?? ''));
    expect(provider.tokens()?.access_token).toBeTruthy();

    v1 = new ClientV1({ name: 'sdk-v1', version: '1.0.0' });
    const transport = new TransportV1(mcpUrl(), { authProvider: provider });
    await explained(() => v1.connect(transport));
    expect(transport.protocolVersion).toBe('2025-11-25');
  });

  it('calls chat and continues the conversation', async () => {
    const first = answerOf(
      (await v1.callTool({
        name: 'chat',
        arguments: { message: 'What is 6 times 7?' },
      })) as CallToolResult,
    );
    expect(first.text).toContain('42');
    const next = answerOf(
      (await v1.callTool({
        name: 'chat',
        arguments: { message: 'and plus 8?', thread_id: first.threadId },
      })) as CallToolResult,
    );
    expect(next.threadId).toBe(first.threadId);
    expect(next.text).toContain('50');
    const listed = (await v1.callTool({ name: 'list_conversations', arguments: {} })) as CallToolResult;
    expect(textOf(listed)).toContain(first.threadId);
    aliceThread = first.threadId;
  });

  it('runs chat as a 2025-11-25 task (callToolStream) and reads its answer, then finds it in tasks/list', async () => {
    // tools/list tells the client that chat may run as a task (execution.taskSupport).
    await v1.listTools();
    expect(v1.getServerCapabilities()?.tasks?.requests?.tools?.call).toBeDefined();
    const stream = v1.experimental.tasks.callToolStream(
      { name: 'chat', arguments: { message: 'What is 9 times 9?' } },
      CallToolResultSchema,
    );
    const messages = [];
    for await (const message of stream) messages.push(message);
    const created = messages[0];
    if (created?.type !== 'taskCreated') throw new Error(`no task: ${JSON.stringify(messages)}`);
    const last = messages.at(-1);
    if (last?.type !== 'result') throw new Error(`no answer: ${JSON.stringify(last)}`);
    const answer = answerOf(last.result as CallToolResult);
    expect(answer.text).toContain('81');
    expect(created.task.taskId.startsWith(answer.threadId)).toBe(true);
    expect(last.result._meta?.['io.modelcontextprotocol/related-task']).toEqual({
      taskId: created.task.taskId,
    });
    const listed = await v1.experimental.tasks.listTasks();
    expect(listed.tasks.find((t) => t.taskId === created.task.taskId)?.status).toBe('completed');
  });

  it('waits in tasks/result for a task just created, and cancels another (refused once it is over)', async () => {
    const start = (message: string) =>
      v1.request(
        { method: 'tools/call', params: { name: 'chat', arguments: { message }, task: { ttl: 60_000 } } },
        CreateTaskResultSchema,
      );
    const { task } = await start('What is 12 times 12?');
    const result = await v1.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema);
    expect(answerOf(result as CallToolResult).text).toContain('144');

    const { task: doomed } = await start('What is 2 + 2?');
    // The offline model may be done before the cancel lands; both answers are the revision's.
    const first = await v1.experimental.tasks.cancelTask(doomed.taskId).then(
      (t) => t.status,
      (err: { code?: number }) => (err.code === -32602 ? 'already over' : `error ${err.code}`),
    );
    expect(['cancelled', 'already over']).toContain(first);
    let status = 'working';
    for (let i = 0; i < 100 && status === 'working'; i += 1) {
      status = (await v1.experimental.tasks.getTask(doomed.taskId)).status;
      if (status === 'working') await new Promise((r) => setTimeout(r, 100));
    }
    expect(['cancelled', 'completed']).toContain(status);
    // Over now, whichever way: a cancel is refused with the revision's error.
    await expect(v1.experimental.tasks.cancelTask(doomed.taskId)).rejects.toMatchObject({ code: -32602 });
  });
});

describe('the MCP client SDK v2 (@modelcontextprotocol/client) through OAuth', () => {
  it('signs in through its own OAuth flow and negotiates 2026-07-28', async () => {
    const provider = new PageSignInProvider(REDIRECT_URI, { username: 'bob', password: 'secret-b' });
    v2Provider = provider;
    const first = new TransportV2(mcpUrl(), { authProvider: provider });
    const unauthenticated = new ClientV2(
      { name: 'sdk-v2', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' } },
    );
    await expect(explained(() => unauthenticated.connect(first))).rejects.toBeInstanceOf(UnauthorizedV2);
    await unauthenticated.close().catch(() => {});
    expect(provider.consented).toBe(true);
    await explained(() => first.finishAuth(provider.callback!.searchParams));
    expect(provider.tokens()?.access_token).toBeTruthy();

    v2 = new ClientV2({ name: 'sdk-v2', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await explained(() => v2.connect(new TransportV2(mcpUrl(), { authProvider: provider })));
    expect(v2.getNegotiatedProtocolVersion()).toBe('2026-07-28');
  });

  it('calls chat, and the conversation is bob’s alone', async () => {
    const first = answerOf(
      (await v2.callTool({ name: 'chat', arguments: { message: 'What is 17 * 23?' } })) as CallToolResult,
    );
    expect(first.text).toContain('391');
    const listed = (await v2.callTool({ name: 'list_conversations', arguments: {} })) as CallToolResult;
    expect(textOf(listed)).toContain(first.threadId);
    expect(textOf(listed)).not.toContain(aliceThread);
    const theirs = (await v1.callTool({ name: 'list_conversations', arguments: {} })) as CallToolResult;
    expect(textOf(theirs)).not.toContain(first.threadId);
  });

  it('runs chat as a task (the Tasks extension) on the signed-in token, and reads its answer', async () => {
    const tasks = await connectTaskClient(stack.services().urls.mcp, v2Provider.tokens()!.access_token);
    try {
      const created = await tasks.callChat({ message: 'What is 9 times 9?' });
      expect(created.error).toBeUndefined();
      expect(created.result).toMatchObject({ resultType: 'task' });
      const done = await tasks.waitFor(String(created.result?.taskId));
      expect(done.status).toBe('completed');
      expect(done.result?.content[0]?.text).toContain('81');
    } finally {
      await tasks.close();
    }
  });
});
