/**
 * What the wait-queue and completion builtins do (check/builtins.ts lists
 * them, check/waitq.ts checks them), in existing IR ops over ordinary
 * storage, so that the engines and the Promela export need nothing new.
 *
 * A wait queue is a bool per actor instance, true while the instance is on
 * it and not woken (check/waitq.ts). The kernel's (include/linux/wait.h,
 * kernel/sched/wait.c), one step each:
 *   - prepare_to_wait(wq): the running instance goes on wq and is about to
 *     sleep (set_current_state(TASK_UNINTERRUPTIBLE));
 *   - schedule(): waits while the instance is on some queue, not woken; it
 *     returns at once when a wake_up came after prepare_to_wait, or when
 *     nothing prepared it;
 *   - finish_wait(wq): it is running again, off wq;
 *   - wake_up(wq), wake_up_all(wq): every instance on wq is woken and taken
 *     off it (autoremove_wake_function; there are no exclusive waiters, so
 *     the two are the same). With nobody on wq it changes nothing: the
 *     wake-up is lost.
 * An instance sleeps while it is on a queue: the kernel's task state is
 * that of the last queue it prepared on, so the two agree while an
 * instance waits on one queue at a time, as wait_event does.
 *
 * wait_event(wq, cond) is the kernel's macro, a step for each part:
 *     if (cond) done;
 *     loop { prepare_to_wait(wq); if (cond) break; schedule(); }
 *     finish_wait(wq);
 * the condition read as `if` reads it; a fixed condition takes no step.
 *
 * A completion (kernel/sched/completion.c) is its count `done`, or
 * COMPLETION_ALL after complete_all (the kernel's UINT_MAX), each builtin
 * one step, as the kernel's under the wait queue's lock:
 *   - wait_for_completion(c): waits until done > 0, then done-- unless all;
 *   - complete(c): done++ unless all; past COMPLETION_MAX a `ranges`
 *     violation (Weft's bound; the kernel's is UINT_MAX - 1);
 *   - complete_all(c): done = all; reinit_completion(c): done = 0;
 *   - try_wait_for_completion(c): done > 0, and done-- unless all, as
 *     wait_for_completion without waiting; completion_done(c): done > 0.
 */
import type * as A from '../syntax/ast.ts';
import type { Ctx } from '../check/context.ts';
import type { Builtin } from '../check/builtins.ts';
import { BOOL, COMPLETION_ALL, COMPLETION_MAX, type Type } from '../check/types.ts';
import { isWaitQueue } from '../check/waitq.ts';
import type { Span } from '../text/source.ts';
import type { Expr, Op } from './ir.ts';
import { lowerExpr, type Frame } from './expressions.ts';
import type { KernelEnv, Lowered } from './kernel.ts';

/** The running instance's index among the program's instances (Program.instances order). */
export function instanceIndex(ctx: Ctx, actor: number, span: Span): Expr {
  const sig = ctx.actors[actor];
  // RCU's callback executors (lower/rcu.ts) come after the model's actors, one instance each.
  if (!sig) return { kind: 'const', value: ctx.actors.reduce((n, a) => n + a.count, 0) + actor - ctx.actors.length };
  const base = ctx.actors.slice(0, actor).reduce((n, a) => n + a.count, 0);
  if (!sig.isArray) return { kind: 'const', value: base };
  if (base === 0) return { kind: 'self' };
  return { kind: 'binary', op: '+', left: { kind: 'const', value: base }, right: { kind: 'self' }, span };
}

/** Every wait queue of the model: the shared variables that are one, and each one inside structs and arrays. */
function allQueues(ctx: Ctx, span: Span): { place: Expr; size: number }[] {
  const out: { place: Expr; size: number }[] = [];
  const walk = (place: Expr, t: Type): void => {
    if (isWaitQueue(t)) { out.push({ place, size: t.size }); return; }
    if (t.kind === 'array') for (let i = 0; i < t.size; i++) walk({ kind: 'index', object: place, index: { kind: 'const', value: i }, size: t.size, span }, t.element);
    if (t.kind === 'struct') t.fields.forEach((f, i) => walk({ kind: 'field', object: place, field: i }, f.type));
  };
  ctx.globals.forEach((g, index) => walk({ kind: 'global', index }, g.type));
  return out;
}

const entry = (q: Expr, who: Expr, size: number, span: Span): Expr => ({ kind: 'index', object: q, index: who, size, span });
const put = (q: Expr, who: Expr, size: number, on: boolean, span: Span): Op => ({ kind: 'assign', target: entry(q, who, size, span), value: { kind: 'const', value: on }, type: BOOL, span });

/** schedule()'s guard: the running instance is on no queue (null when the model has none: it never waits). */
function awake(env: KernelEnv, span: Span): Expr | null {
  const on = allQueues(env.ctx, span).map((q): Expr => entry(q.place, env.me, q.size, span));
  if (on.length === 0) return null;
  const any = on.reduce((a, b) => ({ kind: 'binary', op: '||', left: a, right: b, span }));
  return { kind: 'unary', op: '!', operand: any };
}

function queueSize(env: KernelEnv, q: Expr): number {
  const t = env.placeType(q);
  if (!isWaitQueue(t)) throw new Error('internal error: not a wait queue');
  return t.size;
}

