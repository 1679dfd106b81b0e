import { isScope, SCOPE_DESCRIPTIONS } from '@mcp-langgraph/protocol';
import type { Response } from 'express';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0}
main{max-width:380px;margin:8vh auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.3rem;margin-top:0}label{display:block;margin:.8rem 0 .3rem}
input[type=text],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}
button{margin-top:1.2rem;padding:.6rem 1.2rem;margin-right:.5rem}.error{color:#b00020}ul{padding-left:1.2rem}
code{background:#eee;padding:0 .2rem}`;

/**
 * Sends an HTML page with a strict policy: no script at all, no framing, and form posts only to
 * this server (plus `formTarget`, where the form's answer redirects, which browsers also check).
 */
export function sendPage(
  res: Response,
  status: number,
  title: string,
  body: string,
  formTarget?: string | undefined,
): void {
  const formAction = ["'self'", ...(formTarget ? [formTarget] : [])].join(' ');
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
      // Not no-referrer: under it browsers send `Origin: null` with the page's own form posts,
      // and the forms' same-origin check needs the real origin. Other sites still get nothing.
      'Referrer-Policy': 'same-origin',
    })
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
        `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`,
    );
}

export function hiddenFields(fields: Record<string, string | undefined>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v!)}">`)
    .join('');
}

/** The scopes a client asks for, in the words users are shown everywhere on the platform. */
export function scopeList(scopes: readonly string[]): string {
  const describe = (s: string) => (isScope(s) ? SCOPE_DESCRIPTIONS[s] : '');
  return `<ul>${scopes.map((s) => `<li><code>${escapeHtml(s)}</code> ${escapeHtml(describe(s))}</li>`).join('')}</ul>`;
}

export function errorPage(res: Response, status: number, error: string, description: string): void {
  sendPage(
    res,
    status,
    'Authorization error',
    `<h1>Authorization error</h1><p class="error"><code>${escapeHtml(error)}</code></p><p>${escapeHtml(description)}</p>`,
  );
}

export function loginPage(
  res: Response,
  opts: {
    status: number;
    clientName: string;
    scopes: readonly string[];
    fields: Record<string, string | undefined>;
    message?: string | undefined;
    formTarget: string;
    username?: string | undefined;
  },
): void {
  const message = opts.message ? `<p class="error" role="alert">${escapeHtml(opts.message)}</p>` : '';
  sendPage(
    res,
    opts.status,
    'Sign in',
    `<h1>Sign in</h1><p><strong>${escapeHtml(opts.clientName)}</strong> asks to:</p>${scopeList(opts.scopes)}${message}` +
      `<form method="post" action="/authorize">${hiddenFields(opts.fields)}` +
      `<label for="username">Username</label><input type="text" id="username" name="username" autocomplete="username" maxlength="100" required value="${escapeHtml(opts.username ?? '')}">` +
      `<label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" maxlength="1024" required>` +
      `<button type="submit">Sign in</button></form>`,
    opts.formTarget,
  );
}

export function consentPage(
  res: Response,
  opts: {
    clientName: string;
    clientId: string;
    username: string;
    scopes: readonly string[];
    fields: Record<string, string | undefined>;
    formTarget: string;
  },
): void {
  sendPage(
    res,
    200,
    'Allow access',
    `<h1>Allow access?</h1><p>Signed in as <strong>${escapeHtml(opts.username)}</strong>.</p>` +
      `<p><strong>${escapeHtml(opts.clientName)}</strong> (<code>${escapeHtml(opts.clientId)}</code>) asks to:</p>${scopeList(opts.scopes)}` +
      `<form method="post" action="/authorize/consent">${hiddenFields(opts.fields)}` +
      `<button type="submit" name="decision" value="allow">Allow</button>` +
      `<button type="submit" name="decision" value="deny">Deny</button></form>`,
    opts.formTarget,
  );
}
