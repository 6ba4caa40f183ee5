/**
 * Type checking of expressions, and the evaluation of constant ones (array
 * sizes, range bounds, initial values, option values). Results go into the
 * context's side tables; a `null` type means an error was already reported,
 * so callers stay quiet instead of piling up follow-on errors.
 */
import { MAX_RANGE, rangeWidth } from './limits.ts';
import type * as A from '../syntax/ast.ts';
import { Ctx, Scope, type ActorSig, type Sym } from './context.ts';
import { actorNamed, checkInstance, checkLabel, reportBareLocal } from './instances.ts';
import {
  BOOL, INTEGER, defaultValue, isNumeric, isScalar, sameType, typeToString,
  type Type, type Value,
} from './types.ts';
import { outOfRange } from '../state/ranges.ts';
import { checkCounterUse, holdsSaturated, inferCall } from './kernel.ts';
import { checkWaitQueueUse, isWaitQueue } from './waitq.ts';
import { ARITH, faultText, inIndex, isArithOp, isFault, neg, type ArithFault } from '../state/arith.ts';

export function checkExpr(ctx: Ctx, e: A.Expr, scope: Scope, expected?: Type): Type | null {
  const t = infer(ctx, e, scope, expected);
  if (t) ctx.types.set(e, t);
  if (t?.kind === 'int' && t.counter) checkCounterUse(ctx, e, scope, t);
  if (t && isWaitQueue(t)) checkWaitQueueUse(ctx, e, t);
  return t;
}

/** Checks `e` and reports a mismatch with `want`. */
export function expectType(ctx: Ctx, e: A.Expr, scope: Scope, want: Type): Type | null {
  const t = checkExpr(ctx, e, scope, want);
  if (t && !sameType(want, t)) {
    ctx.error('W3001', e.span, [typeToString(want), typeToString(t)]);
    return null;
  }
  return t;
}

