/**
 * Checking the kernel vocabulary (check/builtins.ts): the counter types
 * `atomic_t<lo..hi>` and `refcount_t<max>`, the builtin calls, and where a
 * builtin may stand. The rule of positions, defined here once and followed
 * by lowering (lower/kernel.ts), is:
 *
 *   - any builtin can be a statement: `spin_lock(l);`, `atomic_inc(v);`;
 *   - one that gives a value can be the whole right side of `=`:
 *     `r = mutex_trylock(m);`, `old = cmpxchg(x, 0, 1);`;
 *   - and the condition of `if` or `while`, alone, negated or compared:
 *     `if (spin_trylock(l))`, `while (!spin_trylock(l))`,
 *     `if (cmpxchg(x, 0, 1) == 0)`; the condition's step is the builtin's;
 *   - one that only reads (`READ_ONCE`, `atomic_read`, `refcount_read`)
 *     can stand in any expression of actor or fn code.
 *
 * Nowhere else: not inside a bigger expression (where its effect would
 * happen in an order C leaves open, or not at all behind `&&`), not in
 * `await` (which only waits), a property or a constant (W3060). And code
 * reads and writes a counter only through its builtins, as the kernel's
 * types force (W3062); a property reads it as the integer it holds.
 */
import type * as A from '../syntax/ast.ts';
import { Ctx, Scope, type FnSig } from './context.ts';
import { BUILTINS, targetIndex, WARNINGS_PROPERTY, type ArgKind, type Builtin } from './builtins.ts';
import { checkExpr, constValue, expectType, isConst, renderConst, requireConst, suggest, valueFits } from './expressions.ts';
import { isPlace } from './statements.ts';
import { BOOL, INTEGER, REFCOUNT_SATURATED, assignable, containsLock, containsWaitQueue, isScalar, typeToString, type Type } from './types.ts';
import { forEachStmt } from '../syntax/walk.ts';
import { checkKernelArg, completionHelp, isWaitQueue } from './waitq.ts';
import { checkCallbackArg } from './rcu.ts';

export function builtinNamed(name: string): Builtin | undefined {
  return BUILTINS.get(name);
}

// ---- Types ----

/** `atomic_t<lo..hi>` is the range lo..hi; `refcount_t<max>` is REFCOUNT_SATURATED..max (0..max, or saturated). */
export function resolveCounterType(ctx: Ctx, t: A.TypeExpr & { kind: 'atomic' | 'refcount' }, scope: Scope): Type | null {
  if (t.kind === 'atomic') {
    const lo = requireConst(ctx, t.lo, scope, INTEGER, 'range bounds must be constant');
    const hi = requireConst(ctx, t.hi, scope, INTEGER, 'range bounds must be constant');
    if (lo === null || hi === null) return null;
    if ((lo as number) > (hi as number)) { ctx.error('W3003', t.span, [lo as number, hi as number]); return null; }
    return { kind: 'int', lo: lo as number, hi: hi as number, counter: 'atomic_t' };
  }
  const max = requireConst(ctx, t.max, scope, INTEGER, 'the maximum of a refcount_t must be constant');
  if (max === null) return null;
  if ((max as number) < 1) { ctx.error('W3065', t.max.span, [max as number]); return null; }
  return { kind: 'int', lo: REFCOUNT_SATURATED, hi: max as number, counter: 'refcount_t' };
}

/** A constant never holds a saturated refcount_t: it starts in 0..max (refcount_set too). */
export function holdsSaturated(t: Type, v: unknown): boolean {
  if (t.kind === 'int') return t.counter === 'refcount_t' && v === REFCOUNT_SATURATED;
  if (t.kind === 'struct') return t.fields.some((f, i) => holdsSaturated(f.type, (v as unknown[])[i]));
  if (t.kind === 'array') return (v as unknown[]).some((x) => holdsSaturated(t.element, x));
  return false;
}

/** A fn cannot take a builtin's name: a call would mean two things. */
export function checkFnName(ctx: Ctx, d: A.FnDecl): boolean {
  if (!BUILTINS.has(d.name.name)) return true;
  ctx.error('W3063', d.name.span, [d.name.name], ['help: name the fn after what it models, e.g. my_' + d.name.name]);
  return false;
}

// ---- Counters in code ----

/** Nodes that may stand where they are: a counter as a builtin's or counter parameter's argument, a call in an allowed position. */
function permit(ctx: Ctx, e: A.Expr): void {
  ctx.kernelPermits.add(e);
}

