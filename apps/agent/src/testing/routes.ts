import { SCOPE, type Scope } from '@mcp-langgraph/protocol';

/** One route of the agent's API, as the security, guard and hostile-input suites send it. */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The path for a thread id and a run id (ignored by routes without them). */
  path: (threadId: string, runId: string) => string;
  /** A valid body, for routes that read one. */
  body?: unknown;
  scope: Scope;
}

const run = { assistant_id: 'agent', input: { messages: [{ type: 'human', content: 'hi' }] } };
const read = SCOPE.conversationsRead;
const write = SCOPE.conversationsWrite;

/**
 * Every authenticated route. Routes that delete come last, so a sweep that sends them to a real
 * thread leaves it for the routes before.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', path: () => '/assistants/search', body: {}, scope: read },
  { method: 'GET', path: () => '/assistants/agent', scope: read },
  { method: 'GET', path: () => '/assistants/agent/graph', scope: read },
  { method: 'GET', path: () => '/assistants/agent/schemas', scope: read },
  { method: 'GET', path: () => '/assistants/agent/subgraphs', scope: read },
  { method: 'POST', path: () => '/assistants/agent/versions', body: {}, scope: read },
  { method: 'POST', path: () => '/assistants/count', body: {}, scope: read },
  { method: 'POST', path: () => '/threads', body: {}, scope: write },
  { method: 'POST', path: () => '/threads/search', body: {}, scope: read },
  { method: 'POST', path: () => '/threads/count', body: {}, scope: read },
  { method: 'POST', path: () => '/runs/wait', body: run, scope: write },
  { method: 'POST', path: () => '/runs/stream', body: run, scope: write },
  { method: 'GET', path: (t) => `/threads/${t}`, scope: read },
  { method: 'PATCH', path: (t) => `/threads/${t}`, body: { metadata: { a: 1 } }, scope: write },
  { method: 'GET', path: (t) => `/threads/${t}/state`, scope: read },
  { method: 'GET', path: (t, r) => `/threads/${t}/state/${r}`, scope: read },
  {
    method: 'POST',
    path: (t) => `/threads/${t}/state/checkpoint`,
    body: { checkpoint: { checkpoint_id: '00000000-0000-4000-8000-000000000000' } },
    scope: read,
  },
  { method: 'POST', path: (t) => `/threads/${t}/state`, body: { values: { messages: [] } }, scope: write },
  { method: 'POST', path: (t) => `/threads/${t}/history`, body: {}, scope: read },
  { method: 'POST', path: (t) => `/threads/${t}/copy`, scope: write },
  {
    method: 'POST',
    path: (t) => `/threads/${t}/share`,
    body: { user: 'user:x', role: 'viewer' },
    scope: write,
  },
  { method: 'POST', path: (t) => `/threads/${t}/runs`, body: run, scope: write },
  { method: 'GET', path: (t) => `/threads/${t}/runs`, scope: read },
  { method: 'POST', path: (t) => `/threads/${t}/runs/wait`, body: run, scope: write },
  { method: 'POST', path: (t) => `/threads/${t}/runs/stream`, body: run, scope: write },
  { method: 'GET', path: (t, r) => `/threads/${t}/runs/${r}`, scope: read },
  { method: 'GET', path: (t, r) => `/threads/${t}/runs/${r}/join`, scope: read },
  { method: 'GET', path: (t, r) => `/threads/${t}/runs/${r}/stream`, scope: read },
  { method: 'POST', path: (t, r) => `/threads/${t}/runs/${r}/cancel`, scope: write },
  { method: 'DELETE', path: (t, r) => `/threads/${t}/runs/${r}`, scope: write },
  {
    method: 'DELETE',
    path: (t) => `/threads/${t}/share`,
    body: { user: 'user:x', role: 'viewer' },
    scope: write,
  },
  { method: 'DELETE', path: (t) => `/threads/${t}`, scope: write },
];
