/**
 * The kernel vocabulary: every builtin a model can call, with its
 * signature as the kernel spells it (arguments in the kernel's order:
 * `atomic_add(i, v)`, not `atomic_add(v, i)`). This table is what the
 * checker checks calls against (check/kernel.ts) and what lowering
 * dispatches on (lower/kernel.ts, which defines what each one does); the
 * language reference describes it in "Kernel vocabulary".
 *
 * A builtin is one step, like an assignment. A `pure` one only reads (the
 * value it gives is its argument's), so it may stand in any expression of
 * actor or fn code; any other changes the state or warns, and stands only
 * where check/kernel.ts allows it.
 */
import type { LockKind } from '../syntax/ast.ts';
import type { KernelCounter } from './types.ts';

/** What an argument must be. */
export type ArgKind =
  /** A lock variable of this kind (a place). */
  | { readonly kind: 'lock'; readonly lock: LockKind | 'exclusive' }
  /** An atomic_t or refcount_t variable (a place). */
  | { readonly kind: 'counter'; readonly counter: KernelCounter }
  /** A plain bool, integer or enum variable (a place): cmpxchg, xchg. */
  | { readonly kind: 'scalar' }
  /** Any variable that holds no lock and is no counter (a place): READ_ONCE, WRITE_ONCE. */
  | { readonly kind: 'place' }
  | { readonly kind: 'int' }
  | { readonly kind: 'bool' }
  /** A value that can be stored in the first argument. */
  | { readonly kind: 'like-target' }
  /** A wait_queue_head_t (a place): check/waitq.ts. */
  | { readonly kind: 'waitq' }

  /** The name of a fn without parameters, called later (call_rcu: check/rcu.ts). */
  | { readonly kind: 'callback' };

/** The value a builtin gives. */
export type Result = 'none' | 'bool' | 'int' | 'target';

export type BuiltinGroup = 'lock' | 'atomic' | 'plain' | 'refcount' | 'warning' | 'wait' | 'completion' | 'rcu' | 'barrier';

/**
 * How the Linux-kernel memory model sees a builtin (linux-kernel.def):
 * the event it makes, with its annotation. Under Weft's default semantics
 * (interleavings) the annotation changes nothing: smp_load_acquire is
 * READ_ONCE, a fence is a step that does nothing, atomic_add_return_relaxed
 * is atomic_add_return. Under `--memory-model lkmm` this is what decides.
 */
export type MemoryAccess =
  /** READ_ONCE, smp_load_acquire, atomic_read, rcu_dereference. */
  | { readonly kind: 'load'; readonly mode: LoadMode }
  /** WRITE_ONCE, smp_store_release, atomic_set, rcu_assign_pointer; smp_store_mb adds smp_mb() after. */
  | { readonly kind: 'store'; readonly mode: StoreMode; readonly fenceAfter?: true }
  | { readonly kind: 'rmw'; readonly op: RmwOp; readonly result: RmwResult; readonly mode: RmwMode; readonly operands: readonly Operand[] }
  | { readonly kind: 'fence'; readonly fence: FenceKind }
  | { readonly kind: 'lock' | 'unlock' | 'trylock' | 'islocked' };

/** An RMW's operand: an argument of the call (by position), or a constant (atomic_inc's 1). */
export type Operand = number | { readonly arg: number };

/** Plain C accesses, READ_ONCE/WRITE_ONCE ('once'), smp_load_acquire, smp_store_release. */
export type LoadMode = 'plain' | 'once' | 'acquire';
export type StoreMode = 'plain' | 'once' | 'release';
/** A read-modify-write's ordering: the unsuffixed value-returning forms are 'mb' (fully ordered), _relaxed is 'once'. */
export type RmwMode = 'mb' | 'once' | 'acquire' | 'release';
/**
 * xchg (operands: the new value), cmpxchg (expected, new; it writes only
 * when the old value is the expected one), an arithmetic op (the other
 * operand), add_unless (the addend, the value that stops it).
 */
export type RmwOp = 'xchg' | 'cmpxchg' | 'add' | 'sub' | 'and' | 'or' | 'xor' | 'add_unless';
/**
 * What a read-modify-write gives: `old` (xchg, cmpxchg, atomic_fetch_*),
 * `new` (atomic_*_return), `none` (atomic_add and the other void forms:
 * no ordering, and their read is Noreturn for smp_rmb), `test` (whether
 * add_unless added), `zero` / `negative` (atomic_dec_and_test and the
 * like, atomic_add_negative: a test of the new value).
 */
