import { Client } from '@langchain/langgraph-sdk';
import type { Harness } from './harness.js';

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are what the assertions examine
  body: any;
  headers: Headers;
}

/** HTTP helpers against a running agent; `agent()` is read at call time (it starts in `beforeAll`). */
export function apiClient(agent: () => Harness) {
  async function call(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    raw?: string,
  ): Promise<Reply> {
    const res = await fetch(`${agent().url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  return {
    call,
    tokenFor(sub: string, claims: Record<string, unknown> = {}): string {
      return agent().issuer.sign({ sub, ...claims });
    },
    /**
     * The official LangGraph SDK client against the agent, as `sub` (a fresh token per client),
     * with retries off so a refused request surfaces at once.
     */
    sdk(sub: string, claims: Record<string, unknown> = {}): Client {
      return new Client({
        apiUrl: agent().url,
        apiKey: null,
        defaultHeaders: { Authorization: `Bearer ${agent().issuer.sign({ sub, ...claims })}` },
        callerOptions: { maxRetries: 0 },
      });
    },
    async createThread(token: string, metadata?: Record<string, unknown>): Promise<string> {
      const res = await call('POST', '/threads', token, metadata ? { metadata } : {});
      expect(res.status).toBe(200);
      return res.body.thread_id;
    },
  };
}
