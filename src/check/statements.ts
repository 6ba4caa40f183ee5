/**
 * Checking statements: types of conditions and assignments, lock kinds,
 * places, `break` inside loops, what `atomic {}` may contain, and calls
 * (arity, argument types, by-reference arguments, arguments that would read
 * shared state at every use because a call takes no step of its own).
 */
import { MAX_RANGE } from './limits.ts';
import type * as A from '../syntax/ast.ts';
import { Ctx, Scope, type Sym } from './context.ts';
import { forEachStmt, unrolledAway } from '../syntax/walk.ts';
import { kernelLockOp } from '../syntax/habits.ts';
import { lineCol } from '../text/source.ts';
import { checkExpr, constValue, expectType, isConst, renderConst, valueFits } from './expressions.ts';
import { checkWaitQueueCopy, severalSteps } from './waitq.ts';
import { blockingBuiltin, builtinNamed, builtinTargets, checkBuiltinStmt, counterArgMismatch, permitCounterArgs, permitPositions } from './kernel.ts';
import {
  BOOL, INTEGER, assignable, containsLock, identicalType, isNumeric, isScalar, typeToString, type Type,
} from './types.ts';

export interface BodyInfo {
  /** Names of labelled asserts met, with the label's span (they are properties). */
  readonly assertNames: Map<string, A.Ident>;
  /** fn name -> fns it calls, with the call, for the recursion check. */
  readonly calls: Map<string, { callee: string; span: A.Stmt['span'] }[]>;
}

interface StmtCtx {
  readonly scope: Scope;
  readonly loops: number;
  /** Inside `atomic {}`: no loops, no waiting after the first statement. */
  readonly atomic: boolean;
  /** The enclosing fn, for the call graph; null in an actor. */
  readonly fn: string | null;
}

export function checkStmts(ctx: Ctx, stmts: readonly A.Stmt[], sc: StmtCtx, info: BodyInfo): void {
  for (const s of stmts) checkStmt(ctx, s, sc, info);
}