export type RmwResult = 'old' | 'new' | 'none' | 'test' | 'zero' | 'negative';
/** linux-kernel.bell's fences (`barrier` is the compiler barrier). */
export type FenceKind =
  | 'mb' | 'rmb' | 'wmb' | 'barrier'
  | 'before-atomic' | 'after-atomic' | 'after-spinlock' | 'after-unlock-lock'
  | 'rcu-lock' | 'rcu-unlock' | 'sync-rcu';

export interface Builtin {
  readonly name: string;
  readonly group: BuiltinGroup;
  readonly args: readonly ArgKind[];
  readonly result: Result;
  /** Reads only: gives its first argument's value, changes nothing. */
  readonly pure: boolean;
  /** Waits until it can go (spin_lock, mutex_lock): a statement, first in an atomic block. */
  readonly blocks: boolean;
  /** Can record a warning (docs/language.md "Warnings"). */
  readonly warns: boolean;
  /** `warn(c)` may have a message, `WARN(c, "...")` must; the others take none. */
  readonly message: 'none' | 'optional' | 'required';
  /** The builtin whose effect it has under interleavings: itself, or the unordered form (`xchg` for `xchg_acquire`). */
  readonly base: string;
  /** The LKMM's event for it; null where the LKMM mode does not take the builtin (wait queues, refcount_t, ...). */
  readonly memory: MemoryAccess | null;
}

const lockArg = (lock: LockKind | 'exclusive'): ArgKind => ({ kind: 'lock', lock });
const atomic: ArgKind = { kind: 'counter', counter: 'atomic_t' };
const refcount: ArgKind = { kind: 'counter', counter: 'refcount_t' };
const int: ArgKind = { kind: 'int' };
const bool: ArgKind = { kind: 'bool' };
const like: ArgKind = { kind: 'like-target' };
const waitq: ArgKind = { kind: 'waitq' };
const completion: ArgKind = { kind: 'counter', counter: 'completion' };

function b(name: string, group: BuiltinGroup, args: ArgKind[], result: Result, more: Partial<Pick<Builtin, 'pure' | 'blocks' | 'warns' | 'message' | 'base' | 'memory'>> = {}): Builtin {
  return { name, group, args, result, pure: false, blocks: false, warns: false, message: 'none', base: name, memory: null, ...more };
}

const load = (mode: LoadMode): MemoryAccess => ({ kind: 'load', mode });
const store = (mode: StoreMode): MemoryAccess => ({ kind: 'store', mode });
const rmw = (op: RmwOp, result: RmwResult, mode: RmwMode, ...operands: Operand[]): MemoryAccess => ({ kind: 'rmw', op, result, mode, operands });
const arg = (i: number): Operand => ({ arg: i });
const fence = (f: FenceKind): MemoryAccess => ({ kind: 'fence', fence: f });

/**
 * A value-returning RMW and its _relaxed, _acquire and _release forms
 * (include/linux/atomic/atomic-instrumented.h): the same effect, each with
 * its ordering for the LKMM.
 */
function ordered(name: string, group: BuiltinGroup, args: ArgKind[], result: Result, op: RmwOp, gives: RmwResult, ...operands: Operand[]): Builtin[] {
  const modes: [string, RmwMode][] = [['', 'mb'], ['_relaxed', 'once'], ['_acquire', 'acquire'], ['_release', 'release']];
  return modes.map(([suffix, mode]) => b(name + suffix, group, args, result, { base: name, memory: rmw(op, gives, mode, ...operands) }));
}

