/**
 * Checking RCU (docs/language.md "RCU"; the builtins are in
 * check/builtins.ts, what they do is lower/rcu.ts's):
 *
 *   - `call_rcu(cb)` names a fn without parameters (W3080, W3081): the
 *     kernel's `call_rcu(&p->rcu, cb)`, whose rcu_head is the one object
 *     the callback frees, so a callback fn stands for one rcu_head;
 *   - synchronize_rcu() is two steps (it begins a grace period, then waits
 *     for its end), so it cannot be inside `atomic {}` (W4070);
 *   - a callback runs in softirq context: it cannot sleep in
 *     synchronize_rcu() and does not queue callbacks itself (W4071).
 *
 * The walks here follow calls into fns, as lowering inlines them, and
 * `rcuUse` tells lowering what an actor's code does with RCU.
 */
import type * as A from '../syntax/ast.ts';
import { forEachStmt } from '../syntax/walk.ts';
import { lineCol } from '../text/source.ts';
import type { Ctx } from './context.ts';
import { BOOL, type Type } from './types.ts';

/** What a body runs of RCU, its fns included. */
export interface RcuUse {
  /** rcu_read_lock or rcu_read_unlock: its instances are readers, with a nesting depth each. */
  readonly reads: boolean;
  /** synchronize_rcu: its instances wait for grace periods. */
  readonly syncs: boolean;
  /** The callbacks it queues with call_rcu, in the order of the calls. */
  readonly callbacks: readonly string[];
}

/** `call_rcu(cb)`: cb names a fn that takes no parameters. The call gives nothing, so its type is BOOL for the checker's bookkeeping. */
export function checkCallbackArg(ctx: Ctx, arg: A.Expr): Type | null {
  if (arg.kind !== 'name') {
    ctx.error('W3080', arg.span, [ctx.text(arg.span), 'is no fn name'], ['help: write call_rcu(free_obj), with fn free_obj() { ... } freeing the object']);
    return null;
  }
  const fn = ctx.fns.get(arg.name);
  if (!fn) {
    const declared = ctx.global.lookup(arg.name) !== undefined;
    ctx.error('W3080', arg.span, [arg.name, declared ? 'is no fn' : 'is not declared'], [declared ? 'help: write call_rcu(free_obj), with fn free_obj() { ... } doing what the callback does' : `help: declare fn ${arg.name}() { ... }, which runs after a grace period`]);
    return null;
  }
  if (fn.params.length > 0) {
    ctx.error('W3081', arg.span, [arg.name, fn.params.length === 1 ? 'a parameter' : `${fn.params.length} parameters`], ['note: the callback stands for one object\'s rcu_head: it names what it frees itself']);
    return null;
  }
  return BOOL;
}

type CallStmt = A.Stmt & { kind: 'call' };

/** Visits every builtin call statement of `stmts` and of the fns they call, with the call statement of `stmts` it is reached through. */
function eachBuiltinCall(ctx: Ctx, stmts: readonly A.Stmt[], visit: (call: CallStmt, through: CallStmt) => void): void {
  const seen = new Set<string>();
  const walk = (body: readonly A.Stmt[], through: CallStmt | null): void => {
    for (const st of body) {
      forEachStmt(st, (s) => {
        if (s.kind !== 'call') return;
        const fn = ctx.fns.get(s.callee.name);
        if (!fn) return visit(s, through ?? s);
        if (seen.has(fn.decl.name.name)) return;
        seen.add(fn.decl.name.name);
        walk(fn.decl.body.stmts, through ?? s);
      });
    }
  };
  walk(stmts, null);
}

export function rcuUse(ctx: Ctx, stmts: readonly A.Stmt[]): RcuUse {
  let reads = false;
  let syncs = false;
  const callbacks: string[] = [];
  eachBuiltinCall(ctx, stmts, (c) => {
    const name = c.callee.name;
    if (name === 'rcu_read_lock' || name === 'rcu_read_unlock') reads = true;
    if (name === 'synchronize_rcu') syncs = true;
    const cb = c.args[0];
    if (name === 'call_rcu' && cb?.kind === 'name' && !callbacks.includes(cb.name)) callbacks.push(cb.name);
  });
  return { reads, syncs, callbacks };
}

/** W4070 and W4071, once the bodies are checked. */
export function checkRcu(ctx: Ctx, model: A.Model): void {
  const bodies = model.decls.flatMap((d) => (d.kind === 'fn' || d.kind === 'actor' ? [d.body] : []));
  const callbacks = new Map<string, A.Expr>();
  for (const body of bodies) {
    forEachStmt(body, (s) => {
      if (s.kind === 'atomic') {
        eachBuiltinCall(ctx, s.body.stmts, (c, through) => {
          if (c.callee.name !== 'synchronize_rcu') return;
          ctx.error('W4070', through.span, [through === c ? 'call it outside the block' : `'${through.callee.name}' calls it at ${where(ctx, c, through)}`]);
        });
      }
      const cb = s.kind === 'call' && s.callee.name === 'call_rcu' && !ctx.fns.has('call_rcu') ? s.args[0] : undefined;
      if (cb?.kind === 'name' && ctx.fns.has(cb.name) && !callbacks.has(cb.name)) callbacks.set(cb.name, cb);
    });
  }
  for (const [name, at] of callbacks) {
    const body = ctx.fns.get(name)!.decl.body.stmts;
    let reported = false;
    eachBuiltinCall(ctx, body, (c) => {
      if (reported || (c.callee.name !== 'synchronize_rcu' && c.callee.name !== 'call_rcu')) return;
      reported = true;
      const what = c.callee.name === 'synchronize_rcu' ? 'sleep waiting for a grace period' : 'queue a callback (Weft models none queued from a callback)';
      ctx.error('W4071', at.span, [name, `calls ${c.callee.name}() at ${where(ctx, c, null)}`, what]);
    });
  }
}

/** `line 12`, or `locks.weft:12` when the call is in another file than `from`. */
function where(ctx: Ctx, c: CallStmt, from: CallStmt | null): string {
  const at = lineCol(ctx.file, c.span.start);
  return from === null || at.path === lineCol(ctx.file, from.span.start).path ? `line ${at.line}` : `${at.path}:${at.line}`;
}
