import { isTimeZone } from '../tools/clock.js';

/**
 * Reading intent out of a user's sentence, deterministically. The offline model uses these to
 * decide which tool to call; nothing here computes an answer itself.
 */

const FUNCTION_NAMES = 'sqrt|abs|round|floor|ceil|ln|log';

/** Spelled-out operators to symbols, so "17 times 23" and "17 * 23" read the same. */
function symbolize(text: string): string {
  return text
    .replace(/\bsquare\s+root\s+of\s+(-?\d+(?:\.\d+)?)/gi, 'sqrt($1)')
    .replace(/\b(\d+(?:\.\d+)?)\s*(?:%|percent)\s+of\s+(\d+(?:\.\d+)?)/gi, '($1 / 100 * $2)')
    .replace(/\bmultiplied\s+by\b|\btimes\b/gi, ' * ')
    .replace(/\bdivided\s+by\b/gi, ' / ')
    .replace(/\bplus\b|\badded\s+to\b/gi, ' + ')
    .replace(/\bminus\b/gi, ' - ')
    .replace(/\b(?:to\s+the\s+power\s+of|raised\s+to(?:\s+the\s+power\s+of)?)\b/gi, ' ^ ')
    .replace(/\bmod(?:ulo)?\b/gi, ' % ')
    .replace(/\bsquared\b/gi, ' ^ 2')
    .replace(/\bcubed\b/gi, ' ^ 3')
    .replace(/(\d)\s*[x×]\s*(?=\d)/g, '$1 * ')
    .replace(/÷/g, ' / ')
    .replace(/−/g, '-');
}

const CANDIDATE = new RegExp(`(?:\\b(?:${FUNCTION_NAMES}|pi)\\b|[\\d.\\s+\\-*/%^()])+`, 'gi');
const HAS_OPERATION = new RegExp(`[\\d)]\\s*[+\\-*/%^]\\s*[\\d(.a-z+-]|\\b(?:${FUNCTION_NAMES})\\s*\\(`, 'i');
/** 2026-11-28 or 28/11/2026: a date, not a subtraction or division (11-28 stays arithmetic). */
const DATE = /^\d{1,4}[-/]\d{1,2}[-/]\d{1,4}$/;

/** Starts with an operation and no first operand: a follow-up on the previous result. */
const FOLLOW_UP =
  /^\s*(?:(?:and|then|now|and\s+then)\s+)?(?:plus|minus|times|multiplied|divided|to\s+the\s+power|raised|squared|cubed|mod|[*/%^×÷])/i;

const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);

/**
 * Drops what cannot belong at either end: stray dots, dangling operators, unmatched parentheses.
 * One pass from both ends with running parenthesis counts: a message is up to 8000 characters,
 * and recounting (or re-slicing) the rest after every dropped character made that quadratic.
 */
function tidy(candidate: string): string {
  let start = 0;
  let end = candidate.length;
  let open = 0;
  let close = 0;
  for (let i = start; i < end; i++) {
    if (candidate[i] === '(') open++;
    else if (candidate[i] === ')') close++;
  }
  const drop = (ch: string) => {
    if (ch === '(') open--;
    else if (ch === ')') close--;
  };
  while (start < end && isSpace(candidate[start])) start++;
  while (end > start && isSpace(candidate[end - 1])) end--;
  while (start < end) {
    const last = candidate[end - 1]!;
    const first = candidate[start]!;
    if ('.+-*/%^('.includes(last) || isSpace(last) || (last === ')' && close > open)) {
      drop(last);
      end--;
      while (end > start && isSpace(candidate[end - 1])) end--;
    } else if ('.*/%^)'.includes(first) || isSpace(first) || (first === '(' && open > close)) {
      drop(first);
      start++;
      while (start < end && isSpace(candidate[start])) start++;
    } else break;
  }
  return candidate.slice(start, end);
}

/**
 * The arithmetic expression in `text`, if it asks for one. A follow-up that starts with an operator
 * ("and times 2?") is applied to `previousResult` when there is one.
 */
