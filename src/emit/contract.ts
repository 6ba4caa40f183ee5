/**
 * The contract between generated model code and the hand-written runtime.
 * A generated module exports `create(rt: Runtime): CompiledModel`; it holds
 * only what is specific to one model and variant (the step functions over
 * packed state vectors, the state properties, the initial state). The
 * explorer, the state store and trace rebuilding stay ordinary TypeScript.
 * This file is also given to the TypeScript checker next to the generated
 * text, so the generated code is type-checked against it.
 */

/** Lock modes as the generated code passes them. */
export const MODE_EXCLUSIVE = 0;
export const MODE_READ = 1;
export const MODE_WRITE = 2;
export type Mode = 0 | 1 | 2;

/** Where the generated code sends what it finds. */
export interface Sink {
  /** Scratch vectors, one per branching depth: a step builds its successor in bufs[0]. */
  readonly bufs: readonly Uint8Array[];
  /**
   * The same vectors viewed as 32-bit words, and the state being expanded
   * (the `c` of expand()) likewise: a step starts by copying its state word
   * by word, several times faster than Uint8Array.set for a few words.
   */
  readonly bufs32: readonly Uint32Array[];
  readonly cur32: Uint32Array;
  /** A successor of the state being expanded is ready in `state`. */
  emit(instance: number, step: number, state: Uint8Array): void;
  /** Taking `step` fails property number `property` (an assert, ranges or locking). */
  fail(instance: number, step: number, property: number): void;
  /** Taking `step` records a warning of property number `property`; the step goes on. */
  warn(instance: number, step: number, property: number): void;
}

/** Helpers the generated code calls; the runtime supplies them. */
export interface Runtime {
  /** Thrown by ix and the arithmetic: a bad index, an overflow or a division by zero (property `ranges`). */
  readonly FAULT: object;
  /** `i` if it indexes an array of `n` elements, else throws FAULT. */
  ix(i: number, n: number): number;
  /**
   * Weft's arithmetic (state/arith.ts): exact integers; a result beyond
   * ±(2^53-1) throws FAULT. Division truncates toward zero, the remainder
   * has the dividend's sign (C); a zero divisor throws FAULT.
   */
  add(a: number, b: number): number;
  sub(a: number, b: number): number;
  mul(a: number, b: number): number;
  div(a: number, b: number): number;
  mod(a: number, b: number): number;
  neg(a: number): number;
  canAcquire(lock: number, mode: Mode, me: number): boolean;
  /** Does a trylock in this mode take the lock (state/locks.ts lockFree)? */
  lockFree(lock: number, mode: Mode): boolean;
  /** The lock's value once `me` has taken it, or NaN when `me` holds it already (lock misuse). */
  acquire(lock: number, mode: Mode, me: number): number;
  /** The lock's value once `me` has released it, or NaN when `me` does not hold it (lock misuse). */
  release(lock: number, mode: Mode, me: number): number;
}

export interface CompiledModel {
  /** Bytes of a state vector (a multiple of 4). */
  readonly bytes: number;
  /** Scratch vectors `expand` needs (1 + the deepest nesting of choose/pick in a step). */
  readonly depth: number;
  /** Writes the initial state into `v`. */
  init(v: Uint8Array): void;
  /** Generates every successor of `c`, in the reference explorer's order; true when some step is enabled. */
  expand(c: Uint8Array, k: Sink): boolean;
  /**
   * Evaluates the undecided state properties of `c` (`todo[i]` is 1 for
   * property i still undecided): calls `found(i)` for an invariant that is
   * false or a reachable target that is true, and `found(-1 - i)` when
   * evaluating property i faults (a `ranges` violation at this state).
   */
  check(c: Uint8Array, todo: Uint8Array, found: (property: number) => void): void;
  /**
   * Writes the liveness predicates of `c` into `out`, one byte a slot in
   * explore/liveGraph.ts's order (each liveness property's P, if any, then
   * its Q): 1 or 0, or 2 when evaluating it faults.
   */
  live(c: Uint8Array, out: Uint8Array): void;
  /** True when every instance that is not a daemon's is at its actor's end. */
  finished(c: Uint8Array): boolean;
}

export type CreateModel = (rt: Runtime) => CompiledModel;
