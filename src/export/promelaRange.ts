/**
 * Where SPIN's arithmetic differs from Weft's, the export refuses. Weft's
 * integers are exact up to ±(2^53-1) (state/arith.ts); pan evaluates
 * expressions in C's 32-bit `int`, where an intermediate beyond
 * -2^31..2^31-1 wraps or is undefined. Division and remainder truncate as
 * in C on both sides, so the two agree exactly when every value the model
 * holds and every intermediate it computes lies within 32 bits.
 *
 * This pass proves that from the declared ranges, by interval arithmetic
 * over the IR (intervalOf in state/arith.ts): the bounds of every place,
 * constant, `self`, quantifier variable and arithmetic result. Each one
 * that may leave 32 bits is a W3020 diagnostic naming the expression, and
 * `weft export --promela` prints them and writes nothing (exit 2). The
 * analysis is conservative: a model it refuses may never reach the bound.
 */
import type { Expr, Op, Program } from '../lower/ir.ts';
import { placeType } from '../lower/expressions.ts';
import type { Type } from '../check/types.ts';
import { diag, type Diagnostic } from '../text/diagnostic.ts';
import { spanText, type Span } from '../text/source.ts';
import { intervalOf, isArithOp } from '../state/arith.ts';
import { assertNever } from '../util.ts';

type Interval = readonly [number, number];

export const INT32: Interval = [-(2 ** 31), 2 ** 31 - 1];

interface Where {
  readonly program: Program;
  /** The actor whose locals and `self` an expression sees; null for properties. */
  readonly actor: number | null;
  /** Bounds of the quantifier variables, by depth. */
  readonly bound: Interval[];
  /** The span to name when the expression has none of its own (a unary minus): its statement's. */
  readonly span: Span;
  readonly out: Diagnostic[];
}

/**
 * The W3020 diagnostics for `program`: empty when its Promela export means
 * what Weft means. Fairness is no refusal: liveness properties whose
 * fairness pan cannot give are left out of the export, which says so
 * (promelaLtl.ts livenessOmissions).
 */
export function promelaRefusals(program: Program): Diagnostic[] {
  const out: Diagnostic[] = [];
  const declared = (name: string, type: Type, span: Span): void => {
    for (const r of intRanges(type)) {
      if (!within(r)) out.push(diag('W3020', program.file, span, [name, `its range ${r[0]}..${r[1]} does not fit SPIN's 32-bit int`]));
    }
  };
  for (const g of program.globals) declared(g.name, g.type, g.span);
  for (const a of program.actors) for (const l of a.locals) declared(l.name, l.type, l.span);
  for (const s of program.steps) {
    const w: Where = { program, actor: s.actor, bound: [], span: s.span, out };
    if (s.guard) bounds(w, s.guard);
    ops(w, s.effect);
  }
  for (const p of program.properties) {
    if (p.kind === 'invariant' || p.kind === 'reachable') bounds({ program, actor: null, bound: [], span: p.span, out }, p.expr);
    if (p.kind === 'liveness') for (const e of p.p ? [p.p, p.q] : [p.q]) bounds({ program, actor: null, bound: [], span: p.span, out }, e);
  }
  return out;
}

function ops(w: Where, list: readonly Op[]): void {
  for (const op of list) {
    switch (op.kind) {
      case 'assign': bounds(w, op.target); bounds(w, op.value); break;
      case 'check': bounds(w, op.value); break;
      case 'pick': bounds(w, op.target); break;
      case 'assert': case 'warn': bounds(w, op.cond); break;
      case 'stores': for (const s of op.stores) { bounds(w, s.target); bounds(w, s.value); } break;
      case 'acquire': case 'release': bounds(w, op.lock); break;
      case 'if': bounds(w, op.cond); ops(w, op.then); ops(w, op.else); break;
      case 'choose': op.branches.forEach((b) => ops(w, b)); break;
      default: assertNever(op);
    }
  }
}

/** Bounds of an integer expression (null for bools and aggregates), reporting every sub-expression that may leave 32 bits. */
function bounds(w: Where, e: Expr): Interval | null {
  switch (e.kind) {
    case 'const':
      if (typeof e.value !== 'number') return null;
      return report(w, e, [e.value, e.value], w.span);
    case 'global': case 'local': case 'localOf': case 'field': case 'index': {
      if (e.kind === 'index') { bounds(w, e.object); bounds(w, e.index); }
      if (e.kind === 'field') bounds(w, e.object);
      if (e.kind === 'localOf') bounds(w, e.instance.index);
      const actor = w.actor === null ? null : w.program.actors[w.actor]!;
      const t = placeType(e, w.program.globals, actor?.locals ?? [], w.program.actors);
      if (t.kind === 'int') return [t.lo, t.hi];
      if (t.kind === 'enum') return [0, t.members.length - 1];
      return null;
    }
    case 'self': {
      const count = w.actor === null ? 1 : w.program.actors[w.actor]!.count;
      return [0, count - 1];
    }
    case 'bound':
      return w.bound[e.depth] ?? null;
    case 'unary': {
      const r = bounds(w, e.operand);
      if (e.op !== '-' || !r) return null;
      return report(w, e, [-r[1], -r[0]], w.span);
    }
    case 'binary': {
      const a = bounds(w, e.left);
      const b = bounds(w, e.right);
      if (!isArithOp(e.op) || !a || !b) return null;
      const r = intervalOf(e.op, a, b);
      return r ? report(w, e, r, e.span) : null;
    }
    case 'cond': {
      bounds(w, e.cond);
      const a = bounds(w, e.then);
      const b = bounds(w, e.else);
      return a && b ? [Math.min(a[0], b[0]), Math.max(a[1], b[1])] : null;
    }
    case 'quant': {
      const saved = w.bound[e.depth];
      w.bound[e.depth] = [e.lo, e.hi];
      bounds(w, e.body);
      if (saved === undefined) w.bound.length = Math.min(w.bound.length, e.depth);
      else w.bound[e.depth] = saved;
      return null;
    }
    case 'canAcquire': case 'lockFree':
      bounds(w, e.lock);
      return null;
    case 'at':
      bounds(w, e.instance.index);
      return null;
    case 'struct':
      for (const x of e.fields) bounds(w, x);
      return null;
    case 'array':
      for (const x of e.elements) bounds(w, x);
      return null;
    default:
      return assertNever(e);
  }
}

function report(w: Where, e: Expr, r: Interval, span: Span): Interval {
  if (!within(r)) {
    const text = e.kind === 'const' ? String(e.value) : spanText(w.program.file, span).replace(/\s+/g, ' ').trim();
    const d = diag('W3020', w.program.file, span, [`'${text}'`, `by the declared ranges its value may lie outside SPIN's 32-bit int (${INT32[0]}..${INT32[1]})`]);
    // One diagnostic per place in the text: a sub-expression of a refused one repeats the news.
    if (!w.out.some((x) => x.span.start === d.span.start && x.span.end === d.span.end)) w.out.push(d);
  }
  return r;
}

function within(r: Interval): boolean {
  return r[0] >= INT32[0] && r[1] <= INT32[1];
}

/** The integer ranges of a declared type's leaves. */
function intRanges(t: Type): Interval[] {
  switch (t.kind) {
    case 'int': return [[t.lo, t.hi]];
    case 'struct': return t.fields.flatMap((f) => intRanges(f.type));
    case 'array': return intRanges(t.element);
    default: return [];
  }
}
