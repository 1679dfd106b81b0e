import { longDate, plainDate } from './calendar.js';
import type { DateRequest } from './dates.js';
import { type EarlierResult, ordinalWord } from './results.js';

/**
 * How the offline model says things: results stated plainly ("144 + 6 = 150.", "In 3 days it will
 * be Saturday, December 5, 2026."), tool errors explained, and an honest account of what it is.
 */

/** What a tool call came back with: its text, and whether the tool failed. */
export interface Outcome {
  ok: boolean;
  text: string;
}

const TOOL_ERROR_PREFIX = /^Error:\s*/;
const TOOL_ERROR_SUFFIX = 'Please fix your mistakes';

/**
 * The error text the tool node wraps around a thrown tool error, without the wrapping. The suffix
 * is cut by position: a regex search for "spaces, then the suffix, at the end" retries from every
 * space of a long run of them.
 */
export function toolError(content: string): string {
  let text = content.replace(TOOL_ERROR_PREFIX, '').trimEnd();
  if (text.endsWith('.')) text = text.slice(0, -1);
  if (text.endsWith(TOOL_ERROR_SUFFIX)) return text.slice(0, -TOOL_ERROR_SUFFIX.length).trim();
  return content.replace(TOOL_ERROR_PREFIX, '').trim().replace(/\.$/, '');
}

const capitalized = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** "17 * 23 = 391.", or why it could not be calculated. */
export function calculationSentence(
  outcome: Outcome,
  expression: string,
  label: string | undefined,
  then: boolean,
  unit = '',
): string {
  if (!outcome.ok) return `I could not calculate ${expression}: ${toolError(outcome.text)}.`;
  const named = label ? capitalized(label) : expression;
  return `${then ? 'Then ' : ''}${named} = ${outcome.text.trim()}${unit}.`;
}

/** The clock's JSON answer, or undefined when it is not an object. */
export function clockResult(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** "3 days", "1 week". */
const count = (n: number, unit: string) => `${n} ${unit}${Math.abs(n) === 1 ? '' : 's'}`;

/** "There are 358 days between Thursday, January 1, 2026 and Friday, December 25, 2026." */
export function betweenSentence(first: Outcome, second: Outcome): string {
  if (!second.ok) return `I could not work that out with the clock: ${toolError(second.text)}.`;
  const a = clockResult(first.text);
  const b = clockResult(second.text);
  if (!a || !b || typeof a.days !== 'number' || typeof b.days !== 'number' || !str(a.date) || !str(b.date))
    return `The clock answered something I cannot read: ${second.text.slice(0, 200)}`;
  const name = (r: Record<string, unknown>) => longDate(str(r.date)!, str(r.weekday));
  const [early, late] = b.days >= a.days ? [a, b] : [b, a];
  const days = Math.abs(b.days - a.days);
  if (days === 0) return `Those are the same day, ${name(a)}.`;
  return `There ${days === 1 ? 'is' : 'are'} ${count(days, 'day')} between ${name(early)} and ${name(late)}.`;
}

/** "23 days (3 weeks and 2 days)". */
function daysAndWeeks(days: number): string {
  const weeks = Math.floor(days / 7);
  const rest = days % 7;
  if (weeks === 0) return count(days, 'day');
  return `${count(days, 'day')} (${count(weeks, 'week')}${rest ? ` and ${count(rest, 'day')}` : ''})`;
}

/** The sentence for a clock answer to `request`. */
export function clockSentence(request: DateRequest, outcome: Outcome, targetName?: string): string {
  if (!outcome.ok) return `I could not work that out with the clock: ${toolError(outcome.text)}.`;
  const r = clockResult(outcome.text);
  if (!r) return `The clock answered something I cannot read: ${outcome.text.slice(0, 200)}`;
  const date = str(r.date);
  const when = date ? longDate(date, str(r.weekday)) : undefined;
  switch (request.kind) {
    case 'now': {
      const zone = str(r.timezone) ?? 'UTC';
      const human = str(r.human) ?? '';
      if (request.asks === 'date') return `Today is ${when ?? human.split(' at ')[0]} (${zone}).`;
      return `The current time in ${zone} is ${human} (${str(r.iso) ?? ''}).`;
    }
    case 'offset': {
      if (!when) break;
      const s = request.said;
      if (s === 'tomorrow') return `Tomorrow is ${when}.`;
      if (s === 'yesterday') return `Yesterday was ${when}.`;
      if (s === 'day after tomorrow') return `The day after tomorrow is ${when}.`;
      if (s === 'day before yesterday') return `The day before yesterday was ${when}.`;
      const span = count(s.amount, s.unit);
      if (request.base) {
        const from = str(r.from);
        const base = targetName ?? (from ? plainDate(from) : 'that date');
        return `${capitalized(span)} ${request.days < 0 ? 'before' : 'after'} ${base} is ${when}.`;
      }
      return request.days < 0 ? `${capitalized(span)} ago it was ${when}.` : `In ${span} it will be ${when}.`;
    }
    case 'until': {
      const days = typeof r.days === 'number' ? r.days : undefined;
      if (!when || days === undefined) break;
      const named = targetName ? `${targetName} (${when})` : when;
      if (days === 0) return `${capitalized(named)} is today.`;
      if (days < 0) return `${capitalized(named)} was ${count(-days, 'day')} ago.`;
      const span = request.inWeeks ? daysAndWeeks(days) : count(days, 'day');
      return `There ${days === 1 ? 'is' : 'are'} ${span} until ${named}.`;
    }
    case 'weekday': {
      const weekday = str(r.weekday);
      if (!date || !weekday) break;
      const day = targetName ? `${targetName} (${plainDate(date)})` : plainDate(date);
      return `${capitalized(day)} ${request.past ? 'was' : 'is'} a ${weekday}.`;
    }
    default:
      break;
  }
  return `The clock answered: ${outcome.text.slice(0, 300)}`;
}

interface Hit {
  source: string;
  title: string;
  snippet: string;
}

const MAX_HITS_QUOTED = 3;
const MAX_SNIPPET = 240;

function hitsOf(text: string): Hit[] | undefined {
  const r = clockResult(text);
  if (!r || !Array.isArray(r.hits)) return undefined;
  return r.hits.flatMap((h: unknown) => {
    const o = h as Record<string, unknown> | null;
    if (!o || typeof o !== 'object') return [];
    return [{ source: str(o.source) ?? '?', title: str(o.title) ?? '', snippet: str(o.snippet) ?? '' }];
  });
}

const oneLine = (s: string, max: number) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
};

