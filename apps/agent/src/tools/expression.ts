/**
 * A small arithmetic language, parsed by recursive descent and evaluated over plain numbers.
 * Nothing in the input ever reaches `eval`, `Function` or property lookups: identifiers are
 * matched against a closed table of constants and functions, everything else is a syntax error.
 *
 *   expression := term (('+' | '-') term)*
 *   term       := unary (('*' | '/' | '%') unary)*
 *   unary      := ('-' | '+') unary | power
 *   power      := primary ('^' unary)?          (right-associative, binds tighter than unary minus)
 *   primary    := number | constant | function '(' expression ')' | '(' expression ')'
 */

export const MAX_EXPRESSION_LENGTH = 200;
const MAX_DEPTH = 50;

/** A problem with the expression the caller can fix; the message is safe to show. */
export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

const FUNCTIONS: Readonly<Record<string, (x: number) => number>> = {
  sqrt: (x) => {
    if (x < 0) throw new ExpressionError('square root of a negative number is not a real number');
    return Math.sqrt(x);
  },
  abs: Math.abs,
  round: Math.round,
  floor: Math.floor,
  ceil: Math.ceil,
  ln: (x) => {
    if (x <= 0) throw new ExpressionError('logarithm is only defined for positive numbers');
    return Math.log(x);
  },
  log: (x) => {
    if (x <= 0) throw new ExpressionError('logarithm is only defined for positive numbers');
    return Math.log10(x);
  },
};

const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };

type Token =
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'ident'; value: string; pos: number }
  | { kind: 'op'; value: string; pos: number };

// Sticky (`y`): matched in place at `lastIndex`, instead of on a fresh slice of the rest per token.
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME = /[a-zA-Z]+/y;

/** The match of sticky `pattern` at `at` in `input`, if any. */
function matchAt(pattern: RegExp, input: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(input)?.[0];
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (/[0-9.]/.test(ch)) {
      const m = matchAt(NUMBER, input, i);
      if (!m) throw new ExpressionError(`malformed number at position ${i + 1}`);
      const value = Number(m);
      if (!Number.isFinite(value)) throw new ExpressionError(`number at position ${i + 1} is too large`);
      tokens.push({ kind: 'number', value, pos: i });
      i += m.length;
      if (i < input.length && /[0-9.]/.test(input[i]!))
        throw new ExpressionError(`malformed number at position ${i + 1}`);
      continue;
    }
    if (/[a-zA-Z]/.test(ch)) {
      const m = matchAt(NAME, input, i)!;
      tokens.push({ kind: 'ident', value: m.toLowerCase(), pos: i });
      i += m.length;
      continue;
    }
    if ('+-*/%^()'.includes(ch)) {
      tokens.push({ kind: 'op', value: ch, pos: i });
      i++;
      continue;
    }
    if (ch === '×' || ch === '÷' || ch === '−') {
      tokens.push({ kind: 'op', value: ch === '×' ? '*' : ch === '÷' ? '/' : '-', pos: i });
      i++;
      continue;
    }
    throw new ExpressionError(`unexpected character "${ch}" at position ${i + 1}`);
  }
  return tokens;
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  parse(): number {
    if (this.tokens.length === 0) throw new ExpressionError('the expression is empty');
    const value = this.expression();
    const rest = this.tokens[this.i];
    if (rest) throw new ExpressionError(`unexpected "${String(rest.value)}" at position ${rest.pos + 1}`);
    return value;
  }

  private peekOp(...ops: string[]): string | undefined {
    const t = this.tokens[this.i];
    return t?.kind === 'op' && ops.includes(t.value) ? t.value : undefined;
  }

  private nest<T>(fn: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new ExpressionError('the expression is nested too deeply');
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  private expression(): number {
    return this.nest(() => {
      let value = this.term();
      for (let op = this.peekOp('+', '-'); op; op = this.peekOp('+', '-')) {
        this.i++;
        const right = this.term();
        value = op === '+' ? value + right : value - right;
      }
      return value;
    });
  }

  private term(): number {
    let value = this.unary();
    for (let op = this.peekOp('*', '/', '%'); op; op = this.peekOp('*', '/', '%')) {
      this.i++;
      const right = this.unary();
      if ((op === '/' || op === '%') && right === 0) throw new ExpressionError('division by zero');
      value = op === '*' ? value * right : op === '/' ? value / right : value % right;
    }
    return value;
  }

  private unary(): number {
    return this.nest(() => {
      const op = this.peekOp('+', '-');
      if (op) {
        this.i++;
        const v = this.unary();
        return op === '-' ? -v : v;
      }
      return this.power();
    });
  }

  private power(): number {
    const base = this.primary();
    if (!this.peekOp('^')) return base;
    this.i++;
    const exponent = this.unary();
    const value = base ** exponent;
    if (Number.isNaN(value)) throw new ExpressionError('the power is not a real number');
    return value;
  }

  private expect(op: string, what: string): void {
    if (!this.peekOp(op)) {
      const t = this.tokens[this.i];
      throw new ExpressionError(
        t ? `expected ${what} at position ${t.pos + 1}` : `expected ${what} at the end of the expression`,
      );
    }
    this.i++;
  }

  private primary(): number {
    const t = this.tokens[this.i];
    if (!t) throw new ExpressionError('the expression ends too early');
    if (t.kind === 'number') {
      this.i++;
      return t.value;
    }
    if (t.kind === 'ident') {
      this.i++;
      if (Object.hasOwn(CONSTANTS, t.value)) return CONSTANTS[t.value]!;
      if (Object.hasOwn(FUNCTIONS, t.value)) {
        this.expect('(', `"(" after ${t.value}`);
        const arg = this.expression();
        this.expect(')', '")"');
        return FUNCTIONS[t.value]!(arg);
      }
      throw new ExpressionError(
        `unknown name "${t.value}" (known: ${[...Object.keys(FUNCTIONS), ...Object.keys(CONSTANTS)].join(', ')})`,
      );
    }
    if (t.value === '(') {
      this.i++;
      const value = this.expression();
      this.expect(')', '")"');
      return value;
    }
    throw new ExpressionError(`unexpected "${t.value}" at position ${t.pos + 1}`);
  }
}

/** Evaluates an arithmetic expression; throws `ExpressionError` for anything it cannot compute. */
export function evaluateExpression(expression: string): number {
  if (expression.length > MAX_EXPRESSION_LENGTH)
    throw new ExpressionError(`the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  const value = new Parser(tokenize(expression)).parse();
  if (!Number.isFinite(value)) throw new ExpressionError('the result is too large to represent');
  return value;
}

/** Renders a result without floating-point noise (0.1 + 0.2 → 0.3) and without exponent for everyday sizes. */
export function formatNumber(value: number): string {
  if (Object.is(value, -0)) return '0';
  const rounded = Number.parseFloat(value.toPrecision(12));
  if (Math.abs(rounded) >= 1e21 || (rounded !== 0 && Math.abs(rounded) < 1e-6)) return String(rounded);
  return rounded.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 12 });
}
