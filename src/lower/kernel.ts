/**
 * What each kernel builtin does (check/builtins.ts lists them), in IR. A
 * builtin is one step, or one part of an atomic step: it reads the state
 * the step has reached, gives its value as an expression over that state
 * (so an `if` on it is two guarded steps, as on any condition), and then
 * changes it. Where a call may stand is check/kernel.ts's; lower.ts hands
 * each position here:
 *
 *   - a statement: `ops`;
 *   - `x = call`: `assignOps`, the call's effect and the store of its
 *     value at once (IR `stores`), so that `old = cmpxchg(x, old, new)`
 *     reads `old` before it stores into it, as C does;
 *   - the condition of `if`/`while`: the condition reads the value (in the
 *     step's guard), and each branch takes the call's effect with
 *     `conditionOps`; where the condition is the call or its negation,
 *     the branch knows the value (the true step of `if (spin_trylock(l))`
 *     takes the lock, the false one changes nothing).
 *
 * The refcount_t rules follow the kernel's include/linux/refcount.h and
 * lib/refcount.c (v6.x): refcount_inc is __refcount_add (warns "addition
 * on 0; use-after-free" from 0, "saturated; leaking memory" when
 * saturated); refcount_dec is __refcount_dec (warns "decrement hit 0;
 * leaking memory" when the count was at most 1); refcount_dec_and_test is
 * __refcount_sub_and_test (true from 1; warns "underflow; use-after-free"
 * from 0 or saturated); refcount_inc_not_zero is __refcount_add_not_zero
 * (false from 0, changing nothing; warns "saturated; leaking memory" when
 * saturated). Every warning leaves the count saturated, as
 * refcount_warn_saturate does (refcount_set(r, REFCOUNT_SATURATED)), so a
 * count that saturated stays so and never reaches 0. The kernel saturates
 * on overflowing INT_MAX too; a model's maximum is its own bound, so an
 * increment past it is a store out of range (`ranges`), as for any range.
 */
import type * as A from '../syntax/ast.ts';
import type { Ctx } from '../check/context.ts';
import { BUILTINS, targetIndex, type Builtin } from '../check/builtins.ts';
import { conditionCall } from '../check/kernel.ts';
import { REFCOUNT_SATURATED, type Type } from '../check/types.ts';
import type { Span } from '../text/source.ts';
import type { Expr, LockMode, Op } from './ir.ts';
import { lowerExpr, type Frame } from './expressions.ts';
import { lowerWaitCall } from './waitq.ts';
import { rcuCallOps } from './rcu.ts';
import { markFence, markRead, markUse, type BuiltinUse } from './memory.ts';

/** What lowering a builtin needs from the statement it is in. */
export interface KernelEnv {
  readonly ctx: Ctx;
  readonly frame: Frame;
  /** The declared type of a lowered place. */
  readonly placeType: (place: Expr) => Type;
  /** The warning property of the statement (check/kernel.ts warningProperties). */
  readonly property: string;
  /** The actor whose code this is (RCU's state is per instance: lower/rcu.ts). */
  readonly actor: number;
  /** The range checks of a store through a parameter (lower/calls.ts storeChecks). */
  readonly storeChecks: (target: A.Expr, lowered: Expr, type: Type, span: Span) => Op[];
  /** The running instance's index among the program's instances: its entry in a wait queue (lower/waitq.ts). */
  readonly me: Expr;
}

interface Call {
  readonly callee: A.Ident;
  readonly args: readonly A.Expr[];
  readonly message: string | null;
  readonly span: Span;
}

/** One builtin call, lowered: its guard, value and effect. */
export interface Lowered {
  /** The lock a waiting builtin takes: the step's guard when it is the step's first statement. */
  readonly guard: Expr | null;
  /** The value it gives, over the state it starts from; null when it gives none. */
  readonly value: Expr | null;
  /** Warnings and checks: they read the state before anything changes, and change nothing. */
  readonly before: readonly Op[];
  /** Its one store, its value also read before anything changes; null for locks and warnings. */
  readonly store: { readonly target: A.Expr; readonly place: Expr; readonly value: Expr; readonly type: Type } | null;
  /** What it does besides warnings and its store (locks), given its value when a branch knows it. */
  readonly rest: (known: boolean | undefined) => Op[];
  /** The call as the LKMM mode sees it (lower/memory.ts): every op made of it is marked with it. */
  readonly use: BuiltinUse;
}

export function builtinOf(name: string): Builtin {
  const bi = BUILTINS.get(name);
  if (!bi) throw new Error(`internal error: '${name}' is no builtin`);
  return bi;
}

