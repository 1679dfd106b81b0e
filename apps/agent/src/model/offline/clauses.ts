import { isSym, isWord, lex, type Token, textOf } from './lexer.js';
import { withNumberWords } from './numbers.js';

/**
 * A request cut into the things it asks, in order: "(3+4)*5 and then divide by 7" is two clauses,
 * "what is 2 + 2 and what time is it" two, "add 2 and 3" one. Each clause is read on its own; a
 * later clause may build on an earlier one's result.
 */
export interface Clause {
  tokens: Token[];
  /** The clause as written, for readers that look at the text (time zones). */
  text: string;
}

/** Words that start a new request after "and" or a comma: a question word or an instruction. */
const STARTERS = new Set([
  'what',
  "what's",
  'whats',
  'how',
  "how's",
  'when',
  'which',
  'who',
  'where',
  'tell',
  'show',
  'give',
  'add',
  'subtract',
  'multiply',
  'divide',
  'double',
  'triple',
  'halve',
  'square',
  'cube',
  'increase',
  'decrease',
  'reduce',
  'take',
  'compute',
  'calculate',
  'search',
  'find',
  'look',
  'now',
  'also',
  'then',
]);

const SENTENCE_ENDS = new Set(['?', '!', ';', '.']);

/** The clauses of `text`, each with its spelled-out numbers already turned into numbers. */
export function clausesOf(text: string): Clause[] {
  const tokens = withNumberWords(lex(text));
  const clauses: Clause[] = [];
  let current: Token[] = [];
  const close = () => {
    // A clause ends where the next begins: drop a dangling "and" or comma left at its end.
    while (current.length > 0 && (isWord(current.at(-1), 'and') || isSym(current.at(-1), ','))) current.pop();
    if (current.length > 0) clauses.push({ tokens: current, text: textOf(text, current) });
    current = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'sym' && SENTENCE_ENDS.has(t.norm)) {
      close();
      continue;
    }
    if (isWord(t, 'then')) {
      close();
      continue;
    }
    const joiner = isWord(t, 'and', 'also') || isSym(t, ',');
    if (joiner && current.length > 0 && STARTERS.has(tokens[i + 1]?.norm ?? '')) {
      close();
      continue;
    }
    current.push(t);
  }
  close();
  return clauses;
}

/** Words that carry no request of their own at the start of a clause ("so, please, what is …"). */
const LEADING_FILLERS = new Set([
  'and',
  'also',
  'now',
  'so',
  'ok',
  'okay',
  'please',
  'then',
  'well',
  'hey',
  'hi',
  'hello',
  'can',
  'could',
  'would',
  'will',
  'you',
  'just',
  'quickly',
  'kindly',
]);

/** Index of the first token after leading fillers and commas. */
export function skipFillers(tokens: readonly Token[], from = 0): number {
  let i = from;
  while (i < tokens.length && (LEADING_FILLERS.has(tokens[i]!.norm) || isSym(tokens[i], ','))) i++;
  return i;
}