function infer(ctx: Ctx, e: A.Expr, scope: Scope, expected?: Type): Type | null {
  switch (e.kind) {
    case 'number': return INTEGER;
    case 'bool': return BOOL;
    case 'self': {
      const owner = scope.owner();
      if (owner.kind === 'actor') {
        if (!owner.actor.isArray) { ctx.error('W2008', e.span); return null; }
        return { kind: 'int', lo: 0, hi: owner.actor.count - 1 };
      }
      if (owner.kind === 'fn') return INTEGER;
      ctx.error('W4007', e.span, ['self', 'properties describe the shared state, not one actor']);
      return null;
    }
    case 'name': {
      const sym = scope.lookup(e.name);
      if (!sym) {
        const type = ctx.enums.get(e.name) ?? ctx.structs.get(e.name);
        if (type) ctx.error('W2012', e.span, [e.name, `it is a type`]);
        else if (ctx.fns.has(e.name)) ctx.error('W2012', e.span, [e.name, 'it is a function; call it as a statement']);
        else if (ctx.actors.some((a) => a.decl.name.name === e.name)) ctx.error('W2012', e.span, [e.name, `it is an actor: '${e.name}@LABEL' is true where it is about to run the statement labelled LABEL, '${e.name}.LOCAL' reads one of its locals, in properties`]);
        else if (scope.owner().kind === 'property' && reportBareLocal(ctx, e)) return null;
        else ctx.error('W2001', e.span, [e.name], suggestInScope(e.name, scope));
        return null;
      }
      ctx.refs.set(e, sym);
      return symType(sym);
    }
    case 'field': {
      const actor = actorNamed(ctx, e.object, scope);
      if (actor) return instanceLocal(ctx, e, actor, scope);
      const t = checkExpr(ctx, e.object, scope);
      if (!t) return null;
      if (t.kind !== 'struct') { ctx.error('W3011', e.span, [typeToString(t)]); return null; }
      const f = t.fields.find((x) => x.name === e.field.name);
      if (!f) { ctx.error('W2005', e.field.span, [t.name, e.field.name], [`fields of ${t.name}: ${t.fields.map((x) => x.name).join(', ')}`]); return null; }
      return f.type;
    }
    case 'index': {
      const t = checkExpr(ctx, e.object, scope);
      const it = expectType(ctx, e.index, scope, INTEGER);
      if (!t) return null;
      if (t.kind !== 'array') { ctx.error('W3010', e.object.span, [typeToString(t)]); return null; }
      if (it) {
        const k = constValue(ctx, e.index);
        if (typeof k === 'number' && !inIndex(k, t.size)) ctx.error('W3004', e.index.span, [k, `the indexes 0..${t.size - 1} of ${ctx.text(e.object.span)}`]);
      }
      return t.element;
    }
    case 'at': {
      const actor = actorNamed(ctx, e.object, scope);
      if (!actor) {
        const names = ctx.actors.map((a) => a.decl.name.name);
        const base = e.object.kind === 'index' ? e.object.object : e.object;
        ctx.error('W3030', e.object.span, [ctx.text(e.object.span)], [
          ...(base.kind === 'name' ? suggest(base.name, names) : []),
          `'NAME@LABEL' needs an actor (or one instance of an actor array, 'NAME[i]@LABEL'); actors: ${names.join(', ')}`,
        ]);
        return null;
      }
      if (!checkInstance(ctx, e.object, actor, scope, e) || !checkLabel(ctx, actor, e.label)) return null;
      return BOOL;
    }
    case 'unary': {
      if (e.op === '!') return expectType(ctx, e.operand, scope, BOOL) && BOOL;
      return expectType(ctx, e.operand, scope, INTEGER) && INTEGER;
    }
    case 'binary': return binary(ctx, e, scope);
    case 'cond': {
      expectType(ctx, e.cond, scope, BOOL);
      const a = checkExpr(ctx, e.then, scope, expected);
      if (!a) return null;
      const b = expectType(ctx, e.else, scope, a);
      if (!b) return null;
      return isNumeric(a) ? INTEGER : a;
    }
    case 'quant': {
      expectType(ctx, e.lo, scope, INTEGER);
      expectType(ctx, e.hi, scope, INTEGER);
      const [lo, hi] = [e.lo, e.hi].map((bound) => {
        const v = constValue(ctx, bound);
        if (typeof v !== 'number') ctx.error('W3005', bound.span, ['quantifier bounds must be known before the search starts']);
        return v;
      });
      const width = rangeWidth(lo, hi);
      if (width !== null && width > MAX_RANGE) ctx.error('W3026', { start: e.lo.span.start, end: e.hi.span.end }, [width, MAX_RANGE]);
      const inner = new Scope(scope, { kind: 'quant' });
      if (scope.lookup(e.variable.name)) ctx.error('W2002', e.variable.span, [e.variable.name]);
      inner.define({ kind: 'quant', name: e.variable.name, depth: scope.quantDepth() });
      expectType(ctx, e.body, inner, BOOL);
      return BOOL;
    }
    case 'struct': {
      if (!expected || expected.kind !== 'struct') { ctx.error('W3001', e.span, [expected ? typeToString(expected) : 'a value of known type', 'a struct literal']); return null; }
      const seen = new Set<string>();
      for (const f of e.fields) {
        const field = expected.fields.find((x) => x.name === f.name.name);
        if (!field) { ctx.error('W2005', f.name.span, [expected.name, f.name.name]); continue; }
        if (seen.has(f.name.name)) ctx.error('W3013', f.name.span, [f.name.name]);
        seen.add(f.name.name);
        expectType(ctx, f.value, scope, field.type);
      }
      return expected;
    }
    case 'array': {
      if (!expected || expected.kind !== 'array') { ctx.error('W3001', e.span, [expected ? typeToString(expected) : 'a value of known type', 'an array literal']); return null; }
      if (e.elements.length !== expected.size && e.elements.length !== 1) ctx.error('W3016', e.span, [e.elements.length, expected.size], ['a one-element literal [v] fills the whole array']);
      for (const x of e.elements) expectType(ctx, x, scope, expected.element);
      return expected;
    }
    case 'call': return inferCall(ctx, e, scope);
  }
}

/** `a.x`, `a[i].x`: local `x` of an actor instance, with its declared type. */
function instanceLocal(ctx: Ctx, e: A.Expr & { kind: 'field' }, actor: ActorSig, scope: Scope): Type | null {
  if (!checkInstance(ctx, e.object, actor, scope, e)) return null;
  const local = actor.locals.find((l) => l.name === e.field.name);
  if (local) return local.type;
  const name = actor.decl.name.name;
  const names = actor.locals.map((l) => l.name);
  ctx.error('W3031', e.field.span, [name, 'local', e.field.name], [
    ...suggest(e.field.name, names),
    names.length ? `locals of ${name}: ${names.join(', ')}` : `${name} declares no locals`,
  ]);
  return null;
}

