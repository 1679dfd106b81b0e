import { type Element, type Run, render } from './elements.js';
import { isSym, isWord, type Token } from './lexer.js';
import type { Piece } from './pieces.js';
import { matchRef } from './results.js';

/**
 * Arithmetic written inline, in symbols or words: "17 * 23", "12 squared", "the square root of
 * 144 plus 1", "15% of 80", "2 to the power of 10", "half of that". A clause is read as runs of
 * elements (operands and operators alternating); the best run is the calculation. Every token is
 * read once, except inside spelled-out functions ("square root of …"), whose nesting is bounded.
 */

const MAX_DEPTH = 6;
const FUNCTIONS = new Set(['sqrt', 'abs', 'round', 'floor', 'ceil', 'ln', 'log']);
const FRACTIONS: Readonly<Record<string, string>> = {
  half: '2',
  third: '3',
  quarter: '4',
  fifth: '5',
  tenth: '10',
};

/** Parenthesis partners: `match[i]` is the index of the token closing the one opened at `i`. */
export function matchParens(tokens: readonly Token[]): Int32Array {
  const match = new Int32Array(tokens.length).fill(-1);
  const stack: number[] = [];
  tokens.forEach((t, i) => {
    if (isSym(t, '(')) stack.push(i);
    else if (isSym(t, ')') && stack.length > 0) match[stack.pop()!] = i;
  });
  return match;
}

interface Reader {
  tokens: readonly Token[];
  match: Int32Array;
}

interface Found {
  el: Element;
  next: number;
}

const element = (
  role: Element['role'],
  pieces: Piece[],
  from: Token,
  to: Token,
  extra: Partial<Element> = {},
) => ({
  role,
  pieces,
  raw: false,
  start: from.start,
  end: to.end,
  ...extra,
});

/** n! as a product the calculator can evaluate ("(5 * 4 * 3 * 2 * 1)"), for whole n up to 30. */
function factorial(n: string): Piece[] | undefined {
  if (!/^\d{1,2}$/.test(n) || Number(n) > 30) return undefined;
  const factors: string[] = [];
  for (let i = Number(n); i > 1; i--) factors.push(String(i));
  return [factors.length > 1 ? `(${factors.join(' * ')})` : '1'];
}

/** A spelled-out function of one operand: "square root of", "cube root of", "half of", "log of". */
function prefixed(r: Reader, k: number, limit: number, depth: number): Found | undefined {
  const t = r.tokens;
  let j = isWord(t[k], 'the') ? k + 1 : k;
  let kind: 'sqrt' | 'cbrt' | 'abs' | 'log' | 'ln' | 'twice' | 'fraction' | undefined;
  let divisor = '';
  let fractionWord = '';
  if (isWord(t[j], 'square') && isWord(t[j + 1], 'root')) [kind, j] = ['sqrt', j + 2];
  else if (isWord(t[j], 'cube') && isWord(t[j + 1], 'root')) [kind, j] = ['cbrt', j + 2];
  else if (isWord(t[j], 'sqrt') && !isSym(t[j + 1], '(')) [kind, j] = ['sqrt', j + 1];
  else if (isWord(t[j], 'absolute') && isWord(t[j + 1], 'value')) [kind, j] = ['abs', j + 2];
  else if (isWord(t[j], 'natural') && isWord(t[j + 1], 'log', 'logarithm')) [kind, j] = ['ln', j + 2];
  else if (isWord(t[j], 'log', 'logarithm', 'ln') && isWord(t[j + 1], 'of'))
    [kind, j] = [t[j]!.norm === 'ln' ? 'ln' : 'log', j + 1];
  else if (isWord(t[j], 'twice')) [kind, j] = ['twice', j + 1];
  else {
    const article = isWord(t[j], 'a', 'one') || (t[j]?.kind === 'num' && t[j]!.norm === '1' && t[j]!.spoken);
    const at = article ? j + 1 : j;
    const word = t[at]?.kind === 'word' ? t[at]!.norm : '';
    if (Object.hasOwn(FRACTIONS, word) && isWord(t[at + 1], 'of')) {
      [kind, j, divisor, fractionWord] = ['fraction', at + 1, FRACTIONS[word]!, word];
    }
  }
  if (!kind) return undefined;
  if (isWord(t[j], 'of') && kind !== 'fraction') j++;
  if (kind === 'fraction') j++;
  const x = operand(r, j, limit, depth + 1);
  if (!x) return undefined;
  // The sign of a negative operand stays outside the cube root: (-27) ^ (1 / 3) is not real.
  const negative = x.el.role === 'sign';
  const inner = negative ? (x.el.pieces[1] as Piece) : x.el.pieces;
  const label = x.el.label ?? x.el.pieces;
  const group = isSym(t[j], '(');
  const pieces: Piece[] =
    kind === 'sqrt' || kind === 'abs' || kind === 'log' || kind === 'ln'
      ? group
        ? [kind, inner]
        : [`${kind}(`, inner, ')']
      : kind === 'cbrt'
        ? negative
          ? ['-(', inner, ' ^ (1 / 3))']
          : ['(', inner, ' ^ (1 / 3))']
        : kind === 'twice'
          ? ['2 * ', inner]
          : ['(', inner, ` / ${divisor})`];
  const named: Piece[] | undefined =
    kind === 'cbrt'
      ? ['cube root of ', label]
      : kind === 'fraction'
        ? [fractionWord === 'half' ? 'half of ' : `a ${fractionWord} of `, label]
        : x.el.label
          ? [pieces[0]!, label, ...pieces.slice(2)]
          : undefined;
  return { el: element('operand', pieces, t[k]!, t[x.next - 1]!, { op: true, label: named }), next: x.next };
}

