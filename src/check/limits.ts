/**
 * The sizes the checker bounds before anything is built from them, so that
 * a model whose size is a bug (an array of a hundred million, a pick over
 * 2^31 values, a chain of thousands of calls) gets a diagnostic naming the
 * limit instead of gigabytes or a stack overflow before the search starts.
 * The limits are documented in docs/language.md ("Limits"); each is far
 * above what the models in models/ and bench/models/ use.
 */
import type * as A from '../syntax/ast.ts';
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

/**
 * Finds a call at which the inlined nesting passes MAX_CALL_DEPTH and
 * reports it (W4013), before any walk that follows calls runs. Recursion is
 * left to checkRecursion: a cycle counts as no further depth here.
 */
export function checkCallDepth(ctx: Ctx, model: A.Model): boolean {
  const fns = new Map(model.decls.filter((d): d is A.FnDecl => d.kind === 'fn').map((d) => [d.name.name, d]));
  const sites = new Map<string, CallSite[]>();
  const callsIn = (body: A.Stmt): CallSite[] => { const out: CallSite[] = []; collect(body, 0, out); return out; };
  for (const [name, fn] of fns) sites.set(name, callsIn(fn.body));

  // The deepest nesting a call to `fn` adds, memoised; 'active' breaks cycles.
  const height = new Map<string, number | 'active'>();
  const heightOf = (fn: string): number => {
    const h = height.get(fn);
    if (h === 'active') return 0;
    if (h !== undefined) return h;
    height.set(fn, 'active');
    let most = 0;
    for (const s of sites.get(fn) ?? []) if (fns.has(s.callee)) most = Math.max(most, s.nesting + 1 + heightOf(s.callee));
    height.set(fn, most);
    return most;
  };
  // Walks down the deepest chain to the call where the limit is crossed.
  const report = (calls: readonly CallSite[], level: number, seen: Set<string>): boolean => {
    for (const s of calls) {
      if (!fns.has(s.callee) || seen.has(s.callee)) continue;
      const here = level + s.nesting + 1;
      if (here > MAX_CALL_DEPTH) { ctx.error('W4013', s.span, [s.callee, MAX_CALL_DEPTH]); return true; }
      if (here + heightOf(s.callee) > MAX_CALL_DEPTH) return report(sites.get(s.callee)!, here, new Set([...seen, s.callee]));
    }
    return false;
  };
  const roots = [...model.decls.filter((d): d is A.ActorDecl => d.kind === 'actor').map((a) => callsIn(a.body)), ...sites.values()];
  for (const calls of roots) if (report(calls, 0, new Set())) return false;
  return true;
}

function collect(s: A.Stmt, nesting: number, out: CallSite[]): void {
  switch (s.kind) {
    case 'call': out.push({ callee: s.callee.name, span: s.span, nesting }); return;
    case 'block': for (const c of s.stmts) collect(c, nesting + 1, out); return;
    case 'atomic': for (const c of s.body.stmts) collect(c, nesting + 1, out); return;
    case 'choose': for (const b of s.branches) for (const c of b.stmts) collect(c, nesting + 1, out); return;
    case 'labelled': return collect(s.stmt, nesting + 1, out);
    case 'if': collect(s.then, nesting + 1, out); if (s.else) collect(s.else, nesting + 1, out); return;
    case 'while': case 'loop': return collect(s.body, nesting + 1, out);
    case 'var': case 'break': case 'await': case 'pick': case 'assert': case 'skip': case 'lockop': case 'assign': return;
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
