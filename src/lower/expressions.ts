/**
 * Lowering of expressions: names become global, local or constant nodes,
 * parameters are replaced by the caller's argument (fns are inlined and
 * arguments are passed by reference), constant sub-expressions are folded.
 */
import type * as A from '../syntax/ast.ts';
import type { Ctx } from '../check/context.ts';
import { applyBinary, constValue, isConst, isValue } from '../check/expressions.ts';
import { isFault, neg } from '../state/arith.ts';
import type { Expr, InstanceRef } from './ir.ts';
import { defaultValue, type Type } from '../check/types.ts';
import { builtinValue } from './kernel.ts';

export interface Frame {
  /** The lowered argument for each parameter of the fn being inlined; empty in an actor body. */
  readonly args: readonly Expr[];
  /** Names of the actor and the fns inlined so far. */
  readonly callPath: readonly string[];
  /**
   * For each parameter, the declared integer ranges a store through it
   * must meet besides its argument's own type: the parameter's, and those
   * of the parameters of enclosing calls its argument stands for.
   */
  readonly paramTypes: readonly (readonly ParamType[])[];
  /** Where each actor's labels are, for `a@l` in properties (lower.ts knows them once the actors are lowered). */
  readonly positions?: Positions;
}

/** The pcs (increasing) that the statements labelled `label` of actor `actor` start at. */
export type Positions = (actor: number, label: string) => readonly number[];

/** A parameter's declared type, with the words for a message: `parameter 'v' of set(y)`. */
export interface ParamType {
  readonly type: Type;
  readonly what: string;
}

export function lowerExpr(ctx: Ctx, e: A.Expr, frame: Frame): Expr {
  const k = constValue(ctx, e);
  if (isConst(k)) return { kind: 'const', value: k };
  switch (e.kind) {
    case 'number': case 'bool': return { kind: 'const', value: e.value };
    case 'self': return { kind: 'self' };
    case 'name': {
      const sym = ctx.refs.get(e);
      if (!sym) throw new Error(`internal error: unresolved name '${e.name}'`);
      switch (sym.kind) {
        case 'shared': return { kind: 'global', index: sym.index };
        case 'local': return { kind: 'local', index: sym.index };
        case 'param': {
          const arg = frame.args[sym.index];
          if (!arg) throw new Error(`internal error: no argument for '${e.name}'`);
          return arg;
        }
        case 'quant': return { kind: 'bound', depth: sym.depth };
        case 'const': case 'option': case 'enumMember': return { kind: 'const', value: sym.value };
      }
    }
    // falls through: the switch above returns on every symbol kind
    case 'at': {
      const instance = instanceRef(ctx, e.object, frame);
      if (!frame.positions) throw new Error('internal error: a position outside a property');
      return { kind: 'at', instance, label: e.label.name, pcs: frame.positions(instance.actor, e.label.name) };
    }
    case 'field': {
      const actor = ctx.actorRefs.get(e.object);
      if (actor) {
        const index = actor.locals.findIndex((l) => l.name === e.field.name);
        if (index < 0) throw new Error(`internal error: actor ${actor.decl.name.name} has no local ${e.field.name}`);
        return { kind: 'localOf', instance: instanceRef(ctx, e.object, frame), index };
      }
      const t = ctx.types.get(e.object);
      if (!t || t.kind !== 'struct') throw new Error('internal error: field of a non-struct');
      return { kind: 'field', object: lowerExpr(ctx, e.object, frame), field: t.fields.findIndex((f) => f.name === e.field.name) };
    }
    case 'index': {
      const t = ctx.types.get(e.object);
      if (!t || t.kind !== 'array') throw new Error('internal error: index of a non-array');
      return { kind: 'index', object: lowerExpr(ctx, e.object, frame), index: lowerExpr(ctx, e.index, frame), size: t.size, span: e.index.span };
    }
    case 'unary': return fold({ kind: 'unary', op: e.op, operand: lowerExpr(ctx, e.operand, frame) });
    case 'binary': return fold({ kind: 'binary', op: e.op, left: lowerExpr(ctx, e.left, frame), right: lowerExpr(ctx, e.right, frame), span: e.span });
    case 'cond': return fold({ kind: 'cond', cond: lowerExpr(ctx, e.cond, frame), then: lowerExpr(ctx, e.then, frame), else: lowerExpr(ctx, e.else, frame) });
    case 'quant': {
      const lo = constValue(ctx, e.lo);
      const hi = constValue(ctx, e.hi);
      const depth = quantDepthOf(ctx, e);
      return { kind: 'quant', quantifier: e.quantifier, depth, lo: lo as number, hi: hi as number, body: lowerExpr(ctx, e.body, frame) };
    }
    case 'struct': {
      const t = ctx.types.get(e);
      if (!t || t.kind !== 'struct') throw new Error('internal error: untyped struct literal');
      const fields = t.fields.map((f): Expr => {
        const init = e.fields.find((x) => x.name.name === f.name);
        return init ? lowerExpr(ctx, init.value, frame) : { kind: 'const', value: defaultValue(f.type) };
      });
      return aggregate({ kind: 'struct', fields });
    }
    case 'array': {
      const t = ctx.types.get(e);
      if (!t || t.kind !== 'array') throw new Error('internal error: untyped array literal');
      const elements = e.elements.map((x) => lowerExpr(ctx, x, frame));
      // `[v]` fills the array: v has no effects, so it is the same value read once per element.
      return aggregate({ kind: 'array', elements: elements.length === 1 ? Array.from({ length: t.size }, () => elements[0]!) : elements });
    }
    // A builtin's value (lower/kernel.ts); its effect is lowered where the call stands.
    case 'call': return builtinValue(ctx, e, frame);
  }
}

