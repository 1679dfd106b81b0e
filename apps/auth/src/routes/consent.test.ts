import { pkcePair, readForm } from '@mcp-langgraph/testing';
import { useAuthServer } from '../testing/setup.js';

const { auth, loginForm, signIn, submit } = useAuthServer({ users: { alice: 'secret-a', bob: 'secret-b' } });

/** Signs alice in for a new client and returns the consent form she is shown. */
async function consentForm(redirectUri: string, over: Record<string, string> = {}) {
  const client = await auth().registerClient([redirectUri]);
  const login = await loginForm(client, over);
  const page = await submit('/authorize', { ...login.fields, username: 'alice', password: 'secret-a' });
  return readForm(await page.text());
}

describe('consent', () => {
  it('remembers consent: the second sign-in for the same client and scopes goes straight back', async () => {
    const client = await auth().registerClient(['https://app.example/cb']);
    await signIn(client, 'bob', 'secret-b');
    const { verifier, challenge } = pkcePair();
    const login = await loginForm(client, { state: 's', code_challenge: challenge });
    const res = await submit('/authorize', { ...login.fields, username: 'bob', password: 'secret-b' });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    expect(verifier).toBeTruthy();
  });

  it('sends the user back with access_denied when consent is refused', async () => {
    const consent = await consentForm('https://deny.example/cb', { state: 'deny-state' });
    const res = await submit('/authorize/consent', { ...consent.fields, decision: 'deny' });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('deny-state');
    expect(back.searchParams.get('code')).toBeNull();
  });
});

describe('consent form integrity', () => {
  it('refuses a consent form whose user, scope or token was altered', async () => {
    const { fields } = await consentForm('https://client.example/cb', { state: 'st', scope: 'mcp:tools' });
    const bob = await auth().context.users.findByUsername('bob');
    const send = (over: Record<string, string>) =>
      submit('/authorize/consent', { ...fields, decision: 'allow', ...over });
    const alterations: Record<string, string>[] = [
      { user_id: bob!.id },
      { granted_scope: 'mcp:tools admin' },
      { scope: 'mcp:tools conversations:read', granted_scope: 'mcp:tools conversations:read' },
      { consent_token: 'forged.token.value' },
      { state: 'other' },
    ];
    for (const over of alterations) {
      const res = await send(over);
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
    const ok = await send({});
    expect(ok.status).toBe(302);
    expect(new URL(ok.headers.get('location')!).searchParams.get('code')).toBeTruthy();
  });
});
