import type { RequestHandler } from 'express';

/** The platform's version this API follows (`@langchain/langgraph-api`), and what it offers. */
const INFO = Object.freeze({
  version: '1.5.1',
  context: 'js',
  flags: { assistants: true, crons: false, langsmith: false, langsmith_tracing_replicas: false },
});

/** `GET /info`: the server's info document. Unauthenticated: it says nothing about anyone's data. */
export const infoRoute: RequestHandler = (_req, res) => {
  res.json(INFO);
};

/** `GET /ok`: the platform's liveness answer. */
export const okRoute: RequestHandler = (_req, res) => {
  res.json({ ok: true });
};