function binary(ctx: Ctx, e: A.Expr & { kind: 'binary' }, scope: Scope): Type | null {
  switch (e.op) {
    case '->': case '||': case '&&': {
      if (e.op === '->' && arrowOnStruct(ctx, e, scope)) return null;
      const a = expectType(ctx, e.left, scope, BOOL);
      const b = expectType(ctx, e.right, scope, BOOL);
      return a && b && BOOL;
    }
    case '==': case '!=': {
      const a = checkExpr(ctx, e.left, scope);
      if (!a) return null;
      if (!isScalar(a)) { ctx.error('W3014', e.left.span, [typeToString(a)]); return null; }
      const b = expectType(ctx, e.right, scope, a);
      return b && BOOL;
    }
    case '<': case '<=': case '>': case '>=': {
      const a = numeric(ctx, e.left, scope, e.op);
      const b = numeric(ctx, e.right, scope, e.op);
      return a && b && BOOL;
    }
    case '+': case '-': case '*': case '/': case '%': {
      const a = numeric(ctx, e.left, scope, e.op);
      const b = numeric(ctx, e.right, scope, e.op);
      if (a && b && (e.op === '/' || e.op === '%') && constValue(ctx, e.right) === 0) ctx.error('W3015', e.right.span);
      else if (a && b) overflowsWhenFolded(ctx, e);
      return a && b && INTEGER;
    }
  }
}

/**
 * W1015 for C's `p->x`: in Weft `->` is implication, and a struct on its
 * left is never a bool, so the C field access is what was meant.
 */
function arrowOnStruct(ctx: Ctx, e: A.Expr & { kind: 'binary' }, scope: Scope): boolean {
  const t = checkExpr(ctx, e.left, scope);
  if (t?.kind !== 'struct') return false;
  const field = e.right.kind === 'name' ? e.right.name : 'FIELD';
  ctx.error('W1015', e.span, [`${ctx.text(e.left.span)}.${field}`], ["note: C reads a field through a pointer with '->'; Weft has no pointers: a struct is named itself, and a fn parameter of struct type is a reference to the caller's"]);
  return true;
}

/**
 * W3018 when an operation on two constants leaves the safe integers: the
 * folder must not decide it with a rounded double, and at run time it would
 * be a `ranges` violation on every path that reaches it.
 */
function overflowsWhenFolded(ctx: Ctx, e: A.Expr & { kind: 'binary' }): void {
  if (!isArithOp(e.op)) return;
  const l = constValue(ctx, e.left);
  const r = constValue(ctx, e.right);
  if (typeof l !== 'number' || typeof r !== 'number') return;
  const v = ARITH[e.op](l, r);
  if (isFault(v) && v.kind === 'overflow') ctx.error('W3018', e.span, [`${l} ${e.op} ${r}`]);
}

function numeric(ctx: Ctx, e: A.Expr, scope: Scope, op: string): Type | null {
  const t = checkExpr(ctx, e, scope);
  if (t && !isNumeric(t)) { ctx.error('W3002', e.span, [op, typeToString(t)]); return null; }
  return t;
}

export function symType(sym: Sym): Type {
  return sym.kind === 'quant' ? INTEGER : sym.type;
}

/** "did you mean" for an unknown name, from the names in scope. */
function suggestInScope(name: string, scope: Scope): string[] {
  const candidates: string[] = [];
  for (let s: Scope | null = scope; s; s = s.parent) candidates.push(...s.namesForSuggestion());
  return suggest(name, candidates);
}

/** "did you mean" for an unknown name, from `candidates`. */
export function suggest(name: string, candidates: readonly string[]): string[] {
  let best: string | null = null;
  let bestDist = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDist) { best = c; bestDist = d; }
  }
  return best ? [`help: did you mean '${best}'?`] : [];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

// ---- Constants ----

/** Why an expression has no constant value; `fault` when it is an arithmetic fault, which W3015/W3018 already report. */
export type NotConst = { readonly notConst: string; readonly fault?: true };
const notConst = (why: string): NotConst => ({ notConst: why });
const faulted = (f: ArithFault): NotConst => ({ notConst: faultText(f), fault: true });
export const isConst = (v: Value | NotConst): v is Value => typeof v !== 'object' || Array.isArray(v);

/**
 * The value of an expression that needs no state: literals, consts, options,
 * enum members and arithmetic on them. Call after checkExpr.
 */
