import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import {
  type AIMessage,
  AIMessage as AIMessageClass,
  type BaseMessage,
  ToolMessage,
} from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import type { BaseCheckpointSaver, LangGraphRunnableConfig } from '@langchain/langgraph';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import { inSpan } from '@mcp-langgraph/observability';
import { fitContext } from './context.js';

export interface TokenUsage {
  input: number;
  output: number;
}

export interface AgentGraphOptions {
  /** The model, with its retries and fallbacks already inside (`createAgentModel`). */
  model: BaseChatModel;
  /** Instructions sent ahead of the conversation on every model call (never stored in the thread). */
  systemPrompt?: string;
  tools: StructuredToolInterface[];
  checkpointer: BaseCheckpointSaver;
  /** Most model calls one run may make before the agent stops and says so. */
  maxIterations: number;
  /**
   * Tokens of conversation the model may be sent (its context window less room for its answer);
   * older turns beyond it are left out. Unbounded when unset.
   */
  contextTokens?: number;
  /** Called after every model call with the tokens it reported. */
  onUsage?: (usage: TokenUsage) => void;
}

const isAi = (m: BaseMessage | undefined): m is AIMessage => m?.getType() === 'ai';

/** Model calls since the latest user message: the iteration count of the current run. */
export function iterationsThisRun(messages: readonly BaseMessage[]): number {
  let n = 0;
  for (let i = messages.length - 1; i >= 0 && messages[i]!.getType() !== 'human'; i--)
    if (isAi(messages[i])) n++;
  return n;
}

/** LangGraph counts every node execution as a step: agent + tools per iteration, plus respond. */
export function recursionLimitFor(maxIterations: number): number {
  return maxIterations * 2 + 4;
}

/**
 * The model's view of the history with every unanswered tool call answered as interrupted. A run
 * that timed out or failed between a tool call and its result leaves such a call in the
 * checkpoint; providers reject histories like that, so the next run repairs them on the way in.
 */
export function withAnsweredToolCalls(messages: readonly BaseMessage[]): BaseMessage[] {
  const answered = new Set<string>();
  for (const m of messages) if (m.getType() === 'tool') answered.add((m as ToolMessage).tool_call_id);
  const out: BaseMessage[] = [];
  messages.forEach((m, i) => {
    out.push(m);
    if (!isAi(m) || !m.tool_calls?.length || i === messages.length - 1) return;
    for (const call of m.tool_calls)
      if (!answered.has(call.id ?? ''))
        out.push(
          new ToolMessage({
            tool_call_id: call.id ?? '',
            name: call.name,
            status: 'error',
            content: 'Not executed: the run was interrupted before this tool ran.',
          }),
        );
  });
  return out;
}

/** What every provider is told about its role; the offline model reads only the conversation. */
export const SYSTEM_PROMPT =
  'You are the assistant of an AI agent service. Answer concisely and truthfully. Use the calculator tool ' +
  'for any arithmetic instead of calculating yourself, and the clock tool for the current date or time; ' +
  'state results exactly as the tools return them. If a tool answers that you may not use it, tell the user so ' +
  'instead of trying again. If you cannot answer, say so plainly.';

/** What the model is told of the tools beyond the calculator and the clock, when it has them. */
const TOOL_HINTS: Readonly<Record<string, string>> = {
  knowledge_search:
    "Use knowledge_search for questions about this platform or the operator's documents, and name the source file of what you quote.",
  web_search: 'Use web_search for current events or facts you are unsure of, and cite the pages you use.',
};

/** {@link SYSTEM_PROMPT} with a line for each further tool the model is given, in the order given. */
export function systemPromptFor(toolNames: readonly string[]): string {
  const hints = toolNames.map((n) => TOOL_HINTS[n]).filter((h): h is string => !!h);
  const others = toolNames.filter((n) => !TOOL_HINTS[n] && n !== 'calculator' && n !== 'clock');
  if (others.length > 0)
    hints.push(`Other tools you may use when they fit the request: ${others.join(', ')}.`);
  return [SYSTEM_PROMPT, ...hints].join(' ');
}