/**
 * One operand at `k`: a number (with "% of …" after it), a reference to an earlier result, pi, a
 * spelled-out function, or, inside such a function, a parenthesised group or a negative operand.
 */
function operand(r: Reader, k: number, limit: number, depth: number): Found | undefined {
  const t = r.tokens;
  const tok = t[k];
  if (!tok || k >= limit || depth > MAX_DEPTH) return undefined;
  if (tok.kind === 'num' && !tok.ordinal) {
    const base = element('operand', [tok.norm], tok, tok, { raw: !tok.spoken });
    // "5 factorial" (an exclamation mark after a number is too often just an exclamation).
    if (isWord(t[k + 1], 'factorial')) {
      const product = factorial(tok.norm);
      if (product)
        return {
          el: element('operand', product, tok, t[k + 1]!, { op: true, label: [`${tok.norm}!`] }),
          next: k + 2,
        };
    }
    let after = k + 1;
    const percentSign = isSym(t[after], '%');
    if (isWord(t[after], 'per') && isWord(t[after + 1], 'cent')) after++;
    if (!percentSign && !isWord(t[after], 'percent', 'cent')) return { el: base, next: k + 1 };
    after++;
    if (isWord(t[after], 'off')) {
      // "20% off 50": a discount.
      const x = operand(r, after + 1, limit, depth + 1);
      if (!x) return { el: base, next: k + 1 };
      return {
        el: element('operand', ['(', x.el.pieces, ` * (1 - ${tok.norm} / 100))`], tok, t[x.next - 1]!, {
          op: true,
          label: [x.el.label ?? x.el.pieces, ` - ${tok.norm}%`],
        }),
        next: x.next,
      };
    }
    if (isWord(t[after], 'of')) {
      const x = operand(r, after + 1, limit, depth + 1);
      if (!x) return { el: base, next: k + 1 };
      return {
        el: element('operand', ['(', tok.norm, ' / 100 * ', x.el.pieces, ')'], tok, t[x.next - 1]!, {
          op: true,
          label: [tok.norm, '% of ', x.el.label ?? x.el.pieces],
        }),
        next: x.next,
      };
    }
    // "10 % 3" is the calculator's modulo: a percent sign followed by an operand stays an operator.
    const next = t[after];
    if (percentSign && next && (next.kind === 'num' || isSym(next, '(') || matchRef(t, after)))
      return { el: base, next: k + 1 };
    return {
      el: element('operand', ['(', tok.norm, ' / 100)'], tok, t[after - 1]!, {
        label: [tok.norm, '%'],
        percent: tok.norm,
      }),
      next: after,
    };
  }
  if (isWord(tok, 'factorial') && isWord(t[k + 1], 'of') && t[k + 2]?.kind === 'num') {
    const product = factorial(t[k + 2]!.norm);
    if (product)
      return {
        el: element('operand', product, tok, t[k + 2]!, { op: true, label: [`${t[k + 2]!.norm}!`] }),
        next: k + 3,
      };
  }
  if (isWord(tok, 'pi')) return { el: element('operand', ['pi'], tok, tok, { raw: true }), next: k + 1 };
  const pre = prefixed(r, k, limit, depth);
  if (pre) return pre;
  const ref = matchRef(t, k);
  if (ref && ref.next <= limit)
    return { el: element('operand', [{ ref: ref.ref }], tok, t[ref.next - 1]!), next: ref.next };
  if (depth === 0) return undefined;
  // Inside a spelled-out function: "square root of (2 + 7)", "cube root of -8".
  if (isSym(tok, '(') && r.match[k]! > k && r.match[k]! < limit) {
    const close = r.match[k]!;
    const inner = readRun(r, k + 1, close, depth, true);
    if (!inner || inner.from !== k + 1 || inner.to !== close) return undefined;
    const body = render(inner.elements);
    return {
      el: element(
        'operand',
        ['(', body.pieces, ')'],
        tok,
        t[close]!,
        body.label ? { label: ['(', body.label, ')'] } : {},
      ),
      next: close + 1,
    };
  }
  if (isSym(tok, '-') || isWord(tok, 'minus', 'negative')) {
    const x = operand(r, k + 1, limit, depth + 1);
    if (x) return { el: element('sign', ['-', x.el.pieces], tok, t[x.next - 1]!), next: x.next };
  }
  return undefined;
}

