import type { AIMessage, BaseMessage, ToolMessage } from '@langchain/core/messages';
import { CALCULATOR_TOOL } from '../tools/calculator.js';
import { CLOCK_TOOL, type ClockReading } from '../tools/clock.js';
import { asksForDate, asksForTime, findExpression, findTimeZone, isGreeting } from './intents.js';

export type Decision =
  | { kind: 'tools'; calls: Array<{ name: string; args: Record<string, unknown> }> }
  | { kind: 'answer'; text: string };

const CAPABILITIES =
  'I can do arithmetic with my calculator tool (for example "What is 17 * 23?" or "(2+3)^2") and tell ' +
  'the current date and time with my clock tool (for example "What time is it in Europe/Paris?").';
const CONFIGURE =
  'To talk with a full language model, the operator sets LLM_PROVIDER (and that provider’s API key) ' +
  'in the agent’s configuration.';

const isHuman = (m: BaseMessage) => m.getType() === 'human';
const isTool = (m: BaseMessage): m is ToolMessage => m.getType() === 'tool';
const isAi = (m: BaseMessage): m is AIMessage => m.getType() === 'ai';

const TOOL_ERROR_PREFIX = /^Error:\s*/;
const TOOL_ERROR_SUFFIX = 'Please fix your mistakes';

/**
 * The error text the tool node wraps around a thrown tool error, without the wrapping. The suffix
 * is cut by position: a regex search for "spaces, then the suffix, at the end" retries from every
 * space of a long run of them.
 */
function toolError(content: string): string {
  let text = content.replace(TOOL_ERROR_PREFIX, '').trimEnd();
  if (text.endsWith('.')) text = text.slice(0, -1);
  if (text.endsWith(TOOL_ERROR_SUFFIX)) return text.slice(0, -TOOL_ERROR_SUFFIX.length).trim();
  return content.replace(TOOL_ERROR_PREFIX, '').trim();
}

/** The most recent successful calculator result before `end`, for follow-ups such as "and times 2?". */
function previousResult(messages: readonly BaseMessage[], end: number): string | undefined {
  for (let i = end - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (isTool(m) && m.name === CALCULATOR_TOOL && m.status !== 'error') {
      const value = m.text.trim();
      if (/^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(value)) return value;
    }
  }
  return undefined;
}

function describeResult(result: ToolMessage, args: Record<string, unknown>, question: string): string {
  const failed = result.status === 'error';
  if (result.name === CALCULATOR_TOOL) {
    const expression = String(args.expression ?? '');
    return failed
      ? `I could not calculate ${expression}: ${toolError(result.text)}.`
      : `${expression} = ${result.text.trim()}.`;
  }
  if (result.name === CLOCK_TOOL) {
    if (failed) return `I could not read the clock: ${toolError(result.text)}.`;
    const reading = JSON.parse(result.text) as ClockReading;
    const where = reading.timezone === 'UTC' ? 'UTC' : reading.timezone;
    return asksForDate(question)
      ? `Today’s date in ${where} is ${reading.human.split(' at ')[0]} (${reading.iso}).`
      : `The current time in ${where} is ${reading.human} (${reading.iso}).`;
  }
  return failed
    ? `The ${result.name ?? 'tool'} tool failed: ${toolError(result.text)}.`
    : `The ${result.name ?? 'tool'} tool returned: ${result.text}.`;
}

/** Sentences built from this turn's tool results, in the order the tools were called. */
function answerFromResults(turn: readonly BaseMessage[], question: string): string {
  const argsById = new Map<string, Record<string, unknown>>();
  for (const m of turn)
    if (isAi(m)) for (const call of m.tool_calls ?? []) if (call.id) argsById.set(call.id, call.args);
  const sentences = turn
    .filter(isTool)
    .map((r) => describeResult(r, argsById.get(r.tool_call_id) ?? {}, question));
  return sentences.join(' ');
}

/**
 * What the offline model does next, from the conversation alone. Tool results that arrived after
 * the latest user message are turned into the answer; otherwise the latest user message decides
 * which tools to call; anything else gets an honest account of what this model can do.
 */
export function decide(messages: readonly BaseMessage[], tools: ReadonlySet<string>): Decision {
  let last = -1;
  for (let i = messages.length - 1; i >= 0; i--)
    if (isHuman(messages[i]!)) {
      last = i;
      break;
    }
  if (last < 0) return { kind: 'answer', text: `I have not been asked anything yet. ${CAPABILITIES}` };
  const question = messages[last]!.text;
  const turn = messages.slice(last + 1);
  if (turn.some(isTool)) return { kind: 'answer', text: answerFromResults(turn, question) };

  const calls: Array<{ name: string; args: Record<string, unknown> }> = [];
  const missing: string[] = [];
  if (asksForTime(question)) {
    const timezone = findTimeZone(question);
    if (tools.has(CLOCK_TOOL)) calls.push({ name: CLOCK_TOOL, args: timezone ? { timezone } : {} });
    else missing.push(CLOCK_TOOL);
  }
  const expression = findExpression(question, previousResult(messages, last));
  if (expression) {
    if (tools.has(CALCULATOR_TOOL)) calls.push({ name: CALCULATOR_TOOL, args: { expression } });
    else missing.push(CALCULATOR_TOOL);
  }
  if (calls.length > 0) return { kind: 'tools', calls };
  if (missing.length > 0)
    return {
      kind: 'answer',
      text: `I would need the ${missing.join(' and ')} tool to answer that, and it is not available to me right now.`,
    };
  if (isGreeting(question))
    return {
      kind: 'answer',
      text: `Hello! I am the agent’s built-in offline model. ${CAPABILITIES} ${CONFIGURE}`,
    };
  return {
    kind: 'answer',
    text:
      'I am the agent’s built-in offline model, so I cannot hold a general conversation or answer that ' +
      `kind of question. ${CAPABILITIES} ${CONFIGURE}`,
  };
}
