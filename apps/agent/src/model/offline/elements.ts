import type { Piece } from './pieces.js';
import type { Ref } from './results.js';

/**
 * The elements an inline calculation is read into (operands and operators, as the calculator gets
 * them and as the answer names them), and how a run of them becomes the calculator's text.
 */

export interface Element {
  role: 'operand' | 'binop' | 'postfix' | 'open' | 'close' | 'func' | 'sign';
  pieces: Piece[];
  /** How the answer writes it, when not as the calculator gets it ("15% of 80"). */
  label?: Piece[];
  /** Written in symbols or digits: the user's own spacing is kept ("(2+3)^2"). */
  raw: boolean;
  /** No space after it ("sqrt" before its parenthesis, the sign of "negative 5"). */
  glue?: boolean;
  /** A spelled operator ("plus", "minus"): at the start of a request it continues the previous result. */
  word?: boolean;
  /** A calculation of its own inside the operand (square root of, percent of, half of). */
  op?: boolean;
  /** A bare percentage ("15%"): after "+" or "-" at the end, a change of everything before it. */
  percent?: string;
  start: number;
  end: number;
}

export interface Run {
  elements: Element[];
  /** Index of its first token, and of the token after its last. */
  from: number;
  to: number;
}

/** True when a run asks for a calculation: an operand and an operation that is not just a sign. */
export function isCalculation(elements: readonly Element[]): boolean {
  let operands = 0;
  let operations = 0;
  for (const el of elements) {
    if (el.role === 'operand') {
      operands++;
      if (el.op) operations++;
    } else if (el.role === 'binop' || el.role === 'postfix' || el.role === 'func') operations++;
  }
  return operands > 0 && operations > 0;
}

/** The pieces of a run as the calculator gets them, and as the answer names them when that differs. */
export function render(elements: readonly Element[]): { pieces: Piece[]; label?: Piece[] } {
  const last = elements.at(-1);
  const change = elements.at(-2);
  if (last?.percent && change?.role === 'binop' && (change.pieces[0] === '+' || change.pieces[0] === '-')) {
    // "200 plus 15%": fifteen percent of 200 added, not 0.15.
    const left = render(elements.slice(0, -2));
    const single = elements.length === 3 && elements[0]!.role === 'operand';
    const sign = change.pieces[0] as string;
    return {
      pieces: single
        ? [left.pieces, ` * (1 ${sign} ${last.percent} / 100)`]
        : ['(', left.pieces, `) * (1 ${sign} ${last.percent} / 100)`],
      label: [left.label ?? left.pieces, ` ${sign} ${last.percent}%`],
    };
  }
  const pieces: Piece[] = [];
  const label: Piece[] = [];
  let labelled = false;
  elements.forEach((el, i) => {
    const prev = elements[i - 1];
    const sep = !prev || prev.glue || (prev.raw && el.raw && prev.end === el.start) ? '' : ' ';
    pieces.push(sep, el.pieces);
    label.push(sep, el.label ?? el.pieces);
    if (el.label) labelled = true;
  });
  return labelled ? { pieces, label } : { pieces };
}

/** An operand standing for an earlier result, put before a run that starts with an operator. */
export function refElement(ref: Ref): Element {
  return { role: 'operand', pieces: [{ ref }], raw: false, start: -1, end: -1 };
}
