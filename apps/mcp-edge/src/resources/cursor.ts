import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';

/** The agent's thread search skips at most this many (`offset`). */
const MAX_OFFSET = 100_000;
const PREFIX = 'conversations:';

/**
 * Pagination cursors of `resources/list`: opaque to clients (the protocol says so), here the
 * offset of the next page in the caller's conversations, most recently updated first.
 */
export function encodeCursor(offset: number): string {
  return Buffer.from(`${PREFIX}${offset}`, 'utf8').toString('base64url');
}

/** The offset a cursor names; a cursor this server did not hand out is invalid params. */
export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const text = cursor.length <= 64 ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^conversations:(\d{1,6})$/.exec(text);
  const offset = match ? Number(match[1]) : Number.NaN;
  if (!(offset >= 0 && offset <= MAX_OFFSET))
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'Invalid params: unknown or malformed cursor');
  return offset;
}