export function exhaustedMessage(maxIterations: number): string {
  return (
    `I stopped after ${maxIterations} model ${maxIterations === 1 ? 'step' : 'steps'} without reaching a final ` +
    'answer, which is the limit for one request. Please ask again, perhaps in smaller parts.'
  );
}

const nodeSpan = (node: string) => ({ attributes: { 'langgraph.node': node } });

/** A graph node in a span of its own (`node <name>`), so what it calls nests under it in a trace. */
function traced<S, R>(node: string, fn: (state: S) => R | Promise<R>): (state: S) => Promise<R> {
  return (state) => inSpan(`node ${node}`, nodeSpan(node), async () => fn(state));
}

/** LangGraph's tool node in a span; each tool call gets its own inside it (`tools/authorize.ts`). */
class TracedToolNode extends ToolNode {
  protected override run(input: unknown, config: LangGraphRunnableConfig) {
    return inSpan('node tools', nodeSpan('tools'), () => super.run(input, config));
  }
}

/**
 * The agent: `agent` (the model with tools bound) loops through `tools` while it asks for tools
 * and budget remains, then `respond` ends the run. The iteration budget is counted from the
 * conversation itself (model calls since the latest user message), so it survives restarts and
 * needs no extra state. When the budget runs out with tool calls still pending, `respond` answers
 * those calls as not executed (keeping the history valid for any provider) and says so honestly.
 */
export function createAgentGraph(options: AgentGraphOptions) {
  const { tools, maxIterations } = options;
  if (!options.model.bindTools)
    throw new Error(`the chat model "${options.model._llmType()}" does not support tool calling`);
  const bound = options.model.bindTools(tools);
  const budget = options.contextTokens ?? Number.POSITIVE_INFINITY;

  async function agent(state: typeof MessagesAnnotation.State) {
    const sent = fitContext(options.systemPrompt, withAnsweredToolCalls(state.messages), budget);
    // One span per model call: its token counts and how many tools it asked for, never the text.
    const response = await inSpan(
      'chat',
      { attributes: { 'gen_ai.operation.name': 'chat' } },
      async (span) => {
        const answer = (await bound.invoke(sent)) as AIMessage;
        span.setAttributes({ 'gen_ai.response.tool_calls': answer.tool_calls?.length ?? 0 });
        const usage = answer.usage_metadata;
        if (usage)
          span.setAttributes({
            'gen_ai.usage.input_tokens': usage.input_tokens,
            'gen_ai.usage.output_tokens': usage.output_tokens,
          });
        return answer;
      },
    );
    const usage = response.usage_metadata;
    if (usage) options.onUsage?.({ input: usage.input_tokens, output: usage.output_tokens });
    return { messages: [response] };
  }

  function route(state: typeof MessagesAnnotation.State): 'tools' | 'respond' {
    const last = state.messages.at(-1);
    if (!isAi(last) || !last.tool_calls?.length) return 'respond';
    return iterationsThisRun(state.messages) < maxIterations ? 'tools' : 'respond';
  }

  function respond(state: typeof MessagesAnnotation.State) {
    const last = state.messages.at(-1);
    if (!isAi(last) || !last.tool_calls?.length) return {};
    const skipped = last.tool_calls.map(
      (call) =>
        new ToolMessage({
          tool_call_id: call.id ?? '',
          name: call.name,
          status: 'error',
          content: 'Not executed: the step limit for this request was reached.',
        }),
    );
    return { messages: [...skipped, new AIMessageClass(exhaustedMessage(maxIterations))] };
  }

  return new StateGraph(MessagesAnnotation)
    .addNode('agent', traced('agent', agent))
    .addNode('tools', new TracedToolNode(tools))
    .addNode('respond', traced('respond', respond))
    .addEdge(START, 'agent')
    .addConditionalEdges('agent', route, ['tools', 'respond'])
    .addEdge('tools', 'agent')
    .addEdge('respond', END)
    .compile({ checkpointer: options.checkpointer });
}

export type AgentGraph = ReturnType<typeof createAgentGraph>;
