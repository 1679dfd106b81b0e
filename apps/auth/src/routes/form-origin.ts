import type { RequestHandler } from 'express';
import type { AuthContext } from '../context.js';
import { errorPage } from '../views/html.js';

/** The origin of `value` (an Origin or Referer header), or `null` for an opaque or unreadable one. */
function originOf(value: string): string | null {
  if (value === 'null') return null;
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/**
 * Refuses a login or consent form posted from a page on another origin (403): the `Origin`
 * header, or without one the `Referer`, must name this server's issuer origin. Some browsers and
 * privacy tools strip both, so a request with neither is let through to the cookie check, which a
 * cross-site request fails anyway. This is the first of the two locks, and the one that also stops
 * a form posted with a cookie the browser would send (a same-site but foreign origin).
 */
export function sameOriginForm(ctx: AuthContext): RequestHandler {
  const own = new URL(ctx.settings.issuer).origin;
  return (req, res, next) => {
    const origin = req.get('origin');
    const referer = origin === undefined ? req.get('referer') : undefined;
    const claimed = origin ?? referer;
    if (claimed === undefined || originOf(claimed) === own) return next();
    ctx.fail('csrf');
    ctx.logger.warn(
      { path: req.path, origin: origin === undefined ? undefined : (originOf(origin) ?? 'opaque') },
      'form posted from another origin refused',
    );
    errorPage(
      res,
      403,
      'access_denied',
      'This form was sent from another site. Go back to the application and start the sign-in again.',
    );
  };
}
