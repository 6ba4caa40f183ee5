/**
 * The kernel primitives a litmus test may call, and the memory
 * instruction each one becomes: linux-kernel.def's table (herd7's
 * tools/memory-model/linux-kernel.def), written as data so that body.ts
 * has one rule per kind of instruction, not one per name.
 */
import type { FenceKind, LoadMode, RmwMode, RmwOp, RmwResult, StoreMode } from '../explore/lkmm/program.ts';

/**
 * How a primitive names its location. `access`: as the lvalue `*x`
 * (READ_ONCE(*x); the def passes X on as it is); `pointer`: as the
 * pointer `x` (smp_load_acquire(x); the def writes `*X`).
 */
export type LocArg = 'access' | 'pointer';

/** An operand of a read-modify-write: one of the call's arguments, or a constant (atomic_inc adds 1). */
export type Operand = { readonly arg: number } | { readonly literal: number };

export type Primitive =
  /** (X) */
  | { readonly kind: 'load'; readonly mode: LoadMode; readonly loc: LocArg }
  /** (X, V); smp_store_mb adds a fence after the store. */
  | { readonly kind: 'store'; readonly mode: StoreMode; readonly loc: LocArg; readonly fence: FenceKind | null }
  /** () */
  | { readonly kind: 'fence'; readonly fence: FenceKind }
  /** (X), a pointer to the lock. */
  | { readonly kind: 'lock' | 'unlock' | 'trylock' | 'islocked' }
  /**
   * `arity` arguments, the location (a pointer) at index `loc`.
   * `test`: the *_and_test and add_negative forms, whose value is the new
   * value compared with 0.
   */
  | {
      readonly kind: 'rmw'; readonly arity: number; readonly loc: number; readonly op: RmwOp; readonly operands: readonly Operand[];
      readonly mode: RmwMode; readonly result: RmwResult; readonly test: '==' | '<' | null;
    };

export function arity(p: Primitive): number {
  switch (p.kind) {
    case 'load': case 'lock': case 'unlock': case 'trylock': case 'islocked': return 1;
    case 'store': return 2;
    case 'fence': return 0;
    case 'rmw': return p.arity;
  }
}

/** Whether a call of it has a value (a load, a trylock, an rmw but the void atomic_add and friends). */
export function hasValue(p: Primitive): boolean {
  return p.kind === 'load' || p.kind === 'trylock' || p.kind === 'islocked' || (p.kind === 'rmw' && p.result !== 'none');
}

const table = new Map<string, Primitive>();

table.set('READ_ONCE', { kind: 'load', mode: 'once', loc: 'access' });
table.set('WRITE_ONCE', { kind: 'store', mode: 'once', loc: 'access', fence: null });
table.set('smp_load_acquire', { kind: 'load', mode: 'acquire', loc: 'pointer' });
table.set('smp_store_release', { kind: 'store', mode: 'release', loc: 'pointer', fence: null });
table.set('rcu_dereference', { kind: 'load', mode: 'once', loc: 'access' });
table.set('rcu_assign_pointer', { kind: 'store', mode: 'release', loc: 'access', fence: null });
table.set('smp_store_mb', { kind: 'store', mode: 'once', loc: 'access', fence: 'mb' });
table.set('atomic_read', { kind: 'load', mode: 'once', loc: 'pointer' });
table.set('atomic_set', { kind: 'store', mode: 'once', loc: 'pointer', fence: null });
table.set('atomic_read_acquire', { kind: 'load', mode: 'acquire', loc: 'pointer' });
table.set('atomic_set_release', { kind: 'store', mode: 'release', loc: 'pointer', fence: null });

const fences: readonly (readonly [string, FenceKind])[] = [
  ['smp_mb', 'mb'], ['smp_rmb', 'rmb'], ['smp_wmb', 'wmb'], ['barrier', 'barrier'],
  ['smp_mb__before_atomic', 'before-atomic'], ['smp_mb__after_atomic', 'after-atomic'],
  ['smp_mb__after_spinlock', 'after-spinlock'], ['smp_mb__after_unlock_lock', 'after-unlock-lock'],
  ['rcu_read_lock', 'rcu-lock'], ['rcu_read_unlock', 'rcu-unlock'],
  ['synchronize_rcu', 'sync-rcu'], ['synchronize_rcu_expedited', 'sync-rcu'],
];
for (const [name, fence] of fences) table.set(name, { kind: 'fence', fence });