export function checkStmt(ctx: Ctx, s: A.Stmt, sc: StmtCtx, info: BodyInfo): void {
  const { scope } = sc;
  permitPositions(ctx, s);
  switch (s.kind) {
    case 'block': return checkStmts(ctx, s.stmts, sc, info);
    case 'labelled':
      if (s.stmt.kind === 'assert') info.assertNames.set(s.label.name, s.label);
      return checkStmt(ctx, s.stmt, sc, info);
    case 'var': ctx.error('W4005', s.span); return;
    case 'if':
      expectType(ctx, s.cond, scope, BOOL);
      checkStmt(ctx, s.then, sc, info);
      if (s.else) checkStmt(ctx, s.else, sc, info);
      return;
    case 'while': case 'loop':
      if (sc.atomic) ctx.error('W4004', s.span, [`'${s.kind}'`]);
      if (s.kind === 'while') expectType(ctx, s.cond, scope, BOOL);
      return checkStmt(ctx, s.body, { ...sc, loops: sc.loops + 1 }, info);
    case 'break': case 'continue':
      if (sc.atomic) ctx.error('W4004', s.span, [`'${s.kind}'`]);
      else if (sc.loops === 0) ctx.error('W4001', s.span, [s.kind]);
      return;
    case 'for': return unrolledAway(s);
    case 'await': expectType(ctx, s.cond, scope, BOOL); return;
    case 'atomic':
      checkAtomicBlocking(ctx, s.body.stmts, true, new Set());
      return checkStmts(ctx, s.body.stmts, { ...sc, atomic: true }, info);
    case 'choose':
      for (const b of s.branches) checkStmts(ctx, b.stmts, sc, info);
      return;
    case 'pick': {
      const t = checkPlace(ctx, s.target, scope, 'pick into');
      expectType(ctx, s.lo, scope, INTEGER);
      expectType(ctx, s.hi, scope, INTEGER);
      const lo = constValue(ctx, s.lo);
      const hi = constValue(ctx, s.hi);
      if (typeof lo !== 'number') ctx.error('W3005', s.lo.span, ['pick bounds must be constant']);
      if (typeof hi !== 'number') ctx.error('W3005', s.hi.span, ['pick bounds must be constant']);
      if (t && !isNumeric(t)) ctx.error('W3001', s.target.span, ['an integer range to pick into', typeToString(t)]);
      if (typeof lo === 'number' && typeof hi === 'number') {
        if (lo > hi) ctx.error('W3003', { start: s.lo.span.start, end: s.hi.span.end }, [lo, hi]);
        else if (hi - lo + 1 > MAX_RANGE) ctx.error('W3025', { start: s.lo.span.start, end: s.hi.span.end }, [hi - lo + 1, MAX_RANGE]);
        else if (t?.kind === 'int' && (lo < t.lo || hi > t.hi)) ctx.error('W3004', { start: s.lo.span.start, end: s.hi.span.end }, [`${lo}..${hi}`, typeToString(t)]);
      }
      return;
    }
    case 'assert': expectType(ctx, s.cond, scope, BOOL); return;
    case 'skip': return;
    case 'lockop': {
      const t = checkPlace(ctx, s.target, scope, s.op);
      if (!t) return;
      const wants = s.op === 'lock' || s.op === 'unlock' ? 'mutex or spinlock' : 'rwsem';
      const ok = t.kind === 'lock' && (wants === 'rwsem' ? t.lock === 'rwsem' : t.lock !== 'rwsem');
      if (!ok) {
        if (t.kind === 'lock') ctx.error('W3008', s.target.span, [s.op, wants, ctx.text(s.target.span), t.lock], [t.lock === 'rwsem' ? 'help: use down_read/up_read or down_write/up_write' : 'help: use lock/unlock']);
        else ctx.error('W3007', s.target.span, [ctx.text(s.target.span), typeToString(t)]);
      }
      return;
    }
    case 'assign': {
      const t = checkPlace(ctx, s.target, scope, 'assign to');
      if (!t) { checkExpr(ctx, s.value, scope); return; }
      if (t.kind === 'lock' || containsLock(t)) { ctx.error('W3009', s.target.span, [`${ctx.text(s.target.span)}: it holds a lock; use lock() and unlock()`]); return; }
      if (!checkWaitQueueCopy(ctx, s.target, t)) return;
      if (s.op !== '=') {
        if (!isNumeric(t)) { ctx.error('W3002', s.span, [s.op, typeToString(t)]); return; }
        expectType(ctx, s.value, scope, INTEGER);
        return;
      }
      const v = checkExpr(ctx, s.value, scope, t);
      if (!v) return;
      if (!assignable(t, v)) { ctx.error('W3001', s.value.span, [typeToString(t), typeToString(v)]); return; }
      // A constant is checked here, aggregates (struct and array literals) included, element by element.
      const k = constValue(ctx, s.value, [], t);
      if (isConst(k) && !valueFits(t, k)) ctx.error('W3004', s.value.span, [renderConst(t, k), typeToString(t)]);
      return;
    }
    case 'call': return checkCall(ctx, s, sc, info);
  }
}

function checkCall(ctx: Ctx, s: A.Stmt & { kind: 'call' }, sc: StmtCtx, info: BodyInfo): void {
  const fn = ctx.fns.get(s.callee.name);
  const builtin = fn ? undefined : builtinNamed(s.callee.name);
  if (builtin) return checkBuiltinStmt(ctx, s, sc.scope, builtin);
  if (fn) permitCounterArgs(ctx, fn, s.args);
  for (const a of s.args) checkExpr(ctx, a, sc.scope);
  if (!fn) {
    const op = kernelLockOp(s.callee.name);
    ctx.error('W2004', s.callee.span, [s.callee.name], op ? [`help: Weft writes '${op}(${s.args.map((a) => ctx.text(a.span)).join(', ')})'`] : []);
    return;
  }
  if (s.message !== null) { ctx.error('W3064', s.span, [s.callee.name, 'is a fn: it takes no message']); return; }
  if (sc.fn !== null) {
    const list = info.calls.get(sc.fn) ?? [];
    list.push({ callee: fn.decl.name.name, span: s.span });
    info.calls.set(sc.fn, list);
  }
  if (fn.params.length !== s.args.length) { ctx.error('W3012', s.span, [s.callee.name, fn.params.length, s.args.length]); return; }
  const written = writtenParams(ctx, fn.decl, new Set());
  fn.params.forEach((p, i) => {
    const arg = s.args[i]!;
    const t = ctx.types.get(arg);
    if (!t) return;
    // A declared parameter range is enforced: here for a constant argument, at run time for others (lower/calls.ts).
    const k = constValue(ctx, arg);
    if (p.type.kind === 'int' && typeof k === 'number' && (k < p.type.lo || k > p.type.hi)) {
      ctx.error('W3019', arg.span, [k, s.callee.name, `${p.name}: ${typeToString(p.type)}`]);
      return;
    }
    if (counterArgMismatch(p.type, t)) { ctx.error('W3001', arg.span, [typeToString(p.type), typeToString(t)]); return; }
    const byRef = !isScalar(p.type) || written.has(i);
    if (byRef) {
      if (!isPlace(ctx, arg)) { ctx.error('W4012', arg.span, [s.callee.name, `'${ctx.text(arg.span)}'`], [`'${p.name}' is ${isScalar(p.type) ? 'assigned in the function' : `a ${typeToString(p.type)}`}`]); return; }
      if (!isScalar(p.type) && !identicalType(p.type, t)) { ctx.error('W3001', arg.span, [typeToString(p.type), typeToString(t)]); return; }
      const shared = sharedRead(ctx, arg, true);
      if (shared) ctx.error('W4006', shared.span, [s.callee.name, ctx.text(shared.span)]);
    } else {
      if (!assignable(p.type, t)) { ctx.error('W3001', arg.span, [typeToString(p.type), typeToString(t)]); return; }
      const shared = isPlace(ctx, arg) ? sharedRead(ctx, arg, true) : sharedRead(ctx, arg, false);
      if (shared) ctx.error('W4006', shared.span, [s.callee.name, ctx.text(shared.span)]);
    }
  });
}

