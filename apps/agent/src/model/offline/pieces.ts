import { asOperand, type Ref } from './results.js';

/**
 * An expression under construction: text, a reference to an earlier result (filled in when the
 * result is known, possibly only after an earlier step of the same request ran), or a nested
 * list. Nesting instead of concatenating keeps building linear however deep the phrasing goes.
 */
export type Piece = string | { ref: Ref } | readonly Piece[];

/** A calculation the model will ask the calculator for. */
export interface CalcTemplate {
  expression: Piece[];
  /** How the answer names the calculation when the expression reads poorly ("200 + 15%"). */
  label?: Piece[];
  /** Written after the result in the answer ("%"). */
  unit?: string;
}

export function hasRef(pieces: readonly Piece[]): boolean {
  const stack: Piece[] = [...pieces];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (typeof p === 'string') continue;
    if (Array.isArray(p)) stack.push(...p);
    else return true;
  }
  return false;
}

/** The references `pieces` makes, in order. */
export function refsOf(pieces: readonly Piece[]): Ref[] {
  const refs: Ref[] = [];
  const stack: Piece[] = [...pieces].reverse();
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (typeof p === 'string') continue;
    if (Array.isArray(p)) for (let i = p.length - 1; i >= 0; i--) stack.push(p[i]!);
    else refs.push((p as { ref: Ref }).ref);
  }
  return refs;
}

/** The text of `pieces`, each reference replaced by `resolve(ref)`; undefined when one cannot be. */
export function flatten(
  pieces: readonly Piece[],
  resolve: (ref: Ref) => string | undefined,
): string | undefined {
  let out = '';
  const stack: Piece[] = [...pieces].reverse();
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (typeof p === 'string') out += p;
    else if (Array.isArray(p)) for (let i = p.length - 1; i >= 0; i--) stack.push(p[i]!);
    else {
      const value = resolve((p as { ref: Ref }).ref);
      if (value === undefined) return undefined;
      out += asOperand(value);
    }
  }
  return out;
}

const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);

/**
 * Drops what cannot belong at either end: stray dots, dangling operators, unmatched parentheses.
 * One pass from both ends with running parenthesis counts: recounting (or re-slicing) the rest
 * after every dropped character would make a long message quadratic.
 */
export function tidy(candidate: string): string {
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

/** The expression as the calculator gets it: references filled in, ends tidied, spaces single. */
export function renderExpression(
  pieces: readonly Piece[],
  resolve: (ref: Ref) => string | undefined,
): string | undefined {
  const text = flatten(pieces, resolve);
  return text === undefined ? undefined : tidy(text).replace(/\s+/g, ' ');
}
