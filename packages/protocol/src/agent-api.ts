import { z } from 'zod';

/**
 * The agent's HTTP API (a subset of the LangGraph Agent Protocol) as one set of zod schemas: the
 * agent answers in these shapes, the edge's client parses with them, and the edge's test fake
 * serves them. Request schemas carry the limits the agent enforces; response schemas are lenient
 * about fields a newer agent may add.
 */

export const MAX_MESSAGE_CHARS = 8000;
export const MAX_MESSAGES_PER_RUN = 20;
export const MAX_METADATA_CHARS = 4096;

export const threadIdSchema = z.uuid({ error: 'thread_id must be a UUID' });

/** A message of a conversation as the API shows it. */
export const messageSchema = z.object({
  role: z.enum(['user', 'assistant', 'tool']),
  content: z.string(),
  name: z.string().optional(),
  tool_calls: z
    .array(z.object({ id: z.string(), name: z.string(), args: z.record(z.string(), z.unknown()) }))
    .optional(),
  tool_call_id: z.string().optional(),
});
export type ApiMessage = z.infer<typeof messageSchema>;

const metadataSchema = z.record(z.string(), z.unknown(), { error: 'metadata must be an object' });

/** `POST /threads` body. */
export const createThreadBodySchema = z.object({
  metadata: metadataSchema
    .optional()
    .refine((m) => m === undefined || JSON.stringify(m).length <= MAX_METADATA_CHARS, {
      error: `metadata must serialize to at most ${MAX_METADATA_CHARS} characters`,
    }),
});
export type CreateThreadBody = z.input<typeof createThreadBodySchema>;

/** `POST /threads/search` body. */
export const searchThreadsBodySchema = z.object({
  limit: z.number().int().min(1).max(100).default(20),
  offset: z.number().int().min(0).max(100_000).default(0),
});
export type SearchThreadsBody = z.input<typeof searchThreadsBodySchema>;

/** A thread as `POST /threads`, `POST /threads/search` and `GET /threads/{id}` answer it. */
export const threadSchema = z.object({
  thread_id: z.string(),
  created_at: z.string(),
  updated_at: z.string().optional(),
  metadata: metadataSchema.nullish(),
  title: z.string().nullish(),
});
export type ApiThread = z.infer<typeof threadSchema>;

/** Body of `POST /threads/{id}/runs/wait` and `/runs/stream`: the caller's new messages. */
export const runBodySchema = z.object({
  input: z.object(
    {
      messages: z
        .array(
          z.object({
            role: z.literal('user', { error: 'role must be "user"' }),
            content: z
              .string({ error: 'content must be a string' })
              .max(MAX_MESSAGE_CHARS, { error: `content must be at most ${MAX_MESSAGE_CHARS} characters` })
              .refine((s) => s.trim().length > 0, { error: 'content must not be empty' }),
          }),
          { error: 'input.messages must be an array of messages' },
        )
        .min(1, { error: 'input.messages needs at least one message' })
        .max(MAX_MESSAGES_PER_RUN, {
          error: `input.messages takes at most ${MAX_MESSAGES_PER_RUN} messages`,
        }),
    },
    { error: 'input with messages is required' },
  ),
});
export type RunBody = z.input<typeof runBodySchema>;

/** The run body for one user message. */
export const userMessageRun = (content: string): RunBody => ({
  input: { messages: [{ role: 'user', content }] },
});

/** A completed run: `runs/wait`'s answer and the `end` event of `runs/stream`. */
export const runResultSchema = z.object({
  run_id: z.string(),
  thread_id: z.string(),
  status: z.literal('success'),
  answer: z.string(),
  messages: z.array(messageSchema),
});
export type RunResult = z.infer<typeof runResultSchema>;

/** `GET /threads/{id}/state`. */
export const threadStateSchema = z.object({
  thread_id: z.string(),
  values: z.object({ messages: z.array(messageSchema) }),
});
export type ThreadState = z.infer<typeof threadStateSchema>;

/** Every error body of the API, and the `error` event of a stream. */
export const apiErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });
export type ApiError = z.infer<typeof apiErrorSchema>;

/** The events of `runs/stream`, in order: `metadata`, any number of `updates`, then `end` or `error`. */
export const runStreamEventSchemas = {
  metadata: z.object({ run_id: z.string(), thread_id: z.string() }),
  /** The messages one graph node added. */
  updates: z.object({ node: z.string(), messages: z.array(messageSchema) }),
  end: runResultSchema,
  error: apiErrorSchema,
} as const;

export type RunStreamEventName = keyof typeof runStreamEventSchemas;
export type RunStreamEvent = {
  [K in RunStreamEventName]: { event: K; data: z.infer<(typeof runStreamEventSchemas)[K]> };
}[RunStreamEventName];
export type RunUpdate = z.infer<typeof runStreamEventSchemas.updates>;

/** Error codes a stream's `error` event carries, as the HTTP status `runs/wait` answers for them. */
export const RUN_ERROR_STATUS: Readonly<Record<string, number>> = {
  thread_busy: 409,
  run_timeout: 504,
  run_failed: 500,
};

/** The API's paths, so neither side spells them by hand. */
export const AGENT_PATHS = {
  threads: '/threads',
  searchThreads: '/threads/search',
  thread: (id: string) => `/threads/${encodeURIComponent(id)}`,
  runWait: (id: string) => `/threads/${encodeURIComponent(id)}/runs/wait`,
  runStream: (id: string) => `/threads/${encodeURIComponent(id)}/runs/stream`,
  state: (id: string) => `/threads/${encodeURIComponent(id)}/state`,
} as const;
