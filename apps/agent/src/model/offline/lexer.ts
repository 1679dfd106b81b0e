/**
 * The offline model's tokenizer: user text as numbers, calendar dates, words and single symbols,
 * each with its place in the text. One pass, each character looked at a bounded number of times,
 * so every reader built on the tokens stays linear in the length of the message.
 */

export type TokenKind = 'num' | 'date' | 'word' | 'sym';

export interface Token {
  kind: TokenKind;
  /** The text as written (a number's separators included). */
  text: string;
  /**
   * What readers compare: a word in lower case with a typographic apostrophe made plain, a number
   * without thousands separators ("1,234.5" → "1234.5"), a symbol with ×, ÷ and − made ASCII.
   */
  norm: string;
  start: number;
  end: number;
  /** A number written as an ordinal: "4th", "21st". */
  ordinal?: boolean;
  /** A number spelled out in words ("twenty-three"), not written in digits. */
  spoken?: boolean;
}

const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';
const isLetter = (ch: string | undefined) => ch !== undefined && /\p{L}/u.test(ch);
const isSpace = (ch: string) => /\s/u.test(ch);

const SYMBOLS: Readonly<Record<string, string>> = { '×': '*', '÷': '/', '−': '-', '–': '-', '’': "'" };

/** End of the run of digits starting at `i`. */
function digitsEnd(text: string, i: number): number {
  let j = i;
  while (isDigit(text[j])) j++;
  return j;
}

/**
 * A calendar date written with separators at `i` ("2026-12-25", "25/12/2026", "4.7.1976"): three
 * runs of digits joined by the same separator. Returns its end, or -1.
 */
function dateEnd(text: string, i: number, firstEnd: number): number {
  const sep = text[firstEnd];
  if (sep !== '-' && sep !== '/' && sep !== '.') return -1;
  if (!isDigit(text[firstEnd + 1])) return -1;
  const secondEnd = digitsEnd(text, firstEnd + 1);
  if (text[secondEnd] !== sep || !isDigit(text[secondEnd + 1])) return -1;
  const thirdEnd = digitsEnd(text, secondEnd + 1);
  if (isDigit(text[thirdEnd]) || (text[thirdEnd] === sep && isDigit(text[thirdEnd + 1]))) return -1;
  const [a, b, c] = [firstEnd - i, secondEnd - firstEnd - 1, thirdEnd - secondEnd - 1];
  const iso = sep === '-' && a === 4 && b <= 2 && c <= 2;
  const dayFirstOrMonthFirst = a <= 2 && b <= 2 && (c === 4 || (c === 2 && sep !== '.'));
  return iso || dayFirstOrMonthFirst ? thirdEnd : -1;
}

/** End of a number at `i`: digits with optional thousands groups ("1,234,567") and decimals. */
function numberEnd(text: string, i: number): number {
  let j = digitsEnd(text, i);
  if (j - i <= 3 && j > i) {
    // Groups of exactly three digits after commas, only when the group is not followed by more.
    let k = j;
    while (text[k] === ',' && digitsEnd(text, k + 1) === k + 4) k += 4;
    j = k;
  }
  if (text[j] === '.' && isDigit(text[j + 1])) j = digitsEnd(text, j + 1);
  return j;
}

const ORDINAL_SUFFIXES = new Set(['st', 'nd', 'rd', 'th']);

/** End of a word at `i`: letters, with apostrophes and hyphens inside it ("what's", "twenty-three"). */
function wordEnd(text: string, i: number): number {
  let j = i;
  while (isLetter(text[j])) j++;
  while ((text[j] === "'" || text[j] === '’' || text[j] === '-') && isLetter(text[j + 1])) {
    j++;
    while (isLetter(text[j])) j++;
  }
  return j;
}

/** The tokens of `text`, in order. */
export function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (isSpace(ch)) {
      i++;
      continue;
    }
    if (isDigit(ch) || (ch === '.' && isDigit(text[i + 1]))) {
      const firstEnd = digitsEnd(text, i);
      const asDate = isDigit(ch) ? dateEnd(text, i, firstEnd) : -1;
      if (asDate > 0) {
        tokens.push({
          kind: 'date',
          text: text.slice(i, asDate),
          norm: text.slice(i, asDate),
          start: i,
          end: asDate,
        });
        i = asDate;
        continue;
      }
      const end = numberEnd(text, i);
      const written = text.slice(i, end);
      const token: Token = { kind: 'num', text: written, norm: written.replaceAll(',', ''), start: i, end };
      const suffix = text.slice(end, end + 2).toLowerCase();
      if (ORDINAL_SUFFIXES.has(suffix) && !isLetter(text[end + 2]) && !written.includes('.')) {
        token.ordinal = true;
        token.end = end + 2;
        token.text = text.slice(i, end + 2);
      }
      tokens.push(token);
      i = token.end;
      continue;
    }
    if (isLetter(ch)) {
      const end = wordEnd(text, i);
      const written = text.slice(i, end);
      tokens.push({
        kind: 'word',
        text: written,
        norm: written.toLowerCase().replaceAll('’', "'"),
        start: i,
        end,
      });
      i = end;
      continue;
    }
    // One UTF-16 unit is enough: every symbol a reader looks for is in the basic plane.
    tokens.push({ kind: 'sym', text: ch, norm: SYMBOLS[ch] ?? ch, start: i, end: i + 1 });
    i++;
  }
  return tokens;
}

/** True when `token` is the word `word` (already lower case). */
export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token?.kind === 'word' && words.includes(token.norm);
}

/** True when `token` is the symbol `symbol`. */
export function isSym(token: Token | undefined, ...symbols: string[]): boolean {
  return token?.kind === 'sym' && symbols.includes(token.norm);
}

/** The text the tokens `from`..`to` (exclusive) cover, as written. */
export function textOf(source: string, tokens: readonly Token[], from = 0, to = tokens.length): string {
  if (to <= from) return '';
  return source.slice(tokens[from]!.start, tokens[to - 1]!.end);
}
