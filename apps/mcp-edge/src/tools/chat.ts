import {
  type ApiMessage,
  MAX_MESSAGE_CHARS,
  messageSchema,
  type RunUpdate,
  SCOPE,
} from '@mcp-langgraph/protocol';
import { z } from 'zod';
import { answerOf } from '../conversation.js';
import { logStep } from '../logging.js';
import { defineTool } from './definition.js';

const HEARTBEAT_MS = 10_000;

/** The messages the nodes of one step added (`updates` stream mode: node name to its update). */
function addedMessages(update: RunUpdate): ApiMessage[] {
  const out: ApiMessage[] = [];
  for (const value of Object.values(update)) {
    const messages = (value as { messages?: unknown } | null)?.messages;
    if (!Array.isArray(messages)) continue;
    for (const m of messages) {
      const parsed = messageSchema.safeParse(m);
      if (parsed.success) out.push(parsed.data);
    }
  }
  return out;
}

/** What a run step means to someone waiting: which tools are used, when the answer is ready. */
function describeUpdate(update: RunUpdate): string[] {
  const out: string[] = [];
  for (const m of addedMessages(update)) {
    if (m.type === 'ai' && m.tool_calls?.length)
      out.push(`using ${m.tool_calls.map((c) => c.name).join(', ')}`);
    else if (m.type === 'tool') out.push(`${m.name ?? 'a tool'} answered`);
    else if (m.type === 'ai') out.push('the answer is ready');
  }
  return out;
}

/** The steps of a finished run, for the log: what came after the message just sent. */
function stepsOfRun(messages: readonly ApiMessage[]): string[] {
  const sent = messages.map((m) => m.type).lastIndexOf('human');
  return describeUpdate({ run: { messages: messages.slice(sent + 1) } });
}

/**
 * Sends the newest of a fast series of texts, one notification at a time: a text that arrives
 * while the previous one is being written replaces any text still waiting, so a slow client gets
 * fewer, fuller updates instead of a growing backlog.
 */
export function latestOnly(send: (text: string) => Promise<void>) {
  let waiting: string | undefined;
  let inflight: Promise<void> | undefined;
  const pump = async () => {
    while (waiting !== undefined) {
      const text = waiting;
      waiting = undefined;
      await send(text);
    }
    inflight = undefined;
  };
  return {
    push(text: string) {
      waiting = text;
      inflight ??= pump();
    },
    settled: () => inflight ?? Promise.resolve(),
  };
}

/**
 * How `chat` takes part in tasks where a revision asks each tool (2025-11-25 `tools/list`
 * `execution.taskSupport`): as a task or as a normal call, as the client chooses.
 */
export const CHAT_TASK_SUPPORT = 'optional' as const;

/** `chat`: one user message in, the assistant's answer out; creates the conversation when needed. */
export const chat = defineTool({
  name: 'chat',
  title: 'Chat with the assistant',
  description:
    'Send a message to the assistant and get its answer. The assistant can use tools (for example a ' +
    'calculator). Pass thread_id to continue an earlier conversation; without it a new conversation starts ' +
    'and its thread_id is returned.',
  input: z.object({
    message: z.string().min(1).max(MAX_MESSAGE_CHARS).describe('What to ask or tell the assistant'),
    thread_id: z.uuid().optional().describe('Continue this conversation; leave out to start a new one'),
  }),
  output: z.object({
    thread_id: z.string().describe('The conversation, for follow-up messages'),
    answer: z.string().describe("The assistant's answer"),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  scopes: [SCOPE.conversationsWrite],
  async run(args, call, { agent }) {
    const token = await call.agentToken();
    let threadId = args.thread_id;
    if (!threadId) {
      threadId = (await agent.createThread(token, call.signal)).thread_id;
      await Promise.all([
        call.progress('started a new conversation'),
        logStep(call, 'started a new conversation'),
      ]);
    } else await logStep(call, 'continuing the conversation');
    let lastProgress = Date.now();
    const progress = (message: string) => {
      lastProgress = Date.now();
      return call.progress(message);
    };
    await progress('the assistant is working on the answer');
    // A run with several tool steps can outlast a client's request timeout; a heartbeat lets
    // clients that reset their timeout on progress keep waiting while nothing else is reported.
    const heartbeat = setInterval(() => {
      if (Date.now() - lastProgress >= HEARTBEAT_MS) void progress('still working');
    }, HEARTBEAT_MS);
    try {
      // Steps are reported before the answer: the exchange ends with the result.
      const reported: Promise<void>[] = [];
      // The answer as the model writes it: each notification carries the text so far.
      const partial = latestOnly(progress);
      const run = call.wantsProgress
        ? await agent.runStream(
            token,
            threadId,
            args.message,
            {
              onUpdate: (update) => {
                for (const step of describeUpdate(update)) reported.push(progress(step), logStep(call, step));
              },
              onText: (text) => partial.push(text),
            },
            call.signal,
          )
        : await agent.runWait(token, threadId, args.message, call.signal);
      await Promise.all([...reported, partial.settled()]);
      if (!call.wantsProgress) for (const step of stepsOfRun(run.messages)) await logStep(call, step);
      const answer = answerOf(run.messages);
      return {
        content: [{ type: 'text', text: answer }],
        structuredContent: { thread_id: run.thread_id, answer },
      };
    } finally {
      clearInterval(heartbeat);
    }
  },
});