table.set('spin_lock', { kind: 'lock' });
table.set('spin_unlock', { kind: 'unlock' });
table.set('spin_trylock', { kind: 'trylock' });
table.set('spin_is_locked', { kind: 'islocked' });

const V0: Operand = { arg: 0 };
const ONE: Operand = { literal: 1 };
const rmw = (arity: number, loc: number, op: RmwOp, operands: readonly Operand[], mode: RmwMode, result: RmwResult, test: '==' | '<' | null = null): Primitive =>
  ({ kind: 'rmw', arity, loc, op, operands, mode, result, test });

// The value-returning forms: unsuffixed fully ordered, then _relaxed, _acquire, _release.
const orders: readonly (readonly [string, RmwMode])[] = [['', 'mb'], ['_relaxed', 'once'], ['_acquire', 'acquire'], ['_release', 'release']];
for (const [suffix, mode] of orders) {
  for (const prefix of ['', 'atomic_']) {
    table.set(`${prefix}xchg${suffix}`, rmw(2, 0, 'xchg', [{ arg: 1 }], mode, 'old'));
    table.set(`${prefix}cmpxchg${suffix}`, rmw(3, 0, 'cmpxchg', [{ arg: 1 }, { arg: 2 }], mode, 'old'));
  }
  for (const op of ['add', 'sub'] as const) {
    table.set(`atomic_${op}_return${suffix}`, rmw(2, 1, op, [V0], mode, 'new'));
    table.set(`atomic_fetch_${op}${suffix}`, rmw(2, 1, op, [V0], mode, 'old'));
  }
  for (const [name, op] of [['inc', 'add'], ['dec', 'sub']] as const) {
    table.set(`atomic_${name}_return${suffix}`, rmw(1, 0, op, [ONE], mode, 'new'));
    table.set(`atomic_fetch_${name}${suffix}`, rmw(1, 0, op, [ONE], mode, 'old'));
  }
}
// The void forms: no value, no ordering.
table.set('atomic_add', rmw(2, 1, 'add', [V0], 'once', 'none'));
table.set('atomic_sub', rmw(2, 1, 'sub', [V0], 'once', 'none'));
table.set('atomic_inc', rmw(1, 0, 'add', [ONE], 'once', 'none'));
table.set('atomic_dec', rmw(1, 0, 'sub', [ONE], 'once', 'none'));
table.set('atomic_sub_and_test', rmw(2, 1, 'sub', [V0], 'mb', 'new', '=='));
table.set('atomic_dec_and_test', rmw(1, 0, 'sub', [ONE], 'mb', 'new', '=='));
table.set('atomic_inc_and_test', rmw(1, 0, 'add', [ONE], 'mb', 'new', '=='));
table.set('atomic_add_negative', rmw(2, 1, 'add', [V0], 'mb', 'new', '<'));
// atomic_add_unless(X, A, U): herd's own (not in the def), fully ordered; its value is whether it added.
table.set('atomic_add_unless', rmw(3, 0, 'add_unless', [{ arg: 1 }, { arg: 2 }], 'mb', 'test'));

export function primitive(name: string): Primitive | undefined {
  return table.get(name);
}

export const primitiveNames: readonly string[] = [...table.keys()];

/** A few of the known ones, for the message that names an unknown one. */
export const commonPrimitives = ['READ_ONCE', 'WRITE_ONCE', 'smp_load_acquire', 'smp_store_release', 'smp_mb', 'spin_lock', 'xchg', 'atomic_inc'];

/** SRCU's primitives, which linux-kernel.def has and the LKMM mode does not yet. */
export function isSrcu(name: string): boolean {
  return /^(srcu_|synchronize_srcu|init_srcu_struct|cleanup_srcu_struct)/.test(name);
}
