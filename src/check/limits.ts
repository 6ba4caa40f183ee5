/**
 * The sizes the checker bounds before anything is built from them, so that
 * a model whose size is a bug (an array of a hundred million, a pick over
 * 2^31 values, a chain of thousands of calls) gets a diagnostic naming the
 * limit instead of gigabytes or a stack overflow before the search starts.
 * The limits are documented in docs/language.md ("Limits"); each is far
 * above what the models in models/ and bench/models/ use.
 */
import type * as A from '../syntax/ast.ts';
import { unrolledAway } from '../syntax/walk.ts';
import type { Ctx } from './context.ts';
import type { Type } from './types.ts';
import type { Span } from '../text/source.ts';

/** Values (scalars) in one type, and in the whole state. */
export const MAX_VALUES = 16384;
/** Actor instances in a model. */
export const MAX_INSTANCES = 1024;
/** Values a `pick` chooses from, and a quantifier ranges over. */
export const MAX_RANGE = 4096;
/**
 * Calls are inlined, so a chain of calls nests the callee's statements in
 * the caller's: a call counts one level plus the statements it is nested in.
 */
export const MAX_CALL_DEPTH = 256;
/**
 * Statements of all actors once every call is inlined: each becomes code
 * to generate and compile, and a fn that calls another twice, 40 deep,
 * would be 2^40 of them.
 */
export const MAX_INLINED = 10000;
/**
 * Statements and declarations that `for` copies, in all (check/unroll.ts):
 * the copies are made before MAX_INLINED can count them, and a `for` over
 * 0..2^31 with an empty body would otherwise loop that long.
 */
export const MAX_UNROLLED = 10000;
/**
 * Outcomes of one atomic step: its choose branches and picks multiply, and
 * the engines enumerate every path of the step before they store a state,
 * so thirty `choose` in one atomic block were 2^30 paths and no limit of
 * the search could stop them.
 */
export const MAX_OUTCOMES = 65536;

/** How many scalars a value of `t` holds; stops counting past MAX_VALUES. */
export function valueCount(t: Type): number {
  switch (t.kind) {
    case 'bool': case 'int': case 'integer': case 'enum': case 'lock': return 1;
    case 'struct': return Math.min(MAX_VALUES + 1, t.fields.reduce((n, f) => n + valueCount(f.type), 0));
    case 'array': return Math.min(MAX_VALUES + 1, t.size * valueCount(t.element));
  }
}

/** Width of a constant range, or null when a bound is not a number. */
export function rangeWidth(lo: unknown, hi: unknown): number | null {
  return typeof lo === 'number' && typeof hi === 'number' ? hi - lo + 1 : null;
}

interface CallSite { readonly callee: string; readonly span: Span; readonly nesting: number }
interface Body { readonly calls: CallSite[]; statements: number }

/**
 * Bounds what inlining makes, before any walk that follows calls runs: a
 * call at which the inlined nesting passes MAX_CALL_DEPTH (W4013), and
 * actors whose statements, inlined, pass MAX_INLINED (W4014). Recursion is
 * left to checkRecursion: a cycle counts as nothing more here.
 */
export function checkCalls(ctx: Ctx, model: A.Model): boolean {
  const fns = new Map(model.decls.filter((d): d is A.FnDecl => d.kind === 'fn').map((d) => [d.name.name, d]));
  const bodyOf = (body: A.Stmt): Body => { const out: Body = { calls: [], statements: 0 }; collect(body, 0, out); return out; };
  const bodies = new Map([...fns].map(([name, fn]) => [name, bodyOf(fn.body)]));
  const actors = model.decls.filter((d): d is A.ActorDecl => d.kind === 'actor').map((a) => ({ decl: a, body: bodyOf(a.body) }));

  // The deepest nesting a call to `fn` adds, and the statements it inlines; memoised, 'active' breaks cycles.
  const memo = new Map<string, { height: number; size: number } | 'active'>();
  const measure = (fn: string): { height: number; size: number } => {
    const m = memo.get(fn);
    if (m === 'active') return { height: 0, size: 0 };
    if (m !== undefined) return m;
    memo.set(fn, 'active');
    const body = bodies.get(fn)!;
    let height = 0;
    let size = body.statements;
    for (const s of body.calls) {
      if (!fns.has(s.callee)) continue;
      const inner = measure(s.callee);
      height = Math.max(height, s.nesting + 1 + inner.height);
      size = Math.min(MAX_INLINED + 1, size + inner.size);
    }
    const result = { height, size };
    memo.set(fn, result);
    return result;
  };
  // Walks down the deepest chain to the call where the limit is crossed.
  const report = (calls: readonly CallSite[], level: number, seen: Set<string>): boolean => {
    for (const s of calls) {
      if (!fns.has(s.callee) || seen.has(s.callee)) continue;
      const here = level + s.nesting + 1;
      if (here > MAX_CALL_DEPTH) { ctx.error('W4013', s.span, [s.callee, MAX_CALL_DEPTH]); return true; }
      if (here + measure(s.callee).height > MAX_CALL_DEPTH) return report(bodies.get(s.callee)!.calls, here, new Set([...seen, s.callee]));
    }
    return false;
  };
  for (const body of [...actors.map((a) => a.body), ...bodies.values()]) if (report(body.calls, 0, new Set())) return false;

  // Every fn too: the checker's walks through calls start at each one.
  for (const [name, fn] of fns) {
    if (measure(name).size > MAX_INLINED) { ctx.error('W4014', fn.name.span, [`in fn '${name}'`, MAX_INLINED]); return false; }
  }
  let total = 0;
  for (const a of actors) {
    total = Math.min(MAX_INLINED + 1, a.body.calls.reduce((n, s) => n + (fns.has(s.callee) ? measure(s.callee).size : 0), total + a.body.statements));
    if (total > MAX_INLINED) {
      const biggest = [...a.body.calls].filter((s) => fns.has(s.callee)).sort((x, y) => measure(y.callee).size - measure(x.callee).size)[0];
      ctx.error('W4014', biggest?.span ?? a.decl.name.span, [`counting the actors up to '${a.decl.name.name}'`, MAX_INLINED]);
      return false;
    }
  }
  return true;
}

