/**
 * Weft's semantic types and run-time values. Every type is finite: ranges
 * have bounds, arrays have sizes. Values are plain data so that states can
 * be frozen by immer and keyed by JSON: a struct is an array of its fields
 * in declaration order, an enum value is its member's ordinal, a lock is a
 * number (see state/locks.ts).
 */
import type { LockKind } from '../syntax/ast.ts';

export interface EnumType { readonly kind: 'enum'; readonly name: string; readonly members: readonly string[] }
export interface StructField { readonly name: string; readonly type: Type }
export interface StructType { readonly kind: 'struct'; readonly name: string; readonly fields: readonly StructField[] }

/**
 * The kernel's counter types (check/kernel.ts): an `atomic_t<lo..hi>` is
 * the range lo..hi, a `refcount_t<max>` the range REFCOUNT_SATURATED..max,
 * a `completion` the range 0..COMPLETION_ALL (check/waitq.ts).
 * Code touches them only through their builtins; to everything else
 * (stores, ranges, layout, properties) they are the integer range.
 */
export type KernelCounter = 'atomic_t' | 'refcount_t' | 'completion';

/** A saturated refcount_t: the kernel's REFCOUNT_SATURATED (INT_MIN / 2), one value below 0 here. */
export const REFCOUNT_SATURATED = -1;

/**
 * A `completion` (check/waitq.ts) is the range 0..COMPLETION_ALL: its
 * count of complete() not yet waited for, at most COMPLETION_MAX, or
 * COMPLETION_ALL after complete_all() (the kernel's UINT_MAX).
 */
export const COMPLETION_MAX = 3;
export const COMPLETION_ALL = COMPLETION_MAX + 1;

export type Type =
  | { readonly kind: 'bool' }
  | { readonly kind: 'int'; readonly lo: number; readonly hi: number; readonly counter?: KernelCounter }
  /** An intermediate integer: the result of arithmetic, unbounded until stored. */
  | { readonly kind: 'integer' }
  | EnumType
  | StructType
  /**
   * `waitQueue`: a `wait_queue_head_t` (check/waitq.ts), a bool per actor
   * instance (in instance order), true while it is on the queue and not
   * woken; code touches it only through its builtins.
   */
  | { readonly kind: 'array'; readonly element: Type; readonly size: number; readonly waitQueue?: true }
  | { readonly kind: 'lock'; readonly lock: LockKind };

export type Value = number | boolean | readonly Value[];

export const BOOL: Type = { kind: 'bool' };
export const INTEGER: Type = { kind: 'integer' };

export function typeToString(t: Type): string {
  switch (t.kind) {
    case 'bool': return 'bool';
    case 'int':
      if (t.counter === 'atomic_t') return `atomic_t<${t.lo}..${t.hi}>`;
      if (t.counter === 'refcount_t') return `refcount_t<${t.hi}>`;
      if (t.counter === 'completion') return 'completion';
      return `${t.lo}..${t.hi}`;
    case 'integer': return 'an integer';
    case 'enum': return t.name;
    case 'struct': return t.name;
    case 'array': return t.waitQueue ? 'wait_queue_head_t' : `${typeToString(t.element)}[${t.size}]`;
    case 'lock': return t.lock;
  }
}

export function isNumeric(t: Type): boolean {
  return t.kind === 'int' || t.kind === 'integer';
}

/** Can a value of type `from` be stored where `to` is expected (ranges checked when stored)? */
export function assignable(to: Type, from: Type): boolean {
  if (isNumeric(to) && isNumeric(from)) return true;
  return sameType(to, from);
}

export function sameType(a: Type, b: Type): boolean {
  if (isNumeric(a) && isNumeric(b)) return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'enum': case 'struct': return a.name === (b as typeof a).name;
    case 'array': { const bb = b as typeof a; return a.size === bb.size && a.waitQueue === bb.waitQueue && sameType(a.element, bb.element); }
    case 'lock': return a.lock === (b as typeof a).lock;
    default: return true;
  }
}

/** Exact equality of types, ranges included (for by-reference arguments). */
export function identicalType(a: Type, b: Type): boolean {
  if (a.kind === 'int' && b.kind === 'int') return a.lo === b.lo && a.hi === b.hi && a.counter === b.counter;
  if (a.kind === 'array' && b.kind === 'array') return a.size === b.size && a.waitQueue === b.waitQueue && identicalType(a.element, b.element);
  return sameType(a, b) && a.kind === b.kind;
}

/** Scalars can be compared with `==` and copied; aggregates holding locks cannot be copied. */
export function isScalar(t: Type): boolean {
  return t.kind === 'bool' || t.kind === 'int' || t.kind === 'integer' || t.kind === 'enum';
}

export function containsLock(t: Type): boolean {
  switch (t.kind) {
    case 'lock': return true;
    case 'array': return containsLock(t.element);
    case 'struct': return t.fields.some((f) => containsLock(f.type));
    default: return false;
  }
}

/** Does a value of `t` hold a wait queue (which is never copied, nor initialised)? */
export function containsWaitQueue(t: Type): boolean {
  switch (t.kind) {
    case 'array': return t.waitQueue === true || containsWaitQueue(t.element);
    case 'struct': return t.fields.some((f) => containsWaitQueue(f.type));
    default: return false;
  }
}

/** The value a declaration without initializer starts with: false, the lower bound, the first member, unlocked. */
export function defaultValue(t: Type): Value {
  switch (t.kind) {
    case 'bool': return false;
    // A refcount_t starts at 0, not saturated.
    case 'int': return t.counter === 'refcount_t' ? 0 : t.lo;
    case 'integer': return 0;
    case 'enum': return 0;
    case 'lock': return 0;
    case 'struct': return t.fields.map((f) => defaultValue(f.type));
    case 'array': return Array.from({ length: t.size }, () => defaultValue(t.element));
  }
}

/** Locks are numbers: the encoding and the rules are state/locks.ts's. */
export { MAX_RWSEM_INSTANCES, lockValue } from '../state/locks.ts';

/** Number of distinct values, for reports on the size of the state. */
export function cardinality(t: Type): number {
  switch (t.kind) {
    case 'bool': return 2;
    case 'int': return t.hi - t.lo + 1;
    case 'integer': return Infinity;
    case 'enum': return t.members.length;
    case 'lock': return Infinity;
    case 'struct': return t.fields.reduce((n, f) => n * cardinality(f.type), 1);
    case 'array': return cardinality(t.element) ** t.size;
  }
}
