/**
 * What lowering adds at a call so that a parameter's declared type is
 * enforced (docs/language.md, "Functions"). A call takes no step of its
 * own and passes its arguments by reference, so:
 *   - an argument whose type does not fit inside an integer parameter's
 *     range is checked when the first step of the fn body is taken (a
 *     constant argument was checked by the checker, W3019);
 *   - a store through a parameter (assignment or pick) is checked against
 *     the parameter's range, and the ranges of the parameters of enclosing
 *     calls that its argument stands for, besides the argument's own type
 *     (which the store checks anyway).
 * Both are `check` ops (lower/ir.ts): a value outside is a `ranges`
 * violation of the step.
 */
import type * as A from '../syntax/ast.ts';
import type { Ctx } from '../check/context.ts';
import { constValue } from '../check/expressions.ts';
import type { Type } from '../check/types.ts';
import type { Expr, Op } from './ir.ts';
import type { Frame, ParamType } from './expressions.ts';

/** The frame of a call's body, and the checks its first step makes. */
export function enterCall(ctx: Ctx, s: A.Stmt & { kind: 'call' }, outer: Frame, ex: (e: A.Expr) => Expr): { frame: Frame; checks: Op[] } {
  const fn = ctx.fns.get(s.callee.name);
  if (!fn) throw new Error(`internal error: unknown fn '${s.callee.name}'`);
  const call = ctx.text(s.span).replace(/\s+/g, ' ').replace(/;$/, '').trim();
  const args = s.args.map(ex);
  const checks: Op[] = [];
  const paramTypes = fn.params.map((p, i): ParamType[] => {
    const a = s.args[i]!;
    const own: ParamType = { type: p.type, what: `parameter '${p.name}' of ${call}` };
    const sym = a.kind === 'name' ? ctx.refs.get(a) : undefined;
    const inherited = sym?.kind === 'param' ? outer.paramTypes[sym.index] ?? [] : [];
    if (p.type.kind !== 'int') return [...inherited];
    if (typeof constValue(ctx, a) !== 'number' && !fits(ctx.types.get(a), p.type)) {
      checks.push({ kind: 'check', value: args[i]!, type: p.type, what: own.what, span: a.span });
    }
    return [...inherited, own];
  });
  return { frame: { args, callPath: [...outer.callPath, fn.decl.name.name], paramTypes }, checks };
}

/**
 * Checks after a store to `target` (an assignment or pick): if it is a
 * parameter, its value must also meet the parameter ranges it stands for,
 * unless the argument's own type `stored` lies inside them.
 */
export function storeChecks(ctx: Ctx, target: A.Expr, lowered: Expr, stored: Type, frame: Frame, span: A.Stmt['span']): Op[] {
  const sym = target.kind === 'name' ? ctx.refs.get(target) : undefined;
  if (sym?.kind !== 'param') return [];
  return (frame.paramTypes[sym.index] ?? [])
    .filter((p) => !fits(stored, p.type))
    .map((p) => ({ kind: 'check', value: lowered, type: p.type, what: p.what, span }));
}

/** Does every value of `t` lie in the range `want`? */
function fits(t: Type | undefined, want: Type): boolean {
  if (want.kind !== 'int') return true;
  return t?.kind === 'int' && t.lo >= want.lo && t.hi <= want.hi;
}
