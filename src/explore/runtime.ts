/**
 * The helpers generated model code calls (see emit/contract.ts), with the
 * same semantics as the reference interpreter (explore/evaluate.ts): the
 * arithmetic and index check of state/arith.ts, and the lock rules of state/locks.ts. Lock
 * misuse returns NaN; the explorer records which step failed and the
 * reference interpreter words the message when the trace is rebuilt.
 */
import { MODE_EXCLUSIVE, MODE_READ, MODE_WRITE, type Mode, type Runtime } from '../emit/contract.ts';
import { acquire, canAcquire, lockFree, release, type LockMisuse, type LockMode } from '../state/locks.ts';
import { add, div, inIndex, mul, neg, rem, sub, type ArithFault } from '../state/arith.ts';

const FAULT = Object.freeze({ fault: true });

/** An arithmetic result, or FAULT thrown for the step to fail property `ranges`. */
function value(r: number | ArithFault): number {
  if (typeof r !== 'number') throw FAULT;
  return r;
}

/** The contract's numeric modes, as state/locks.ts names them. */
const MODES: Record<Mode, LockMode> = { [MODE_EXCLUSIVE]: 'exclusive', [MODE_READ]: 'read', [MODE_WRITE]: 'write' };

/**
 * A lock's next value, or NaN for a misuse: the explorer fails property
 * `locking` at that step and the reference interpreter words the message
 * when the trace is rebuilt. `blocked` means the step had no canAcquire
 * guard, a bug in Weft, as the interpreter also says.
 */
function lockResult(r: number | LockMisuse): number {
  if (typeof r === 'number') return r;
  if (r.kind === 'blocked') throw new Error('internal error: a lock was acquired without its canAcquire guard');
  return NaN;
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
  canAcquire: (v: number, mode: Mode, me: number): boolean => canAcquire(v, MODES[mode], me),
  lockFree: (v: number, mode: Mode): boolean => lockFree(v, MODES[mode]),
  acquire: (v: number, mode: Mode, me: number): number => lockResult(acquire(v, MODES[mode], me)),
  release: (v: number, mode: Mode, me: number): number => lockResult(release(v, MODES[mode], me)),
};
