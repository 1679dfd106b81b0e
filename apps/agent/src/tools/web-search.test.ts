import { type FakeTavily, startFakeTavily, tavilySearchResponse } from '../testing/tavily.js';
import { createWebSearchTool, WEB_SEARCH_LIMITS } from './web-search.js';

const KEY = 'tvly-test-0123456789abcdef';

describe('web_search through the Tavily client', () => {
  let tavily: FakeTavily;
  beforeAll(async () => {
    tavily = await startFakeTavily();
  });
  afterAll(() => tavily.close());
  beforeEach(() => {
    tavily.requests.length = 0;
  });

  const search = (timeoutMs?: number) => createWebSearchTool({ apiKey: KEY, baseUrl: tavily.url, timeoutMs });

  it('posts the query with the key as a bearer token and returns title, url and snippet', async () => {
    tavily.reply = [
      {
        status: 200,
        body: tavilySearchResponse('langgraph checkpointers', [
          {
            title: 'Persistence - LangGraph',
            url: 'https://langchain-ai.github.io/langgraphjs/concepts/persistence/',
            content: 'LangGraph has a built-in persistence layer, implemented through checkpointers.',
          },
          {
            title: 'langgraph-checkpoint-postgres',
            url: 'https://www.npmjs.com/package/@langchain/langgraph-checkpoint-postgres',
            content: 'Implementation of a LangGraph.js CheckpointSaver that uses a Postgres DB.',
          },
        ]),
      },
    ];
    const result = JSON.parse(await search().invoke({ query: 'langgraph checkpointers', max_results: 2 }));
    expect(result).toEqual({
      query: 'langgraph checkpointers',
      results: [
        {
          title: 'Persistence - LangGraph',
          url: 'https://langchain-ai.github.io/langgraphjs/concepts/persistence/',
          content: 'LangGraph has a built-in persistence layer, implemented through checkpointers.',
        },
        {
          title: 'langgraph-checkpoint-postgres',
          url: 'https://www.npmjs.com/package/@langchain/langgraph-checkpoint-postgres',
          content: 'Implementation of a LangGraph.js CheckpointSaver that uses a Postgres DB.',
        },
      ],
    });
    const [request] = tavily.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/search' });
    expect(request!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request!.body).toMatchObject({
      query: 'langgraph checkpointers',
      max_results: 2,
      search_depth: 'basic',
    });
  });

  it('asks for five results unless told otherwise', async () => {
    tavily.reply = [{ status: 200, body: tavilySearchResponse('x', []) }];
    expect(JSON.parse(await search().invoke({ query: 'x' }))).toEqual({ query: 'x', results: [] });
    expect(tavily.requests[0]!.body.max_results).toBe(5);
  });

  it('bounds what it hands the model, however much Tavily sends', async () => {
    const huge = Array.from({ length: 10 }, (_, i) => ({
      title: `T${i} ${'t'.repeat(1000)}`,
      url: `https://example.com/${i}`,
      content: 'c'.repeat(50_000),
    }));
    tavily.reply = [{ status: 200, body: tavilySearchResponse('big', huge) }];
    const text = await search().invoke({ query: 'big', max_results: 10 });
    expect(text.length).toBeLessThanOrEqual(WEB_SEARCH_LIMITS.total);
    const { results } = JSON.parse(text);
    expect(results.length).toBeGreaterThan(3);
    expect(results[0].content.length).toBe(WEB_SEARCH_LIMITS.content);
    expect(results[0].title.length).toBe(WEB_SEARCH_LIMITS.title);
  });

  it("reports Tavily's refusal without the key", async () => {
    tavily.reply = [
      { status: 401, body: { detail: { error: 'Unauthorized: missing or invalid API key.' } } },
    ];
    // The client prints the failed response itself; what it prints must not carry the key either.
    const printed: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map((a) => JSON.stringify(a) ?? String(a)).join(' '));
    });
    try {
      const error = await search()
        .invoke({ query: 'anything' })
        .catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe(
        'Web search failed: Error 401: Unauthorized: missing or invalid API key.',
      );
      expect((error as Error).message).not.toContain(KEY);
      expect(printed.join('\n')).not.toContain(KEY);
    } finally {
      log.mockRestore();
    }
  });

  it('gives up on a search that does not answer', async () => {
    tavily.reply = ['hang'];
    await expect(search(200).invoke({ query: 'slow' })).rejects.toThrow(
      'Web search failed: the web search took longer than 200 ms',
    );
  });

  it('refuses an empty or overlong query before calling Tavily', async () => {
    await expect(search().invoke({ query: '' })).rejects.toThrow();
    await expect(search().invoke({ query: 'q'.repeat(401) })).rejects.toThrow();
    await expect(search().invoke({ query: 'q', max_results: 50 })).rejects.toThrow();
    expect(tavily.requests).toHaveLength(0);
  });
});
