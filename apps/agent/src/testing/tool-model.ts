import type { Client } from '@langchain/langgraph-sdk';
import { ChatOpenAI } from '@langchain/openai';
import { startFakeOpenAi } from './llm/openai.js';
import type { ChatRequest, FakeLlm, FakeTurn } from './llm/server.js';

/** The user's latest words, as the chat-completions request carries them. */
const lastUserText = (request: ChatRequest): string =>
  [...(request.body.messages ?? [])].reverse().find((m: { role: string }) => m.role === 'user')?.content ??
  '';

/**
 * A hosted model's behaviour, scripted: it answers from a tool result when there is one; asked
 * about the docs it searches them (`docs__search`, when offered), asked for something slow it
 * calls `docs__slow`, asked to multiply it calls the calculator; otherwise it lists its tools.
 */
export function toolScript(request: ChatRequest): FakeTurn {
  if (request.toolResult !== undefined) return { kind: 'text', text: `Tool said: ${request.toolResult}` };
  const text = lastUserText(request);
  if (text.includes('slow') && request.tools.includes('docs__slow'))
    return { kind: 'tool', id: 'call_slow_1', name: 'docs__slow', args: {} };
  if (text.includes('docs') && request.tools.includes('docs__search'))
    return { kind: 'tool', id: 'call_docs_1', name: 'docs__search', args: { query: 'kong' } };
  if (text.includes('multiply'))
    return { kind: 'tool', id: 'call_calc_1', name: 'calculator', args: { expression: '17 * 23' } };
  return { kind: 'text', text: `I have these tools: ${request.tools.join(', ')}.` };
}

/** The real OpenAI client against a fake OpenAI that follows {@link toolScript}. */
export async function startToolModel(): Promise<{ llm: FakeLlm; model: ChatOpenAI }> {
  const llm = await startFakeOpenAi({ key: 'sk-test', script: toolScript });
  const model = new ChatOpenAI({
    model: 'gpt-4.1-mini',
    apiKey: 'sk-test',
    configuration: { baseURL: `${llm.url}/v1` },
    maxRetries: 0,
  });
  return { llm, model };
}

// biome-ignore lint/suspicious/noExplicitAny: LangChain message dicts as the API returns them
type Message = any;

/** One question in a new thread through `runs/wait`: every message, the last tool message, the answer. */
export async function askAgent(client: Client, text: string, extra: Record<string, unknown> = {}) {
  const thread = await client.threads.create();
  const values = (await client.runs.wait(thread.thread_id, 'agent', {
    input: { messages: [{ type: 'human', content: text }] },
    ...extra,
  })) as { messages: Message[] };
  const tools = values.messages.filter((m) => m.type === 'tool');
  return { messages: values.messages, tool: tools.at(-1), answer: values.messages.at(-1)?.content as string };
}

/** `agent_tool_calls_total` for one tool and status, as the agent's `/metrics` shows it. */
export async function toolCallCount(agentUrl: string, tool: string, status: string): Promise<number> {
  const text = await (await fetch(`${agentUrl}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('agent_tool_calls_total{') && l.includes(`tool="${tool}",status="${status}"`));
  return line ? Number(line.split(' ').at(-1)) : Number.NaN;
}
