import type { Clause } from './clauses.js';
import { isSym, isWord, type Token } from './lexer.js';

/**
 * Questions for the documentation: asked outright ("what do the docs say about rate limits",
 * "search the docs for OpenFGA") or guessed from the question's form ("how do I share a
 * conversation", "what is OpenFGA"). The topic is what the search looks for.
 */

export interface DocsRequest {
  query: string;
  /** Guessed from the question's form rather than asked of the docs outright. */
  guessed: boolean;
}

/** The tool accepts 500 characters. */
const MAX_QUERY = 500;

const DOC_WORDS = new Set([
  'docs',
  'doc',
  'documentation',
  'documents',
  'manual',
  'readme',
  'handbook',
  'guide',
  'guides',
]);
const TOPIC_MARKERS = new Set(['about', 'regarding', 'concerning', 'for', 'on']);
/** Words around a topic that are not part of it. */
const FRAME = new Set([
  'what',
  "what's",
  'whats',
  'do',
  'does',
  'did',
  'the',
  'say',
  'says',
  'said',
  'search',
  'find',
  'look',
  'up',
  'check',
  'in',
  'from',
  'please',
  'tell',
  'me',
  'us',
  'can',
  'could',
  'you',
  'and',
  'so',
  'now',
  'anything',
  'something',
  'is',
  'there',
  'mention',
  'mentions',
  'our',
  'your',
  'of',
  'a',
  'an',
]);
/** Question openings that ask how something is done or what something is. */
const HOW = new Set(['do', 'does', 'can', 'should', 'would', 'to', 'is', 'are', 'will', 'did']);
const PEOPLE = new Set(['i', 'we', 'you', 'one', 'they', 'users', 'a', 'an', 'the', 'my', 'our']);

/** The text of tokens [from, to), without frame words at its ends and without a closing mark. */
function topic(
  tokens: readonly Token[],
  text: string,
  from: number,
  to: number,
  frame: ReadonlySet<string>,
): string {
  let a = from;
  let b = to;
  while (
    a < b &&
    (frame.has(tokens[a]!.norm) ||
      TOPIC_MARKERS.has(tokens[a]!.norm) ||
      DOC_WORDS.has(tokens[a]!.norm) ||
      tokens[a]!.kind === 'sym')
  )
    a++;
  while (
    b > a &&
    (frame.has(tokens[b - 1]!.norm) || DOC_WORDS.has(tokens[b - 1]!.norm) || tokens[b - 1]!.kind === 'sym')
  )
    b--;
  if (a >= b) return '';
  const words = text.slice(tokens[a]!.start - tokens[0]!.start, tokens[b - 1]!.end - tokens[0]!.start);
  return words.replace(/\s+/g, ' ').slice(0, MAX_QUERY).trim();
}

/** Index of the first doc word, or -1. */
function docWordAt(tokens: readonly Token[]): number {
  return tokens.findIndex((t) => t.kind === 'word' && DOC_WORDS.has(t.norm));
}

/** A question asked of the docs outright, if the clause is one. */
export function readDocsRequest(clause: Clause): DocsRequest | { empty: true } | undefined {
  const { tokens, text } = clause;
  const at = docWordAt(tokens);
  if (at < 0) return undefined;
  // "what do the docs say about X", "search the docs for X": the topic follows a marker after the doc word.
  let marker = -1;
  for (let k = at + 1; k < tokens.length; k++)
    if (tokens[k]!.kind === 'word' && TOPIC_MARKERS.has(tokens[k]!.norm)) {
      marker = k;
      break;
    }
  let query = marker >= 0 ? topic(tokens, text, marker + 1, tokens.length, FRAME) : '';
  // "look up X in the docs", "find X in the documentation": the topic comes before.
  if (!query) {
    const before = at > 0 && isWord(tokens[at - 1], 'the') ? at - 1 : at;
    const end = before > 0 && isWord(tokens[before - 1], 'in', 'from') ? before - 1 : before;
    query = topic(tokens, text, 0, end, FRAME);
  }
  if (!query) query = topic(tokens, text, at + 1, tokens.length, FRAME);
  return query ? { query, guessed: false } : { empty: true };
}

/**
 * A question whose form suggests the docs: "how do I …", "how does … work", "what is …",
 * "tell me about …", "explain …". The caller asks this only after arithmetic, dates and earlier
 * results had their turn, and only when the docs can be searched.
 */
export function guessDocsRequest(clause: Clause): DocsRequest | undefined {
  const { tokens, text } = clause;
  let i = 0;
  while (
    i < tokens.length &&
    (isWord(tokens[i], 'and', 'so', 'ok', 'okay', 'please', 'then', 'now') || isSym(tokens[i], ','))
  )
    i++;
  const first = tokens[i];
  const second = tokens[i + 1];
  let from = -1;
  let to = tokens.length;
  if (
    isWord(first, 'how', 'where', 'why', 'when') &&
    (HOW.has(second?.norm ?? '') || isWord(second, 'come'))
  ) {
    from = i + 2;
    while (from < tokens.length && PEOPLE.has(tokens[from]!.norm)) from++;
    if (isWord(tokens[to - 1], 'work', 'works')) to--;
  } else if (
    isWord(first, 'what', "what's", 'whats', 'who', "who's") &&
    (isWord(second, 'is', 'are', 'does') || first!.norm.endsWith("'s"))
  ) {
    from = first!.norm.endsWith("'s") ? i + 1 : i + 2;
    if (isWord(second, 'does') && isWord(tokens[to - 1], 'mean', 'do')) to--;
  } else if (isWord(first, 'explain', 'describe')) from = i + 1;
  else if (isWord(first, 'tell') && isWord(second, 'me') && isWord(tokens[i + 2], 'about')) from = i + 3;
  if (from < 0 || from >= to) return undefined;
  const query = topic(tokens, text, from, to, new Set(['the', 'a', 'an', 'please']));
  // A topic needs a word: "what is 2026-02-30" is nothing to look up.
  return /\p{L}/u.test(query) ? { query, guessed: true } : undefined;
}

const WEB_WORDS = new Set(['web', 'internet', 'online', 'google', 'news']);
const SEARCH_VERBS = new Set(['search', 'look', 'find', 'google', 'browse', 'news']);

/**
 * A question for the web, asked outright: "search the web for X", "look up X online", "google X",
 * "what's the latest news about X". Anything else about searching goes to the docs.
 */
export function readWebRequest(clause: Clause): DocsRequest | { empty: true } | undefined {
  const { tokens, text } = clause;
  const at = tokens.findIndex((t) => t.kind === 'word' && WEB_WORDS.has(t.norm));
  // "is the agent online?" is not a search: a search verb or news must be asked for.
  const searching = tokens.some((t) => t.kind === 'word' && SEARCH_VERBS.has(t.norm));
  if (at < 0 || !searching) return undefined;
  const frame = new Set([
    ...FRAME,
    'web',
    'internet',
    'online',
    'google',
    'latest',
    'news',
    'on',
    'about',
    'for',
  ]);
  let query = '';
  for (let k = at + 1; k < tokens.length && !query; k++)
    if (tokens[k]!.kind === 'word' && TOPIC_MARKERS.has(tokens[k]!.norm))
      query = topic(tokens, text, k + 1, tokens.length, frame);
  if (!query) query = topic(tokens, text, 0, tokens.length, frame);
  return query ? { query, guessed: false } : { empty: true };
}