/**
 * A place names storage: a shared variable, a local, a parameter (which
 * stands for the caller's argument), or a field or element of a place.
 */
export function isPlace(ctx: Ctx, e: A.Expr): boolean {
  switch (e.kind) {
    case 'name': {
      const sym = ctx.refs.get(e);
      return !!sym && (sym.kind === 'shared' || sym.kind === 'local' || sym.kind === 'param');
    }
    case 'field': return isPlace(ctx, e.object);
    case 'index': return isPlace(ctx, e.object);
    default: return false;
  }
}

function checkPlace(ctx: Ctx, e: A.Expr, scope: Scope, what: string): Type | null {
  const t = checkExpr(ctx, e, scope);
  if (!t) return null;
  if (!isPlace(ctx, e)) {
    const sym = e.kind === 'name' ? ctx.refs.get(e) : undefined;
    ctx.error('W3009', e.span, [sym ? `${describe(sym)} '${sym.name}'` : `'${ctx.text(e.span)}'`], [`only variables and their fields and elements can be used to ${what}`]);
    return null;
  }
  return t;
}

function describe(sym: Sym): string {
  return sym.kind === 'enumMember' ? 'enum member' : sym.kind === 'quant' ? 'quantifier variable' : sym.kind;
}

/**
 * The first sub-expression that reads shared state, if any. For a place
 * argument (`asPlace`), the place itself is passed by reference, so only
 * its index expressions count.
 */
function sharedRead(ctx: Ctx, e: A.Expr, asPlace: boolean): A.Expr | null {
  switch (e.kind) {
    case 'name': {
      const sym = ctx.refs.get(e);
      return !asPlace && sym?.kind === 'shared' ? e : null;
    }
    case 'field': return sharedRead(ctx, e.object, asPlace);
    case 'index': return sharedRead(ctx, e.object, asPlace) ?? sharedRead(ctx, e.index, false);
    case 'unary': return sharedRead(ctx, e.operand, false);
    case 'binary': return sharedRead(ctx, e.left, false) ?? sharedRead(ctx, e.right, false);
    case 'cond': return sharedRead(ctx, e.cond, false) ?? sharedRead(ctx, e.then, false) ?? sharedRead(ctx, e.else, false);
    case 'quant': return sharedRead(ctx, e.body, false);
    case 'struct': return e.fields.map((f) => sharedRead(ctx, f.value, false)).find((x) => x) ?? null;
    case 'array': return e.elements.map((x) => sharedRead(ctx, x, false)).find((x) => x) ?? null;
    // Properties only (W3033 elsewhere): never an argument.
    case 'at': return null;
    case 'number': case 'bool': case 'self': return null;
    // A builtin in an argument reads what its arguments read (check/kernel.ts says which may stand there).
    case 'call': return e.args.map((x) => sharedRead(ctx, x, false)).find((x) => x) ?? null;
  }
}

