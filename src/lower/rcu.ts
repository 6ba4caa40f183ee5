/**
 * What RCU does (docs/language.md "RCU"), in the IR's existing ops, so that
 * both engines and the Promela export need nothing new. The state it adds
 * is shared variables that no model can name (their names are not
 * identifiers), shown in traces like any other:
 *
 *   - `rcu_read_lock_nesting(R)`: per instance of each reader actor R (one
 *     whose code calls rcu_read_lock or rcu_read_unlock), its depth, the
 *     kernel's current->rcu_read_lock_nesting, 0..RCU_MAX_NESTING;
 *   - `synchronize_rcu(W) waits for R`: per instance of each actor W that
 *     calls synchronize_rcu, and per instance of R, whether W's grace
 *     period still waits for that reader; `rcu_callback(cb) waits for R`
 *     the same for the callback cb queued by call_rcu;
 *   - `rcu_callback(cb) queued`: whether cb is queued.
 *
 * A grace period begins by snapshotting the readers inside a read-side
 * critical section into its row; each outermost rcu_read_unlock clears its
 * reader's bit in every row; the grace period is over when its row is
 * empty. A reader that enters after the snapshot has no bit, so it never
 * holds up a grace period that began before it (however often it enters
 * again), which is the kernel's guarantee and no more. Every row is empty
 * again when its grace period ends, and every depth 0 outside a critical
 * section, so the added state costs states only while RCU is in use.
 *
 * A queued callback runs in an implicit daemon, `rcu_callback(cb)`, one per
 * callback fn (each stands for one object's rcu_head): a step
 * `rcu_do_batch`, enabled once the callback is queued and its grace
 * period is over, dequeues it, and the steps of cb's body follow. As a
 * daemon it may wait for ever: a queued callback never makes a run that
 * ended look deadlocked.
 */
import type * as A from '../syntax/ast.ts';
import type { ActorSig, Ctx } from '../check/context.ts';
import { rcuUse, type RcuUse } from '../check/rcu.ts';
import { BOOL, type Type } from '../check/types.ts';
import type { Span } from '../text/source.ts';
import type { Expr, Op, VarInfo } from './ir.ts';
import { lowerExpr, type Frame } from './expressions.ts';

/** How deep read-side critical sections may nest; deeper is a `locking` violation. */
export const RCU_MAX_NESTING = 4;
/** The callee of the first statement of an executor's body: not an identifier, so no model can call it. */
const DO_BATCH = 'rcu do_batch';

interface Who { readonly name: string; readonly count: number; readonly isArray: boolean; readonly use: RcuUse }

interface Plan {
  readonly actors: readonly Who[];
  /** Reader actor -> its nesting global. */
  readonly nesting: ReadonlyMap<number, number>;
  /** Waiting actor (a synchronize_rcu caller or an executor) -> reader actor -> its row's global. */
  readonly rows: ReadonlyMap<number, ReadonlyMap<number, number>>;
  /** Callback fn -> its `queued` global and its executor's actor. */
  readonly callbacks: ReadonlyMap<string, { readonly queued: number; readonly actor: number }>;
}

const plans = new WeakMap<Ctx, Plan>();

/**
 * The hidden shared variables (to append after the model's) and the
 * executor actors (to append after the model's actors), for lowering.
 */
export function planRcu(ctx: Ctx): { globals: VarInfo[]; executors: ActorSig[] } {
  const globals: VarInfo[] = [];
  const add = (name: string, type: Type, span: Span): number => {
    globals.push({ name, type, init: initial(type), span });
    return ctx.globals.length + globals.length - 1;
  };
  const actors: Who[] = ctx.actors.map((a) => ({ name: a.decl.name.name, count: a.count, isArray: a.isArray, use: rcuUse(ctx, a.body) }));
  const names: string[] = [];
  for (const a of actors) for (const cb of a.use.callbacks) if (!names.includes(cb)) names.push(cb);
  const executors = names.map((cb, k) => executor(ctx, cb, ctx.actors.length + k));
  executors.forEach((e) => actors.push({ name: e.decl.name.name, count: 1, isArray: false, use: rcuUse(ctx, e.body) }));

  const nesting = new Map<number, number>();
  actors.forEach((a, i) => {
    if (a.use.reads) nesting.set(i, add(`rcu_read_lock_nesting(${a.name})`, perInstance(a, { kind: 'int', lo: 0, hi: RCU_MAX_NESTING }), spanOf(ctx, i, executors)));
  });
  const rows = new Map<number, Map<number, number>>();
  const row = (w: number, label: string): void => {
    const cells = new Map<number, number>();
    for (const r of nesting.keys()) cells.set(r, add(`${label} waits for ${actors[r]!.name}`, perInstance(actors[w]!, perInstance(actors[r]!, BOOL)), spanOf(ctx, w, executors)));
    rows.set(w, cells);
  };
  actors.forEach((a, i) => { if (a.use.syncs && i < ctx.actors.length) row(i, `synchronize_rcu(${a.name})`); });
  const callbacks = new Map<string, { queued: number; actor: number }>();
  names.forEach((cb, k) => {
    const actor = ctx.actors.length + k;
    callbacks.set(cb, { queued: add(`rcu_callback(${cb}) queued`, BOOL, spanOf(ctx, actor, executors)), actor });
    row(actor, `rcu_callback(${cb})`);
  });
  plans.set(ctx, { actors, nesting, rows, callbacks });
  return { globals, executors };
}

