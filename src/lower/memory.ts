/**
 * What lowering knows of the Linux-kernel memory model that the IR does not
 * say (issue 16). Under interleavings READ_ONCE(x) is x and
 * smp_store_release(x, v) is `x = v`, so the IR, which every engine and
 * exporter reads, keeps no trace of the annotation; the LKMM mode
 * (explore/lkmm/fromModel.ts) needs it. Lowering records it here, beside
 * the IR, keyed by the identity of the nodes it creates, so the IR and its
 * other consumers are unchanged:
 *
 *   - a place read by a marked read (READ_ONCE, smp_load_acquire,
 *     atomic_read, rcu_dereference): its mode (a plain read has none);
 *   - an op that is a builtin's effect (WRITE_ONCE's store, xchg's stores,
 *     spin_lock's acquire): the builtin and its lowered arguments, so that
 *     the LKMM mode makes the builtin's one event from it;
 *   - the value of a builtin that acts, where a condition reads it
 *     (`if (atomic_dec_and_test(c))`): the same use, so that the
 *     condition tests the event's result;
 *   - a statement that is a barrier (which changes nothing, so has no op):
 *     its fence, by the statement's span.
 *
 * WeakMaps: a program's notes live as long as its nodes do.
 */
import type { Builtin, FenceKind, LoadMode } from '../check/builtins.ts';
import type { Span } from '../text/source.ts';
import type { Expr, Op } from './ir.ts';

/** One call of a builtin, as lowered: the place it acts on and each argument (null: a callback name). */
export interface BuiltinUse {
  readonly builtin: Builtin;
  readonly target: Expr | null;
  readonly args: readonly (Expr | null)[];
  /** The call's span: the branches of a condition and its value share it. */
  readonly span: Span;
}

const reads = new WeakMap<Expr, LoadMode>();
const uses = new WeakMap<Op | Expr, BuiltinUse>();
const fences = new WeakMap<Span, FenceKind>();

/** A copy of `place` marked as read with `mode`: a copy, since a parameter's argument is one node for every use. */
export function markRead(place: Expr, mode: LoadMode): Expr {
  if (place.kind === 'const') return place;
  const copy = { ...place };
  reads.set(copy, mode);
  return copy;
}

export function readMode(place: Expr): LoadMode {
  return reads.get(place) ?? 'plain';
}

/** Records that `nodes` (ops, or the value a condition reads) are the effect of `use`. */
export function markUse<T extends Op | Expr>(nodes: readonly T[], use: BuiltinUse): T[] {
  for (const n of nodes) uses.set(n, use);
  return [...nodes];
}

export function useOf(node: Op | Expr): BuiltinUse | null {
  return uses.get(node) ?? null;
}

export function markFence(statement: Span, fence: FenceKind): void {
  fences.set(statement, fence);
}

export function fenceAt(statement: Span): FenceKind | null {
  return fences.get(statement) ?? null;
}