/** The instance a property names: `a` is instance 0 of a single actor, `a[i]` instance i of an array. */
function instanceRef(ctx: Ctx, e: A.Expr, frame: Frame): InstanceRef {
  const actor = ctx.actorRefs.get(e);
  if (!actor) throw new Error('internal error: an unresolved actor instance');
  if (e.kind === 'index') return { actor: actor.index, index: lowerExpr(ctx, e.index, frame), span: e.index.span };
  return { actor: actor.index, index: { kind: 'const', value: 0 }, span: e.span };
}

/**
 * Folds an operation whose operands became constants once the arguments of
 * an inlined fn were substituted (`L == N - 1` with L bound to 1), with the
 * arithmetic of state/arith.ts. An operation that faults (division by zero,
 * overflow) is left for run time, where it is a `ranges` violation.
 */
function fold(e: Expr): Expr {
  switch (e.kind) {
    case 'unary':
      if (e.operand.kind !== 'const') return e;
      if (e.op === '!') return { kind: 'const', value: !e.operand.value };
      {
        const v = neg(e.operand.value as number);
        return isFault(v) ? e : { kind: 'const', value: v };
      }
    case 'binary': {
      const { left, right } = e;
      if (left.kind === 'const' && (e.op === '&&' || e.op === '||' || e.op === '->')) {
        // Short-circuit: the right side is not evaluated, as at run time.
        if (e.op === '&&' && left.value === false) return left;
        if (e.op === '||' && left.value === true) return left;
        if (e.op === '->' && left.value === false) return { kind: 'const', value: true };
      }
      if (left.kind !== 'const' || right.kind !== 'const') return e;
      const v = applyBinary(e.op, left.value, right.value);
      return isValue(v) ? { kind: 'const', value: v } : e;
    }
    case 'cond':
      return e.cond.kind === 'const' ? (e.cond.value ? e.then : e.else) : e;
    default:
      return e;
  }
}

/** A literal whose parts all became constants (a fn's arguments substituted) is a constant. */
function aggregate(e: Expr & { kind: 'struct' | 'array' }): Expr {
  const parts = e.kind === 'struct' ? e.fields : e.elements;
  return parts.every((x) => x.kind === 'const') ? { kind: 'const', value: parts.map((x) => (x as Expr & { kind: 'const' }).value) } : e;
}

/** The depth the checker gave a quantifier's variable (recorded on its name uses). */
function quantDepthOf(ctx: Ctx, e: A.Expr & { kind: 'quant' }): number {
  let depth: number | null = null;
  const find = (x: A.Expr): void => {
    if (depth !== null) return;
    if (x.kind === 'name' && x.name === e.variable.name) {
      const sym = ctx.refs.get(x);
      if (sym?.kind === 'quant') depth = sym.depth;
      return;
    }
    for (const c of children(x)) find(c);
  };
  find(e.body);
  // An unused variable has no uses to read the depth from; any depth is fine.
  return depth ?? 0;
}

function children(e: A.Expr): A.Expr[] {
  switch (e.kind) {
    case 'field': case 'at': return [e.object];
    case 'index': return [e.object, e.index];
    case 'unary': return [e.operand];
    case 'binary': return [e.left, e.right];
    case 'cond': return [e.cond, e.then, e.else];
    case 'quant': return [e.lo, e.hi, e.body];
    case 'struct': return e.fields.map((f) => f.value);
    case 'array': return [...e.elements];
    case 'call': return [...e.args];
    case 'number': case 'bool': case 'self': case 'name': return [];
  }
}

/** The declared type of a lowered place: lower/places.ts. */
export { placeType } from './places.ts';
