import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { DEFAULT_SEARCH_LIMIT, type KnowledgeIndex } from '../knowledge/index.js';

export const KNOWLEDGE_SEARCH_TOOL = 'knowledge_search';
export const MAX_KNOWLEDGE_QUERY_CHARS = 500;
export const MAX_KNOWLEDGE_HITS = 20;

/**
 * Full-text search over the operator's documents (`AGENT_DOCS_DIR`). The answer is JSON
 * `{"query", "hits": [{source, title, snippet, score}]}`, best hit first, `hits: []` when nothing
 * matches; a database failure is thrown as a tool error with a message safe to show.
 */
export function createKnowledgeSearchTool(index: Pick<KnowledgeIndex, 'search'>) {
  return tool(
    async ({ query, limit }) => {
      const hits = await index.search(query, limit ?? DEFAULT_SEARCH_LIMIT);
      return JSON.stringify({ query, hits });
    },
    {
      name: KNOWLEDGE_SEARCH_TOOL,
      description:
        "Searches the operator's documentation (Markdown and text files) by keywords. Returns JSON " +
        '{query, hits: [{source, title, snippet, score}]}: the file, the section heading, a snippet with ' +
        'the matched words between ** and a relevance score, best first; hits is empty when nothing matches. ' +
        'Cite the source file when you answer from a hit.',
      schema: z.object({
        query: z
          .string()
          .min(1)
          .max(MAX_KNOWLEDGE_QUERY_CHARS)
          .describe('Keywords to look for, for example "rate limit" or "OpenFGA relations"'),
        limit: z
          .number()
          .int()
          .min(1)
          .max(MAX_KNOWLEDGE_HITS)
          .optional()
          .describe(`Most hits to return (1-${MAX_KNOWLEDGE_HITS}, default ${DEFAULT_SEARCH_LIMIT})`),
      }),
    },
  );
}
