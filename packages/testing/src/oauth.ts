import { createHash, randomBytes } from 'node:crypto';
import { basicAuthorization } from '@mcp-langgraph/protocol';

/** A PKCE verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** `Authorization: Basic …` for a client id and secret, encoded as RFC 6749 §2.3.1 asks. */
export const basicAuth = basicAuthorization;

export interface FormReply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are what the assertions examine
  body: any;
}

/**
 * POSTs `application/x-www-form-urlencoded` (as OAuth clients do), optionally with HTTP Basic
 * client credentials, and reads the JSON answer (undefined for an empty or non-JSON body).
 */
export async function postForm(
  url: string | URL,
  body: Record<string, string>,
  options: { basic?: { id: string; secret: string }; headers?: Record<string, string> } = {},
): Promise<FormReply> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    ...options.headers,
  };
  if (options.basic) headers.authorization = basicAuth(options.basic.id, options.basic.secret);
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: new URLSearchParams(body),
    redirect: 'manual',
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#96;': '`',
};
const decodeEntities = (s: string) => s.replace(/&(?:amp|lt|gt|quot|#39|#96);/g, (e) => ENTITIES[e] ?? e);

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*"([^"]*)"/g))
    out[m[1]!.toLowerCase()] = decodeEntities(m[2]!);
  return out;
}

export interface HtmlForm {
  /** The form's `action` as written (relative to the page). */
  action: string;
  method: string;
  /** Inputs that carry a value (hidden and pre-filled ones), by name. */
  fields: Record<string, string>;
  /** Every named input, so a test can check what the form asks for. */
  inputs: string[];
  /** Submit buttons that carry a name and value (e.g. decision=allow). */
  buttons: Array<{ name: string; value: string }>;
}

/** The first `<form>` of an HTML page, as a browser would submit it. Throws when there is none. */
export function readForm(html: string): HtmlForm {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error('the page has no form');
  const attrs = attributes(form[1]!);
  const fields: Record<string, string> = {};
  const inputs: string[] = [];
  for (const m of form[2]!.matchAll(/<input\b([^>]*)>/gi)) {
    const a = attributes(m[1]!);
    if (!a.name) continue;
    inputs.push(a.name);
    if (a.value !== undefined) fields[a.name] = a.value;
  }
  const buttons: Array<{ name: string; value: string }> = [];
  for (const m of form[2]!.matchAll(/<button\b([^>]*)>/gi)) {
    const a = attributes(m[1]!);
    if (a.name) buttons.push({ name: a.name, value: a.value ?? '' });
  }
  return {
    action: attrs.action ?? '',
    method: (attrs.method ?? 'get').toUpperCase(),
    fields,
    inputs,
    buttons,
  };
}

/** The parameters of a `WWW-Authenticate: Bearer k="v", ...` challenge. */
export function challengeParams(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of header.matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/gi))
    out[m[1]!] = m[2]!.replace(/\\(.)/g, '$1');
  return out;
}
