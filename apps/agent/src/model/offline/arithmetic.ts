import { skipFillers } from './clauses.js';
import { type Element, isCalculation, type Run, refElement, render } from './elements.js';
import { isSym, isWord, type Token } from './lexer.js';
import {
  binary,
  findTop,
  joined,
  latest,
  list,
  operandOf,
  operandOrLatest,
  part,
  type Reader,
} from './operands.js';
import type { CalcTemplate } from './pieces.js';
import { matchParens, readRun } from './spans.js';

/**
 * The calculation a clause asks for: an instruction ("add 6 to 144", "increase 200 by 15%",
 * "divide it by 4", "average of 3, 5 and 10") or an inline expression ("what is 17 * 23",
 * "seventeen times twenty-three"). Instructions without their first operand ("multiply by 3",
 * "double it") work on the latest result.
 */

/** Words before the request proper: "what is", "calculate", "how much is", "tell me". */
const LEAD = new Set([
  'what',
  "what's",
  'whats',
  'is',
  'are',
  'the',
  'calculate',
  'compute',
  'evaluate',
  'work',
  'out',
  'tell',
  'me',
  'how',
  'much',
  'many',
  'give',
  'get',
  'figure',
  'do',
  'let',
  "let's",
  'us',
  'solve',
  'equals',
  'help',
  'i',
  "i'd",
  'want',
  'need',
  'like',
  'to',
]);

const SCALING: Readonly<Record<string, string>> = {
  double: ' * 2',
  triple: ' * 3',
  quadruple: ' * 4',
  halve: ' / 2',
  square: ' ^ 2',
  cube: ' ^ 3',
};

const PLACES = new Set(['decimal', 'decimals', 'places', 'place', 'digits', 'dp']);

/** "round 3.7", "round up 3.2", "round 3.14159 to 2 decimal places", "round 1234 to the nearest hundred". */
function rounding(r: Reader, rest: number, end: number): CalcTemplate | undefined {
  const t = r.tokens;
  let from = rest;
  const fn = isWord(t[from], 'up') ? 'ceil' : isWord(t[from], 'down') ? 'floor' : 'round';
  if (isWord(t[from], 'up', 'down', 'off')) from++;
  const to = findTop(r, from, end, ['to']);
  const a = operandOrLatest(r, from, to >= 0 ? to : end);
  if (!a) return undefined;
  if (to < 0) return { expression: [`${fn}(`, a.pieces, ')'] };
  let k = to + 1;
  if (isWord(t[k], 'the')) k++;
  if (isWord(t[k], 'nearest')) {
    k++;
    const unit =
      t[k]?.kind === 'num'
        ? t[k]!.norm
        : isWord(t[k], 'hundred')
          ? '100'
          : isWord(t[k], 'thousand')
            ? '1000'
            : '1';
    if (unit === '1' && !isWord(t[k], 'whole', 'integer', 'one', 'unit')) return undefined;
    if (unit === '1') return { expression: [`${fn}(`, a.pieces, ')'] };
    return {
      expression: [`${fn}(`, a.pieces, ` / ${unit}) * ${unit}`],
      label: [a.label, ` rounded to the nearest ${unit}`],
    };
  }
  const places = t[k];
  if (places?.kind !== 'num' || !/^\d{1,2}$/.test(places.norm) || !PLACES.has(t[k + 1]?.norm ?? ''))
    return undefined;
  const scale = `1${'0'.repeat(Number(places.norm))}`;
  return {
    expression: [`${fn}(`, a.pieces, ` * ${scale}) / ${scale}`],
    label: [a.label, ` rounded to ${places.norm} decimal place${places.norm === '1' ? '' : 's'}`],
  };
}

