import { basicAuthorization } from '@mcp-langgraph/protocol';

/** The values to present, in order: the current one first, then one still inside its overlap window. */
export type SecretValues = () => readonly string[];

/**
 * Sends a request once per value until one is not refused with `refusedWith`: the current value
 * first, the replaced one only while the other side may not have seen the rotation yet. The body
 * must be replayable (a string, URLSearchParams or none), which every caller here sends.
 */
async function sendWithRotatingValue(
  values: readonly string[],
  refusedWith: number,
  send: (value: string) => Promise<Response>,
): Promise<Response> {
  let res = await send(values[0]!);
  for (const value of values.slice(1)) {
    if (res.status !== refusedWith) break;
    await res.body?.cancel();
    res = await send(value);
  }
  return res;
}

/**
 * `fetch` for a confidential client whose secret may rotate while the service runs (the token
 * exchange, the revocation feed): each request that carries HTTP Basic client credentials gets
 * them built from the current secret, and a 401 is tried once more with the replaced secret while
 * it is inside its overlap window (the authorization server may not have seen the rotation yet).
 * Requests without an `Authorization` header (the public JWKS) pass unchanged.
 */
export function fetchWithClientSecret(
  clientId: string,
  secrets: SecretValues,
  base: typeof fetch = fetch,
): typeof fetch {
  return (input, init) => {
    const values = secrets();
    const sent = new Headers(init?.headers);
    if (!/^Basic /i.test(sent.get('authorization') ?? '') || values.length === 0) return base(input, init);
    return sendWithRotatingValue(values, 401, (secret) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', basicAuthorization(clientId, secret));
      return base(input, { ...init, headers });
    });
  };
}
