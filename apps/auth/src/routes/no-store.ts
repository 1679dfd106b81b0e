import type { RequestHandler } from 'express';

/** Token, revocation and introspection answers carry credentials or their state: no cache may keep them. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  next();
};