function spanOf(ctx: Ctx, actor: number, executors: readonly ActorSig[]): Span {
  return (ctx.actors[actor] ?? executors[actor - ctx.actors.length])!.decl.span;
}

function perInstance(a: Who, t: Type): Type {
  return a.isArray ? { kind: 'array', element: t, size: a.count } : t;
}

function initial(t: Type): VarInfo['init'] {
  if (t.kind === 'array') return Array.from({ length: t.size }, () => initial(t.element));
  return t.kind === 'bool' ? false : 0;
}

/** `daemon rcu_callback(cb) { loop { rcu_do_batch; cb(); } }`, written as the AST lowering reads. */
function executor(ctx: Ctx, cb: string, index: number): ActorSig {
  const fn = ctx.fns.get(cb)!.decl;
  const span = fn.name.span;
  const start: A.Stmt = { kind: 'call', callee: { name: DO_BATCH, span }, args: [{ kind: 'name', name: cb, span }], message: null, span };
  const call: A.Stmt = { kind: 'call', callee: { name: cb, span }, args: [], message: null, span };
  const body: A.Stmt[] = [{ kind: 'loop', body: { kind: 'block', stmts: [start, call], span }, span }];
  const decl: A.ActorDecl = { kind: 'actor', daemon: true, symmetric: null, name: { name: `rcu_callback(${cb})`, span }, count: null, fairness: null, body: { kind: 'block', stmts: body, span }, span: fn.span };
  return { index, decl, count: 1, isArray: false, locals: [], body, fairness: 'weak' };
}

// ---- Ops ----

function plan(ctx: Ctx): Plan {
  const p = plans.get(ctx);
  if (!p) throw new Error('internal error: RCU is lowered before it is planned');
  return p;
}

const k = (value: number | boolean): Expr => ({ kind: 'const', value });
const not = (e: Expr): Expr => ({ kind: 'unary', op: '!', operand: e });
const bin = (op: A.BinaryOp, left: Expr, right: Expr, span: Span): Expr => ({ kind: 'binary', op, left, right, span });
const and = (es: readonly Expr[], span: Span): Expr => (es.length === 0 ? k(true) : es.reduce((x, y) => bin('&&', x, y, span)));

/** Element `self` of an actor's per-instance global. */
function cellOf(p: Plan, actor: number, object: Expr, self: Expr, span: Span): Expr {
  const a = p.actors[actor]!;
  return a.isArray ? { kind: 'index', object, index: self, size: a.count, span } : object;
}

function selfOf(p: Plan, actor: number): Expr {
  return p.actors[actor]!.isArray ? { kind: 'self' } : k(0);
}

function nestingOf(p: Plan, actor: number, self: Expr, span: Span): Expr | null {
  const g = p.nesting.get(actor);
  return g === undefined ? null : cellOf(p, actor, { kind: 'global', index: g }, self, span);
}

/** Every cell of one waiter's row, with the reader instance it stands for. */
function rowCells(p: Plan, waiter: number, self: Expr, span: Span): { cell: Expr; nesting: Expr }[] {
  const out: { cell: Expr; nesting: Expr }[] = [];
  for (const [reader, g] of p.rows.get(waiter) ?? []) {
    const row = cellOf(p, waiter, { kind: 'global', index: g }, self, span);
    for (let r = 0; r < p.actors[reader]!.count; r++) out.push({ cell: cellOf(p, reader, row, k(r), span), nesting: nestingOf(p, reader, k(r), span)! });
  }
  return out;
}

/** The grace period begins: each reader inside a critical section now is waited for. */
function snapshot(p: Plan, waiter: number, self: Expr, span: Span): Op[] {
  return rowCells(p, waiter, self, span).map((c): Op => ({ kind: 'assign', target: c.cell, value: bin('>', c.nesting, k(0), span), type: BOOL, span }));
}

function graceOver(p: Plan, waiter: number, self: Expr, span: Span): Expr {
  return and(rowCells(p, waiter, self, span).map((c) => not(c.cell)), span);
}

export interface RcuEnv {
  readonly ctx: Ctx;
  readonly frame: Frame;
  /** The actor whose code this is (an executor's for a callback's body). */
  readonly actor: number;
  /** The warning property of the statement. */
  readonly property: string;
}

