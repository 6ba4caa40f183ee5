/**
 * Properties may read an actor instance: where it is (`a@l`, `a[i]@l`) and
 * its locals (`a.x`, `a[i].x`). This file resolves the instance part of
 * those expressions. A name is an actor only where no symbol in scope
 * takes it (a local or a quantifier variable may shadow an actor's name;
 * shared variables cannot, they share the top-level namespace with actors).
 * The resolved actor of each instance expression goes into `ctx.actorRefs`
 * for lowering.
 */
import type * as A from '../syntax/ast.ts';
import type { ActorSig, Ctx, Scope } from './context.ts';
import { constValue, expectType, suggest } from './expressions.ts';
import { INTEGER } from './types.ts';
import { inIndex } from '../state/arith.ts';
import { unrolledAway } from '../syntax/walk.ts';

/** The actor `e` names (`a`, or `a[i]` for an actor array), or null when `e` is not an instance. */
export function actorNamed(ctx: Ctx, e: A.Expr, scope: Scope): ActorSig | null {
  const base = e.kind === 'index' ? e.object : e;
  if (base.kind !== 'name' || scope.lookup(base.name)) return null;
  return ctx.actors.find((a) => a.decl.name.name === base.name) ?? null;
}

/**
 * Checks the instance part `e` of `e@l` or `e.x`, where `actorNamed` found
 * `actor`: only properties may read another instance (W3033); an actor
 * array needs an index and a single actor has none (W3032); the index is an
 * integer, and a constant one must name an instance (W3004, as any index).
 * Returns false after a diagnostic.
 */
export function checkInstance(ctx: Ctx, e: A.Expr, actor: ActorSig, scope: Scope, whole: A.Expr): boolean {
  const owner = scope.owner();
  if (owner.kind !== 'property') {
    const why = owner.kind === 'global'
      ? 'this value must be known before the search starts'
      : 'a step may read only shared state and its own locals';
    ctx.error('W3033', whole.span, [ctx.text(whole.span), why]);
    return false;
  }
  const name = actor.decl.name.name;
  if (e.kind === 'index') {
    const it = expectType(ctx, e.index, scope, INTEGER);
    if (!actor.isArray) { ctx.error('W3032', e.span, [`'${name}' is a single actor, not an array: write '${name}' without an index`]); return false; }
    if (!it) return false;
    const k = constValue(ctx, e.index);
    if (typeof k === 'number' && !inIndex(k, actor.count)) { ctx.error('W3004', e.index.span, [k, `the instances 0..${actor.count - 1} of actor ${name}`]); return false; }
  } else if (actor.isArray) {
    ctx.error('W3032', e.span, [`'${name}' is an array of ${actor.count} actors: say which instance, '${name}[i]'`]);
    return false;
  }
  ctx.actorRefs.set(e, actor);
  return true;
}

/** Where a label can be a position: at step level, or only inside `atomic {}` (one step: no pc starts there). */
export type LabelPlace = 'step' | 'atomic';

const labelCache = new WeakMap<ActorSig, Map<string, LabelPlace>>();

/**
 * The labels of an actor's code, those of the fns it calls included (a fn
 * is inlined at each call), each with whether some use of it is at step
 * level. Calls into fns on a recursion cycle are followed once (W4003
 * reports the cycle).
 */
export function actorLabels(ctx: Ctx, actor: ActorSig): Map<string, LabelPlace> {
  const cached = labelCache.get(actor);
  if (cached) return cached;
  const out = new Map<string, LabelPlace>();
  const visiting = new Set<string>();
  const visit = (s: A.Stmt, atomic: boolean): void => {
    switch (s.kind) {
      case 'labelled':
        if (!atomic || !out.has(s.label.name)) out.set(s.label.name, atomic ? 'atomic' : 'step');
        return visit(s.stmt, atomic);
      case 'block': return s.stmts.forEach((t) => visit(t, atomic));
      case 'atomic': return s.body.stmts.forEach((t) => visit(t, true));
      case 'if': visit(s.then, atomic); if (s.else) visit(s.else, atomic); return;
      case 'while': case 'loop': return visit(s.body, atomic);
      case 'choose': return s.branches.forEach((b) => visit(b, atomic));
      case 'call': {
        const fn = ctx.fns.get(s.callee.name);
        if (!fn || visiting.has(s.callee.name)) return;
        visiting.add(s.callee.name);
        visit(fn.decl.body, atomic);
        visiting.delete(s.callee.name);
        return;
      }
      case 'var': case 'break': case 'continue': case 'await': case 'pick': case 'assert': case 'skip': case 'lockop': case 'assign':
        return;
      case 'for': return unrolledAway(s);
    }
  };
  for (const s of actor.body) visit(s, false);
  labelCache.set(actor, out);
  return out;
}

/** Checks the label of `e@l` against the actor's positions (W3031). */
export function checkLabel(ctx: Ctx, actor: ActorSig, label: A.Ident): boolean {
  const labels = actorLabels(ctx, actor);
  const place = labels.get(label.name);
  const name = actor.decl.name.name;
  if (place === 'step') return true;
  if (place === 'atomic') {
    ctx.error('W3031', label.span, [name, 'position', label.name], [`'${label.name}' labels a statement inside 'atomic {}', which is one step: no step starts at it; label the atomic block`]);
    return false;
  }
  const positions = [...labels].filter(([, p]) => p === 'step').map(([l]) => l);
  ctx.error('W3031', label.span, [name, 'label', label.name], [
    ...suggest(label.name, positions),
    positions.length ? `labels of ${name}: ${positions.join(', ')}` : `${name} has no labels: write 'NAME: statement' in its code`,
  ]);
  return false;
}

/** W3034 for a property that names an actor's local without its actor; false when no actor has such a local. */
export function reportBareLocal(ctx: Ctx, e: A.Expr & { kind: 'name' }): boolean {
  const owners = ctx.actors.filter((a) => a.locals.some((l) => l.name === e.name));
  const first = owners[0];
  if (!first) return false;
  const qualified = (a: ActorSig): string => `'${a.decl.name.name}${a.isArray ? '[i]' : ''}.${e.name}'`;
  ctx.error('W3034', e.span, [e.name, first.decl.name.name, qualified(first)], owners.slice(1).map((a) => `it is also a local of actor '${a.decl.name.name}': ${qualified(a)}`));
  return true;
}