export function findExpression(text: string, previousResult?: string): string | undefined {
  let symbolic = symbolize(text);
  if (previousResult !== undefined && FOLLOW_UP.test(text))
    symbolic = `${previousResult.startsWith('-') ? `(${previousResult})` : previousResult} ${symbolic.replace(/^\s*(?:and\s+then|and|then|now)\s+/i, '')}`;
  let best: string | undefined;
  for (const match of symbolic.matchAll(CANDIDATE)) {
    const candidate = tidy(match[0]);
    if (!/\d|\bpi\b/i.test(candidate) || !HAS_OPERATION.test(candidate) || DATE.test(candidate)) continue;
    if (!best || candidate.length > best.length) best = candidate;
  }
  return best?.replace(/\s+/g, ' ');
}

const TIME_QUESTION =
  /\b(?:what\s+time|time\s+is\s+it|current\s+(?:time|date)|time\s+now|local\s+time|what(?:'s|\s+is)\s+(?:the\s+|today'?s\s+)?(?:time|date|day)|today'?s\s+date|what\s+day\s+is|date\s+today|which\s+day\s+is|what\s+date)\b/i;

/** True when the user asks for the current time or date. */
export function asksForTime(text: string): boolean {
  return TIME_QUESTION.test(text);
}

/** True when the user asks for the date rather than the time of day. */
export function asksForDate(text: string): boolean {
  return /\b(?:date|day|today)\b/i.test(text) && !/\btime\b/i.test(text);
}

/**
 * "Area/Location" or "Area/Location/Sub", words joined by `_` or `-`. A name starts only where a
 * run of such characters starts: a match tried at every dash of "ab-ab-ab-…" would rescan the rest
 * of the run from each one (quadratic in the message).
 */
const IANA_NAME =
  /(?<![A-Za-z_-])\b([A-Za-z]+(?:[_-][A-Za-z]+)*\/[A-Za-z]+(?:[_-][A-Za-z]+)*(?:\/[A-Za-z_]+)?)\b/;

let zoneIndex: Map<string, string> | undefined;

/** Last path segment of every zone this runtime knows ("new_york" → "America/New_York"). */
function zonesByCity(): Map<string, string> {
  if (!zoneIndex) {
    zoneIndex = new Map();
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      const city = zone.split('/').pop()!.toLowerCase();
      if (!zoneIndex.has(city)) zoneIndex.set(city, zone);
    }
  }
  return zoneIndex;
}

/**
 * The time zone a question names: an IANA name as written ("Europe/Paris", passed on even when
 * unknown so the clock can say so), UTC/GMT, or a city that is itself a zone ("in Tokyo").
 */
export function findTimeZone(text: string): string | undefined {
  const iana = IANA_NAME.exec(text);
  if (iana) {
    const name = iana[1]!;
    return isTimeZone(name)
      ? new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone
      : name;
  }
  if (/\b(?:UTC|GMT|Zulu)\b/i.test(text)) return 'UTC';
  const place = /\bin\s+([A-Za-z][A-Za-z' -]{1,40})/i.exec(text);
  if (place) {
    const words = place[1]!.trim().split(/\s+/);
    for (let n = Math.min(words.length, 4); n > 0; n--) {
      const zone = zonesByCity().get(words.slice(0, n).join('_').toLowerCase());
      if (zone) return zone;
    }
  }
  return undefined;
}

/**
 * Punctuation and an optional "there" after the greeting word. The punctuation on either side of
 * "there" is one run when "there" is absent, so it is matched once: two adjacent runs of the same
 * characters would be split every possible way before a trailing word fails the match.
 */
const GREETING =
  /^\s*(?:hi|hello|hey|good\s+(?:morning|afternoon|evening)|greetings)\b[\s!.,]*(?:there[\s!.,]*)?$/i;

/** A greeting with nothing else asked. */
export function isGreeting(text: string): boolean {
  return GREETING.test(text);
}