/** What one RCU builtin call does in its step: the value it gives (rcu_dereference), warnings first, then the rest. */
export function rcuCallOps(env: RcuEnv, name: string, call: { readonly args: readonly A.Expr[]; readonly span: Span }, valueOnly: boolean): { value: Expr | null; before: Op[]; rest: Op[] } {
  const span = call.span;
  const none = { value: null, before: [], rest: [] };
  if (name === 'rcu_dereference') {
    const value = lowerExpr(env.ctx, call.args[0]!, env.frame);
    if (valueOnly) return { ...none, value };
    const depth = nestingOf(plan(env.ctx), env.actor, selfOf(plan(env.ctx), env.actor), span);
    const text = `rcu_dereference(${env.ctx.text(call.args[0]!.span)})`;
    const message = `suspicious rcu_dereference_check() usage: ${text} outside an RCU read-side critical section`;
    return { ...none, value, before: [{ kind: 'warn', cond: depth ? bin('>', depth, k(0), span) : k(false), property: env.property, message, span }] };
  }
  const p = plan(env.ctx);
  const self = selfOf(p, env.actor);
  const depth = nestingOf(p, env.actor, self, span);
  const locking = (cond: Expr, message: string): Op => ({ kind: 'assert', cond, property: 'locking', message, span });
  const type: Type = { kind: 'int', lo: 0, hi: RCU_MAX_NESTING };
  switch (name) {
    case 'rcu_read_lock':
      return { ...none, rest: [
        locking(bin('<', depth!, k(RCU_MAX_NESTING), span), `rcu_read_lock() nested deeper than ${RCU_MAX_NESTING}, as deep as Weft counts`),
        { kind: 'assign', target: depth!, value: bin('+', depth!, k(1), span), type, span },
      ] };
    case 'rcu_read_unlock': {
      // The outermost unlock ends the critical section: no grace period waits for this reader any more.
      const clear: Op[] = [];
      for (const [waiter, cells] of p.rows) {
        const g = cells.get(env.actor);
        if (g === undefined) continue;
        for (let w = 0; w < p.actors[waiter]!.count; w++) {
          const cell = cellOf(p, env.actor, cellOf(p, waiter, { kind: 'global', index: g }, k(w), span), self, span);
          clear.push({ kind: 'assign', target: cell, value: k(false), type: BOOL, span });
        }
      }
      return { ...none, rest: [
        locking(bin('>', depth!, k(0), span), 'rcu_read_unlock() without rcu_read_lock()'),
        { kind: 'if', cond: bin('==', depth!, k(1), span), then: clear, else: [] },
        { kind: 'assign', target: depth!, value: bin('-', depth!, k(1), span), type, span },
      ] };
    }
    case 'call_rcu': {
      const cb = (call.args[0] as A.Expr & { kind: 'name' }).name;
      const c = p.callbacks.get(cb)!;
      const queued: Expr = { kind: 'global', index: c.queued };
      const message = `call_rcu(): Leaked duplicate callback (${cb} is queued already, so this call is dropped)`;
      return { ...none, before: [{ kind: 'warn', cond: not(queued), property: env.property, message, span }], rest: [
        { kind: 'if', cond: not(queued), then: [{ kind: 'assign', target: queued, value: k(true), type: BOOL, span }, ...snapshot(p, c.actor, k(0), span)], else: [] },
      ] };
    }
    default: throw new Error(`internal error: '${name}' is not lowered here`);
  }
}

/**
 * The RCU statements that are steps of their own, more than one or with a
 * guard: synchronize_rcu() (its grace period begins, then ends) and an
 * executor's rcu_do_batch. Null for any other statement.
 */
export function rcuSteps(env: RcuEnv, s: A.Stmt & { kind: 'call' }): { guard: Expr | null; effect: Op[]; text: string }[] | null {
  const name = s.callee.name;
  if (name !== 'synchronize_rcu' && name !== DO_BATCH) return null;
  const p = plan(env.ctx);
  const span = s.span;
  if (name === DO_BATCH) {
    const c = p.callbacks.get((s.args[0] as A.Expr & { kind: 'name' }).name)!;
    const queued: Expr = { kind: 'global', index: c.queued };
    return [{ guard: bin('&&', queued, graceOver(p, c.actor, k(0), span), span), effect: [{ kind: 'assign', target: queued, value: k(false), type: BOOL, span }], text: 'rcu_do_batch' }];
  }
  const self = selfOf(p, env.actor);
  const depth = nestingOf(p, env.actor, self, span);
  // lockdep: "Illegal synchronize_rcu() in RCU read-side critical section"; it would wait for itself for ever.
  const inside: Op[] = depth ? [{ kind: 'assert', cond: bin('==', depth, k(0), span), property: 'locking', message: 'synchronize_rcu() inside an RCU read-side critical section: it would wait for itself', span }] : [];
  const over = graceOver(p, env.actor, self, span);
  return [
    { guard: null, effect: [...inside, ...snapshot(p, env.actor, self, span)], text: 'synchronize_rcu()' },
    { guard: over.kind === 'const' ? null : over, effect: [], text: 'synchronize_rcu(): grace period over' },
  ];
}