const TABLE: readonly Builtin[] = [
  // Locks. `lock`/`unlock` (any mutex or spinlock) and the rwsem operations are statements of their own
  // (A.LockOp); they are here so that a call spelled like them gets their diagnostics.
  b('spin_lock', 'lock', [lockArg('spinlock')], 'none', { blocks: true, memory: { kind: 'lock' } }),
  b('spin_unlock', 'lock', [lockArg('spinlock')], 'none', { memory: { kind: 'unlock' } }),
  b('spin_trylock', 'lock', [lockArg('spinlock')], 'bool', { memory: { kind: 'trylock' } }),
  b('spin_is_locked', 'lock', [lockArg('spinlock')], 'bool', { memory: { kind: 'islocked' } }),
  b('mutex_lock', 'lock', [lockArg('mutex')], 'none', { blocks: true }),
  b('mutex_unlock', 'lock', [lockArg('mutex')], 'none'),
  b('mutex_trylock', 'lock', [lockArg('mutex')], 'bool'),
  b('down_read_trylock', 'lock', [lockArg('rwsem')], 'bool'),
  b('down_write_trylock', 'lock', [lockArg('rwsem')], 'bool'),
  b('lock', 'lock', [lockArg('exclusive')], 'none', { blocks: true }),
  b('unlock', 'lock', [lockArg('exclusive')], 'none'),
  b('down_read', 'lock', [lockArg('rwsem')], 'none', { blocks: true }),
  b('up_read', 'lock', [lockArg('rwsem')], 'none'),
  b('down_write', 'lock', [lockArg('rwsem')], 'none', { blocks: true }),
  b('up_write', 'lock', [lockArg('rwsem')], 'none'),
  // atomic_t (include/linux/atomic/atomic-instrumented.h): one step each.
  b('atomic_read', 'atomic', [atomic], 'int', { pure: true, memory: load('once') }),
  b('atomic_read_acquire', 'atomic', [atomic], 'int', { pure: true, base: 'atomic_read', memory: load('acquire') }),
  b('atomic_set', 'atomic', [atomic, int], 'none', { memory: store('once') }),
  b('atomic_set_release', 'atomic', [atomic, int], 'none', { base: 'atomic_set', memory: store('release') }),
  // The void forms order nothing (their read is Noreturn).
  b('atomic_inc', 'atomic', [atomic], 'none', { memory: rmw('add', 'none', 'once', 1) }),
  b('atomic_dec', 'atomic', [atomic], 'none', { memory: rmw('sub', 'none', 'once', 1) }),
  b('atomic_add', 'atomic', [int, atomic], 'none', { memory: rmw('add', 'none', 'once', arg(0)) }),
  b('atomic_sub', 'atomic', [int, atomic], 'none', { memory: rmw('sub', 'none', 'once', arg(0)) }),
  ...ordered('atomic_inc_return', 'atomic', [atomic], 'int', 'add', 'new', 1),
  ...ordered('atomic_dec_return', 'atomic', [atomic], 'int', 'sub', 'new', 1),
  ...ordered('atomic_add_return', 'atomic', [int, atomic], 'int', 'add', 'new', arg(0)),
  ...ordered('atomic_sub_return', 'atomic', [int, atomic], 'int', 'sub', 'new', arg(0)),
  ...ordered('atomic_fetch_inc', 'atomic', [atomic], 'int', 'add', 'old', 1),
  ...ordered('atomic_fetch_dec', 'atomic', [atomic], 'int', 'sub', 'old', 1),
  ...ordered('atomic_fetch_add', 'atomic', [int, atomic], 'int', 'add', 'old', arg(0)),
  ...ordered('atomic_fetch_sub', 'atomic', [int, atomic], 'int', 'sub', 'old', arg(0)),
  b('atomic_dec_and_test', 'atomic', [atomic], 'bool', { memory: rmw('sub', 'zero', 'mb', 1) }),
  b('atomic_inc_and_test', 'atomic', [atomic], 'bool', { memory: rmw('add', 'zero', 'mb', 1) }),
  b('atomic_sub_and_test', 'atomic', [int, atomic], 'bool', { memory: rmw('sub', 'zero', 'mb', arg(0)) }),
  b('atomic_add_negative', 'atomic', [int, atomic], 'bool', { memory: rmw('add', 'negative', 'mb', arg(0)) }),
  // atomic_inc_not_zero is atomic_add_unless(v, 1, 0).
  b('atomic_inc_not_zero', 'atomic', [atomic], 'bool', { memory: rmw('add_unless', 'test', 'mb', 1, 0) }),
  b('atomic_add_unless', 'atomic', [atomic, int, int], 'bool', { memory: rmw('add_unless', 'test', 'mb', arg(1), arg(2)) }),
  ...ordered('atomic_cmpxchg', 'atomic', [atomic, int, int], 'int', 'cmpxchg', 'old', arg(1), arg(2)),
  ...ordered('atomic_xchg', 'atomic', [atomic, int], 'int', 'xchg', 'old', arg(1)),
  // Plain variables.
  ...ordered('cmpxchg', 'plain', [{ kind: 'scalar' }, like, like], 'target', 'cmpxchg', 'old', arg(1), arg(2)),
  ...ordered('xchg', 'plain', [{ kind: 'scalar' }, like], 'target', 'xchg', 'old', arg(1)),
  b('READ_ONCE', 'plain', [{ kind: 'place' }], 'target', { pure: true, memory: load('once') }),
  b('WRITE_ONCE', 'plain', [{ kind: 'place' }, like], 'none', { memory: store('once') }),
  b('smp_load_acquire', 'plain', [{ kind: 'place' }], 'target', { pure: true, base: 'READ_ONCE', memory: load('acquire') }),
  b('smp_store_release', 'plain', [{ kind: 'place' }, like], 'none', { base: 'WRITE_ONCE', memory: store('release') }),
  b('smp_store_mb', 'plain', [{ kind: 'place' }, like], 'none', { base: 'WRITE_ONCE', memory: { kind: 'store', mode: 'once', fenceAfter: true } }),
  // Barriers (linux-kernel.def): steps that change nothing under interleavings, where every store is seen at once.
  b('smp_mb', 'barrier', [], 'none', { memory: fence('mb') }),
  b('smp_rmb', 'barrier', [], 'none', { memory: fence('rmb') }),
  b('smp_wmb', 'barrier', [], 'none', { memory: fence('wmb') }),
  b('barrier', 'barrier', [], 'none', { memory: fence('barrier') }),
  b('smp_mb__before_atomic', 'barrier', [], 'none', { memory: fence('before-atomic') }),
  b('smp_mb__after_atomic', 'barrier', [], 'none', { memory: fence('after-atomic') }),
  b('smp_mb__after_spinlock', 'barrier', [], 'none', { memory: fence('after-spinlock') }),
  b('smp_mb__after_unlock_lock', 'barrier', [], 'none', { memory: fence('after-unlock-lock') }),
  // refcount_t (include/linux/refcount.h; what each does is lower/kernel.ts's).
  b('refcount_read', 'refcount', [refcount], 'int', { pure: true }),
  b('refcount_set', 'refcount', [refcount, int], 'none'),
  b('refcount_inc', 'refcount', [refcount], 'none', { warns: true }),
  b('refcount_dec', 'refcount', [refcount], 'none', { warns: true }),
  b('refcount_dec_and_test', 'refcount', [refcount], 'bool', { warns: true }),
  b('refcount_inc_not_zero', 'refcount', [refcount], 'bool', { warns: true }),
  // RCU (include/linux/rcupdate.h; what each does is lower/rcu.ts's). rcu_assign_pointer is WRITE_ONCE.
  b('rcu_read_lock', 'rcu', [], 'none', { memory: fence('rcu-lock') }),
  b('rcu_read_unlock', 'rcu', [], 'none', { memory: fence('rcu-unlock') }),
  b('synchronize_rcu', 'rcu', [], 'none', { memory: fence('sync-rcu') }),
  b('call_rcu', 'rcu', [{ kind: 'callback' }], 'none', { warns: true }),
  b('rcu_dereference', 'rcu', [{ kind: 'place' }], 'target', { warns: true, memory: load('once') }),
  b('rcu_assign_pointer', 'plain', [{ kind: 'place' }, like], 'none', { base: 'WRITE_ONCE', memory: store('release') }),
  // Warnings. Lowercase is Weft's, like assert: warn(c) states what should hold and warns when it does not.
  // Uppercase is the kernel's: WARN_ON(c) names what is wrong and warns when it holds, giving c.
  b('warn', 'warning', [bool], 'none', { warns: true, message: 'optional' }),
  b('WARN_ON', 'warning', [bool], 'bool', { warns: true }),
  b('WARN_ON_ONCE', 'warning', [bool], 'bool', { warns: true }),
  b('WARN', 'warning', [bool], 'bool', { warns: true, message: 'required' }),
  b('WARN_ONCE', 'warning', [bool], 'bool', { warns: true, message: 'required' }),
  // Wait queues (include/linux/wait.h, kernel/sched/wait.c; what each does is lower/waitq.ts's).
  // wait_event is the kernel's macro, several steps: lower/waitq.ts lowers it, check/waitq.ts says where it stands.
  b('prepare_to_wait', 'wait', [waitq], 'none'),
  b('schedule', 'wait', [], 'none', { blocks: true }),
  b('finish_wait', 'wait', [waitq], 'none'),
  b('wake_up', 'wait', [waitq], 'none'),
  b('wake_up_all', 'wait', [waitq], 'none'),
  b('wait_event', 'wait', [waitq, bool], 'none'),
  // Completions (include/linux/completion.h, kernel/sched/completion.c).
  b('wait_for_completion', 'completion', [completion], 'none', { blocks: true }),
  b('complete', 'completion', [completion], 'none'),
  b('complete_all', 'completion', [completion], 'none'),
  b('reinit_completion', 'completion', [completion], 'none'),
  b('try_wait_for_completion', 'completion', [completion], 'bool'),
  b('completion_done', 'completion', [completion], 'bool'),
];

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map(TABLE.map((x) => [x.name, x]));

/** The argument a builtin acts on (a lock, a counter, a variable), or null for the warnings. */
export function targetIndex(bi: Builtin): number | null {
  const i = bi.args.findIndex((a) => a.kind === 'lock' || a.kind === 'counter' || a.kind === 'scalar' || a.kind === 'place' || a.kind === 'waitq');
  return i < 0 ? null : i;
}

/** The unlabelled warnings of a model share this property, as unlabelled asserts share `assertions`. */
export const WARNINGS_PROPERTY = 'warnings';
