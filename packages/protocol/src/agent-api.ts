import { z } from 'zod';

/**
 * The agent's HTTP API: the LangGraph Agent Protocol as `@langchain/langgraph-sdk`'s `Client` calls
 * it. Request schemas (zod) carry the limits the agent enforces and are what it parses with;
 * response schemas are lenient about fields a newer agent may add, so a client may parse with them.
 */

export const MAX_MESSAGE_CHARS = 8000;
export const MAX_MESSAGES_PER_RUN = 20;
export const MAX_METADATA_CHARS = 4096;
/** The agent's one graph, which is also the name of its one assistant. */
export const GRAPH_ID = 'agent';

export const threadIdSchema = z.uuid({ error: 'thread_id must be a UUID' });

const jsonObject = z.record(z.string(), z.unknown(), { error: 'must be an object' });

/** Metadata of a thread or run: an object of at most `MAX_METADATA_CHARS` once serialised. */
export const metadataSchema = jsonObject.refine((m) => JSON.stringify(m).length <= MAX_METADATA_CHARS, {
  error: `metadata must serialize to at most ${MAX_METADATA_CHARS} characters`,
});

const toolCallSchema = z.object({
  id: z.string().max(200).optional(),
  name: z.string().min(1).max(200),
  args: jsonObject,
  type: z.literal('tool_call').optional(),
});

/** Text of a message's content, string or content blocks, as the length limit counts it. */
function contentLength(content: string | ReadonlyArray<Record<string, unknown>>): number {
  if (typeof content === 'string') return content.length;
  return content.reduce((n, block) => n + (typeof block.text === 'string' ? block.text.length : 0), 0);
}

/**
 * A message a caller sends: a LangChain message dict (`type` human/ai/tool/system) or the
 * OpenAI-style alias (`role` user/assistant/tool/system), string or content-block content.
 */
export const inputMessageSchema = z
  .object({
    type: z
      .enum(['human', 'ai', 'tool', 'system'], { error: 'type must be human, ai, tool or system' })
      .optional(),
    role: z
      .enum(['user', 'assistant', 'tool', 'system', 'human', 'ai'], {
        error: 'role must be user, assistant, tool or system',
      })
      .optional(),
    content: z.union(
      [z.string(), z.array(z.looseObject({ type: z.string() }), { error: 'content blocks must be objects' })],
      { error: 'content must be a string or a list of content blocks' },
    ),
    id: z.string().max(200).optional(),
    name: z.string().max(200).optional(),
    tool_calls: z.array(toolCallSchema).max(50).optional(),
    tool_call_id: z.string().max(200).optional(),
  })
  .refine((m) => m.type !== undefined || m.role !== undefined, { error: 'a message needs a type or a role' })
  .refine((m) => contentLength(m.content) <= MAX_MESSAGE_CHARS, {
    error: `content must be at most ${MAX_MESSAGE_CHARS} characters`,
  });
export type InputMessage = z.input<typeof inputMessageSchema>;

/** Messages as a graph input: at least one, at most `MAX_MESSAGES_PER_RUN`. */
export const inputMessagesSchema = z
  .array(inputMessageSchema, { error: 'messages must be an array of messages' })
  .min(1, { error: 'messages needs at least one message' })
  .max(MAX_MESSAGES_PER_RUN, { error: `messages takes at most ${MAX_MESSAGES_PER_RUN} messages` });

/** A message as the agent answers it: a LangChain message dict. */
export const messageSchema = z.looseObject({
  type: z.string(),
  content: z.union([z.string(), z.array(z.unknown())]),
  id: z.string().nullish(),
  name: z.string().nullish(),
  tool_calls: z
    .array(z.looseObject({ id: z.string().nullish(), name: z.string(), args: z.unknown() }))
    .optional(),
  tool_call_id: z.string().optional(),
});
export type ApiMessage = z.infer<typeof messageSchema>;