/** The ops of prepare_to_wait(wq) and finish_wait(wq). */
function onQueue(env: KernelEnv, q: Expr, on: boolean, span: Span): Op[] {
  return [put(q, env.me, queueSize(env, q), on, span)];
}

/**
 * One wait-queue or completion builtin, as lower/kernel.ts lowers a call:
 * `t` is its lowered argument, `store` builds the store into it.
 */
export function lowerWaitCall(bi: Builtin, t: Expr | null, targetText: string, span: Span, env: KernelEnv, none: Lowered, store: (v: Expr) => Lowered['store']): Lowered {
  const k = (value: number | boolean): Expr => ({ kind: 'const', value });
  const bin = (op: A.BinaryOp, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right, span });
  const cond = (c: Expr, then: Expr, els: Expr): Expr => ({ kind: 'cond', cond: c, then, else: els });
  switch (bi.name) {
    case 'prepare_to_wait': return { ...none, rest: () => onQueue(env, t!, true, span) };
    case 'finish_wait': return { ...none, rest: () => onQueue(env, t!, false, span) };
    case 'wake_up': case 'wake_up_all': {
      const size = queueSize(env, t!);
      return { ...none, rest: () => Array.from({ length: size }, (_, i) => put(t!, k(i), size, false, span)) };
    }
    case 'schedule': return { ...none, guard: awake(env, span) };
    case 'wait_event': throw new Error('internal error: wait_event is lowered by lowerWaitEvent');
  }
  const c = t!;
  const all = bin('==', c, k(COMPLETION_ALL));
  const taken = cond(all, c, bin('-', c, k(1)));
  switch (bi.name) {
    case 'wait_for_completion': return { ...none, guard: bin('!=', c, k(0)), store: store(taken) };
    case 'complete': {
      // The count must stay within Weft's bound: past it, a ranges violation that says so.
      const what = `the count of ${targetText}, a completion (at most ${COMPLETION_MAX} complete() not yet waited for)`;
      const check: Op = { kind: 'check', value: cond(all, k(0), bin('+', c, k(1))), type: { kind: 'int', lo: 0, hi: COMPLETION_MAX }, what, span };
      return { ...none, before: [check], store: store(cond(all, c, bin('+', c, k(1)))) };
    }
    case 'complete_all': return { ...none, store: store(k(COMPLETION_ALL)) };
    case 'reinit_completion': return { ...none, store: store(k(0)) };
    case 'try_wait_for_completion': return { ...none, value: bin('!=', c, k(0)), store: store(cond(bin('==', c, k(0)), c, taken)) };
    case 'completion_done': return { ...none, value: bin('!=', c, k(0)) };
    default: throw new Error(`internal error: no lowering for '${bi.name}'`);
  }
}

/** What lowerWaitEvent needs from lower.ts: new pcs, merges, and steps in the place of the call. */
export interface EventHooks {
  readonly env: KernelEnv;
  readonly newPc: () => number;
  readonly merge: (from: number, to: number) => void;
  readonly step: (from: number, to: number, guard: Expr | null, effect: Op[], text: string, branch?: boolean) => void;
}

/** wait_event(wq, cond) from pc `from` to pc `to`, as the kernel's macro (see above). */
export function lowerWaitEvent(h: EventHooks, call: A.Stmt & { kind: 'call' }, from: number, to: number): void {
  const { ctx, frame } = h.env;
  const q = lowerExpr(ctx, call.args[0]!, frame);
  const c = lowerExpr(ctx, call.args[1]!, frame);
  const qText = oneLine(ctx, call.args[0]!);
  const test = `if (${oneLine(ctx, call.args[1]!)})`;
  const span = call.span;
  const condition = (at: number, yes: number, no: number): void => {
    if (c.kind === 'const') return h.merge(at, c.value ? yes : no);
    h.step(at, yes, c, [], test, true);
    h.step(at, no, { kind: 'unary', op: '!', operand: c }, [], test, false);
  };
  if (c.kind === 'const' && c.value) return h.merge(from, to);
  const head = h.newPc();
  const prepared = h.newPc();
  const sleep = h.newPc();
  condition(from, to, head);
  h.step(head, prepared, null, onQueue(h.env, q, true, span), `prepare_to_wait(${qText})`);
  const finish = c.kind === 'const' ? null : h.newPc();
  condition(prepared, finish ?? to, sleep);
  h.step(sleep, head, awake(h.env, span), [], 'schedule()');
  if (finish !== null) h.step(finish, to, null, onQueue(h.env, q, false, span), `finish_wait(${qText})`);
}

/**
 * What wait_event does first (lower.ts firstOf): nothing with a condition
 * fixed true, a loop with one fixed false (it comes back to its
 * prepare_to_wait for ever), else the step that reads the condition.
 */
export function waitEventFirst(ctx: Ctx, call: A.Stmt & { kind: 'call' }, frame: Frame): 'step' | 'control' | 'nothing' {
  const c = lowerExpr(ctx, call.args[1]!, frame);
  if (c.kind !== 'const') return 'step';
  return c.value ? 'nothing' : 'control';
}

function oneLine(ctx: Ctx, e: A.Expr): string {
  return ctx.text(e.span).replace(/\s+/g, ' ').trim();
}