/** Indexes of the parameters a fn stores into (directly or through calls). */
function writtenParams(ctx: Ctx, fn: A.FnDecl, visiting: Set<string>): Set<number> {
  const out = new Set<number>();
  if (visiting.has(fn.name.name)) return out;
  visiting.add(fn.name.name);
  const root = (e: A.Expr): A.Expr => (e.kind === 'field' || e.kind === 'index' ? root(e.object) : e);
  const mark = (target: A.Expr): void => {
    const r = root(target);
    const sym = r.kind === 'name' ? ctx.refs.get(r) : undefined;
    if (sym?.kind === 'param') out.add(sym.index);
  };
  forEachStmt(fn.body, (s) => {
    if (s.kind === 'assign' || s.kind === 'pick' || s.kind === 'lockop') mark(s.target);
    for (const t of builtinTargets(s)) mark(t);
    if (s.kind !== 'call') return;
    const callee = ctx.fns.get(s.callee.name);
    if (!callee) return;
    const inner = writtenParams(ctx, callee.decl, visiting);
    s.args.forEach((a, i) => { if (inner.has(i)) mark(a); });
  });
  visiting.delete(fn.name.name);
  return out;
}

/**
 * Only the first statement of an atomic block may wait (await, lock,
 * down_read, down_write), so that the block is taken whole or not at all.
 * Loops inside the block itself are reported by checkStmt; this also looks
 * into called fns, reporting at the call.
 */
function checkAtomicBlocking(ctx: Ctx, stmts: readonly A.Stmt[], mayBlock: boolean, visiting: Set<string>): void {
  for (const p of atomicProblems(ctx, stmts, mayBlock, visiting, /*inCall*/ false)) ctx.error(p.code, p.span, [p.what]);
}

interface AtomicProblem { code: 'W4002' | 'W4004' | 'W4060'; span: A.Stmt['span']; what: string }

function atomicProblems(ctx: Ctx, stmts: readonly A.Stmt[], mayBlock: boolean, visiting: Set<string>, inCall: boolean): AtomicProblem[] {
  return stmts.flatMap((s, i) => atomicStmtProblems(ctx, s, mayBlock && i === 0, visiting, inCall));
}

function atomicStmtProblems(ctx: Ctx, s: A.Stmt, mayBlock: boolean, visiting: Set<string>, inCall: boolean): AtomicProblem[] {
  switch (s.kind) {
    case 'await':
      return mayBlock ? [] : [{ code: 'W4002', span: s.span, what: 'await' }];
    case 'lockop':
      return !mayBlock && (s.op === 'lock' || s.op === 'down_read' || s.op === 'down_write') ? [{ code: 'W4002', span: s.span, what: s.op }] : [];
    case 'block': return atomicProblems(ctx, s.stmts, mayBlock, visiting, inCall);
    case 'atomic': return atomicProblems(ctx, s.body.stmts, mayBlock, visiting, inCall);
    case 'labelled': return atomicStmtProblems(ctx, s.stmt, mayBlock, visiting, inCall);
    case 'if': return [...atomicStmtProblems(ctx, s.then, false, visiting, inCall), ...(s.else ? atomicStmtProblems(ctx, s.else, false, visiting, inCall) : [])];
    case 'choose': return s.branches.flatMap((b) => atomicProblems(ctx, b.stmts, false, visiting, inCall));
    case 'while': case 'loop': case 'break': case 'continue':
      return inCall ? [{ code: 'W4004', span: s.span, what: s.kind }] : [];
    case 'for': return unrolledAway(s);
    case 'call': {
      const fn = ctx.fns.get(s.callee.name);
      const blocks = fn ? null : blockingBuiltin(s);
      const several = fn ? null : severalSteps(ctx, s);
      if (several) return [{ code: 'W4060', span: s.span, what: several }];
      if (blocks) return mayBlock ? [] : [{ code: 'W4002', span: s.span, what: blocks }];
      if (!fn || visiting.has(fn.decl.name.name)) return [];
      visiting.add(fn.decl.name.name);
      const inner = atomicProblems(ctx, fn.decl.body.stmts, mayBlock, visiting, true);
      visiting.delete(fn.decl.name.name);
      const first = inner[0];
      if (!first) return [];
      // `at line 12`, or `at locks.weft:12` when the fn is in another file than the call.
      const at = lineCol(ctx.file, first.span.start);
      const where = at.path === lineCol(ctx.file, s.span.start).path ? `line ${at.line}` : `${at.path}:${at.line}`;
      return [{ code: first.code, span: s.span, what: `'${s.callee.name}' uses ${first.what} at ${where}` }];
    }
    case 'var': case 'pick': case 'assert': case 'skip': case 'assign': return [];
  }
}