export const THREAD_STATUSES = ['idle', 'busy', 'interrupted', 'error'] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];
export const RUN_STATUSES = ['pending', 'running', 'success', 'error', 'timeout', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const MULTITASK_STRATEGIES = ['reject', 'enqueue', 'interrupt', 'rollback'] as const;
export type MultitaskStrategy = (typeof MULTITASK_STRATEGIES)[number];
export const STREAM_MODES = [
  'values',
  'updates',
  'messages',
  'messages-tuple',
  'custom',
  'debug',
  'tasks',
  'checkpoints',
] as const;
export type StreamMode = (typeof STREAM_MODES)[number];

const sortOrder = z.enum(['asc', 'desc']).optional();
const limit = (max: number, fallback: number) => z.number().int().min(1).max(max).default(fallback);
const offset = z.number().int().min(0).max(100_000).default(0);

/** `POST /threads`. */
export const createThreadBodySchema = z.object({
  thread_id: threadIdSchema.optional(),
  metadata: metadataSchema.optional(),
  if_exists: z.enum(['raise', 'do_nothing']).optional(),
});
export type CreateThreadBody = z.input<typeof createThreadBodySchema>;

/** `PATCH /threads/{id}`: metadata merged into the thread's. */
export const patchThreadBodySchema = z.object({ metadata: metadataSchema });

/** `POST /threads/search`. */
export const searchThreadsBodySchema = z.object({
  metadata: jsonObject.optional(),
  ids: z.array(threadIdSchema).max(1000).optional(),
  status: z.enum(THREAD_STATUSES).optional(),
  limit: limit(1000, 10),
  offset,
  sort_by: z.enum(['thread_id', 'status', 'created_at', 'updated_at']).optional(),
  sort_order: sortOrder,
  select: z.array(z.string().max(64)).max(20).optional(),
});
export type SearchThreadsBody = z.input<typeof searchThreadsBodySchema>;

/** `POST /threads/count`. */
export const countThreadsBodySchema = z.object({
  metadata: jsonObject.optional(),
  status: z.enum(THREAD_STATUSES).optional(),
});

const checkpointSchema = z.object({
  checkpoint_id: z.string().max(64).optional(),
  checkpoint_ns: z.string().max(200).nullish(),
  checkpoint_map: jsonObject.nullish(),
  thread_id: z.string().optional(),
});

/** `POST /threads/{id}/state`: a state update, written as `as_node` would have. */
export const updateStateBodySchema = z.object({
  values: z.union([jsonObject, z.array(jsonObject)]).nullish(),
  as_node: z.string().max(64).optional(),
  checkpoint_id: z.string().max(64).optional(),
  checkpoint: checkpointSchema.nullish(),
});

/** `POST /threads/{id}/history`: checkpoints newest first. */
export const historyBodySchema = z.object({
  limit: limit(1000, 10),
  before: z.union([z.string().max(64), z.object({ configurable: checkpointSchema })]).optional(),
  metadata: jsonObject.optional(),
  checkpoint: checkpointSchema.optional(),
});

/** The roles a conversation can be shared with. */
export const SHARE_ROLES = ['viewer', 'editor'] as const;

/** `POST /threads/{id}/share` and `DELETE /threads/{id}/share`. */
export const shareBodySchema = z.object({
  user: z
    .string()
    .regex(/^(user|client):[A-Za-z0-9._@|:-]{1,256}$/, { error: 'user must be a subject such as user:<id>' }),
  role: z.enum(SHARE_ROLES),
});
export type ShareBody = z.infer<typeof shareBodySchema>;

/** `POST /assistants/search`. */
export const searchAssistantsBodySchema = z.object({
  graph_id: z.string().max(200).optional(),
  name: z.string().max(200).optional(),
  metadata: jsonObject.optional(),
  limit: limit(1000, 10),
  offset,
  sort_by: z.enum(['assistant_id', 'graph_id', 'created_at', 'updated_at', 'name']).optional(),
  sort_order: sortOrder,
  select: z.array(z.string().max(64)).max(20).optional(),
});

const nodeList = z.union([z.literal('*'), z.array(z.string().max(64)).max(20)]);
const gotoSchema = z.union([
  z.string().max(64),
  z.object({ node: z.string().max(64), input: z.unknown().optional() }),
]);

/** `command` of a run: resume an interrupt, update the state, go to a node. */
export const commandSchema = z.object({
  resume: z.unknown().optional(),
  update: z.union([jsonObject, z.array(z.tuple([z.string(), z.unknown()]))]).nullish(),
  goto: z.union([gotoSchema, z.array(gotoSchema).max(20)]).optional(),
});
export type RunCommand = z.infer<typeof commandSchema>;

/** The run config a caller may set; everything else of a LangChain config is the agent's. */
const runConfigSchema = z.looseObject({
  tags: z.array(z.string().max(100)).max(20).optional(),
  recursion_limit: z.number().int().min(1).max(1000).optional(),
  configurable: jsonObject.optional(),
});

/** Body of every run-creating route (`/threads/{id}/runs`, `/runs/wait`, `/runs/stream`, …). */
export const runCreateBodySchema = z.object({
  assistant_id: z.string({ error: 'assistant_id is required' }).min(1).max(200),
  input: z
    .object({ messages: inputMessagesSchema.optional() }, { error: 'input must be an object with messages' })
    .strict()
    .nullish(),
  command: commandSchema.nullish(),
  metadata: metadataSchema.nullish(),
  config: runConfigSchema.nullish(),
  context: jsonObject.nullish(),
  stream_mode: z
    .union([z.enum(STREAM_MODES), z.array(z.enum(STREAM_MODES)).max(STREAM_MODES.length)])
    .nullish(),
  stream_subgraphs: z.boolean().nullish(),
  stream_resumable: z.boolean().nullish(),
  interrupt_before: nodeList.nullish(),
  interrupt_after: nodeList.nullish(),
  multitask_strategy: z.enum(MULTITASK_STRATEGIES).nullish(),
  on_disconnect: z.enum(['cancel', 'continue']).nullish(),
  if_not_exists: z.enum(['create', 'reject']).nullish(),
  on_completion: z.enum(['delete', 'keep']).nullish(),
  checkpoint_id: z.string().max(64).nullish(),
  checkpoint: checkpointSchema.nullish(),
  after_seconds: z.number().min(0).max(0, { error: 'delayed runs are not supported' }).nullish(),
  webhook: z.undefined({ error: 'webhooks are not supported' }).nullish(),
  feedback_keys: z.array(z.string().max(100)).max(10).nullish(),
  checkpoint_during: z.boolean().nullish(),
  durability: z.enum(['sync', 'async', 'exit']).nullish(),
});
export type RunCreateBody = z.input<typeof runCreateBodySchema>;

/** Body of a run with one user message. */
export const userMessageRun = (content: string, assistantId = GRAPH_ID): RunCreateBody => ({
  assistant_id: assistantId,
  input: { messages: [{ type: 'human', content }] },
});

/** A thread as the thread routes answer it. */
export const threadSchema = z.looseObject({
  thread_id: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  metadata: jsonObject.nullish(),
  status: z.enum(THREAD_STATUSES),
  values: z.unknown().optional(),
  interrupts: z.record(z.string(), z.array(z.unknown())).optional(),
  /** The first user message on one line, set by the first run (not part of the platform's shape). */
  title: z.string().nullish(),
});
export type ApiThread = z.infer<typeof threadSchema>;

const checkpointRefSchema = z.looseObject({
  thread_id: z.string(),
  checkpoint_ns: z.string(),
  checkpoint_id: z.string().nullish(),
});

/** `GET /threads/{id}/state`, and each entry of the history. */
export const threadStateSchema = z.looseObject({
  values: z.looseObject({ messages: z.array(messageSchema).optional() }),
  next: z.array(z.string()),
  tasks: z.array(z.looseObject({ id: z.string(), name: z.string(), interrupts: z.array(z.unknown()) })),
  checkpoint: checkpointRefSchema.nullable(),
  parent_checkpoint: checkpointRefSchema.nullish(),
  metadata: jsonObject.nullish(),
  created_at: z.string().nullish(),
});
export type ThreadState = z.infer<typeof threadStateSchema>;

/** A run record. */
export const runSchema = z.looseObject({
  run_id: z.string(),
  thread_id: z.string(),
  assistant_id: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  status: z.enum(RUN_STATUSES),
  metadata: jsonObject,
  multitask_strategy: z.enum(MULTITASK_STRATEGIES).nullable(),
  kwargs: jsonObject.optional(),
});
export type ApiRun = z.infer<typeof runSchema>;

/** Why a run failed, as `runs/wait` and `join` answer it and a stream's `error` event carries it. */
export const runErrorSchema = z.object({ error: z.string(), message: z.string() });

/** What `runs/wait` and `join` answer: the thread's final values, or `__error__` when the run failed. */
export const runResultSchema = z.looseObject({
  messages: z.array(messageSchema).optional(),
  __error__: runErrorSchema.optional(),
});
export type RunResult = z.infer<typeof runResultSchema>;

/** Every error body of the API outside streams. */
export const apiErrorSchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
  detail: z.string().optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/**
 * The data of the stream events a client parses most: `metadata` first, one event per chunk named
 * by its mode (`values`, `updates`, `messages` tuples for `messages-tuple`, …), `error`, `end` last.
 */
export const runStreamEventSchemas = {
  metadata: z.looseObject({ run_id: z.string(), attempt: z.number().optional() }),
  values: z.looseObject({ messages: z.array(messageSchema).optional() }),
  /** The state update of each node that ran in a step, by node name. */
  updates: z.record(z.string(), z.unknown()),
  messages: z.tuple([messageSchema, jsonObject]),
  error: runErrorSchema,
  end: z.null(),
} as const;

export type RunStreamEventName = keyof typeof runStreamEventSchemas;
export type RunStreamEvent = {
  [K in RunStreamEventName]: { event: K; data: z.infer<(typeof runStreamEventSchemas)[K]> };
}[RunStreamEventName];
export type RunUpdate = z.infer<typeof runStreamEventSchemas.updates>;

/** HTTP statuses of the run outcomes a client may see as errors (`__error__.error` of `runs/wait`). */
export const RUN_ERROR_STATUS: Readonly<Record<string, number>> = {
  thread_busy: 409,
  run_timeout: 504,
  run_failed: 500,
};

const seg = encodeURIComponent;
/** The API's paths, so no client spells them by hand. */
export const AGENT_PATHS = {
  info: '/info',
  ok: '/ok',
  assistantsSearch: '/assistants/search',
  assistant: (id: string) => `/assistants/${seg(id)}`,
  threads: '/threads',
  searchThreads: '/threads/search',
  countThreads: '/threads/count',
  thread: (id: string) => `/threads/${seg(id)}`,
  state: (id: string) => `/threads/${seg(id)}/state`,
  history: (id: string) => `/threads/${seg(id)}/history`,
  copy: (id: string) => `/threads/${seg(id)}/copy`,
  share: (id: string) => `/threads/${seg(id)}/share`,
  runs: (id: string) => `/threads/${seg(id)}/runs`,
  runWait: (id: string) => `/threads/${seg(id)}/runs/wait`,
  runStream: (id: string) => `/threads/${seg(id)}/runs/stream`,
  run: (id: string, runId: string) => `/threads/${seg(id)}/runs/${seg(runId)}`,
  statelessWait: '/runs/wait',
  statelessStream: '/runs/stream',
} as const;
