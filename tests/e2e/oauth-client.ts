import { randomBytes } from 'node:crypto';
import { DEFAULT_SCOPES } from '@mcp-langgraph/protocol';
import { CookieJar, challengeParams, type HtmlForm, pkcePair, readForm } from '@mcp-langgraph/testing';
import type {
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';

/**
 * The steps an MCP client takes to get a token for a protected MCP server, done by hand so every
 * hop of the contract is checked: 401 challenge → RFC 9728 resource metadata → RFC 8414 server
 * metadata → RFC 7591 registration → authorization code with PKCE S256 through the login (and
 * consent) pages → token request with the RFC 8707 resource.
 */

/** The first `<form>` of a page, with its action resolved against the page URL. */
function formOf(html: string, pageUrl: string): (HtmlForm & { url: URL }) | undefined {
  try {
    const form = readForm(html);
    return { ...form, url: new URL(form.action || pageUrl, pageUrl) };
  } catch {
    return undefined;
  }
}

async function json(res: Response, what: string): Promise<Record<string, unknown>> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what} answered ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

export interface Discovery {
  resourceMetadataUrl: string;
  resource: string;
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  registrationEndpoint: string;
  codeChallengeMethods: string[];
}

/** From an unauthenticated MCP request to the authorization server's endpoints. */
export async function discover(mcpUrl: string): Promise<Discovery> {
  const probe = await fetch(mcpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'e2e', version: '1' } },
    }),
  });
  if (probe.status !== 401) throw new Error(`unauthenticated MCP request answered ${probe.status}, not 401`);
  const challenge = challengeParams(probe.headers.get('www-authenticate') ?? '');
  const resourceMetadataUrl = challenge.resource_metadata;
  if (!resourceMetadataUrl) throw new Error('the 401 challenge names no resource_metadata');
  const prm = await json(await fetch(resourceMetadataUrl), 'protected resource metadata');
  const issuer = (prm.authorization_servers as string[] | undefined)?.[0];
  if (!issuer) throw new Error('the resource metadata names no authorization server');
  const as = await json(
    await fetch(`${issuer}/.well-known/oauth-authorization-server`),
    'authorization server metadata',
  );
  return {
    resourceMetadataUrl,
    resource: String(prm.resource),
    issuer: String(as.issuer),
    authorizationEndpoint: String(as.authorization_endpoint),
    tokenEndpoint: String(as.token_endpoint),
    registrationEndpoint: String(as.registration_endpoint),
    codeChallengeMethods: (as.code_challenge_methods_supported as string[] | undefined) ?? [],
  };
}

/** Dynamic client registration of a public client with a loopback redirect URI. */
export async function register(d: Discovery, redirectUri: string): Promise<string> {
  const body = await json(
    await fetch(d.registrationEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'End-to-end MCP client',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      }),
    }),
    'client registration',
  );
  return String(body.client_id);
}

export interface Login {
  clientId: string;
  redirectUri: string;
  username: string;
  password: string;
  /** The scope to ask for; the platform's default scopes when left out. */
  scope?: string;
}

export interface AuthorizationOutcome {
  accessToken: string;
  scope: string;
  /** Whether a consent page was shown and answered. */
  consented: boolean;
}

/** Posts a form as a browser does: with the page's cookies and its origin. */
async function submit(
  jar: CookieJar,
  form: HtmlForm & { url: URL },
  values: Record<string, string>,
): Promise<Response> {
  const res = await fetch(form.url, {
    method: form.method,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: form.url.origin,
      ...jar.header(),
    },
    body: new URLSearchParams({ ...form.fields, ...values }),
    redirect: 'manual',
  });
  jar.store(res);
  return res;
}

/**
 * What a person does in the browser: open the authorization URL, fill in the login form, answer
 * the consent page if one comes, and end at a redirect. Returns where it redirected.
 */
