import type { RunnableConfig } from '@langchain/core/runnables';
import { tool } from '@langchain/core/tools';
import { TavilySearchAPIWrapper } from '@langchain/tavily';
import { z } from 'zod';

export const WEB_SEARCH_TOOL = 'web_search';

/** Bounds on what one search hands the model, whatever Tavily sends back. */
export const WEB_SEARCH_LIMITS = {
  maxResults: 10,
  defaultResults: 5,
  title: 200,
  url: 2048,
  content: 1200,
  /** The whole JSON result, in characters. */
  total: 12_000,
  /** How long a search may take before the model is told it failed. */
  timeoutMs: 20_000,
} as const;

export interface WebSearchOptions {
  /** `TAVILY_API_KEY`. */
  apiKey: string;
  /** `TAVILY_BASE_URL`: the Tavily API's origin (the client posts to `${baseUrl}/search`). */
  baseUrl?: string | undefined;
  timeoutMs?: number | undefined;
}

export interface WebSearchResult {
  title: string;
  url: string;
  content: string;
}

const clip = (value: unknown, max: number) => {
  const text = typeof value === 'string' ? value : '';
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
};

/** Tavily's results as the model sees them: title, URL and snippet each, the whole bounded in size. */
export function boundResults(query: string, raw: unknown): { query: string; results: WebSearchResult[] } {
  const results: WebSearchResult[] = [];
  const given = (raw as { results?: unknown } | null)?.results;
  let size = JSON.stringify({ query, results: [] }).length;
  for (const r of Array.isArray(given) ? given.slice(0, WEB_SEARCH_LIMITS.maxResults) : []) {
    const item = r as Record<string, unknown>;
    const result = {
      title: clip(item.title, WEB_SEARCH_LIMITS.title),
      url: clip(item.url, WEB_SEARCH_LIMITS.url),
      content: clip(item.content, WEB_SEARCH_LIMITS.content),
    };
    const cost = JSON.stringify(result).length + 1;
    if (size + cost > WEB_SEARCH_LIMITS.total) break;
    size += cost;
    results.push(result);
  }
  return { query, results };
}

function withTimeout<T>(work: Promise<T>, ms: number, signal: AbortSignal | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the web search took longer than ${ms} ms`)), ms);
    const onAbort = () => reject(new Error('the web search was cancelled'));
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    });
  });
}

/**
 * Web search through Tavily's `POST /search`, with LangChain's Tavily client (`TavilySearchAPIWrapper`
 * of `@langchain/tavily`, which sends the key as `Authorization: Bearer`). The client has no timeout
 * of its own, so the call is bounded here; failures are thrown with a short message for the model
 * (Tavily's status and error text, never the key).
 */
export function createWebSearchTool(options: WebSearchOptions) {
  const client = new TavilySearchAPIWrapper({
    tavilyApiKey: options.apiKey,
    ...(options.baseUrl ? { apiBaseUrl: options.baseUrl } : {}),
  });
  const timeoutMs = options.timeoutMs ?? WEB_SEARCH_LIMITS.timeoutMs;
  return tool(
    async ({ query, max_results }, config?: RunnableConfig) => {
      let raw: unknown;
      try {
        raw = await withTimeout(
          client.rawResults({
            query,
            max_results: max_results ?? WEB_SEARCH_LIMITS.defaultResults,
            search_depth: 'basic',
            topic: 'general',
          }),
          timeoutMs,
          config?.signal,
        );
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new Error(`Web search failed: ${clip(reason, 300)}`);
      }
      return JSON.stringify(boundResults(query, raw));
    },
    {
      name: WEB_SEARCH_TOOL,
      description:
        'Searches the web. Returns JSON {query, results: [{title, url, content}]} with a snippet of each page. ' +
        'Use it for current events or facts you are not sure of, and cite the URLs you rely on.',
      schema: z.object({
        query: z.string().min(1).max(400).describe('What to search for, as a search engine query'),
        max_results: z
          .number()
          .int()
          .min(1)
          .max(WEB_SEARCH_LIMITS.maxResults)
          .optional()
          .describe(`How many results to return (default ${WEB_SEARCH_LIMITS.defaultResults})`),
      }),
    },
  );
}

/** `web_search`'s settings from the configuration: offered only when `TAVILY_API_KEY` is set. */
export function webSearchOptions(config: {
  TAVILY_API_KEY?: string | undefined;
  TAVILY_BASE_URL?: string | undefined;
}): WebSearchOptions | undefined {
  return config.TAVILY_API_KEY
    ? { apiKey: config.TAVILY_API_KEY, baseUrl: config.TAVILY_BASE_URL }
    : undefined;
}
