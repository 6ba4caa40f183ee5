/**
 * Checking wait queues and completions (docs/language.md, "Wait queues"
 * and "Completions"; what each builtin does is lower/waitq.ts's).
 *
 * A `wait_queue_head_t` is ordinary storage underneath: a bool per actor
 * instance of the model, in instance order, true while that instance is
 * on the queue and not woken. Its size is the number of instances, which
 * is known only once the actors are declared, after the shared variables'
 * types: every wait queue of a model is the one type object made here,
 * whose size `fixWaitQueues` sets when the actors are known (and the
 * initial values of the variables that hold one with it). Nothing else
 * reads the size before that: a wait queue takes no initial value (W3071),
 * and code names one only as a builtin's argument or passes it on to a fn
 * parameter (W3070), so no value of the type is kept from before.
 *
 * A `completion` is a counter (check/types.ts KernelCounter): the range
 * 0..COMPLETION_ALL, through its builtins only, as atomic_t is.
 */
import type * as A from '../syntax/ast.ts';
import type { Ctx, Scope } from './context.ts';
import type { Builtin } from './builtins.ts';
import { checkExpr } from './expressions.ts';
import { isPlace } from './statements.ts';
import { BOOL, COMPLETION_ALL, containsWaitQueue, defaultValue, typeToString, type Type, type Value } from './types.ts';

type WaitQueueType = Type & { kind: 'array' };

const waitQueues = new WeakMap<Ctx, { size: number; element: Type; kind: 'array'; waitQueue: true }>();

/** The type a kernel type name stands for, or undefined for any other name. */
export function kernelNamedType(ctx: Ctx, name: string): Type | undefined {
  if (name === 'completion') return { kind: 'int', lo: 0, hi: COMPLETION_ALL, counter: 'completion' };
  if (name !== 'wait_queue_head_t') return undefined;
  let t = waitQueues.get(ctx);
  if (!t) { t = { kind: 'array', element: BOOL, size: 0, waitQueue: true }; waitQueues.set(ctx, t); }
  return t;
}

/** Once the actors are declared: a wait queue has a bool per instance, and every one starts empty. */
export function fixWaitQueues(ctx: Ctx): void {
  const t = waitQueues.get(ctx);
  if (!t) return;
  t.size = ctx.actors.reduce((n, a) => n + a.count, 0);
  ctx.globals.forEach((g, i) => {
    if (containsWaitQueue(g.type)) ctx.globals[i] = { ...g, init: withEmptyQueues(g.type, g.init) };
  });
}

function withEmptyQueues(t: Type, v: Value): Value {
  if (t.kind === 'array' && t.waitQueue) return defaultValue(t);
  if (t.kind === 'array') return (v as readonly Value[]).map((x) => withEmptyQueues(t.element, x));
  if (t.kind === 'struct') return t.fields.map((f, i) => withEmptyQueues(f.type, (v as readonly Value[])[i]!));
  return v;
}

export function isWaitQueue(t: Type): t is WaitQueueType {
  return t.kind === 'array' && t.waitQueue === true;
}

/**
 * W3071: a wait queue is shared state that starts empty: no actor's var
 * holds one, and a shared wait queue (or array of them) takes no initial
 * value. A struct that holds one may be initialised: the fields it names
 * are the others (its wait queue is no value a literal can write), and
 * fixWaitQueues empties its queues.
 */
export function checkWaitQueueDecl(ctx: Ctx, type: Type, span: A.Expr['span'], where: 'init' | 'local'): boolean {
  const queuesOnly = (t: Type): boolean => isWaitQueue(t) || (t.kind === 'array' && queuesOnly(t.element));
  if (where === 'init' ? !queuesOnly(type) : !containsWaitQueue(type)) return true;
  if (where === 'init') ctx.error('W3071', span, ['starts empty: it takes no initial value'], ['help: leave the initialiser out; every instance starts off the queue']);
  else ctx.error('W3071', span, ["is shared: an actor's var cannot hold one"], ['help: declare it shared, e.g. shared wq: wait_queue_head_t;']);
  return false;
}

/** W3070: code names a wait queue only as a builtin's argument or a fn's wait-queue argument. */
export function checkWaitQueueUse(ctx: Ctx, e: A.Expr, what: Type): void {
  if (ctx.kernelPermits.has(e)) return;
  // A literal where a wait queue goes (a struct literal's field): no value is one.
  if (e.kind === 'array' && isWaitQueue(what)) { checkWaitQueueDecl(ctx, what, e.span, 'init'); return; }
  const x = ctx.text(e.span);
  const help = isWaitQueue(what)
    ? `help: wait on it with wait_event(${x}, cond), or prepare_to_wait(${x}); schedule(); finish_wait(${x}); wake it with wake_up(${x})`
    : `help: '${x}' holds a wait queue, which cannot be copied or compared`;
  ctx.error('W3070', e.span, [x, isWaitQueue(what) ? 'is a wait_queue_head_t' : `holds a wait_queue_head_t (${typeToString(what)})`], [help, 'note: a property tells who waits by where it stands: waiter@label']);
}

/** A wait queue stored or copied whole, through a struct or an array that holds one. */
export function checkWaitQueueCopy(ctx: Ctx, target: A.Expr, t: Type): boolean {
  if (!containsWaitQueue(t)) return true;
  checkWaitQueueUse(ctx, target, t);
  return false;
}

/** The argument of a wait-queue builtin, or of a completion one (`kind` is what it must be). */
export function checkKernelArg(ctx: Ctx, bi: Builtin, arg: A.Expr, scope: Scope, kind: 'waitq' | 'completion'): Type | null {
  ctx.kernelPermits.add(arg);
  const t = checkExpr(ctx, arg, scope);
  if (!t) return null;
  const text = ctx.text(arg.span);
  if (!isPlace(ctx, arg)) {
    ctx.error('W3009', arg.span, [`'${text}'`], [`'${bi.name}' acts on a variable: name one (a shared variable, a parameter, or a field or element of one)`]);
    return null;
  }
  const ok = kind === 'waitq' ? isWaitQueue(t) : t.kind === 'int' && t.counter === 'completion';
  if (ok) return t;
  const want = kind === 'waitq' ? 'a wait_queue_head_t' : 'a completion';
  const help = kind === 'waitq' ? `help: declare it 'shared ${text}: wait_queue_head_t;'` : `help: declare it 'shared ${text}: completion;'`;
  ctx.error('W3072', arg.span, [bi.name, want, text, typeToString(t)], [help]);
  return null;
}

/** The help line of W3062 for a completion used directly. */
export function completionHelp(x: string): string {
  return `help: wait for it with wait_for_completion(${x}); signal it with complete(${x}) or complete_all(${x}); test it with completion_done(${x})`;
}

/** wait_event is several steps: inside atomic {} it is W4060 (statements.ts reports it). */
export function severalSteps(ctx: Ctx, s: A.Stmt & { kind: 'call' }): string | null {
  return s.callee.name === 'wait_event' ? ctx.text(s.span).replace(/\s+/g, ' ').replace(/;$/, '') : null;
}