/** W3062: code reads and writes an atomic_t or refcount_t only through its builtins. */
export function checkCounterUse(ctx: Ctx, e: A.Expr, scope: Scope, t: Type & { kind: 'int' }): void {
  const owner = scope.owner().kind;
  if ((owner !== 'actor' && owner !== 'fn') || ctx.kernelPermits.has(e)) return;
  const x = ctx.text(e.span);
  const help = t.counter === 'atomic_t'
    ? `help: read it with atomic_read(${x}); write it with atomic_set(${x}, v), atomic_inc(${x}), atomic_add(i, ${x}), atomic_cmpxchg(${x}, old, new), ...`
    : t.counter === 'completion' ? completionHelp(x)
    : `help: read it with refcount_read(${x}); change it with refcount_inc(${x}), refcount_dec_and_test(${x}), refcount_set(${x}, n), ...`;
  ctx.error('W3062', e.span, [x, typeToString(t)], [help, 'note: a property reads it as the integer it holds']);
}

/** Before a fn call's arguments are checked: one bound to a counter parameter is the counter itself, passed on. */
export function permitCounterArgs(ctx: Ctx, fn: FnSig, args: readonly A.Expr[]): void {
  fn.params.forEach((p, i) => {
    const a = args[i];
    if (a && ((p.type.kind === 'int' && p.type.counter) || isWaitQueue(p.type))) permit(ctx, a);
  });
}

/** A counter parameter takes a counter of the same kind, and a counter goes only to one (W3001). */
export function counterArgMismatch(param: Type, arg: Type): boolean {
  const pc = param.kind === 'int' ? param.counter : undefined;
  const ac = arg.kind === 'int' ? arg.counter : undefined;
  return pc !== ac;
}

// ---- Positions ----

const COMPARISONS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=']);

/**
 * The builtin call that a condition of `if` or `while` may hold: the whole
 * condition, its negation, or one side of a comparison. Lowering reads the
 * same forms (lower/kernel.ts).
 */
export function conditionCall(cond: A.Expr): (A.Expr & { kind: 'call' }) | null {
  if (cond.kind === 'call') return cond;
  if (cond.kind === 'unary' && cond.op === '!' && cond.operand.kind === 'call') return cond.operand;
  if (cond.kind === 'binary' && COMPARISONS.has(cond.op)) {
    if (cond.left.kind === 'call') return cond.left;
    if (cond.right.kind === 'call') return cond.right;
  }
  return null;
}

/** The builtin calls a statement makes in its own step (not in the statements inside it). */
export function ownCalls(s: A.Stmt): { readonly callee: A.Ident; readonly args: readonly A.Expr[] }[] {
  switch (s.kind) {
    case 'call': return BUILTINS.has(s.callee.name) ? [s] : [];
    case 'assign': return s.value.kind === 'call' && BUILTINS.has(s.value.callee.name) ? [s.value] : [];
    case 'if': case 'while': {
      const c = conditionCall(s.cond);
      return c && BUILTINS.has(c.callee.name) ? [c] : [];
    }
    default: return [];
  }
}

/** Marks the calls that stand where they may before a statement's expressions are checked. */
export function permitPositions(ctx: Ctx, s: A.Stmt): void {
  if (s.kind === 'assign' && s.op === '=' && s.value.kind === 'call') permit(ctx, s.value);
  if (s.kind === 'if' || s.kind === 'while') {
    const c = conditionCall(s.cond);
    if (c) permit(ctx, c);
  }
}

const POSITIONS = "a builtin that changes the state can be a statement, the whole right side of '=', or the condition of if or while (alone, negated with '!', or compared with ==, !=, <, <=, >, >=)";

// ---- Calls ----

/** A call in an expression: a builtin that gives a value, where it may stand. */
export function inferCall(ctx: Ctx, e: A.Expr & { kind: 'call' }, scope: Scope): Type | null {
  const name = e.callee.name;
  const bi = BUILTINS.get(name);
  if (!bi) {
    for (const a of e.args) checkExpr(ctx, a, scope);
    if (ctx.fns.has(name)) ctx.error('W2012', e.span, [name, 'it is a function, which gives no value; call it as a statement']);
    else ctx.error('W2004', e.callee.span, [name], suggest(name, [...BUILTINS.keys(), ...ctx.fns.keys()]));
    return null;
  }
  const owner = scope.owner().kind;
  if (owner !== 'actor' && owner !== 'fn') {
    const why = owner === 'property' ? `a builtin is a step of actor or fn code; a property reads the state directly${bi.pure ? ` (write '${ctx.text(e.args[0]?.span ?? e.span)}')` : ''}` : 'a builtin is a step of actor or fn code, not a constant';
    ctx.error('W3060', e.span, [name, why]);
    return null;
  }
  if (bi.result === 'none') { ctx.error('W3060', e.span, [name, 'it gives no value: call it as a statement']); return null; }
  if (!bi.pure && !ctx.kernelPermits.has(e)) { ctx.error('W3060', e.span, [name, POSITIONS], notes(bi)); return null; }
  return checkBuiltin(ctx, bi, e, scope);
}