/** The top hits of a docs search, compactly, or that nothing was found. */
export function docsSentence(query: string, outcome: Outcome, guessed: boolean, suggestion: string): string {
  if (!outcome.ok) return `I could not search the docs: ${toolError(outcome.text)}.`;
  const hits = hitsOf(outcome.text);
  if (!hits) return 'The docs search answered in a form I cannot read.';
  if (hits.length === 0)
    return `I found nothing in the docs about “${query}”.${guessed ? ` ${suggestion}` : ''}`;
  const lines = hits
    .slice(0, MAX_HITS_QUOTED)
    .map((h) => `- ${oneLine(h.title || h.source, 80)} (${h.source}): ${oneLine(h.snippet, MAX_SNIPPET)}`);
  return `From the docs on “${query}”:\n${lines.join('\n')}`;
}

/** The top web results, compactly, or that nothing was found. */
export function webSentence(query: string, outcome: Outcome): string {
  if (!outcome.ok) return `I could not search the web: ${toolError(outcome.text)}.`;
  const r = clockResult(outcome.text);
  if (!r || !Array.isArray(r.results)) return 'The web search answered in a form I cannot read.';
  const results = r.results.flatMap((x: unknown) => {
    const o = x as Record<string, unknown> | null;
    return o && typeof o === 'object'
      ? [{ title: str(o.title) ?? '', url: str(o.url) ?? '?', content: str(o.content) ?? '' }]
      : [];
  });
  if (results.length === 0) return `I found nothing on the web about “${query}”.`;
  const lines = results
    .slice(0, MAX_HITS_QUOTED)
    .map((h) => `- ${oneLine(h.title || h.url, 80)} (${h.url}): ${oneLine(h.content, MAX_SNIPPET)}`);
  return `From the web on “${query}”:\n${lines.join('\n')}`;
}

/** "The first result was 391 (17 * 23)." */
export function recallSentence(result: EarlierResult, index: number): string {
  const how = result.expression && result.expression !== result.value ? ` (${result.expression})` : '';
  return `The ${ordinalWord(index + 1)} result was ${result.value}${how}.`;
}

export function allResultsSentence(results: readonly EarlierResult[]): string {
  if (results.length === 0) return 'There are no results in this conversation yet.';
  const shown = results
    .slice(-12)
    .map((r) => (r.expression !== r.value ? `${r.value} (${r.expression})` : r.value));
  const more = results.length > shown.length ? ` (the last ${shown.length} of ${results.length})` : '';
  return `The results so far${more}: ${shown.join(', ')}.`;
}

/** Tools the model can use, in words, for the capability sentences. */
export function capabilities(
  tools: ReadonlySet<string>,
  names: { calculator: string; clock: string; docs: string; web: string },
): string {
  const can: string[] = [];
  if (tools.has(names.calculator))
    can.push('do arithmetic (for example "add 6 to 144" or "what is 15% of 80")');
  if (tools.has(names.clock)) can.push('answer date and time questions ("what day is it in 3 days?")');
  if (tools.has(names.docs)) can.push('search the docs ("what do the docs say about rate limits?")');
  if (tools.has(names.web)) can.push('search the web ("search the web for LangGraph")');
  if (can.length === 0)
    return 'No tools are available to me right now, so I cannot calculate, tell the time or search the docs.';
  const list = can.length === 1 ? can[0]! : `${can.slice(0, -1).join(', ')} and ${can.at(-1)}`;
  return `I can ${list}.`;
}

export const CONFIGURE =
  'For open-ended questions set LLM_MODEL, e.g. LLM_MODEL=openai:gpt-4.1-mini with OPENAI_API_KEY (see the README).';

export const IDENTITY = 'I’m the embedded offline model';