/** The value of a builtin that gives one, as lowerExpr needs it. */
export function builtinValue(ctx: Ctx, call: A.Expr & { kind: 'call' }, frame: Frame): Expr {
  const bi = builtinOf(call.callee.name);
  const ex = (e: A.Expr): Expr => lowerExpr(ctx, e, frame);
  // A pure builtin is its argument, read: no placeType needed. The read's annotation is the LKMM mode's (lower/memory.ts).
  if (bi.pure) return bi.memory?.kind === 'load' ? markRead(ex(call.args[0]!), bi.memory.mode) : ex(call.args[0]!);
  // Nothing here stores or waits, so no instance is needed either.
  const noStore = (): never => { throw new Error('internal error: a value needs no store'); };
  const l = lowerCall(bi, call, { ctx, frame, placeType: noStore, property: '', storeChecks: () => [], me: { kind: 'const', value: -1 }, actor: -1 }, true);
  if (!l.value) throw new Error(`internal error: '${bi.name}' gives no value`);
  if (bi.memory?.kind === 'load') return markRead(l.value, bi.memory.mode);
  return markUse([l.value], l.use)[0]!;
}

/** A builtin as a statement; `out.guard` is set for a waiting one that is the step's first statement. */
export function builtinStmtOps(env: KernelEnv, call: Call, first: boolean, out: { guard: Expr | null }): Op[] {
  const bi = builtinOf(call.callee.name);
  const l = lowerCall(bi, call, env, false);
  if (l.guard && first) out.guard = l.guard;
  // A barrier changes nothing here: the LKMM mode finds its fence by the statement.
  if (bi.memory?.kind === 'fence') markFence(call.span, bi.memory.fence);
  return markUse([...l.before, ...storeOps(env, l, call.span), ...l.rest(undefined)], l.use);
}

/** `target = call`: the call's effect and the store of its value, both read from the state before. */
export function builtinAssignOps(env: KernelEnv, target: A.Expr, call: A.Expr & { kind: 'call' }): Op[] {
  const bi = builtinOf(call.callee.name);
  const place = lowerExpr(env.ctx, target, env.frame);
  const type = env.placeType(place);
  const l = lowerCall(bi, call, env, false);
  if (!l.value) throw new Error(`internal error: '${bi.name}' gives no value`);
  const result = { target: place, value: l.value, type, span: call.span };
  const checks = env.storeChecks(target, place, type, call.span);
  if (bi.group === 'lock' && bi.name !== 'spin_is_locked') {
    // A trylock: its value is whether it takes the lock, so each branch stores a constant.
    const stored = (v: boolean): Op[] => [{ kind: 'assign', ...result, value: { kind: 'const', value: v } }, ...checks];
    return markUse([{ kind: 'if', cond: l.value, then: [...l.rest(true), ...stored(true)], else: [...l.rest(false), ...stored(false)] }], l.use);
  }
  if (!l.store) return markUse([...l.before, { kind: 'assign', ...result }, ...checks], l.use);
  const s = l.store;
  return markUse([
    ...l.before,
    { kind: 'stores', stores: [{ target: s.place, value: s.value, type: s.type, span: call.span }, result] },
    ...env.storeChecks(s.target, s.place, s.type, call.span),
    ...checks,
  ], l.use);
}

/**
 * Does the condition hold a builtin that acts (one that is not pure)? Then
 * reading it is a step even when its value is fixed: `if (WARN_ON(debug))`
 * with `debug` an option warns in that step, it does not select code.
 */
export function conditionActs(cond: A.Expr): boolean {
  const call = conditionCall(cond);
  return call !== null && BUILTINS.has(call.callee.name) && !builtinOf(call.callee.name).pure;
}

/** The effect of a condition's builtin in the branch taken when the condition is `branch`; none without a builtin. */
export function conditionOps(env: KernelEnv, cond: A.Expr, branch: boolean): Op[] {
  const call = conditionCall(cond);
  if (!call || !BUILTINS.has(call.callee.name)) return [];
  const bi = builtinOf(call.callee.name);
  if (bi.pure) return [];
  const known = cond === call ? branch : cond.kind === 'unary' ? !branch : undefined;
  const l = lowerCall(bi, call, env, false);
  // The branch knows a trylock's outcome and a WARN_ON's condition: no test is left in its step.
  if (known !== undefined && bi.group === 'warning') return known ? l.before.map((w): Op => (w.kind === 'warn' ? { ...w, cond: { kind: 'const', value: false } } : w)) : [];
  return markUse([...l.before, ...storeOps(env, l, call.span), ...l.rest(known)], l.use);
}