export function constValue(ctx: Ctx, e: A.Expr, env: number[] = [], expected?: Type): Value | NotConst {
  switch (e.kind) {
    case 'number': case 'bool': return e.value;
    case 'self': return notConst('it uses self');
    case 'call': return notConst(`it calls ${e.callee.name}`);
    case 'at': return notConst('it reads where an actor is');
    case 'name': {
      const sym = ctx.refs.get(e);
      if (!sym) return notConst(`'${e.name}' is unknown`);
      switch (sym.kind) {
        case 'const': case 'option': case 'enumMember': return sym.value;
        case 'quant': return env[sym.depth] ?? notConst('quantifier');
        default: return notConst(`'${e.name}' is a variable`);
      }
    }
    case 'field': {
      if (ctx.actorRefs.has(e.object)) return notConst("it reads an actor's local");
      const o = constValue(ctx, e.object, env);
      const t = ctx.types.get(e.object);
      if (!isConst(o) || !t || t.kind !== 'struct') return isConst(o) ? notConst('bad field') : o;
      return (o as Value[])[t.fields.findIndex((f) => f.name === e.field.name)] ?? notConst('bad field');
    }
    case 'index': {
      const o = constValue(ctx, e.object, env);
      const i = constValue(ctx, e.index, env);
      if (!isConst(o)) return o;
      if (!isConst(i)) return i;
      return (o as Value[])[i as number] ?? notConst('index out of range');
    }
    case 'unary': {
      const v = constValue(ctx, e.operand, env);
      if (!isConst(v)) return v;
      if (e.op === '!') return !v;
      const r = neg(v as number);
      return isFault(r) ? faulted(r) : r;
    }
    case 'binary': {
      const a = constValue(ctx, e.left, env);
      if (!isConst(a)) return a;
      if (e.op === '&&' && a === false) return false;
      if (e.op === '||' && a === true) return true;
      if (e.op === '->' && a === false) return true;
      const b = constValue(ctx, e.right, env);
      if (!isConst(b)) return b;
      const r = applyBinary(e.op, a, b);
      return isValue(r) ? r : faulted(r);
    }
    case 'cond': {
      const c = constValue(ctx, e.cond, env);
      if (!isConst(c)) return c;
      return constValue(ctx, c ? e.then : e.else, env, expected);
    }
    case 'quant': {
      const lo = constValue(ctx, e.lo, env);
      const hi = constValue(ctx, e.hi, env);
      if (typeof lo !== 'number' || typeof hi !== 'number') return notConst('bounds');
      for (let i = lo; i <= hi; i++) {
        const v = constValue(ctx, e.body, [...env, i]);
        if (!isConst(v)) return v;
        if (e.quantifier === 'forall' && v === false) return false;
        if (e.quantifier === 'exists' && v === true) return true;
      }
      return e.quantifier === 'forall';
    }
    case 'struct': {
      const t = expected ?? ctx.types.get(e);
      if (!t || t.kind !== 'struct') return notConst('untyped struct literal');
      const out: Value[] = [];
      for (const f of t.fields) {
        const init = e.fields.find((x) => x.name.name === f.name);
        if (!init) { out.push(defaultValue(f.type)); continue; }
        const v = constValue(ctx, init.value, env, f.type);
        if (!isConst(v)) return v;
        out.push(v);
      }
      return out;
    }
    case 'array': {
      const t = expected ?? ctx.types.get(e);
      if (!t || t.kind !== 'array') return notConst('untyped array literal');
      const vs: Value[] = [];
      for (const x of e.elements) {
        const v = constValue(ctx, x, env, t.element);
        if (!isConst(v)) return v;
        vs.push(v);
      }
      return vs.length === 1 && t.size !== 1 ? Array.from({ length: t.size }, () => vs[0]!) : vs;
    }
  }
}

/** Did an operation give a value (not an arithmetic fault)? */
export function isValue(r: Value | ArithFault): r is Value {
  return typeof r !== 'object' || Array.isArray(r);
}

/** A binary operator on constants, with the arithmetic of state/arith.ts (faults are returned, not folded). */
export function applyBinary(op: A.BinaryOp, a: Value, b: Value): Value | ArithFault {
  if (isArithOp(op)) return ARITH[op](a as number, b as number);
  switch (op) {
    case '->': return !a || !!b;
    case '||': return !!a || !!b;
    case '&&': return !!a && !!b;
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return (a as number) < (b as number);
    case '<=': return (a as number) <= (b as number);
    case '>': return (a as number) > (b as number);
    case '>=': return (a as number) >= (b as number);
  }
}

/**
 * Checks and evaluates an expression that must be constant, reporting
 * W3005 if it is not and W3004 if it falls outside `type`.
 */
export function requireConst(ctx: Ctx, e: A.Expr, scope: Scope, type: Type, why: string): Value | null {
  const t = expectType(ctx, e, scope, type);
  if (!t) return null;
  const v = constValue(ctx, e, [], type);
  if (!isConst(v)) {
    if (!v.fault) ctx.error('W3005', e.span, [`${why} (${v.notConst})`]);
    return null;
  }
  if (!valueFits(type, v)) { ctx.error('W3004', e.span, [renderConst(type, v), typeToString(type)]); return null; }
  return v;
}

/** Does a constant lie in its type, every field and element included? */
export function valueFits(t: Type, v: Value): boolean {
  return outOfRange(t, v) === null && !holdsSaturated(t, v);
}

export function renderConst(t: Type, v: Value): string {
  return t.kind === 'enum' && typeof v === 'number' ? (t.members[v] ?? String(v)) : JSON.stringify(v);
}