export async function signInThroughPages(
  authorizationUrl: URL,
  credentials: { username: string; password: string },
): Promise<{ callback: URL; consented: boolean; consentPage?: string }> {
  const jar = new CookieJar();
  const page = await fetch(authorizationUrl, { redirect: 'manual' });
  jar.store(page);
  const html = await page.text();
  if (page.status !== 200)
    throw new Error(`the authorization page answered ${page.status}: ${html.slice(0, 300)}`);
  const loginForm = formOf(html, authorizationUrl.href);
  if (!loginForm?.inputs.includes('username') || !loginForm.inputs.includes('password'))
    throw new Error('the authorization page has no login form');

  let res = await submit(jar, loginForm, credentials);
  let consentPage: string | undefined;
  if (res.status === 200) {
    // A consent page: answer "allow" through its own form (it carries its CSRF token).
    const consentHtml = await res.text();
    consentPage = consentHtml;
    const consentForm = formOf(consentHtml, loginForm.url.href);
    if (!consentForm) throw new Error(`login answered a page without a form: ${consentHtml.slice(0, 300)}`);
    const allow = consentForm.buttons.find((b) => /allow|approve|accept/i.test(b.value));
    res = await submit(jar, consentForm, allow ? { [allow.name]: allow.value } : {});
  }
  if (res.status !== 302 && res.status !== 303)
    throw new Error(`the login did not redirect (status ${res.status}): ${(await res.text()).slice(0, 300)}`);
  return {
    callback: new URL(res.headers.get('location') ?? '', loginForm.url),
    consented: consentPage !== undefined,
    consentPage,
  };
}

/** Authorization code flow with PKCE S256, signing in through the HTML form as a person would. */
export async function authorize(d: Discovery, login: Login): Promise<AuthorizationOutcome> {
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(16).toString('base64url');
  const url = new URL(d.authorizationEndpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: login.clientId,
    redirect_uri: login.redirectUri,
    scope: login.scope ?? DEFAULT_SCOPES.join(' '),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    resource: d.resource,
  }).toString();

  const { callback, consented } = await signInThroughPages(url, login);
  if (`${callback.origin}${callback.pathname}` !== login.redirectUri)
    throw new Error(`redirected to ${callback.href}, not the registered redirect URI`);
  const params = callback.searchParams;
  if (params.get('error'))
    throw new Error(`authorization failed: ${params.get('error')} ${params.get('error_description')}`);
  if (params.get('state') !== state) throw new Error('the authorization response does not carry our state');
  if (params.get('iss') !== d.issuer)
    throw new Error(`the authorization response names issuer ${params.get('iss')}`);
  const code = params.get('code');
  if (!code) throw new Error('the authorization response carries no code');

  const token = await json(
    await fetch(d.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: login.redirectUri,
        client_id: login.clientId,
        code_verifier: verifier,
        resource: d.resource,
      }),
    }),
    'token request',
  );
  if (String(token.token_type).toLowerCase() !== 'bearer')
    throw new Error(`token_type is ${token.token_type}`);
  return { accessToken: String(token.access_token), scope: String(token.scope ?? ''), consented };
}

/**
 * An `OAuthClientProvider` for the MCP client SDK whose "browser" is {@link signInThroughPages}:
 * the SDK does discovery, registration, PKCE and the token request; this signs the user in and
 * keeps the callback for `transport.finishAuth`.
 */
export class PageSignInProvider implements OAuthClientProvider {
  /** The redirect the sign-in ended at, once `redirectToAuthorization` ran. */
  callback?: URL;
  consented = false;
  /** Every authorization URL the SDK sent the user to, in order. */
  readonly authorizationUrls: URL[] = [];
  /** The consent pages the user answered, in order (their HTML, which lists the scopes asked for). */
  readonly consentPages: string[] = [];
  private info?: StoredOAuthClientInformation;
  private stored?: StoredOAuthTokens;
  private verifier = '';
  private discovery?: OAuthDiscoveryState;
  private readonly expectedState = randomBytes(16).toString('base64url');

  constructor(
    private readonly redirectUri: string,
    private readonly credentials: { username: string; password: string },
  ) {}

  get redirectUrl(): string {
    return this.redirectUri;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'End-to-end MCP client (SDK)',
      redirect_uris: [this.redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  state(): string {
    return this.expectedState;
  }

  clientInformation(): StoredOAuthClientInformation | undefined {
    return this.info;
  }

  saveClientInformation(info: StoredOAuthClientInformation): void {
    this.info = info;
  }

  tokens(): StoredOAuthTokens | undefined {
    return this.stored;
  }

  saveTokens(tokens: StoredOAuthTokens): void {
    this.stored = tokens;
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    this.authorizationUrls.push(authorizationUrl);
    const { callback, consented, consentPage } = await signInThroughPages(authorizationUrl, this.credentials);
    if (callback.searchParams.get('state') !== this.expectedState)
      throw new Error('the authorization response does not carry our state');
    this.callback = callback;
    this.consented = consented;
    if (consentPage !== undefined) this.consentPages.push(consentPage);
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.verifier = codeVerifier;
  }

  codeVerifier(): string {
    return this.verifier;
  }

  /** Kept so the SDK can check the callback belongs to the authorization server it started with. */
  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }
}
