/**
 * What lies at an offset, read from the parsed model and from the
 * checker's side tables (check/context.ts: `refs` says what every name
 * refers to, `types` the type of every expression it checked). Nothing here
 * resolves a name by a rule of its own: a name is what the checker said.
 */
import type * as A from '../syntax/ast.ts';
import type { Ctx, Sym } from '../check/context.ts';
import type { Type } from '../check/types.ts';
import { forEachStmt } from '../syntax/walk.ts';
import type { Span } from '../text/source.ts';

const within = (span: Span, offset: number): boolean => span.start <= offset && offset <= span.end;
const size = (span: Span): number => span.end - span.start;

/** The smallest of `spans` holding `offset`. */
function smallest<T>(items: Iterable<T>, spanOf: (t: T) => Span | null, offset: number): T | null {
  let best: T | null = null;
  for (const it of items) {
    const s = spanOf(it);
    if (s && within(s, offset) && (best === null || size(s) < size(spanOf(best)!))) best = it;
  }
  return best;
}

/** Every declaration of the model, those in a `for` and a variant's fns included. */
export function allDecls(model: A.Model): A.Decl[] {
  const out: A.Decl[] = [];
  const add = (ds: readonly A.Decl[]): void => {
    for (const d of ds) {
      out.push(d);
      if (d.kind === 'for') add(d.decls);
      if (d.kind === 'variant') out.push(...d.fns);
    }
  };
  add(model.decls);
  return out;
}

/** The actor or fn whose body holds the offset. */
export function ownerAt(model: A.Model, offset: number): A.ActorDecl | A.FnDecl | null {
  return smallest(allDecls(model).filter((d): d is A.ActorDecl | A.FnDecl => d.kind === 'actor' || d.kind === 'fn'), (d) => d.span, offset);
}

/** The innermost statement holding the offset, with the statements around it, outermost first. */
export function stmtAt(model: A.Model, offset: number): { stmt: A.Stmt; outer: A.Stmt[] } | null {
  const owner = ownerAt(model, offset);
  if (!owner) return null;
  const chain: A.Stmt[] = [];
  const visit = (s: A.Stmt): void => {
    if (!within(s.span, offset)) return;
    chain.push(s);
    const kids: A.Stmt[] = [];
    forEachStmt(s, (k) => { if (k !== s) kids.push(k); });
    if (s.kind === 'labelled') kids.unshift(s.stmt);
    const next = smallest(kids.filter((k) => k !== s), (k) => k.span, offset);
    if (next && next !== s) visit(next);
  };
  for (const s of owner.body.stmts) visit(s);
  const stmt = chain.pop();
  return stmt ? { stmt, outer: chain } : null;
}

export type Found =
  | { readonly kind: 'name'; readonly expr: A.Expr; readonly sym: Sym; readonly span: Span }
  | { readonly kind: 'field'; readonly expr: A.Expr & { kind: 'field' }; readonly type: Type | null; readonly span: Span }
  | { readonly kind: 'call'; readonly callee: A.Ident }
  | { readonly kind: 'decl'; readonly decl: A.Decl; readonly span: Span };

/** The name, field, call or declared name under the offset, as the checker resolved it. */
export function foundAt(model: A.Model, ctx: Ctx | null, offset: number): Found | null {
  if (ctx) {
    const ref = smallest(ctx.refs.keys(), (e) => e.span, offset);
    if (ref) return { kind: 'name', expr: ref, sym: ctx.refs.get(ref)!, span: ref.span };
    const field = smallest([...ctx.types.keys()].filter((e): e is A.Expr & { kind: 'field' } => e.kind === 'field'), (e) => e.field.span, offset);
    if (field) return { kind: 'field', expr: field, type: ctx.types.get(field) ?? null, span: field.field.span };
  }
  const decl = smallest(allDecls(model), (d) => ('name' in d && d.name && 'span' in d.name ? d.name.span : null), offset);
  if (decl && 'name' in decl) return { kind: 'decl', decl, span: (decl.name as A.Ident).span };
  const call = callAt(model, offset);
  return call ? { kind: 'call', callee: call } : null;
}

/** A call's callee under the offset (a fn or a kernel builtin), found in the statements. */
function callAt(model: A.Model, offset: number): A.Ident | null {
  const at = stmtAt(model, offset);
  if (!at) return null;
  const s = at.stmt.kind === 'labelled' ? at.stmt.stmt : at.stmt;
  if (s.kind === 'call' && within(s.callee.span, offset)) return s.callee;
  // A builtin that gives a value stands in an expression (`if (spin_trylock(l))`, `old = xchg(x, 1)`).
  let found: A.Ident | null = null;
  const visit = (e: A.Expr | null | undefined): void => {
    if (!e || found || !within(e.span, offset)) return;
    if (e.kind === 'call' && within(e.callee.span, offset)) { found = e.callee; return; }
    for (const v of Object.values(e)) {
      if (v && typeof v === 'object' && 'kind' in v && 'span' in v) visit(v as A.Expr);
      if (Array.isArray(v)) for (const x of v) if (x && typeof x === 'object' && 'kind' in x) visit(x as A.Expr);
    }
  };
  for (const v of Object.values(s)) if (v && typeof v === 'object' && 'kind' in v && 'span' in v) visit(v as A.Expr);
  return found;
}