/** An instruction at `i` ("add …", "subtract … from …", "double it", "average of …"), if there is one. */
function instruction(r: Reader, i: number, end: number): CalcTemplate | undefined {
  const verb = r.tokens[i];
  if (verb?.kind !== 'word') return undefined;
  const w = verb.norm;
  const rest = i + 1;
  if (w === 'add' || w === 'sum' || w === 'total') {
    const to = w === 'add' ? findTop(r, rest, end, ['to']) : -1;
    if (to >= 0) {
      const a = operandOrLatest(r, rest, to);
      const b = operandOrLatest(r, to + 1, end);
      return a && b ? binary(b, '+', a) : undefined;
    }
    const items = list(r, rest, end);
    if (!items) return undefined;
    if (items.length === 1) return w === 'add' ? binary(latest, '+', items[0]!) : undefined;
    return { expression: joined(items, '+', 'pieces') };
  }
  if (w === 'subtract' || w === 'deduct' || (w === 'take' && findTop(r, rest, end, ['away', 'from']) >= 0)) {
    // "subtract 7 from 20", "take 5 away from 10", "take away 5" (from the latest result).
    const first = w === 'take' && isWord(r.tokens[rest], 'away') ? rest + 1 : rest;
    const from = findTop(r, first, end, ['from']);
    let stop = from >= 0 ? from : end;
    const away = w === 'take' ? findTop(r, first, stop, ['away']) : -1;
    if (away >= 0) stop = away;
    const a = operandOrLatest(r, first, stop);
    const b = from >= 0 ? operandOrLatest(r, from + 1, end) : latest;
    return a && b && a !== latest ? binary(b, '-', a) : undefined;
  }
  if (w === 'multiply' || w === 'product') {
    const by = findTop(r, rest, end, ['by', 'times', 'with']);
    if (by >= 0) {
      const a = operandOrLatest(r, rest, by);
      const b = operandOrLatest(r, by + 1, end);
      return a && b && b !== latest ? binary(a, '*', b) : undefined;
    }
    const items = list(r, rest, end);
    if (!items) return undefined;
    if (items.length === 1) return w === 'multiply' ? binary(latest, '*', items[0]!) : undefined;
    return { expression: joined(items, '*', 'pieces') };
  }
  if (w === 'divide') {
    const by = findTop(r, rest, end, ['by']);
    const into = findTop(r, rest, end, ['into']);
    if (by < 0 && into < 0) return undefined;
    const at = by >= 0 ? by : into;
    const a = operandOrLatest(r, rest, at);
    const b = operandOrLatest(r, at + 1, end);
    if (!a || !b || b === latest) return undefined;
    return by >= 0 ? binary(a, '/', b) : binary(b, '/', a);
  }
  const up = w === 'increase' || w === 'raise' || w === 'grow';
  if (up || w === 'decrease' || w === 'reduce' || w === 'lower' || w === 'cut') {
    const by = findTop(r, rest, end, ['by']);
    if (by < 0) return undefined;
    const a = operandOrLatest(r, rest, by);
    const amount = part(r, by + 1, end);
    if (!a || !amount) return undefined;
    const sign = up ? '+' : '-';
    const only = amount.length === 1 ? amount[0]! : undefined;
    if (only?.percent)
      return {
        expression: [a.pieces, ` * (1 ${sign} ${only.percent} / 100)`],
        label: [a.label, ` ${sign} ${only.percent}%`],
      };
    return binary(a, sign, operandOf(amount));
  }
  if (Object.hasOwn(SCALING, w) && !isWord(r.tokens[rest], 'root')) {
    const a = operandOrLatest(r, isWord(r.tokens[rest], 'of') ? rest + 1 : rest, end);
    return a ? { expression: [a.pieces, SCALING[w]!] } : undefined;
  }
  if (w === 'round') return rounding(r, rest, end);
  if (w === 'difference') {
    // "the difference between 50 and 20".
    const from = isWord(r.tokens[rest], 'between', 'of') ? rest + 1 : rest;
    const and = findTop(r, from, end, ['and']);
    const a = and >= 0 ? operandOrLatest(r, from, and) : undefined;
    const b = and >= 0 ? operandOrLatest(r, and + 1, end) : undefined;
    return a && b && a !== latest && b !== latest ? binary(a, '-', b) : undefined;
  }
  if (w === 'remainder' || w === 'modulo') {
    // "the remainder of 17 divided by 5", "the remainder when 17 is divided by 5".
    const from = isWord(r.tokens[rest], 'of', 'when') ? rest + 1 : rest;
    const by = findTop(r, from, end, ['divided', 'by', 'over']);
    if (by < 0) return undefined;
    const a = operandOrLatest(r, from, isWord(r.tokens[by - 1], 'is') ? by - 1 : by);
    const b = operandOrLatest(r, isWord(r.tokens[by + 1], 'by') ? by + 2 : by + 1, end);
    return a && b && b !== latest ? binary(a, '%', b) : undefined;
  }
  if (w === 'average' || w === 'mean') {
    const items = list(r, isWord(r.tokens[rest], 'of') ? rest + 1 : rest, end);
    if (!items || items.length < 2) return undefined;
    return { expression: ['(', joined(items, '+', 'pieces'), `) / ${items.length}`] };
  }
  return undefined;
}

