/**
 * Weft's integer arithmetic, defined once. The constant folder
 * (check/expressions.ts, lower/expressions.ts), the reference interpreter
 * (explore/evaluate.ts), the runtime the generated code calls
 * (explore/runtime.ts) and the Promela export's range analysis all use
 * these functions, so that every consumer gives every expression the same
 * value or the same fault (docs/language.md, "Arithmetic").
 *
 * The rule: values are exact mathematical integers, and every intermediate
 * result must be a safe integer, |v| <= 2^53 - 1 (Number.isSafeInteger).
 * A result beyond that is an `overflow` fault, never a rounded double.
 * Division truncates toward zero and the remainder takes the dividend's
 * sign (C); a zero divisor is a `divisionByZero` fault. -0 is never a
 * value: results are normalised to 0.
 *
 * Why checking after the double operation is exact: the operands are safe
 * integers, so the exact sum, difference or product is an integer, and a
 * double operation returns the exact result rounded to a double. Rounding is
 * monotone and 2^53 is a double, so the rounded result is a safe integer
 * exactly when the exact result is one, and then it is the exact result.
 * Division is computed as (a - a % b) / b: `%` on doubles is exact, the
 * difference is an exact multiple of b, and the quotient is exact, whereas
 * Math.trunc(a / b) may round a quotient just below an integer up to it.
 */

/** Why an operation has no value: both are `ranges` violations at run time. */
export type ArithFault = { readonly kind: 'overflow' } | { readonly kind: 'divisionByZero' };

export const OVERFLOW: ArithFault = Object.freeze({ kind: 'overflow' });
export const DIVISION_BY_ZERO: ArithFault = Object.freeze({ kind: 'divisionByZero' });

/** The largest magnitude a value or intermediate may have: 2^53 - 1. */
export const MAX_MAGNITUDE = Number.MAX_SAFE_INTEGER;

export type ArithOp = '+' | '-' | '*' | '/' | '%';

export function isFault(r: number | ArithFault): r is ArithFault {
  return typeof r !== 'number';
}

/** The result of an exact integer operation, or its fault; -0 becomes 0. */
function checked(x: number): number | ArithFault {
  if (!Number.isSafeInteger(x)) return OVERFLOW;
  return x === 0 ? 0 : x;
}

export function add(a: number, b: number): number | ArithFault {
  return checked(a + b);
}

export function sub(a: number, b: number): number | ArithFault {
  return checked(a - b);
}

export function mul(a: number, b: number): number | ArithFault {
  return checked(a * b);
}

/** C division: the quotient truncated toward zero. */
export function div(a: number, b: number): number | ArithFault {
  if (b === 0) return DIVISION_BY_ZERO;
  return checked((a - (a % b)) / b);
}

/** C remainder: a - b * (a / b), which has the dividend's sign. */
export function rem(a: number, b: number): number | ArithFault {
  if (b === 0) return DIVISION_BY_ZERO;
  return checked(a % b);
}

/** Unary minus; the negation of a safe integer is safe. */
export function neg(a: number): number | ArithFault {
  return checked(-a);
}

/** The table every consumer reads the binary operators from. */
export const ARITH: Readonly<Record<ArithOp, (a: number, b: number) => number | ArithFault>> = {
  '+': add, '-': sub, '*': mul, '/': div, '%': rem,
};

export function isArithOp(op: string): op is ArithOp {
  return op === '+' || op === '-' || op === '*' || op === '/' || op === '%';
}

/** The words a message uses for a fault: `arithmetic overflow`, `division by zero`. */
export function faultText(f: ArithFault): string {
  return f.kind === 'overflow' ? 'arithmetic overflow' : 'division by zero';
}

/** An array of `size` elements has the indexes 0..size-1; any other index is a `ranges` violation. */
export function inIndex(i: number, size: number): boolean {
  return i >= 0 && i < size;
}

/**
 * Bounds of `a op b` for every a in `x` and b in `y` where it is defined
 * (a zero divisor faults instead), computed on exact integers, not limited
 * to safe ones. Used to prove that no intermediate can leave a range (the
 * Promela export, whose `int` has 32 bits: export/promelaRange.ts).
 */
export function intervalOf(op: ArithOp, x: readonly [number, number], y: readonly [number, number]): readonly [number, number] {
  const mx = Math.max(Math.abs(x[0]), Math.abs(x[1]));
  switch (op) {
    case '+': return [x[0] + y[0], x[1] + y[1]];
    case '-': return [x[0] - y[1], x[1] - y[0]];
    case '*': {
      const p = [x[0] * y[0], x[0] * y[1], x[1] * y[0], x[1] * y[1]];
      return [Math.min(...p), Math.max(...p)];
    }
    // |a / b| <= |a| for b != 0.
    case '/': return [-mx, mx];
    case '%': {
      // |a % b| < |b| and |a % b| <= |a|; the sign is a's.
      const m = Math.max(0, Math.min(Math.max(Math.abs(y[0]), Math.abs(y[1])) - 1, mx));
      return [x[0] < 0 ? -m : 0, x[1] > 0 ? m : 0];
    }
  }
}
