import { AIMessage, type BaseMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import { createTools } from '../../tools/index.js';
import { KNOWLEDGE_SEARCH_TOOL } from '../../tools/knowledge-search.js';
import { WEB_SEARCH_TOOL } from '../../tools/web-search.js';
import { OfflineChatModel } from '../offline.js';

/**
 * Test support: conversations with the real offline model, its tool calls run by LangGraph's
 * real `ToolNode` over the real calculator and a clock pinned to Wednesday, December 2, 2026. The
 * docs index and Tavily are not part of these conversations: a `knowledge_search` or `web_search`
 * call is answered with the recorded result the test gives, as the tool returns it.
 */

export const NOW = new Date('2026-12-02T10:00:00.000Z');

/** `knowledge_search` as a provider sees it (the model only needs its name to call it). */
export const DOCS_TOOL_DEFINITION = {
  type: 'function' as const,
  function: {
    name: KNOWLEDGE_SEARCH_TOOL,
    description: 'Searches the documentation',
    parameters: {
      type: 'object',
      properties: { query: { type: 'string' }, limit: { type: 'integer' } },
      required: ['query'],
    },
  },
};

/** `web_search` as a provider sees it. */
export const WEB_TOOL_DEFINITION = {
  type: 'function' as const,
  function: {
    name: WEB_SEARCH_TOOL,
    description: 'Searches the web',
    parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  },
};

const RECORDED = new Set([KNOWLEDGE_SEARCH_TOOL, WEB_SEARCH_TOOL]);

export type ToolSet = 'all' | 'no-docs' | 'calculator-only' | 'none';

const tools = createTools({ now: () => NOW });
const toolNode = new ToolNode(tools);

/** The offline model with the tools of `set` bound. */
export function offlineModel(set: ToolSet = 'all') {
  const model = new OfflineChatModel();
  if (set === 'none') return model;
  const bound = set === 'calculator-only' ? tools.filter((t) => t.name === 'calculator') : tools;
  return model.bindTools(set === 'all' ? [...bound, DOCS_TOOL_DEFINITION, WEB_TOOL_DEFINITION] : bound);
}

/** A recorded `knowledge_search` or `web_search` answer: the tool's JSON, or a thrown error as the tool node reports it. */
export type DocsAnswer =
  | { hits: Array<{ source: string; title: string; snippet: string; score: number }> }
  | { results: Array<{ title: string; url: string; content: string }> }
  | { error: string };

export interface Turn {
  calls: Array<[string, Record<string, unknown>]>;
  answer: string;
}

/**
 * Asks `question` after `messages` (which it extends), running every tool call until the model
 * answers: the calls in the order made, and the answer.
 */
export async function ask(
  model: ReturnType<typeof offlineModel>,
  messages: BaseMessage[],
  question: string,
  docs?: DocsAnswer,
): Promise<Turn> {
  messages.push(new HumanMessage(question));
  const calls: Turn['calls'] = [];
  for (let round = 0; round < 8; round++) {
    const reply = (await model.invoke(messages)) as AIMessage;
    messages.push(reply);
    const toolCalls = reply.tool_calls ?? [];
    if (toolCalls.length === 0) return { calls, answer: reply.text };
    for (const c of toolCalls) calls.push([c.name, c.args]);
    const local = toolCalls.filter((c) => !RECORDED.has(c.name));
    const results =
      local.length > 0
        ? (
            (await toolNode.invoke({ messages: [new AIMessage({ content: '', tool_calls: local })] })) as {
              messages: ToolMessage[];
            }
          ).messages
        : [];
    for (const c of toolCalls) {
      if (!RECORDED.has(c.name)) {
        messages.push(results.find((r) => r.tool_call_id === c.id)!);
        continue;
      }
      if (!docs) throw new Error(`the test gave no docs answer for ${JSON.stringify(c.args)}`);
      messages.push(
        'error' in docs
          ? new ToolMessage({
              tool_call_id: c.id!,
              name: c.name,
              status: 'error',
              content: `Error: ${docs.error}\n Please fix your mistakes.`,
            })
          : new ToolMessage({
              tool_call_id: c.id!,
              name: c.name,
              content: JSON.stringify({ query: c.args.query, ...docs }),
            }),
      );
    }
  }
  throw new Error(`no answer to ${JSON.stringify(question)} after 8 rounds`);
}
