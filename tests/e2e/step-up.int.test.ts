import { formatScope, SCOPE, SCOPE_DESCRIPTIONS } from '@mcp-langgraph/protocol';
import { callTool, challengeParams, textOf } from '@mcp-langgraph/testing';
import {
  auth,
  type CallToolResult,
  Client,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import { authorize, type Discovery, discover, PageSignInProvider, register } from './oauth-client.js';
import { REDIRECT_URI, useStack } from './stack.js';

/**
 * Step-up authorization against the real authorization server: a user who granted only
 * `mcp:tools conversations:read` may read, and a call to `chat` (which needs
 * `conversations:write`) is answered 403 `insufficient_scope`; the MCP client SDK then sends the
 * user back to the authorization server for the wider scope, the consent page asks for it, and
 * the call goes through with the new token.
 */
const stack = useStack();
const { explained } = stack;
const mcpUrl = () => new URL(stack.services().urls.mcp);
const NARROW = formatScope([SCOPE.tools, SCOPE.conversationsRead]);
const scopesOf = (scope: string | undefined) => (scope ?? '').split(' ').filter(Boolean).sort();

let d: Discovery;
let clientId = '';

beforeAll(async () => {
  d = await explained(() => discover(stack.services().urls.mcp));
  // Registered with the platform's default scopes: a client registered with a scope can never be
  // granted more, and the SDK's own registration would send the narrow scope it signs in with.
  clientId = await explained(() => register(d, REDIRECT_URI));
});

/** A `tools/call` over plain HTTP, as a client without the SDK sends it. */
function rawCall(token: string, name: string, args: Record<string, unknown>): Promise<Response> {
  return fetch(stack.services().urls.mcp, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${token}`,
      'mcp-protocol-version': '2025-06-18',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  });
}

describe('a token with conversations:read only', () => {
  let token = '';

  it('is what the user grants when the client asks for no more', async () => {
    const outcome = await explained(() =>
      authorize(d, {
        clientId,
        redirectUri: REDIRECT_URI,
        username: 'alice',
        password: 'secret-a',
        scope: NARROW,
      }),
    );
    expect(outcome.consented).toBe(true);
    expect(scopesOf(outcome.scope)).toEqual(scopesOf(NARROW));
    token = outcome.accessToken;
  });

  it('lists conversations', async () => {
    const client = await stack.connect(token);
    const listed = await callTool(client, 'list_conversations', {});
    expect(listed.isError).toBeFalsy();
  });

  it('gets 403 insufficient_scope for chat, naming the wider scope and the resource metadata', async () => {
    const res = await rawCall(token, 'chat', { message: 'What is 6 times 7?' });
    expect(res.status).toBe(403);
    const challenge = challengeParams(res.headers.get('www-authenticate') ?? '');
    expect(challenge.error).toBe('insufficient_scope');
    expect(scopesOf(challenge.scope)).toEqual(
      scopesOf(formatScope([SCOPE.tools, SCOPE.conversationsRead, SCOPE.conversationsWrite])),
    );
    expect(challenge.resource_metadata).toBe(d.resourceMetadataUrl);
  });
});

describe('the MCP client SDK v2 (@modelcontextprotocol/client) step-up flow', () => {
  const provider = new PageSignInProvider(REDIRECT_URI, { username: 'bob', password: 'secret-b' });
  let client: Client;
  let transport: StreamableHTTPClientTransport;

  beforeAll(() => {
    provider.saveClientInformation({ client_id: clientId, issuer: d.issuer });
  });

  it('signs in with the narrow scope the client asks for (auth() with scope)', async () => {
    expect(await explained(() => auth(provider, { serverUrl: mcpUrl(), scope: NARROW }))).toBe('REDIRECT');
    expect(provider.consentPages).toHaveLength(1);
    expect(provider.consentPages[0]).toContain(SCOPE_DESCRIPTIONS[SCOPE.conversationsRead]);
    expect(provider.consentPages[0]).not.toContain(SCOPE.conversationsWrite);
    const callback = provider.callback!.searchParams;
    const signedIn = await explained(() =>
      auth(provider, {
        serverUrl: mcpUrl(),
        authorizationCode: callback.get('code') ?? '',
        iss: callback.get('iss') ?? undefined,
      }),
    );
    expect(signedIn).toBe('AUTHORIZED');
    expect(scopesOf(provider.tokens()?.scope)).toEqual(scopesOf(NARROW));
    // A refresh cannot widen a grant (RFC 6749 §6): the step-up must sign in again, not refresh.
    expect(provider.tokens()?.refresh_token).toBeTruthy();

    client = stack.track(
      new Client({ name: 'step-up-v2', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } }),
    );
    transport = new StreamableHTTPClientTransport(mcpUrl(), { authProvider: provider });
    await explained(() => client.connect(transport));
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const listed = await callTool(client, 'list_conversations', {});
    expect(listed.isError).toBeFalsy();
  });

  it('asks the user again for conversations:write when chat needs it, then the call goes through', async () => {
    // The 403 sends the user to the authorization server with the union of the scopes; an
    // interactive sign-in ends at the redirect, so the call fails as unauthorized until the
    // application finishes it with the code.
    await expect(
      client.callTool({ name: 'chat', arguments: { message: 'What is 6 times 7?' } }),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.authorizationUrls).toHaveLength(2);
    expect(scopesOf(provider.authorizationUrls[1]?.searchParams.get('scope') ?? '')).toEqual(
      expect.arrayContaining([SCOPE.tools, SCOPE.conversationsRead, SCOPE.conversationsWrite]),
    );
    // The consent page asks for the new scope: nothing granted before covers it.
    expect(provider.consentPages).toHaveLength(2);
    expect(provider.consentPages[1]).toContain(`<code>${SCOPE.conversationsWrite}</code>`);
    expect(provider.consentPages[1]).toContain(SCOPE_DESCRIPTIONS[SCOPE.conversationsWrite]);

    await explained(() => transport.finishAuth(provider.callback!.searchParams));
    expect(scopesOf(provider.tokens()?.scope)).toEqual(
      expect.arrayContaining([SCOPE.tools, SCOPE.conversationsRead, SCOPE.conversationsWrite]),
    );

    const answer = (await explained(() =>
      client.callTool({ name: 'chat', arguments: { message: 'What is 6 times 7?' } }),
    )) as CallToolResult;
    expect(answer.isError).toBeFalsy();
    expect(textOf(answer)).toContain('42');
    // The wider token serves reads too, without another sign-in.
    const threadId = (answer.structuredContent as { thread_id: string }).thread_id;
    const listed = await callTool(client, 'list_conversations', {});
    expect(textOf(listed)).toContain(threadId);
    expect(provider.authorizationUrls).toHaveLength(2);
  });
});
