import { notFound } from '@mcp-langgraph/observability';
import { searchAssistantsBodySchema } from '@mcp-langgraph/protocol';
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { ASSISTANT, ASSISTANT_SCHEMAS, type AssistantBody, resolveAssistant } from '../assistant.js';
import type { AgentGraph } from '../graph.js';
import { contains } from '../store/threads.js';
import { parseBody } from './parse.js';

/** The assistant the path names (its id or graph id); 404 for any other. */
function assistantOf(req: Request): AssistantBody {
  const assistant = resolveAssistant(String(req.params.assistant_id));
  if (!assistant) throw notFound('no such assistant');
  return assistant;
}

/** `POST /assistants/search`: the agent's one assistant, when it matches the filters. */
export const searchAssistantsRoute: RequestHandler = (req, res) => {
  const body = parseBody(searchAssistantsBodySchema, req.body ?? {});
  const page = matches(body) ? [ASSISTANT].slice(body.offset, body.offset + body.limit) : [];
  const select = body.select ? new Set(body.select) : undefined;
  res.setHeader('X-Pagination-Total', String(body.offset + page.length));
  res.json(
    page.map((a) => (select ? Object.fromEntries(Object.entries(a).filter(([k]) => select.has(k))) : a)),
  );
};

const countBody = z.object({
  graph_id: z.string().max(200).optional(),
  name: z.string().max(200).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

/** Whether the one assistant passes the filters of a search or count. */
function matches(filter: z.infer<typeof countBody>): boolean {
  return (
    (filter.graph_id === undefined || filter.graph_id === ASSISTANT.graph_id) &&
    (filter.name === undefined || ASSISTANT.name.includes(filter.name.toLowerCase())) &&
    (filter.metadata === undefined || contains(ASSISTANT.metadata, filter.metadata))
  );
}

/** `POST /assistants/count`. */
export const countAssistantsRoute: RequestHandler = (req, res) => {
  res.json(matches(parseBody(countBody, req.body ?? {})) ? 1 : 0);
};

/** `POST /assistants/{assistant_id}/versions`: the assistant has one version. */
export const assistantVersionsRoute: RequestHandler = (req, res) => {
  const { version, ...rest } = assistantOf(req);
  res.json([{ ...rest, version }]);
};

/** `GET /assistants/{assistant_id}/subgraphs`: the graph has none. */
export const assistantSubgraphsRoute: RequestHandler = (req, res) => {
  assistantOf(req);
  res.json({});
};

/** `GET /assistants/{assistant_id}`. */
export const getAssistantRoute: RequestHandler = (req, res) => {
  res.json(assistantOf(req));
};

/** `GET /assistants/{assistant_id}/schemas`: input, output, state, config and context schemas. */
export const assistantSchemasRoute: RequestHandler = (req, res) => {
  assistantOf(req);
  res.json(ASSISTANT_SCHEMAS);
};

const graphQuery = z.object({
  xray: z.union([z.enum(['true', 'false', '0', '1']), z.string().regex(/^\d{1,2}$/)]).optional(),
});

/** `GET /assistants/{assistant_id}/graph`: the graph's nodes and edges, as LangGraph draws it. */
export function assistantGraphRoute(graph: AgentGraph): RequestHandler {
  return async (req, res) => {
    assistantOf(req);
    const { xray } = parseBody(graphQuery, req.query);
    const depth = xray === 'true' ? true : xray === undefined || xray === 'false' ? false : Number(xray);
    const drawable = await graph.getGraphAsync({ xray: depth });
    res.json(drawable.toJSON());
  };
}