const WORD_OPERATORS: Readonly<Record<string, string>> = {
  plus: '+',
  minus: '-',
  times: '*',
  multiplied: '*',
  divided: '/',
  over: '/',
  mod: '%',
  modulo: '%',
  increased: '+',
  decreased: '-',
  reduced: '-',
};

/** An operator at `k`: a symbol, a word ("times", "divided by"), or "to the power of". */
function operator(r: Reader, k: number, limit: number): Found | undefined {
  const t = r.tokens;
  const tok = t[k]!;
  if (tok.kind === 'sym' && '+-*/^%'.includes(tok.norm) && tok.norm.length === 1)
    return { el: element('binop', [tok.norm], tok, tok, { raw: true }), next: k + 1 };
  if (tok.kind !== 'word') return undefined;
  const symbol = WORD_OPERATORS[tok.norm];
  if (symbol && Object.hasOwn(WORD_OPERATORS, tok.norm)) {
    const spelled = ['multiplied', 'divided', 'increased', 'decreased', 'reduced'].includes(tok.norm);
    if (spelled && !isWord(t[k + 1], 'by') && tok.norm !== 'multiplied' && tok.norm !== 'divided')
      return undefined;
    const next = spelled && isWord(t[k + 1], 'by') ? k + 2 : k + 1;
    return { el: element('binop', [symbol], tok, t[next - 1]!, { word: true }), next };
  }
  if (isWord(tok, 'x') && t[k + 1]?.kind === 'num')
    return { el: element('binop', ['*'], tok, tok), next: k + 1 };
  // "to the power of", "raised to the power of", "raised to", "to the 10th (power)".
  let j = k;
  if (isWord(t[j], 'raised')) j++;
  const raised = j > k;
  if (isWord(t[j], 'to')) j++;
  if (isWord(t[j], 'the') && isWord(t[j + 1], 'power')) {
    j += 2;
    if (isWord(t[j], 'of')) j++;
    return { el: element('binop', ['^'], tok, t[j - 1]!, { word: true }), next: j };
  }
  if (isWord(t[j], 'the') && t[j + 1]?.kind === 'num' && t[j + 1]!.ordinal && j + 1 < limit) {
    const exponent = t[j + 1]!.norm;
    j += 2;
    if (isWord(t[j], 'power')) j++;
    return { el: element('postfix', ['^ ', exponent], tok, t[j - 1]!), next: j };
  }
  if (raised && j > k + 1) return { el: element('binop', ['^'], tok, t[j - 1]!, { word: true }), next: j };
  if (isWord(tok, 'squared')) return { el: element('postfix', ['^ 2'], tok, tok), next: k + 1 };
  if (isWord(tok, 'cubed')) return { el: element('postfix', ['^ 3'], tok, tok), next: k + 1 };
  return undefined;
}

/**
 * The run of arithmetic starting at the first token from `from` that can start one (at `from`
 * itself when `anchored`), before `limit`; `undefined` when none starts there. Operands and
 * operators alternate: two operands in a row ("3 cats 2") end the run.
 */
export function readRun(
  r: Reader,
  from: number,
  limit: number,
  depth = 0,
  anchored = false,
): Run | undefined {
  const t = r.tokens;
  for (let start = from; start < (anchored ? Math.min(from + 1, limit) : limit); start++) {
    const elements: Element[] = [];
    let expect: 'operand' | 'operator' = 'operand';
    let k = start;
    while (k < limit) {
      const tok = t[k]!;
      let found: Found | undefined;
      if (expect === 'operand') {
        if (isSym(tok, '(')) found = { el: element('open', ['('], tok, tok, { raw: true }), next: k + 1 };
        else if (tok.kind === 'word' && FUNCTIONS.has(tok.norm) && isSym(t[k + 1], '('))
          found = { el: element('func', [tok.norm], tok, tok, { raw: true, glue: true }), next: k + 1 };
        else if (isSym(tok, '-', '+'))
          found = { el: element('sign', [tok.norm], tok, tok, { raw: true }), next: k + 1 };
        else if (isWord(tok, 'minus', 'negative'))
          found = {
            el: element('sign', ['-'], tok, tok, { glue: true, word: tok.norm === 'minus' }),
            next: k + 1,
          };
        else {
          found = operand(r, k, limit, depth);
          if (found) expect = 'operator';
          else if (elements.length === 0) {
            // A request that starts with an operator ("times 2", "squared?") continues a result.
            found = operator(r, k, limit);
            if (found?.el.role === 'postfix') expect = 'operator';
          }
        }
      } else if (isSym(tok, ')'))
        found = { el: element('close', [')'], tok, tok, { raw: true }), next: k + 1 };
      else {
        found = operator(r, k, limit);
        if (found?.el.role === 'binop') expect = 'operand';
      }
      if (!found) break;
      elements.push(found.el);
      k = found.next;
    }
    if (elements.length > 0) return { elements, from: start, to: k };
  }
  return undefined;
}