function notes(bi: Builtin): string[] {
  if (bi.group === 'lock') return ['help: if (spin_trylock(l)) { ... } takes the lock in the step that tests it'];
  return [`help: store what it gives first, 'r = ${bi.name}(...);', then use r`];
}

/** A builtin as a statement (`spin_lock(l);`, `atomic_inc(v);`, `WARN_ON(c);`): whatever it gives is dropped. */
export function checkBuiltinStmt(ctx: Ctx, s: A.Stmt & { kind: 'call' }, scope: Scope, bi: Builtin): void {
  checkBuiltin(ctx, bi, s, scope);
}

/** Arity, message and arguments; the value the call gives, or null after an error. */
function checkBuiltin(ctx: Ctx, bi: Builtin, call: { readonly callee: A.Ident; readonly args: readonly A.Expr[]; readonly message: string | null; readonly span: A.Expr['span'] }, scope: Scope): Type | null {
  const name = bi.name;
  if (call.args.length !== bi.args.length) {
    // Which argument is which is unknown: none is reported as a counter used directly.
    for (const a of call.args) { permit(ctx, a); checkExpr(ctx, a, scope); }
    ctx.error('W3012', call.span, [name, bi.args.length, call.args.length], [`help: ${signature(bi)}`]);
    return null;
  }
  if (bi.message === 'none' && call.message !== null) ctx.error('W3064', call.span, [name, 'takes no message'], [`help: ${signature(bi)}`]);
  if (bi.message === 'required' && call.message === null) ctx.error('W3064', call.span, [name, 'needs a message'], [`help: ${signature(bi)}`, `help: WARN_ON(cond) warns without one`]);
  const ti = targetIndex(bi);
  let target: Type | null = null;
  let ok = true;
  bi.args.forEach((kind, i) => {
    const arg = call.args[i]!;
    const t = checkArg(ctx, bi, kind, arg, scope, target);
    if (i === ti) target = t;
    if (!t) ok = false;
  });
  if (!ok) return null;
  switch (bi.result) {
    case 'none': return BOOL;
    case 'bool': return BOOL;
    case 'int': {
      const t = target as Type | null;
      // The value of the counter: its range, but no longer a counter.
      return t?.kind === 'int' ? { kind: 'int', lo: t.lo, hi: t.hi } : INTEGER;
    }
    // READ_ONCE(x), cmpxchg(x, ...): a value of x's type (a counter argument was reported already).
    case 'target': {
      const t = target as Type | null;
      return t?.kind === 'int' && t.counter ? { kind: 'int', lo: t.lo, hi: t.hi } : t;
    }
  }
}

/** `atomic_add(int i, atomic_t v)`: the signature for help lines. */
function signature(bi: Builtin): string {
  const word = (a: ArgKind): string => {
    switch (a.kind) {
      case 'lock': return a.lock === 'exclusive' ? 'mutex or spinlock l' : `${a.lock} l`;
      case 'counter': return `${a.counter} v`;
      case 'scalar': return 'variable x';
      case 'place': return 'variable x';
      case 'int': return 'integer i';
      case 'bool': return 'bool cond';
      case 'like-target': return 'value';
      case 'waitq': return 'wait_queue_head_t wq';
      case 'callback': return 'fn callback';
    }
  };
  const args = bi.args.map(word);
  if (bi.message !== 'none') args.push(bi.message === 'optional' ? '"message" (optional)' : '"message"');
  return `${bi.name}(${args.join(', ')})`;
}

