import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';

/**
 * The cookie that ties login and consent forms to the browser they were shown in. Its value is a
 * random id the page's scripts cannot read (HttpOnly); form tokens are an HMAC over it, so a token
 * an attacker fetched for themselves is worthless without the victim's cookie, which a cross-site
 * POST does not carry (SameSite=Lax). On https the `__Host-` prefix also stops a sibling subdomain
 * from planting one; plain-http loopback (development) cannot use `Secure`, so it gets a plain name.
 */
export interface BrowserBinding {
  cookieName: string;
  /** The binding id this request's browser sent, if it sent a well-formed one. */
  read(req: Request): string | undefined;
  /** The request's binding id, or a new one set on the response when it had none. */
  ensure(req: Request, res: Response): string;
}

const ID = /^[A-Za-z0-9_-]{43}$/;

/** The value of cookie `name` in a `Cookie` header; the first one when it appears more than once. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

export function createBrowserBinding(issuer: string): BrowserBinding {
  const secure = new URL(issuer).protocol === 'https:';
  const cookieName = secure ? '__Host-mcp-csrf' : 'mcp-csrf';
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join('; ');
  const read = (req: Request) => {
    const v = cookieValue(req.get('cookie'), cookieName);
    return v && ID.test(v) ? v : undefined;
  };
  return {
    cookieName,
    read,
    ensure(req, res) {
      const existing = read(req);
      if (existing) return existing;
      const id = randomBytes(32).toString('base64url');
      res.append('Set-Cookie', `${cookieName}=${id}; ${attributes}`);
      return id;
    },
  };
}
