import { createHash } from 'node:crypto';

/** What every model provider accepts as a tool name. */
export const PROVIDER_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** The authorization object is `tool:<grant>`; OpenFGA bounds a whole object at 256 characters. */
const MAX_GRANT_LENGTH = 256 - 'tool:'.length;

/**
 * The authorization name of a downstream tool: `<server>/<tool>`, checked as `tool:<server>/<tool>`.
 * Both engines accept `/` in an object id (OpenFGA refuses only `#`, `:` and whitespace, and so
 * does the embedded engine). The tool's own name is percent-encoded (`encodeURIComponent`), so
 * whatever a server calls its tools, the id never carries `#`, `:`, whitespace or a second `/`:
 * `search` stays `search`, `a b:c` becomes `a%20b%3Ac`. Undefined when it would be too long.
 */
export function grantOf(server: string, tool: string): string | undefined {
  const grant = `${server}/${encodeURIComponent(tool)}`;
  return grant.length <= MAX_GRANT_LENGTH ? grant : undefined;
}

/**
 * The name the model calls a downstream tool by: `<server>__<tool>` when that is a valid provider
 * tool name; otherwise the tool's name with every other character as `_`, shortened to fit, and a
 * short hash of its real name, so two tools never share a name. Undefined if even that is taken.
 */
export function modelToolName(server: string, tool: string, taken: ReadonlySet<string>): string | undefined {
  const plain = `${server}__${tool}`;
  if (PROVIDER_TOOL_NAME.test(plain) && !taken.has(plain)) return plain;
  const hash = createHash('sha256').update(tool).digest('hex').slice(0, 8);
  const safe = `${server}__${tool.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  const name = `${safe.slice(0, 64 - hash.length - 1)}_${hash}`;
  return taken.has(name) ? undefined : name;
}