function checkArg(ctx: Ctx, bi: Builtin, kind: ArgKind, arg: A.Expr, scope: Scope, target: Type | null): Type | null {
  const text = ctx.text(arg.span);
  switch (kind.kind) {
    case 'int': return expectType(ctx, arg, scope, INTEGER);
    case 'bool': return expectType(ctx, arg, scope, BOOL);
    case 'like-target': {
      if (!target) { checkExpr(ctx, arg, scope); return null; }
      const v = checkExpr(ctx, arg, scope, target);
      if (!v) return null;
      if (!assignable(target, v)) { ctx.error('W3001', arg.span, [typeToString(target), typeToString(v)]); return null; }
      const k = constValue(ctx, arg, [], target);
      if (isConst(k) && !valueFits(target, k)) { ctx.error('W3004', arg.span, [renderConst(target, k), typeToString(target)]); return null; }
      return v;
    }
    case 'waitq': return checkKernelArg(ctx, bi, arg, scope, 'waitq');
    case 'counter':
      if (kind.counter === 'completion') return checkKernelArg(ctx, bi, arg, scope, 'completion');
      permit(ctx, arg);
      break;
    case 'callback': return checkCallbackArg(ctx, arg);
    case 'lock': case 'scalar': case 'place': break;
  }
  const t = checkExpr(ctx, arg, scope);
  if (!t) return null;
  if (!isPlace(ctx, arg)) {
    ctx.error('W3009', arg.span, [`'${text}'`], [`'${bi.name}' acts on a variable: name one (a shared variable, a local, a parameter, or a field or element of one)`]);
    return null;
  }
  switch (kind.kind) {
    case 'lock': {
      if (t.kind !== 'lock') { ctx.error('W3007', arg.span, [text, typeToString(t)]); return null; }
      const fits = kind.lock === 'exclusive' ? t.lock !== 'rwsem' : t.lock === kind.lock;
      if (!fits) {
        ctx.error('W3008', arg.span, [bi.name, kind.lock === 'exclusive' ? 'mutex or spinlock' : kind.lock, text, t.lock], [`help: ${lockHelp(t.lock)}`]);
        return null;
      }
      return t;
    }
    case 'counter': {
      if (t.kind === 'int' && t.counter === kind.counter) return t;
      const help = t.kind === 'int' && t.counter
        ? `help: '${text}' is a ${t.counter}: use the ${t.counter === 'atomic_t' ? 'atomic_*' : t.counter === 'completion' ? 'completion' : 'refcount_*'} builtins on it`
        : `help: declare it '${kind.counter === 'atomic_t' ? 'atomic_t<lo..hi>' : 'refcount_t<max>'}'; on a plain variable, cmpxchg, xchg, READ_ONCE and WRITE_ONCE work`;
      ctx.error('W3061', arg.span, [bi.name, `an ${kind.counter}`.replace('an refcount', 'a refcount'), text, typeToString(t)], [help]);
      return null;
    }
    case 'scalar':
      if (!isScalar(t)) { ctx.error('W3061', arg.span, [bi.name, 'a bool, integer or enum variable', text, typeToString(t)]); return null; }
      return t;
    case 'place':
      if (containsLock(t) || containsWaitQueue(t)) { ctx.error('W3061', arg.span, [bi.name, 'a variable that holds no lock', text, typeToString(t)]); return null; }
      return t;
  }
}

function lockHelp(lock: A.LockKind): string {
  switch (lock) {
    case 'mutex': return 'a mutex takes mutex_lock, mutex_trylock and mutex_unlock (or lock and unlock)';
    case 'spinlock': return 'a spinlock takes spin_lock, spin_trylock and spin_unlock (or lock and unlock)';
    case 'rwsem': return 'an rwsem takes down_read/up_read, down_write/up_write, down_read_trylock and down_write_trylock';
  }
}

// ---- What other checks need to know ----

/** The places a statement's own builtins write (for the fn parameters a fn stores into). */
export function builtinTargets(s: A.Stmt): A.Expr[] {
  return ownCalls(s).flatMap((c) => {
    const bi = BUILTINS.get(c.callee.name)!;
    const i = targetIndex(bi);
    return bi.pure || i === null || !c.args[i] ? [] : [c.args[i]!];
  });
}

/** The name of a builtin a statement calls that waits (spin_lock, mutex_lock), for the atomic-block rule (W4002). */
export function blockingBuiltin(s: A.Stmt): string | null {
  return s.kind === 'call' && BUILTINS.get(s.callee.name)?.blocks ? s.callee.name : null;
}

/**
 * The warning properties: a statement whose own builtin can warn is a
 * property of its own when a label is written directly on it (`l:
 * WARN_ON(c);`, `l: if (refcount_dec_and_test(r)) ...`), as a labelled
 * assert is; every other warning belongs to `warnings`. `of` gives each
 * such statement its property, for lowering; `spans` the first statement
 * of each, for reports.
 */
export interface WarningProperties {
  readonly of: ReadonlyMap<A.Stmt, string>;
  readonly labels: ReadonlyMap<string, A.Ident>;
  readonly spans: ReadonlyMap<string, A.Stmt['span']>;
}

export function warningProperties(model: A.Model): WarningProperties {
  const of = new Map<A.Stmt, string>();
  const labels = new Map<string, A.Ident>();
  const spans = new Map<string, A.Stmt['span']>();
  for (const d of model.decls) {
    if (d.kind !== 'fn' && d.kind !== 'actor') continue;
    forEachStmt(d.body, (s, label) => {
      if (!ownCalls(s).some((c) => BUILTINS.get(c.callee.name)!.warns)) return;
      const name = label?.name ?? WARNINGS_PROPERTY;
      of.set(s, name);
      if (label && !labels.has(name)) labels.set(name, label);
      if (!spans.has(name)) spans.set(name, s.span);
    });
  }
  // Labelled warnings first, in the order they appear, then `warnings`, as asserts come before `assertions`.
  const unnamed = spans.get(WARNINGS_PROPERTY);
  spans.delete(WARNINGS_PROPERTY);
  if (unnamed) spans.set(WARNINGS_PROPERTY, unnamed);
  return { of, labels, spans };
}