/** "what percent of 80 is 20", "20 is what percent of 80", "what percentage is 20 of 80". */
function percentQuestion(r: Reader, lead: number, end: number): CalcTemplate | undefined {
  const t = r.tokens;
  let p = -1;
  for (let k = 1; k < end; k++)
    if ((isWord(t[k], 'percent', 'percentage') || isSym(t[k], '%')) && isWord(t[k - 1], 'what')) {
      p = k;
      break;
    }
  if (p < 0) return undefined;
  let part1: Element[] | undefined;
  let whole: Element[] | undefined;
  if (isWord(t[p + 1], 'of')) {
    const is = findTop(r, p + 2, end, ['is', 'are']);
    if (is >= 0) {
      whole = part(r, p + 2, is);
      part1 = part(r, is + 1, end);
    } else {
      whole = part(r, p + 2, end);
      const before = isWord(t[p - 2], 'is', 'are') ? p - 2 : -1;
      part1 = before > lead ? part(r, lead, before) : undefined;
    }
  } else if (isWord(t[p + 1], 'is', 'are')) {
    const of = findTop(r, p + 2, end, ['of']);
    if (of < 0) return undefined;
    part1 = part(r, p + 2, of);
    whole = part(r, of + 1, end);
  }
  if (!part1 || !whole) return undefined;
  const a = operandOf(part1);
  const b = operandOf(whole);
  return {
    expression: [a.pieces, ' / ', b.pieces, ' * 100'],
    label: [a.label, ' as a percentage of ', b.label],
    unit: '%',
  };
}

/** A run that starts with an operator ("times 2", "and minus 1", "squared?") continues the latest result. */
function continuesResult(run: Run): Element[] {
  const [first, ...rest] = run.elements;
  if (!first) return run.elements;
  if (first.role === 'binop' || first.role === 'postfix')
    return [refElement({ kind: 'latest' }), ...run.elements];
  if (first.role === 'sign' && first.word)
    return [refElement({ kind: 'latest' }), { ...first, role: 'binop', glue: false }, ...rest];
  return run.elements;
}

/**
 * The best inline calculation among the clause's runs: the longest that calculates something. A
 * run at the start of the request (at or before `lead`) continues the latest result when `followUp`.
 */
function bestRun(r: Reader, lead: number, followUp: boolean): Element[] | undefined {
  let best: Element[] | undefined;
  let bestLength = 0;
  let k = 0;
  while (k < r.tokens.length) {
    const run = readRun(r, k, r.tokens.length);
    if (!run) break;
    const elements = followUp && run.from <= lead ? continuesResult(run) : run.elements;
    if (isCalculation(elements) && run.to - run.from > bestLength) {
      best = elements;
      bestLength = run.to - run.from;
    }
    k = run.to;
  }
  return best;
}

/**
 * The calculation `tokens` (one clause) ask for. `followUp`: the conversation has earlier results,
 * so a clause that starts with an operator continues the latest one.
 */
export function readArithmetic(tokens: readonly Token[], followUp: boolean): CalcTemplate | undefined {
  const r: Reader = { tokens, match: matchParens(tokens) };
  let i = skipFillers(tokens);
  while (i < tokens.length && LEAD.has(tokens[i]!.norm)) i = skipFillers(tokens, i + 1);
  const command = instruction(r, i, tokens.length) ?? percentQuestion(r, i, tokens.length);
  if (command) return command;
  const elements = bestRun(r, i, followUp);
  if (!elements) return undefined;
  const body = render(elements);
  return body.label ? { expression: body.pieces, label: body.label } : { expression: body.pieces };
}
