import { v5 as uuidv5 } from '@langchain/core/utils/uuid';
import { GRAPH_ID } from '@mcp-langgraph/protocol';

/** The namespace the platform derives an assistant id from its graph id with (UUID v5). */
const NAMESPACE_GRAPH = '6ba7b821-9dad-11d1-80b4-00c04fd430c8';

/** The agent's one assistant id: stable, the same as the platform would give graph `agent`. */
export const ASSISTANT_ID = uuidv5(GRAPH_ID, NAMESPACE_GRAPH);

/** When the assistant came to be: it is part of the code, so its date is fixed. */
const CREATED_AT = '2026-01-01T00:00:00.000Z';

/** The assistant as the platform describes one. */
export const ASSISTANT = Object.freeze({
  assistant_id: ASSISTANT_ID,
  graph_id: GRAPH_ID,
  name: GRAPH_ID,
  description: 'The conversational agent with the calculator and clock tools.',
  config: {},
  context: {},
  metadata: { created_by: 'system' },
  version: 1,
  created_at: CREATED_AT,
  updated_at: CREATED_AT,
});
export type AssistantBody = typeof ASSISTANT;

/** The assistant a request names, by its id or its graph id; undefined for anything else. */
export function resolveAssistant(idOrGraph: string | undefined): AssistantBody | undefined {
  if (idOrGraph === GRAPH_ID || idOrGraph?.toLowerCase() === ASSISTANT_ID) return ASSISTANT;
  return undefined;
}

const messageItem = {
  type: 'object',
  description: 'A LangChain message dict',
  properties: {
    type: { type: 'string', enum: ['human', 'ai', 'tool', 'system'] },
    content: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'object' } }] },
    id: { type: 'string' },
    name: { type: 'string' },
    tool_calls: { type: 'array', items: { type: 'object' } },
    tool_call_id: { type: 'string' },
  },
  required: ['content'],
};

const stateSchema = {
  title: 'MessagesState',
  type: 'object',
  properties: { messages: { type: 'array', items: messageItem } },
  required: ['messages'],
};

/** `GET /assistants/{id}/schemas`: the graph's input, output and state are its messages. */
export const ASSISTANT_SCHEMAS = Object.freeze({
  graph_id: GRAPH_ID,
  input_schema: { ...stateSchema, required: [] },
  output_schema: stateSchema,
  state_schema: stateSchema,
  config_schema: { title: 'Configurable', type: 'object', properties: {} },
  context_schema: { title: 'Context', type: 'object', properties: {} },
});
