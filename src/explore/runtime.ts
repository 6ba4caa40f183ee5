/**
 * The helpers generated model code calls (see emit/contract.ts), with the
 * same semantics as the reference interpreter (explore/evaluate.ts): C
 * division, bounds checks, and the lock encoding of check/types.ts. Lock
 * misuse returns NaN; the explorer records which step failed and the
 * reference interpreter words the message when the trace is rebuilt.
 */
import { MODE_EXCLUSIVE, MODE_READ, type Mode, type Runtime } from '../emit/contract.ts';
import { exclusiveHolder, hasReader, withReader, withoutReader, writer } from './locks.ts';
import { lockValue } from '../check/types.ts';

const FAULT = Object.freeze({ fault: true });

export const runtime: Runtime = {
  FAULT,
  ix(i, n) {
    if (i < 0 || i >= n) throw FAULT;
    return i;
  },
  div(a, b) {
    if (b === 0) throw FAULT;
    return Math.trunc(a / b);
  },
  mod(a, b) {
    if (b === 0) throw FAULT;
    return a % b;
  },
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
