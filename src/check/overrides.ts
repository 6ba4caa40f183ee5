/**
 * A fn declared inside a variant replaces the top-level fn of its name, in
 * that variant only, so that a proposal is a small file that imports the
 * model and rewrites one function:
 *
 *   import "gup-base.weft";
 *   variant plan_c { fn folio_mkclean(f: 0..1) { ... } }
 *
 * The replacement must take what the fn it replaces takes (as many
 * parameters, of identical types, ranges included: every call of the model
 * must stay a call of it); names may differ. Every variant's replacements
 * are checked for that in every configuration; a replacement's body is
 * checked, like any fn, when its variant is. It cannot call the fn it
 * replaces (that is a call of itself: W4003).
 *
 * The checker hands lowering and the AST oracle (test/oracle/promela) the
 * model as the variant sees it, so both exports and both engines share
 * this one rule: SPIN agreeing cannot catch a bug here. The state counts
 * and verdicts pinned by test/imports.test.ts and docs/language.md, worked
 * out by hand for the replaced code, can.
 */
import type * as A from '../syntax/ast.ts';
import type { Ctx } from './context.ts';
import { resolveType } from './declarations.ts';
import { identicalType, typeToString, type Type } from './types.ts';

/** W2002, W2020, W4040 for the fns of every variant. */
export function checkOverrides(ctx: Ctx, model: A.Model): void {
  const topLevel = new Map(model.decls.filter((d): d is A.FnDecl => d.kind === 'fn').map((d) => [d.name.name, d]));
  for (const v of model.decls) {
    if (v.kind !== 'variant') continue;
    const seen = new Map<string, A.FnDecl>();
    for (const fn of v.fns) {
      const first = seen.get(fn.name.name);
      if (first) { ctx.error('W2002', fn.name.span, [fn.name.name], [], [{ span: first.name.span, message: `note: variant '${v.name.name}' first replaces '${fn.name.name}' here` }]); continue; }
      seen.set(fn.name.name, fn);
      const base = topLevel.get(fn.name.name);
      if (!base) { ctx.error('W2020', fn.name.span, [v.name.name, fn.name.name], ['note: a fn in a variant replaces a fn of the model; a new helper is declared outside the variants']); continue; }
      const mine = paramTypes(ctx, fn);
      const theirs = paramTypes(ctx, base);
      if (!mine || !theirs) continue;
      const same = mine.length === theirs.length && mine.every((t, i) => identicalType(t, theirs[i]!));
      if (!same) ctx.error('W4040', fn.name.span, [fn.name.name, v.name.name, signature(mine), signature(theirs)], [], [{ span: base.name.span, message: `note: '${fn.name.name}' is declared here` }]);
    }
  }
}

/** The model as `variant` sees it: each top-level fn it replaces, replaced where it stood. */
export function withOverrides(model: A.Model, variant: string | null): A.Model {
  const chosen = model.decls.find((d): d is A.VariantDecl => d.kind === 'variant' && d.name.name === variant);
  if (!chosen || chosen.fns.length === 0) return model;
  const replacing = new Map(chosen.fns.map((f) => [f.name.name, f]));
  return { ...model, decls: model.decls.map((d) => (d.kind === 'fn' ? replacing.get(d.name.name) ?? d : d)) };
}

function paramTypes(ctx: Ctx, fn: A.FnDecl): Type[] | null {
  const types = fn.params.map((p) => resolveType(ctx, p.type, ctx.global));
  return types.every((t): t is Type => t !== null) ? types : null;
}

function signature(types: readonly Type[]): string {
  return types.length ? `(${types.map(typeToString).join(', ')})` : 'no parameter';
}
