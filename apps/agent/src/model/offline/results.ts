import type { AIMessage, BaseMessage, ToolMessage } from '@langchain/core/messages';
import { CALCULATOR_TOOL } from '../../tools/calculator.js';
import { isWord, type Token } from './lexer.js';

/**
 * Follow-ups: which earlier result "that", "it", "the result", "the first result" or "the previous
 * one" means. Results are read from the conversation itself (the calculator's answers, and the
 * model's own "… = N." sentences where a turn kept no tool messages), so they survive restarts.
 */

export interface EarlierResult {
  /** The number as the calculator wrote it. */
  value: string;
  /** What was calculated, as the calculator was asked ("17 * 23"). */
  expression: string;
}

/** Which earlier result a phrase means. */
export type Ref =
  /** "that", "it", "the result", "the last result". */
  | { kind: 'latest' }
  /** "the first result" (n = 1), "the 3rd answer"; negative from the end ("the second to last": -2). */
  | { kind: 'nth'; n: number }
  /** "the one before that" (-1), "the next one" (+1): from the one last talked about. */
  | { kind: 'relative'; offset: number };

const NUMERIC = /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i;

const ORDINAL_WORDS = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'eleventh',
  'twelfth',
];

/** "first" for 1, "second" for 2, …, "13th" past the twelfth. */
export function ordinalWord(n: number): string {
  if (n >= 1 && n <= ORDINAL_WORDS.length) return ORDINAL_WORDS[n - 1]!;
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** 1 for "first" or "1st", …; undefined for anything else. */
function ordinalValue(token: Token | undefined): number | undefined {
  if (!token) return undefined;
  if (token.kind === 'num' && token.ordinal) return Number(token.norm);
  if (token.kind !== 'word') return undefined;
  const i = ORDINAL_WORDS.indexOf(token.norm);
  return i >= 0 ? i + 1 : undefined;
}

const DETERMINERS = new Set(['the', 'my', 'your', 'our', 'that', 'this']);
const NOUNS = new Set(['result', 'answer', 'number', 'value', 'total', 'one', 'calculation']);
const LATEST = new Set(['last', 'latest', 'final', 'current', 'recent']);
const PREVIOUS = new Set(['previous', 'prior', 'earlier']);

/**
 * The reference to an earlier result at `tokens[i]`, if one starts there, and the index after it.
 * Bounded look-ahead (at most six tokens), so scanning a message for references stays linear.
 */
export function matchRef(tokens: readonly Token[], i: number): { ref: Ref; next: number } | undefined {
  const t = tokens[i];
  if (t?.kind !== 'word') return undefined;
  let k = i;
  const hasDeterminer = DETERMINERS.has(t.norm);
  if (hasDeterminer) k++;
  let ref: Ref | undefined;
  const modifier = tokens[k];
  const nth = ordinalValue(modifier);
  if (nth !== undefined && !(nth === 2 && isWord(tokens[k + 1], 'last', 'to'))) {
    ref = { kind: 'nth', n: nth };
    k++;
  } else if (isWord(modifier, 'second') && isWord(tokens[k + 1], 'last', 'to')) {
    // "the second last", "the second to last": the one before the latest.
    const to = isWord(tokens[k + 1], 'to') && isWord(tokens[k + 2], 'last');
    if (!to && !isWord(tokens[k + 1], 'last')) return undefined;
    ref = { kind: 'nth', n: -2 };
    k += to ? 3 : 2;
  } else if (isWord(modifier, 'most') && isWord(tokens[k + 1], 'recent')) {
    ref = { kind: 'latest' };
    k += 2;
  } else if (modifier?.kind === 'word' && LATEST.has(modifier.norm)) {
    ref = { kind: 'latest' };
    k++;
  } else if (modifier?.kind === 'word' && PREVIOUS.has(modifier.norm)) {
    // "the previous result": the one before the latest ("the one before that" counts from the last named).
    ref = { kind: 'nth', n: -2 };
    k++;
  } else if (isWord(modifier, 'next')) {
    ref = { kind: 'relative', offset: 1 };
    k++;
  }
  const noun = tokens[k];
  const hasNoun =
    noun?.kind === 'word' && NOUNS.has(noun.norm) && (noun.norm !== 'one' || hasDeterminer || !!ref);
  if (hasNoun) k++;
  if (!hasNoun) {
    // "that", "it" and "this" on their own: the latest result.
    if (!ref && (t.norm === 'that' || t.norm === 'this')) return { ref: { kind: 'latest' }, next: i + 1 };
    if (isWord(t, 'it')) return { ref: { kind: 'latest' }, next: i + 1 };
    return undefined;
  }
  if (!hasDeterminer && !ref && noun.norm !== 'result' && noun.norm !== 'answer') return undefined;
  ref ??= { kind: 'latest' };
  if (isWord(tokens[k], 'before') && isWord(tokens[k + 1], 'that', 'last', 'it')) {
    ref = { kind: 'relative', offset: -1 };
    k += 2;
  }
  return { ref, next: k };
}

/** The result `ref` names among `results`, counting relative references from `from` (default the latest). */
export function resolveRef(
  ref: Ref,
  results: readonly EarlierResult[],
  from = results.length - 1,
): { result: EarlierResult; index: number } | undefined {
  const index =
    ref.kind === 'latest'
      ? results.length - 1
      : ref.kind === 'nth'
        ? ref.n > 0
          ? ref.n - 1
          : results.length + ref.n
        : from + ref.offset;
  const result = results[index];
  return result ? { result, index } : undefined;
}

const isTool = (m: BaseMessage): m is ToolMessage => m.getType() === 'tool';
const isAi = (m: BaseMessage): m is AIMessage => m.getType() === 'ai';

/** "<expression> = <number>" sentences of an answer, as this model writes them. */
function resultsInAnswer(text: string): EarlierResult[] {
  const found: EarlierResult[] = [];
  for (const line of text.split('\n'))
    for (const raw of line.split('. ')) {
      let sentence = raw.trim();
      if (sentence.endsWith('.')) sentence = sentence.slice(0, -1);
      if (sentence.startsWith('Then ')) sentence = sentence.slice(5);
      const at = sentence.lastIndexOf(' = ');
      if (at <= 0 || at > 200) continue;
      const value = sentence.slice(at + 3).trim();
      if (NUMERIC.test(value)) found.push({ value, expression: sentence.slice(0, at) });
    }
  return found;
}

/**
 * Every result of the conversation before `end`, oldest first: each successful calculator answer
 * with the expression it was asked; for a turn that kept no tool messages (a client that sends
 * only the visible messages), the "… = N" sentences of the model's answer instead.
 */
export function conversationResults(messages: readonly BaseMessage[], end: number): EarlierResult[] {
  const results: EarlierResult[] = [];
  const expressions = new Map<string, string>();
  let turnHasTools = false;
  for (let i = 0; i < end; i++) {
    const m = messages[i]!;
    if (m.getType() === 'human') turnHasTools = false;
    else if (isAi(m) && m.tool_calls?.length) {
      for (const call of m.tool_calls)
        if (call.id && call.name === CALCULATOR_TOOL)
          expressions.set(call.id, String(call.args.expression ?? ''));
    } else if (isTool(m)) {
      turnHasTools = true;
      const value = m.text.trim();
      if (m.name === CALCULATOR_TOOL && m.status !== 'error' && NUMERIC.test(value))
        results.push({ value, expression: expressions.get(m.tool_call_id) ?? value });
    } else if (isAi(m) && !turnHasTools) results.push(...resultsInAnswer(m.text));
  }
  return results;
}

/** Index of the result the model's latest answer before `end` talked about ("The first result was …"). */
export function recalledIndex(messages: readonly BaseMessage[], end: number): number | undefined {
  for (let i = end - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (!isAi(m) || m.tool_calls?.length) continue;
    const match = /^The (\w+) result was /.exec(m.text);
    if (!match) return undefined;
    const word = match[1]!;
    const n = ORDINAL_WORDS.indexOf(word) + 1 || Number.parseInt(word, 10);
    return Number.isFinite(n) && n > 0 ? n - 1 : undefined;
  }
  return undefined;
}

/** A result as an operand: negative numbers in parentheses, so "-5 squared" is "(-5) ^ 2". */
export function asOperand(value: string): string {
  return value.startsWith('-') ? `(${value})` : value;
}
