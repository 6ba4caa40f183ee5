/**
 * Bounds of an IR integer expression from the declared types of what it
 * reads, by the interval rules of state/arith.ts (intervalOf). The code
 * generator uses them to leave out an overflow check that cannot fire: an
 * operation whose every result is a safe integer needs none, by the rule
 * of state/arith.ts itself.
 */
import type { Expr, Program } from './ir.ts';
import { placeType } from './expressions.ts';
import { MAX_MAGNITUDE, intervalOf, isArithOp } from '../state/arith.ts';

export type Interval = readonly [number, number];

export interface IntervalEnv {
  readonly program: Program;
  /** The actor whose locals and `self` the expression sees; null for properties. */
  readonly actor: number | null;
  /** Bounds of the quantifier variables by depth, where known. */
  readonly bound: readonly (Interval | undefined)[];
}

/** Bounds of `e`, or null when it is not an integer or they are unknown. */
export function intervalOfExpr(env: IntervalEnv, e: Expr): Interval | null {
  switch (e.kind) {
    case 'const':
      return typeof e.value === 'number' ? [e.value, e.value] : null;
    case 'global': case 'local': case 'localOf': case 'field': case 'index': {
      const actor = env.actor === null ? null : env.program.actors[env.actor]!;
      if (e.kind === 'local' && !actor) return null;
      const t = placeType(e, env.program.globals, actor?.locals ?? [], env.program.actors);
      if (t.kind === 'int') return [t.lo, t.hi];
      if (t.kind === 'enum') return [0, t.members.length - 1];
      return null;
    }
    case 'self':
      return env.actor === null ? null : [0, env.program.actors[env.actor]!.count - 1];
    case 'bound':
      return env.bound[e.depth] ?? null;
    case 'unary': case 'binary': {
      // Evaluation goes on past an operation only with a safe result (state/arith.ts), so the
      // bounds are clipped to the safe integers: each is then exact, and so is the test of the next.
      const r = opInterval(env, e);
      return r && [Math.max(r[0], -MAX_MAGNITUDE), Math.min(r[1], MAX_MAGNITUDE)];
    }
    case 'cond': {
      const a = intervalOfExpr(env, e.then);
      const b = intervalOfExpr(env, e.else);
      return a && b ? [Math.min(a[0], b[0]), Math.max(a[1], b[1])] : null;
    }
    case 'quant': case 'canAcquire': case 'lockFree': case 'at': case 'struct': case 'array':
      return null;
  }
}

/** Bounds of the exact results of an arithmetic operation (unary minus or + - * / %) on the bounds of its operands. */
export function opInterval(env: IntervalEnv, e: Expr): Interval | null {
  if (e.kind === 'unary') {
    const r = e.op === '-' ? intervalOfExpr(env, e.operand) : null;
    return r && [-r[1], -r[0]];
  }
  if (e.kind !== 'binary' || !isArithOp(e.op)) return null;
  const a = intervalOfExpr(env, e.left);
  const b = intervalOfExpr(env, e.right);
  return a && b ? intervalOf(e.op, a, b) : null;
}

/** Is every value of the interval a safe integer (so that the operation producing it cannot overflow)? */
export function isSafe(r: Interval | null): boolean {
  return r !== null && r[0] >= -MAX_MAGNITUDE && r[1] <= MAX_MAGNITUDE;
}
