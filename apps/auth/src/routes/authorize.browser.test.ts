import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readForm } from '@mcp-langgraph/testing';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, describeWithChromium } from '../testing/chromium.js';
import { type TestClient, useAuthServer } from '../testing/setup.js';
import { escapeHtml } from '../views/html.js';

/** A local HTTP server answering every request with `page(url)`; its base URL. */
async function serve(page: (url: URL) => string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page(new URL(req.url ?? '/', 'http://x')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describeWithChromium('signing in with a real browser', () => {
  const { auth, authorizeQuery } = useAuthServer({ users: { alice: 'secret-a' } });
  let browser: Browser;
  let context: BrowserContext;
  let app: { url: string; server: Server };
  let client: TestClient;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    // The client's redirect URI: a page that just says where the browser ended.
    app = await serve((u) => `<p>callback ${escapeHtml(u.search)}</p>`);
    client = await auth().registerClient([`${app.url}/cb`]);
  });
  beforeEach(async () => {
    context = await browser.newContext();
    problems.length = 0;
    // Violations of the pages' Content-Security-Policy show as console errors; init scripts run
    // outside the page's policy, so the listener itself needs nothing the policy forbids.
    await context.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (e) => {
        console.error('csp violation: ' + e.violatedDirective + ' ' + e.blockedURI);
      });`,
    });
    context.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    context.on('weberror', (e) => problems.push(e.error().message));
  });
  afterEach(async () => {
    await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => app?.server.close(r));
  });

  it('signs in and consents through the pages and ends at the redirect URI with a code', async () => {
    const page = await context.newPage();
    const q = authorizeQuery(client, { state: 'browser-state' });
    const shown = await page.goto(`${auth().url}/authorize?${q}`);
    expect(shown?.status()).toBe(200);
    const cookies = await context.cookies(auth().url);
    expect(cookies).toEqual([
      expect.objectContaining({ name: 'mcp-csrf', httpOnly: true, sameSite: 'Lax', path: '/' }),
    ]);

    await page.fill('#username', 'alice');
    await page.fill('#password', 'secret-a');
    const [consent] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(consent?.status()).toBe(200);
    expect(await page.textContent('h1')).toMatch(/Allow access/);
    // The browser sent the cookie back: without it the login would have been refused.
    expect((await consent?.request().allHeaders())?.cookie).toMatch(/mcp-csrf=/);

    await Promise.all([page.waitForURL(`${app.url}/cb?**`), page.click('button[value=allow]')]);
    const back = new URL(page.url());
    expect(back.searchParams.get('code')).toBeTruthy();
    expect(back.searchParams.get('state')).toBe('browser-state');
    expect(back.searchParams.get('iss')).toBe(auth().issuer);
    expect(problems).toEqual([]);
  });

  it('refuses a login form another origin posts from the same browser', async () => {
    const page = await context.newPage();
    // The victim's browser holds a binding cookie (127.0.0.1 on another port is the same site, so
    // SameSite=Lax would let the cookie through: the Origin check is what refuses the post).
    await page.goto(`${auth().url}/authorize?${authorizeQuery(client)}`);
    const { fields } = readForm(await page.content());
    const hidden = Object.entries({ ...fields, username: 'alice', password: 'secret-a' })
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    const attacker = await serve(
      () =>
        `<body onload="document.forms[0].submit()"><form method="post" action="${auth().url}/authorize">${hidden}</form></body>`,
    );
    try {
      const answer = page.waitForResponse(
        (r) => r.url() === `${auth().url}/authorize` && r.request().method() === 'POST',
      );
      await page.goto(attacker.url);
      const res = await answer;
      expect(res.status()).toBe(403);
      expect((await res.request().allHeaders()).origin).toBe(attacker.url);
      await page.waitForLoadState();
      expect(await page.textContent('body')).toMatch(/another site/);
      expect(page.url()).not.toContain('code=');
    } finally {
      await new Promise((r) => attacker.server.close(r));
    }
  });
});
