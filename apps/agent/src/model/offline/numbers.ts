import { isWord, type Token } from './lexer.js';

/**
 * Numbers in words, turned into number tokens: "seventeen", "twenty-three", "one hundred and
 * five", "a thousand", "three point five", "1.5 million". One left-to-right pass; a number's words
 * are consumed once, so the whole message costs time linear in its length.
 */

const UNITS: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};

const TENS: Readonly<Record<string, number>> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

const SCALES: Readonly<Record<string, number>> = {
  thousand: 1e3,
  million: 1e6,
  billion: 1e9,
  trillion: 1e12,
};

/** Words before which "one" names a thing, not a number: "the previous one", "that one". */
const ONE_AS_PRONOUN = new Set([
  'the',
  'that',
  'this',
  'which',
  'each',
  'every',
  'any',
  'another',
  'other',
  'previous',
  'last',
  'latest',
  'next',
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'prior',
  'earlier',
  'final',
  'recent',
]);

/** The value of a single number word, or of a hyphenated pair ("twenty-three"). */
function wordValue(word: string): { value: number; kind: 'unit' | 'tens' } | undefined {
  if (Object.hasOwn(UNITS, word)) return { value: UNITS[word]!, kind: 'unit' };
  if (Object.hasOwn(TENS, word)) return { value: TENS[word]!, kind: 'tens' };
  const dash = word.indexOf('-');
  if (dash > 0) {
    const tens = word.slice(0, dash);
    const unit = word.slice(dash + 1);
    if (Object.hasOwn(TENS, tens) && Object.hasOwn(UNITS, unit) && UNITS[unit]! >= 1 && UNITS[unit]! <= 9)
      return { value: TENS[tens]! + UNITS[unit]!, kind: 'unit' };
  }
  return undefined;
}

/** A finite number as plain digits, never in exponent form for everyday sizes. */
export function plainNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return value.toFixed(0);
  return String(Number.parseFloat(value.toPrecision(15)));
}

interface Spoken {
  value: number;
  /** Index after the last token of the number. */
  next: number;
}

/**
 * The spelled-out number starting at `i`, if any. `current` is the part below the last scale word
 * ("two thousand *three hundred and five*"), `total` the rest. A word is taken only where it can
 * continue the number ("twenty one" yes, "one one" or "ten two" no), so a list stays a list.
 */
function spokenNumber(tokens: readonly Token[], i: number, article = false): Spoken | undefined {
  let total = 0;
  // "a hundred": an article before a scale word stands for one.
  let current = article ? 1 : 0;
  let lastScale = Number.POSITIVE_INFINITY;
  let last: 'start' | 'unit' | 'teen' | 'tens' | 'scale' | 'zero' = article ? 'unit' : 'start';
  let k = i;
  while (k < tokens.length && last !== 'zero') {
    const t = tokens[k]!;
    if (t.kind !== 'word') break;
    const w = t.norm;
    const small = wordValue(w);
    if (small) {
      const kind =
        small.value === 0 ? 'zero' : small.kind === 'tens' ? 'tens' : small.value >= 10 ? 'teen' : 'unit';
      const fits =
        kind === 'zero'
          ? last === 'start'
          : kind === 'unit'
            ? last === 'start' || last === 'tens' || last === 'scale'
            : last === 'start' || last === 'scale';
      if (!fits) break;
      current += small.value;
      last = kind;
    } else if (w === 'hundred' && current > 0 && current < 100 && last !== 'scale') {
      current *= 100;
      last = 'scale';
    } else if (Object.hasOwn(SCALES, w) && current > 0 && SCALES[w]! < lastScale && last !== 'start') {
      total += current * SCALES[w]!;
      lastScale = SCALES[w]!;
      current = 0;
      last = 'scale';
    } else if (w === 'and' && last === 'scale' && wordValue(tokens[k + 1]?.norm ?? '')?.value) {
      // "one hundred and five": the "and" belongs to the number.
    } else break;
    k++;
  }
  if (last === 'start') return undefined;
  let value = total + current;
  // "three point one four": digits after "point" one word each.
  if (isWord(tokens[k], 'point')) {
    let digits = '';
    let j = k + 1;
    while (j < tokens.length && tokens[j]!.kind === 'word' && (UNITS[tokens[j]!.norm] ?? 10) < 10) {
      digits += String(UNITS[tokens[j]!.norm]);
      j++;
    }
    if (digits) {
      value = Number(`${plainNumber(value)}.${digits}`);
      k = j;
    }
  }
  return { value, next: k };
}

/** The token of a number spanning tokens `from`..`to` (exclusive). */
function merged(tokens: readonly Token[], from: number, to: number, value: number): Token {
  const first = tokens[from]!;
  const last = tokens[to - 1]!;
  const text = tokens
    .slice(from, to)
    .map((t) => t.text)
    .join(' ');
  return { kind: 'num', text, norm: plainNumber(value), start: first.start, end: last.end, spoken: true };
}

/**
 * `tokens` with every spelled-out number, and every number followed by a scale word ("2 million"),
 * replaced by one number token. "a"/"an" before a scale counts as one ("a hundred").
 */
export function withNumberWords(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t.kind === 'num' && !t.ordinal && Object.hasOwn(SCALES, tokens[i + 1]?.norm ?? '')) {
      const scale = tokens[i + 1]!;
      out.push(merged(tokens, i, i + 2, Number(t.norm) * SCALES[scale.norm]!));
      i += 2;
      continue;
    }
    if (t.kind === 'num' && !t.ordinal && isWord(tokens[i + 1], 'hundred')) {
      out.push(merged(tokens, i, i + 2, Number(t.norm) * 100));
      i += 2;
      continue;
    }
    if (t.kind === 'word') {
      const pronoun = t.norm === 'one' && ONE_AS_PRONOUN.has(out.at(-1)?.norm ?? '');
      const article = (t.norm === 'a' || t.norm === 'an') && isScaleWord(tokens[i + 1]);
      if (article) {
        const rest = spokenNumber(tokens, i + 1, true);
        if (rest) {
          out.push(merged(tokens, i, rest.next, rest.value));
          i = rest.next;
          continue;
        }
      }
      const spoken = pronoun ? undefined : spokenNumber(tokens, i);
      if (spoken) {
        out.push(merged(tokens, i, spoken.next, spoken.value));
        i = spoken.next;
        continue;
      }
    }
    out.push(t);
    i++;
  }
  return out;
}

function isScaleWord(token: Token | undefined): boolean {
  return token?.kind === 'word' && (token.norm === 'hundred' || Object.hasOwn(SCALES, token.norm));
}
