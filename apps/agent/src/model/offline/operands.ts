import { type Element, render } from './elements.js';
import { isSym, isWord, type Token } from './lexer.js';
import type { CalcTemplate, Piece } from './pieces.js';
import type { Ref } from './results.js';
import { readRun } from './spans.js';

/**
 * The operands of an instruction ("add *6* to *144*", "average of *3, 5 and 10*"): where they start
 * and end, and their pieces. An instruction without its first operand works on the latest result.
 */

const LATEST: Piece = { ref: { kind: 'latest' } satisfies Ref };

/** Words an operand may carry around it without changing it. */
const IGNORED = new Set([
  'the',
  'please',
  'together',
  'up',
  'numbers',
  'for',
  'me',
  'thanks',
  'now',
  'of',
  'again',
]);

export interface Reader {
  tokens: readonly Token[];
  match: Int32Array;
}

/** The first index in [from, to) outside parentheses whose token is one of `words`. */
export function findTop(r: Reader, from: number, to: number, words: readonly string[]): number {
  let depth = 0;
  for (let i = from; i < to; i++) {
    const t = r.tokens[i]!;
    if (isSym(t, '(')) depth++;
    else if (isSym(t, ')')) depth = Math.max(0, depth - 1);
    else if (depth === 0 && t.kind === 'word' && words.includes(t.norm)) {
      // "to the power of" is an operator, not the "to" of "add 6 to 144".
      const next = r.tokens[i + 2];
      if (t.norm === 'to' && isWord(r.tokens[i + 1], 'the') && (isWord(next, 'power') || next?.ordinal))
        continue;
      return i;
    }
  }
  return -1;
}

/** The elements of one operand spanning [from, to) (ignoring filler words at its ends), if it is one. */
export function part(r: Reader, from: number, to: number): Element[] | undefined {
  let a = from;
  let b = to;
  while (a < b && IGNORED.has(r.tokens[a]!.norm)) a++;
  while (b > a && (IGNORED.has(r.tokens[b - 1]!.norm) || isSym(r.tokens[b - 1], '?', '!', '.'))) b--;
  if (a >= b) return undefined;
  const run = readRun(r, a, b);
  if (!run || run.from !== a || run.to !== b) return undefined;
  return run.elements.some((e) => e.role === 'operand') ? run.elements : undefined;
}

export interface Operand {
  pieces: Piece[];
  label: Piece[];
}

/** An operand's pieces, in parentheses when it is a calculation of its own ("add 2 * 3 to 10"). */
export function operandOf(elements: readonly Element[]): Operand {
  const body = render(elements);
  const compound = elements.length > 1;
  return compound
    ? { pieces: ['(', body.pieces, ')'], label: ['(', body.label ?? body.pieces, ')'] }
    : { pieces: body.pieces, label: body.label ?? body.pieces };
}

export const latest: Operand = { pieces: [LATEST], label: [LATEST] };

/** The operands of a list "3, 5 and 10" in [from, to), or undefined when one is not an operand. */
export function list(r: Reader, from: number, to: number): Operand[] | undefined {
  const out: Operand[] = [];
  let start = from;
  let depth = 0;
  for (let i = from; i <= to; i++) {
    const t = r.tokens[i];
    if (i < to && isSym(t, '(')) depth++;
    else if (i < to && isSym(t, ')')) depth--;
    const separator = i < to && depth === 0 && (isWord(t, 'and') || isSym(t, ','));
    if (i === to || separator) {
      if (i > start) {
        const elements = part(r, start, i);
        if (!elements) return undefined;
        out.push(operandOf(elements));
      }
      start = i + 1;
    }
  }
  return out.length > 0 ? out : undefined;
}

/** `a op b op c …` as pieces. */
export function joined(operands: readonly Operand[], op: string, which: 'pieces' | 'label'): Piece[] {
  const out: Piece[] = [];
  operands.forEach((o, i) => {
    if (i > 0) out.push(` ${op} `);
    out.push(o[which]);
  });
  return out;
}

export function binary(a: Operand, op: string, b: Operand, label?: Piece[]): CalcTemplate {
  return { expression: [a.pieces, ` ${op} `, b.pieces], ...(label ? { label } : {}) };
}

/** The operand in [from, to), or the latest result when the range is empty. */
export function operandOrLatest(r: Reader, from: number, to: number): Operand | undefined {
  let a = from;
  while (a < to && IGNORED.has(r.tokens[a]!.norm)) a++;
  if (a >= to) return latest;
  const elements = part(r, a, to);
  return elements ? operandOf(elements) : undefined;
}
