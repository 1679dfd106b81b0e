import { readFileSync } from 'node:fs';
import { ConfigError } from '@mcp-langgraph/config';
import { z } from 'zod';

/** The variable that lists the downstream servers, named in every message about it. */
export const MCP_SERVERS_VARIABLE = 'AGENT_MCP_SERVERS';

/** A server's name: the prefix of its tools' names and of their authorization objects. */
export const SERVER_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

const MAX_SERVERS = 32;
const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

const oauthSchema = z.strictObject({
  token_url: httpUrl,
  client_id: z.string().min(1).max(512),
  client_secret: z.string().min(1).max(4096),
  scope: z.string().min(1).max(2000).optional(),
  resource: httpUrl.optional(),
});

const entrySchema = z
  .strictObject({
    name: z.string().regex(SERVER_NAME, { message: `must match ${SERVER_NAME.source}` }),
    url: httpUrl.optional(),
    command: z.string().min(1).max(4096).optional(),
    args: z.array(z.string().max(4096)).max(100).optional(),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(32_768)).optional(),
    headers: z
      .record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/), z.string().max(8192))
      .optional(),
    oauth: oauthSchema.optional(),
    timeout_ms: z.number().int().min(100).max(600_000).optional(),
    public: z.boolean().optional(),
  })
  .superRefine((entry, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
    if ((entry.url === undefined) === (entry.command === undefined))
      fail('give exactly one of url (Streamable HTTP) and command (stdio)');
    if (entry.url !== undefined && (entry.args || entry.env))
      fail('args and env belong to a stdio server (command)');
    if (entry.command !== undefined && (entry.headers || entry.oauth))
      fail('headers and oauth belong to an HTTP server (url)');
  });

/** One downstream MCP server, as configured. */
export type McpServerEntry = z.infer<typeof entrySchema>;

const problem = (message: string) => new ConfigError([`${MCP_SERVERS_VARIABLE}: ${message}`]);

/** The JSON text of the variable: the list itself, or the file it names. */
function jsonText(value: string): string {
  const text = value.trim();
  if (text.startsWith('[') || text.startsWith('{')) return text;
  try {
    return readFileSync(text, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw problem(`is neither a JSON list nor a readable file (${code} reading "${text.slice(0, 200)}")`);
  }
}

/**
 * The downstream servers `AGENT_MCP_SERVERS` lists (a JSON list, or the path of a file holding
 * one), validated at start-up: a malformed entry stops the agent with a message naming the
 * variable, the entry and the field (never a value: entries carry secrets).
 */
export function parseMcpServers(value: string | undefined): McpServerEntry[] {
  if (value === undefined || value.trim() === '') return [];
  let list: unknown;
  try {
    list = JSON.parse(jsonText(value));
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw problem('is not valid JSON');
  }
  if (!Array.isArray(list)) throw problem('must be a JSON list of server entries');
  if (list.length > MAX_SERVERS)
    throw problem(`lists ${list.length} servers; at most ${MAX_SERVERS} are allowed`);
  const seen = new Set<string>();
  return list.map((raw, i) => {
    const name =
      typeof (raw as { name?: unknown } | null)?.name === 'string' ? (raw as { name: string }).name : '';
    const label = `entry ${i + 1}${SERVER_NAME.test(name) ? ` ("${name}")` : ''}`;
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const path = issue.path.map(String).join('.');
      throw problem(`${label}: ${path ? `${path}: ` : ''}${issue.message}`);
    }
    if (seen.has(parsed.data.name)) throw problem(`${label}: the name "${parsed.data.name}" is used twice`);
    seen.add(parsed.data.name);
    return parsed.data;
  });
}

/** How logs name a server: its name and, for HTTP, the URL's host (never the path, query or credentials). */
export function describeServer(entry: McpServerEntry): { server: string; host?: string; transport: string } {
  if (entry.url) return { server: entry.name, host: new URL(entry.url).host, transport: 'http' };
  return { server: entry.name, transport: 'stdio' };
}
