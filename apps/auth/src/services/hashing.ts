import { createHash } from 'node:crypto';

/** Codes and refresh tokens are 256-bit random values, so a plain SHA-256 is a safe way to store them. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
