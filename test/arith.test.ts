/**
 * state/arith.ts against exact integer arithmetic (BigInt), over values at
 * the edges of the safe integers: each operation gives the exact result
 * when that is within ±(2^53-1), the overflow fault otherwise, C division
 * and remainder, the division-by-zero fault, and never -0.
 */
import { describe, expect, it } from 'vitest';
import { ARITH, DIVISION_BY_ZERO, OVERFLOW, intervalOf, neg, type ArithOp } from '../src/state/arith.ts';

const MAX = Number.MAX_SAFE_INTEGER;
const base = [0, 1, 2, 3, 7, 2 ** 26 - 1, 2 ** 26 + 1, 94906265, 94906266, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 52 - 1, 2 ** 52, MAX - 2, MAX - 1, MAX, 3002399751580330, 4503599627370496];
const values = [...base, ...base.map((v) => -v)];

function exact(op: ArithOp, a: bigint, b: bigint): bigint | null {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    // BigInt division truncates toward zero and % takes the dividend's sign, as C does.
    case '/': return b === 0n ? null : a / b;
    case '%': return b === 0n ? null : a % b;
  }
}

describe('state/arith.ts', () => {
  for (const op of ['+', '-', '*', '/', '%'] as const) {
    it(`${op} is exact on safe results and faults beyond them`, () => {
      for (const a of values) {
        for (const b of values) {
          const want = exact(op, BigInt(a), BigInt(b));
          const got = ARITH[op](a, b);
          if (want === null) expect(got, `${a} ${op} ${b}`).toBe(DIVISION_BY_ZERO);
          else if (want > BigInt(MAX) || want < -BigInt(MAX)) expect(got, `${a} ${op} ${b}`).toBe(OVERFLOW);
          else {
            expect(got, `${a} ${op} ${b}`).toBe(Number(want));
            expect(Object.is(got, -0), `${a} ${op} ${b} is -0`).toBe(false);
          }
        }
      }
    });
  }

  it('negation is exact and never -0', () => {
    for (const a of values) {
      expect(neg(a)).toBe(a === 0 ? 0 : -a);
      expect(Object.is(neg(a), -0)).toBe(false);
    }
  });

  it('intervalOf bounds every defined result of its operands', () => {
    const small = [-7, -3, -2, -1, 0, 1, 2, 3, 7];
    for (const op of ['+', '-', '*', '/', '%'] as const) {
      for (const [x0, x1] of [[-7, -2], [-3, 3], [0, 7], [2, 3]] as const) {
        for (const [y0, y1] of [[-7, -2], [-3, 3], [0, 7], [2, 3], [1, 1]] as const) {
          const r = intervalOf(op, [x0, x1], [y0, y1]);
          for (const a of small.filter((v) => v >= x0 && v <= x1)) {
            for (const b of small.filter((v) => v >= y0 && v <= y1)) {
              const v = ARITH[op](a, b);
              if (typeof v !== 'number') continue;
              expect(v >= r[0] && v <= r[1], `${a} ${op} ${b} = ${v} in ${r}`).toBe(true);
            }
          }
        }
      }
    }
  });
});
