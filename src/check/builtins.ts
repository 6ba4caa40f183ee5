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

export type BuiltinGroup = 'lock' | 'atomic' | 'plain' | 'refcount' | 'warning' | 'wait' | 'completion' | 'rcu';

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
}

const lockArg = (lock: LockKind | 'exclusive'): ArgKind => ({ kind: 'lock', lock });
const atomic: ArgKind = { kind: 'counter', counter: 'atomic_t' };
const refcount: ArgKind = { kind: 'counter', counter: 'refcount_t' };
const int: ArgKind = { kind: 'int' };
const bool: ArgKind = { kind: 'bool' };
const like: ArgKind = { kind: 'like-target' };
const waitq: ArgKind = { kind: 'waitq' };
const completion: ArgKind = { kind: 'counter', counter: 'completion' };

function b(name: string, group: BuiltinGroup, args: ArgKind[], result: Result, more: Partial<Pick<Builtin, 'pure' | 'blocks' | 'warns' | 'message'>> = {}): Builtin {
  return { name, group, args, result, pure: false, blocks: false, warns: false, message: 'none', ...more };
}

const TABLE: readonly Builtin[] = [
  // Locks. `lock`/`unlock` (any mutex or spinlock) and the rwsem operations are statements of their own
  // (A.LockOp); they are here so that a call spelled like them gets their diagnostics.
  b('spin_lock', 'lock', [lockArg('spinlock')], 'none', { blocks: true }),
  b('spin_unlock', 'lock', [lockArg('spinlock')], 'none'),
  b('spin_trylock', 'lock', [lockArg('spinlock')], 'bool'),
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
  b('atomic_read', 'atomic', [atomic], 'int', { pure: true }),
  b('atomic_set', 'atomic', [atomic, int], 'none'),
  b('atomic_inc', 'atomic', [atomic], 'none'),
  b('atomic_dec', 'atomic', [atomic], 'none'),
  b('atomic_add', 'atomic', [int, atomic], 'none'),
  b('atomic_sub', 'atomic', [int, atomic], 'none'),
  b('atomic_inc_return', 'atomic', [atomic], 'int'),
  b('atomic_dec_return', 'atomic', [atomic], 'int'),
  b('atomic_dec_and_test', 'atomic', [atomic], 'bool'),
  b('atomic_inc_not_zero', 'atomic', [atomic], 'bool'),
  b('atomic_cmpxchg', 'atomic', [atomic, int, int], 'int'),
  b('atomic_xchg', 'atomic', [atomic, int], 'int'),
  // Plain variables.
  b('cmpxchg', 'plain', [{ kind: 'scalar' }, like, like], 'target'),
  b('xchg', 'plain', [{ kind: 'scalar' }, like], 'target'),
  b('READ_ONCE', 'plain', [{ kind: 'place' }], 'target', { pure: true }),
  b('WRITE_ONCE', 'plain', [{ kind: 'place' }, like], 'none'),
  // refcount_t (include/linux/refcount.h; what each does is lower/kernel.ts's).
  b('refcount_read', 'refcount', [refcount], 'int', { pure: true }),
  b('refcount_set', 'refcount', [refcount, int], 'none'),
  b('refcount_inc', 'refcount', [refcount], 'none', { warns: true }),
  b('refcount_dec', 'refcount', [refcount], 'none', { warns: true }),
  b('refcount_dec_and_test', 'refcount', [refcount], 'bool', { warns: true }),
  b('refcount_inc_not_zero', 'refcount', [refcount], 'bool', { warns: true }),
  // RCU (include/linux/rcupdate.h; what each does is lower/rcu.ts's). rcu_assign_pointer is WRITE_ONCE.
  b('rcu_read_lock', 'rcu', [], 'none'),
  b('rcu_read_unlock', 'rcu', [], 'none'),
  b('synchronize_rcu', 'rcu', [], 'none'),
  b('call_rcu', 'rcu', [{ kind: 'callback' }], 'none', { warns: true }),
  b('rcu_dereference', 'rcu', [{ kind: 'place' }], 'target', { warns: true }),
  b('rcu_assign_pointer', 'plain', [{ kind: 'place' }, like], 'none'),
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
