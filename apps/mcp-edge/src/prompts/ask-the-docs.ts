import { z } from 'zod';
import { fromList } from '../completions.js';
import { definePrompt } from './definition.js';

/** What the operator's docs cover, offered as completions of `topic` (any other topic works too). */
export const DOC_TOPICS = [
  'architecture',
  'authorization',
  'configuration',
  'getting started',
  'knowledge search',
  'MCP tools',
  'OAuth clients',
  'rate limits',
  'revocation',
  'scopes',
  'security',
  'sharing conversations',
  'the agent API',
  'token exchange',
] as const;

/** `ask_the_docs`: have the assistant look a topic up in the operator's documentation. */
export const askTheDocs = definePrompt({
  name: 'ask_the_docs',
  title: 'Ask the docs',
  description:
    "Ask the assistant what the operator's documentation says about a topic; it searches the docs and cites them.",
  args: z.object({
    topic: z
      .string()
      .min(1)
      .max(200)
      .describe('What to look up, e.g. "rate limits" or "sharing conversations"'),
  }),
  complete: { topic: fromList(DOC_TOPICS) },
  async get({ topic }) {
    return {
      description: `What the docs say about ${topic}`,
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text:
              `What do the docs say about ${topic}? Ask the assistant with the chat tool (message: ` +
              `"What do the docs say about ${topic}?"); it searches the operator's documentation. Answer from ` +
              'what it finds, name the documents it cites, and say so plainly if the docs do not cover it.',
          },
        },
      ],
    };
  },
});
