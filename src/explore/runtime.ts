/**
 * The helpers generated model code calls (see emit/contract.ts), with the
 * same semantics as the reference interpreter (explore/evaluate.ts): the
 * arithmetic and index check of state/arith.ts, and the lock encoding of check/types.ts. Lock
 * misuse returns NaN; the explorer records which step failed and the
 * reference interpreter words the message when the trace is rebuilt.
 */
import { MODE_EXCLUSIVE, MODE_READ, type Mode, type Runtime } from '../emit/contract.ts';
import { exclusiveHolder, hasReader, withReader, withoutReader, writer } from './locks.ts';
import { lockValue } from '../check/types.ts';
import { add, div, inIndex, mul, neg, rem, sub, type ArithFault } from '../state/arith.ts';

const FAULT = Object.freeze({ fault: true });

/** An arithmetic result, or FAULT thrown for the step to fail property `ranges`. */
function value(r: number | ArithFault): number {
  if (typeof r !== 'number') throw FAULT;
  return r;
}

export const runtime: Runtime = {
  FAULT,
  ix(i, n) {
    if (!inIndex(i, n)) throw FAULT;
    return i;
  },
  add: (a, b) => value(add(a, b)),
  sub: (a, b) => value(sub(a, b)),
  mul: (a, b) => value(mul(a, b)),
  div: (a, b) => value(div(a, b)),
  mod: (a, b) => value(rem(a, b)),
  neg: (a) => value(neg(a)),
  canAcquire(v: number, mode: Mode, me: number): boolean {
    if (mode === MODE_EXCLUSIVE) return v === lockValue.free || exclusiveHolder(v) === me;
    if (mode === MODE_READ) return v >= 0 || writer(v) === me;
    return v === lockValue.free || writer(v) === me || hasReader(v, me);
  },
  acquire(v: number, mode: Mode, me: number): number {
    if (mode === MODE_EXCLUSIVE) return exclusiveHolder(v) === me ? NaN : lockValue.heldBy(me);
    if (writer(v) === me || hasReader(v, me)) return NaN;
    return mode === MODE_READ ? withReader(v, me) : lockValue.writerOf(me);
  },
  release(v: number, mode: Mode, me: number): number {
    if (mode === MODE_EXCLUSIVE) return exclusiveHolder(v) === me ? lockValue.free : NaN;
    if (mode === MODE_READ) return hasReader(v, me) ? withoutReader(v, me) : NaN;
    return writer(v) === me ? lockValue.free : NaN;
  },
};