function storeOps(env: KernelEnv, l: Lowered, span: Span): Op[] {
  if (!l.store) return [];
  const s = l.store;
  return [{ kind: 'assign', target: s.place, value: s.value, type: s.type, span }, ...env.storeChecks(s.target, s.place, s.type, span)];
}

/** The IR of one call. `valueOnly`: only `value` is read (lowerExpr), so no store is built. */
function lowerCall(bi: Builtin, call: Call, env: KernelEnv, valueOnly: boolean): Lowered {
  const { ctx, frame } = env;
  const ex = (e: A.Expr): Expr => lowerExpr(ctx, e, frame);
  const ti = targetIndex(bi);
  const targetAst = ti === null ? null : call.args[ti]!;
  const t = targetAst ? ex(targetAst) : null;
  const arg = (i: number): Expr => ex(call.args[i]!);
  const span = call.span;
  const text = `${bi.name}(${call.args.map((a) => ctx.text(a.span)).join(', ')})`.replace(/\s+/g, ' ');
  const k = (value: number | boolean): Expr => ({ kind: 'const', value });
  const bin = (op: A.BinaryOp, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right, span });
  const cond = (c: Expr, then: Expr, els: Expr): Expr => ({ kind: 'cond', cond: c, then, else: els });
  const use: BuiltinUse = { builtin: bi, target: t, args: call.args.map((a, i) => (bi.args[i]?.kind === 'callback' ? null : ex(a))), span };
  const none: Lowered = { guard: null, value: null, before: [], store: null, rest: () => [], use };
  const store = (value: Expr): Lowered['store'] => (valueOnly ? null : { target: targetAst!, place: t!, value, type: env.placeType(t!) });
  const warn = (ok: Expr, message: string): Op => ({ kind: 'warn', cond: ok, property: env.property, message, span });
  const refWarn = (what: string): string => `refcount_t: ${what} (${ctx.text(targetAst!.span)})`;

  switch (bi.group) {
    case 'lock': {
      const lock = t!;
      const mode = lockMode(bi.name);
      if (bi.blocks) return { ...none, guard: { kind: 'canAcquire', lock, mode }, rest: () => [{ kind: 'acquire', lock, mode, span }] };
      if (bi.result === 'none') return { ...none, rest: () => [{ kind: 'release', lock, mode, span }] };
      const free: Expr = { kind: 'lockFree', lock, mode };
      // spin_is_locked only reads: held by anyone.
      if (bi.name === 'spin_is_locked') return { ...none, value: negate(free) };
      const take: Op[] = [{ kind: 'acquire', lock, mode, span }];
      return { ...none, value: free, rest: (known) => (known === true ? take : known === false ? [] : [{ kind: 'if', cond: free, then: take, else: [] }]) };
    }
    case 'barrier': return none;
    case 'atomic': case 'plain': {
      const v = t!;
      // The ordered forms (xchg_acquire, smp_store_release, ...) do what their base does: orderings are the LKMM's.
      switch (bi.base) {
        case 'atomic_set': return { ...none, store: store(arg(1)) };
        case 'atomic_inc': return { ...none, store: store(bin('+', v, k(1))) };
        case 'atomic_dec': return { ...none, store: store(bin('-', v, k(1))) };
        case 'atomic_add': return { ...none, store: store(bin('+', v, arg(0))) };
        case 'atomic_sub': return { ...none, store: store(bin('-', v, arg(0))) };
        case 'atomic_inc_return': return { ...none, value: bin('+', v, k(1)), store: store(bin('+', v, k(1))) };
        case 'atomic_dec_return': return { ...none, value: bin('-', v, k(1)), store: store(bin('-', v, k(1))) };
        case 'atomic_add_return': return { ...none, value: bin('+', v, arg(0)), store: store(bin('+', v, arg(0))) };
        case 'atomic_sub_return': return { ...none, value: bin('-', v, arg(0)), store: store(bin('-', v, arg(0))) };
        case 'atomic_fetch_inc': return { ...none, value: v, store: store(bin('+', v, k(1))) };
        case 'atomic_fetch_dec': return { ...none, value: v, store: store(bin('-', v, k(1))) };
        case 'atomic_fetch_add': return { ...none, value: v, store: store(bin('+', v, arg(0))) };
        case 'atomic_fetch_sub': return { ...none, value: v, store: store(bin('-', v, arg(0))) };
        case 'atomic_dec_and_test': return { ...none, value: bin('==', bin('-', v, k(1)), k(0)), store: store(bin('-', v, k(1))) };
        case 'atomic_inc_and_test': return { ...none, value: bin('==', bin('+', v, k(1)), k(0)), store: store(bin('+', v, k(1))) };
        case 'atomic_sub_and_test': return { ...none, value: bin('==', bin('-', v, arg(0)), k(0)), store: store(bin('-', v, arg(0))) };
        case 'atomic_add_negative': return { ...none, value: bin('<', bin('+', v, arg(0)), k(0)), store: store(bin('+', v, arg(0))) };
        case 'atomic_add_unless': return { ...none, value: bin('!=', v, arg(2)), store: store(cond(bin('!=', v, arg(2)), bin('+', v, arg(1)), v)) };
        case 'atomic_inc_not_zero': return { ...none, value: bin('!=', v, k(0)), store: store(cond(bin('!=', v, k(0)), bin('+', v, k(1)), v)) };
        case 'atomic_cmpxchg': case 'cmpxchg': return { ...none, value: v, store: store(cond(bin('==', v, arg(1)), arg(2), v)) };
        case 'atomic_xchg': case 'xchg': return { ...none, value: v, store: store(arg(1)) };
        case 'WRITE_ONCE': case 'rcu_assign_pointer': return { ...none, store: store(arg(1)) };
        default: throw new Error(`internal error: no lowering for '${bi.name}'`);
      }
    }
    case 'refcount': {
      const r = t!;
      const sat = k(REFCOUNT_SATURATED);
      switch (bi.name) {
        case 'refcount_set': {
          // refcount_set(r, n) sets a count, never saturation: n must lie in 0..max.
          const n = arg(1);
          const type = valueOnly ? null : env.placeType(r);
          const range: Type | null = type?.kind === 'int' ? { kind: 'int', lo: 0, hi: type.hi } : null;
          const check: Op[] = range ? [{ kind: 'check', value: n, type: range, what: `the count refcount_set gives ${ctx.text(targetAst!.span)}`, span }] : [];
          return { ...none, before: check, store: store(n) };
        }
        case 'refcount_inc':
          return {
            ...none,
            before: [warn(bin('!=', r, k(0)), refWarn('addition on 0; use-after-free')), warn(bin('>=', r, k(0)), refWarn('saturated; leaking memory'))],
            store: store(cond(bin('<=', r, k(0)), sat, bin('+', r, k(1)))),
          };
        case 'refcount_dec':
          return { ...none, before: [warn(bin('>', r, k(1)), refWarn('decrement hit 0; leaking memory'))], store: store(cond(bin('<=', r, k(1)), sat, bin('-', r, k(1)))) };
        case 'refcount_dec_and_test':
          return {
            ...none,
            value: bin('==', r, k(1)),
            before: [warn(bin('>', r, k(0)), refWarn('underflow; use-after-free'))],
            store: store(cond(bin('<=', r, k(0)), sat, bin('-', r, k(1)))),
          };
        case 'refcount_inc_not_zero':
          return {
            ...none,
            value: bin('!=', r, k(0)),
            before: [warn(bin('>=', r, k(0)), refWarn('saturated; leaking memory'))],
            store: store(cond(bin('==', r, k(0)), r, cond(bin('<', r, k(0)), sat, bin('+', r, k(1))))),
          };
        default: throw new Error(`internal error: no lowering for '${bi.name}'`);
      }
    }
    case 'wait': case 'completion':
      return lowerWaitCall(bi, t, targetAst ? ctx.text(targetAst.span) : '', span, env, none, store);
    case 'rcu': return { ...none, ...lowerRcu(env, bi.name, call, valueOnly) };
    case 'warning': {
      const c = arg(0);
      const message = call.message ?? text;
      // warn(c) states what should hold; WARN_ON(c) and WARN(c, ...) name what is wrong, and give c.
      if (bi.name === 'warn') return { ...none, before: [warn(c, message)] };
      return { ...none, value: c, before: [warn(negate(c), message)] };
    }
  }
}

function lowerRcu(env: KernelEnv, name: string, call: Call, valueOnly: boolean): Pick<Lowered, 'value' | 'before' | 'rest'> {
  const r = rcuCallOps(env, name, call, valueOnly);
  return { value: r.value, before: r.before, rest: () => r.rest };
}

function negate(e: Expr): Expr {
  if (e.kind === 'const') return { kind: 'const', value: !e.value };
  return { kind: 'unary', op: '!', operand: e };
}

function lockMode(name: string): LockMode {
  if (name.includes('read')) return 'read';
  if (name.includes('write')) return 'write';
  return 'exclusive';
}
