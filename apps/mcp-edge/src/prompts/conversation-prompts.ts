import { ProtocolError, ProtocolErrorCode, type ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { completeThreadId } from '../completions.js';
import { conversationReader } from '../resources/access.js';
import { conversationUri, loadConversation } from '../resources/conversations.js';
import { markdownTranscript } from '../resources/transcript.js';
import type { ToolDeps } from '../tools/tool-call-gate.js';
import { definePrompt } from './definition.js';

const threadArgs = z.object({
  thread_id: z
    .string()
    .describe('The conversation (its thread_id, as list_conversations or resources/list give it)'),
});

/**
 * The conversation as an embedded resource (the same Markdown transcript `resources/read`
 * gives), for a conversation the caller may view; any other id is invalid params with the
 * message the tools give, whether it does not exist or is someone else's.
 */
async function embedded(deps: ToolDeps, ctx: ServerContext, threadId: string) {
  const reader = await conversationReader(deps, ctx);
  const messages = await loadConversation(deps, reader, threadId);
  if (!messages)
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'conversation not found or not yours');
  return {
    type: 'resource' as const,
    resource: {
      uri: conversationUri(threadId),
      mimeType: 'text/markdown',
      text: markdownTranscript(threadId, messages),
    },
  };
}

/** `summarize_conversation`: a summary of one of the caller's conversations. */
export const summarizeConversation = definePrompt({
  name: 'summarize_conversation',
  title: 'Summarize a conversation',
  description:
    'Summarize one of your conversations with the assistant: what was asked, answered and left open.',
  args: threadArgs,
  complete: { thread_id: completeThreadId },
  async get({ thread_id }, deps, ctx) {
    const conversation = await embedded(deps, ctx, thread_id);
    return {
      description: `Summarize conversation ${thread_id}`,
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text:
              'Summarize the conversation below in a few sentences: what was asked, what the assistant ' +
              'answered (with any results its tools gave), and what is still open. Do not invent details.',
          },
        },
        { role: 'user', content: conversation },
      ],
    };
  },
});

/** `continue_conversation`: pick an earlier conversation up where it stopped. */
export const continueConversation = definePrompt({
  name: 'continue_conversation',
  title: 'Continue a conversation',
  description:
    'Pick up one of your conversations where it left off: the transcript, and how to send the next message.',
  args: threadArgs,
  complete: { thread_id: completeThreadId },
  async get({ thread_id }, deps, ctx) {
    const conversation = await embedded(deps, ctx, thread_id);
    return {
      description: `Continue conversation ${thread_id}`,
      messages: [
        { role: 'user', content: conversation },
        {
          role: 'user',
          content: {
            type: 'text',
            text:
              'Above is an earlier conversation with the assistant. Recap where it stopped in one or two ' +
              'sentences and suggest the next question. To send a message in this conversation, call the ' +
              `chat tool with thread_id "${thread_id}", so the assistant keeps its context.`,
          },
        },
      ],
    };
  },
});