function collect(s: A.Stmt, nesting: number, out: Body): void {
  if (s.kind !== 'block') out.statements++;
  switch (s.kind) {
    case 'call': out.calls.push({ callee: s.callee.name, span: s.span, nesting }); return;
    case 'block': for (const c of s.stmts) collect(c, nesting + 1, out); return;
    case 'atomic': for (const c of s.body.stmts) collect(c, nesting + 1, out); return;
    case 'choose': for (const b of s.branches) for (const c of b.stmts) collect(c, nesting + 1, out); return;
    case 'labelled': return collect(s.stmt, nesting + 1, out);
    case 'if': collect(s.then, nesting + 1, out); if (s.else) collect(s.else, nesting + 1, out); return;
    case 'while': case 'loop': return collect(s.body, nesting + 1, out);
    case 'for': return unrolledAway(s);
    case 'var': case 'break': case 'continue': case 'await': case 'pick': case 'assert': case 'skip': case 'lockop': case 'assign': return;
  }
}

/** The whole state: shared variables, each instance's locals and its pc. */
export function checkStateSize(ctx: Ctx): boolean {
  const instances = ctx.actors.reduce((n, a) => n + a.count, 0);
  const last = ctx.actors[ctx.actors.length - 1];
  if (instances > MAX_INSTANCES && last) { ctx.error('W3024', last.decl.name.span, [instances, MAX_INSTANCES]); return false; }
  // Reported at the variable with which the count crosses the limit.
  let values = instances;
  const vars = [...ctx.globals.map((g) => ({ n: valueCount(g.type), span: g.span })), ...ctx.actors.flatMap((a) => a.locals.map((l) => ({ n: a.count * valueCount(l.type), span: l.span })))];
  for (const v of vars) {
    values += v.n;
    if (values > MAX_VALUES) { ctx.error('W3017', v.span, [`${values} values or more (limit ${MAX_VALUES})`]); return false; }
  }
  return true;
}

/**
 * Reports each atomic block (W4015) whose paths, counting the branches of
 * every choose and the values of every pick in it and in the fns it calls,
 * pass MAX_OUTCOMES. Runs after the checks, so pick bounds are constants.
 */
export function checkOutcomes(ctx: Ctx, model: A.Model, constOf: (e: A.Expr) => unknown): void {
  const fns = new Map(model.decls.filter((d): d is A.FnDecl => d.kind === 'fn').map((d) => [d.name.name, d]));
  const memo = new Map<string, number>();
  const cap = (n: number) => Math.min(MAX_OUTCOMES + 1, n);
  const seq = (stmts: readonly A.Stmt[]): number => stmts.reduce((n, x) => cap(n * paths(x)), 1);
  const paths = (s: A.Stmt): number => {
    switch (s.kind) {
      case 'choose': return cap(s.branches.reduce((n, b) => n + seq(b.stmts), 0));
      case 'pick': return rangeWidth(constOf(s.lo), constOf(s.hi)) ?? 1;
      case 'if': return Math.max(paths(s.then), s.else ? paths(s.else) : 1);
      case 'block': return seq(s.stmts);
      case 'atomic': return seq(s.body.stmts);
      case 'labelled': return paths(s.stmt);
      case 'call': {
        const fn = fns.get(s.callee.name);
        if (!fn || memo.get(fn.name.name) === 0) return 1;
        if (!memo.has(fn.name.name)) { memo.set(fn.name.name, 0); memo.set(fn.name.name, seq(fn.body.stmts)); }
        return memo.get(fn.name.name)!;
      }
      case 'while': case 'loop': case 'var': case 'break': case 'continue': case 'await': case 'assert': case 'skip': case 'lockop': case 'assign': return 1;
      case 'for': return unrolledAway(s);
    }
  };
  const visit = (s: A.Stmt): void => {
    if (s.kind === 'atomic') {
      const n = paths(s);
      if (n > MAX_OUTCOMES) ctx.error('W4015', s.span, [MAX_OUTCOMES]);
      return;
    }
    for (const c of s.kind === 'block' ? s.stmts : s.kind === 'choose' ? s.branches : s.kind === 'labelled' ? [s.stmt] : s.kind === 'if' ? (s.else ? [s.then, s.else] : [s.then]) : s.kind === 'while' || s.kind === 'loop' ? [s.body] : []) visit(c);
  };
  for (const d of model.decls) if (d.kind === 'fn' || d.kind === 'actor') visit(d.body);
}
