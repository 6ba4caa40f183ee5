/**
 * Phase 2: the checker. Resolves every name, types every expression, fixes
 * option values for one configuration, and enforces the rules that are not
 * types (atomic blocks, recursion, expectations). Its output, `Checked`, is
 * everything lowering needs; any diagnostic stops the pipeline.
 */
import type * as A from '../syntax/ast.ts';
import type { Diagnostic } from '../text/diagnostic.ts';
import type { SourceFile, Span } from '../text/source.ts';
import { Ctx, Scope, type ActorSig, type LocalVar } from './context.ts';
import type { Fairness } from '../explore/liveness/fairness.ts';
import { declareInOrder, resolveType, type Config, type OptionValues } from './declarations.ts';
import { constValue, expectType, renderConst, requireConst } from './expressions.ts';
import { checkStmts, type BodyInfo } from './statements.ts';
import { checkOverrides, withOverrides } from './overrides.ts';
import { forEachStmt } from '../syntax/walk.ts';
import { checkCalls, checkOutcomes, checkStateSize, MAX_INSTANCES } from './limits.ts';
import { unroll } from './unroll.ts';
import { familyOf, namedBy } from '../syntax/families.ts';
import { BOOL, INTEGER, MAX_RWSEM_INSTANCES, defaultValue, type Type } from './types.ts';
import { checkFnName, warningProperties, type WarningProperties } from './kernel.ts';
import { checkWaitQueueDecl, fixWaitQueues } from './waitq.ts';
import { checkRcu } from './rcu.ts';

export type { Config } from './declarations.ts';

export interface Checked {
  /** The model as the checker read it: every `for` unrolled (check/unroll.ts). */
  readonly model: A.Model;
  readonly ctx: Ctx;
  readonly variant: string;
  readonly options: OptionValues;
  /** Names of labelled asserts, each its own property. */
  readonly assertNames: readonly string[];
  /** True when some assert has no label (they share the property `assertions`). */
  readonly unnamedAsserts: boolean;
  /** The warning properties, and the property of each statement that can warn (check/kernel.ts). */
  readonly warnings: WarningProperties;
}

export const BUILTIN_PROPERTIES = ['deadlock', 'ranges', 'locking'] as const;
/** The LKMM mode's own built-in property: some allowed execution has a data race between plain accesses. */
export const DATA_RACE = 'data_race';
/** The words of `fairness WORD` on an actor or daemon; lowering maps a missing clause to weak. */
export const FAIRNESS_WORDS = ['none', 'weak', 'strong'] as const;
export const DEFAULT_VARIANT = 'default';

/** Variant names in declaration order; `default` when the model declares none. */
export function variantNames(model: A.Model): string[] {
  const names = model.decls.filter((d): d is A.VariantDecl => d.kind === 'variant').map((d) => d.name.name);
  return names.length ? names : [DEFAULT_VARIANT];
}

/**
 * `ctx` is returned with the diagnostics too: what the checker resolved
 * before it stopped (the language server's hover and completion read it).
 */
export function check(file: SourceFile, parsed: A.Model, config: Config): { checked: Checked | null; diagnostics: Diagnostic[]; ctx: Ctx } {
  const ctx = new Ctx(file);
  const options = declareInOrder(ctx, parsed, config);
  checkOverrides(ctx, parsed);
  // From here on the model is the variant's: its fns replace those they name (overrides.ts).
  const overridden = withOverrides(parsed, config.variant);
  // Once the constants and options are known, and before anything reads a body: every phase after sees the copies.
  const { model, families } = unroll(ctx, overridden);
  const variant = config.variant ?? DEFAULT_VARIANT;
  const info: BodyInfo = { assertNames: new Map(), calls: new Map() };

  for (const d of model.decls) if (d.kind === 'fn') declareFn(ctx, d);
  for (const d of model.decls) if (d.kind === 'actor') declareActor(ctx, d);
  fixWaitQueues(ctx);
  // Walks that follow calls (below) recurse once a level: bound them first.
  if (!checkStateSize(ctx) || !checkCalls(ctx, model)) return { checked: null, diagnostics: ctx.diagnostics, ctx };
  if (!model.decls.some((d) => d.kind === 'actor')) ctx.error('W4010', model.name?.span ?? { start: 0, end: 0 });
  checkRwsemReaders(ctx);

  for (const fn of ctx.fns.values()) {
    const scope = new Scope(ctx.global, { kind: 'fn', fn });
    fn.params.forEach((p, index) => scope.define({ kind: 'param', name: p.name, type: p.type, index }));
    checkStmts(ctx, fn.decl.body.stmts, { scope, loops: 0, atomic: false, fn: fn.decl.name.name }, info);
  }
  for (const actor of ctx.actors) {
    const scope = new Scope(ctx.global, { kind: 'actor', actor });
    actor.locals.forEach((l, index) => scope.define({ kind: 'local', name: l.name, type: l.type, index }));
    checkStmts(ctx, actor.body, { scope, loops: 0, atomic: false, fn: null }, info);
  }
  checkRecursion(ctx, info);
  if (!ctx.diagnostics.length) checkRcu(ctx, model);

  const unnamedAsserts = hasUnnamedAssert(model);
  const warnings = warningProperties(model);
  const propertyNames = checkProperties(ctx, model, info, unnamedAsserts, families, warnings);
  checkVariants(ctx, model, options);
  checkExpects(ctx, model, propertyNames, families, variant);
  checkShapes(ctx, model);
  if (!ctx.diagnostics.length) checkOutcomes(ctx, model, (e) => constValue(ctx, e));

  if (ctx.diagnostics.length) return { checked: null, diagnostics: ctx.diagnostics, ctx };
  return {
    checked: { model, ctx, variant, options, assertNames: [...info.assertNames.keys()], unnamedAsserts, warnings },
    diagnostics: [],
    ctx,
  };
}

function declareFn(ctx: Ctx, d: A.FnDecl): void {
  if (!checkFnName(ctx, d)) return;
  const params: { name: string; type: typeof INTEGER }[] = [];
  for (const p of d.params) {
    if (params.some((x) => x.name === p.name.name) || ctx.global.lookup(p.name.name)) { ctx.error('W2002', p.name.span, [p.name.name]); continue; }
    const type = resolveType(ctx, p.type, ctx.global);
    if (type) params.push({ name: p.name.name, type });
  }
  if (params.length === d.params.length) ctx.fns.set(d.name.name, { decl: d, params });
}

/**
 * `fairness WORD`: one of FAIRNESS_WORDS, which always mean themselves, or
 * the name of a constant or option whose value is an enum member called
 * none, weak or strong, so that a variant can change what an actor is
 * owed (`option fair: Fair = weak;` ... `variant unfair { fair = none; }`).
 * No clause is weak fairness, the kernel scheduler's promise.
 */
function fairnessOf(ctx: Ctx, d: A.ActorDecl): Fairness {
  const f = d.fairness;
  if (!f) return 'weak';
  const word = (w: string): Fairness | null => ((FAIRNESS_WORDS as readonly string[]).includes(w) ? (w as Fairness) : null);
  const direct = word(f.name);
  if (direct) return direct;
  const sym = ctx.global.lookup(f.name);
  const note = 'note: weak (the default) is owed to an instance that stays enabled; strong to one enabled infinitely often; none promises nothing';
  if (!sym || (sym.kind !== 'const' && sym.kind !== 'option')) {
    ctx.error('W3041', f.span, [f.name], [note, 'help: to let a variant choose, name an option of an enum type with members none, weak and strong']);
    return 'weak';
  }
  const member = sym.type.kind === 'enum' && typeof sym.value === 'number' ? sym.type.members[sym.value] : undefined;
  const chosen = member === undefined ? null : word(member);
  if (!chosen) {
    ctx.error('W3044', f.span, [f.name, member === undefined ? renderConst(sym.type, sym.value) : member], [note]);
    return 'weak';
  }
  return chosen;
}

function declareActor(ctx: Ctx, d: A.ActorDecl): void {
  let count = 1;
  if (d.count) {
    const n = requireConst(ctx, d.count, ctx.global, INTEGER, 'the number of instances must be constant');
    if (typeof n === 'number' && n < 1) ctx.error('W3006', d.count.span, [n]);
    else if (typeof n === 'number' && n > MAX_INSTANCES) ctx.error('W3024', d.count.span, [n, MAX_INSTANCES]);
    else if (typeof n === 'number') count = n;
  }
  if (d.symmetric && !d.count) ctx.error('W2036', d.symmetric.span, [d.name.name]);
  const fairness = fairnessOf(ctx, d);
  const locals: LocalVar[] = [];
  let i = 0;
  const stmts = d.body.stmts;
  const actor: ActorSig = { index: ctx.actors.length, decl: d, count, isArray: d.count !== null, locals, body: [], fairness };
  const scope = new Scope(ctx.global, { kind: 'actor', actor });
  for (; i < stmts.length; i++) {
    const s = stmts[i]!;
    if (s.kind !== 'var') break;
    if (ctx.global.lookup(s.name.name) || locals.some((l) => l.name === s.name.name)) { ctx.error('W2002', s.name.span, [s.name.name]); continue; }
    const type = resolveType(ctx, s.type, ctx.global);
    if (!type || !checkWaitQueueDecl(ctx, type, s.type.span, 'local')) continue;
    const init = s.init ? requireConst(ctx, s.init, scope, type, "a local's initial value is part of the initial state and must be constant") : defaultValue(type);
    locals.push({ name: s.name.name, type, init: init ?? defaultValue(type), span: s.name.span });
  }
  ctx.actors.push({ ...actor, body: stmts.slice(i) });
}

/** An rwsem records its readers as a bit mask of instances. */
function checkRwsemReaders(ctx: Ctx): void {
  const hasRwsem = (t: Type): boolean =>
    t.kind === 'lock' ? t.lock === 'rwsem' : t.kind === 'array' ? hasRwsem(t.element) : t.kind === 'struct' ? t.fields.some((f) => hasRwsem(f.type)) : false;
  if (!ctx.globals.some((g) => hasRwsem(g.type))) return;
  let total = 0;
  for (const a of ctx.actors) {
    total += a.count;
    if (total > MAX_RWSEM_INSTANCES) {
      ctx.error('W3017', a.decl.name.span, [`a model with an rwsem can have at most ${MAX_RWSEM_INSTANCES} actor instances, this one has ${ctx.actors.reduce((n, x) => n + x.count, 0)}`]);
      return;
    }
  }
}

function checkRecursion(ctx: Ctx, info: BodyInfo): void {
  const state = new Map<string, 'active' | 'done'>();
  const path: string[] = [];
  const visit = (fn: string): void => {
    state.set(fn, 'active');
    path.push(fn);
    for (const call of info.calls.get(fn) ?? []) {
      const s = state.get(call.callee);
      if (s === 'active') {
        const cycle = [...path.slice(path.indexOf(call.callee)), call.callee];
        ctx.error('W4003', call.span, [cycle.join(' → ')], ['fns are inlined at each call, so a fn cannot call itself']);
      } else if (!s) visit(call.callee);
    }
    path.pop();
    state.set(fn, 'done');
  };
  for (const fn of ctx.fns.keys()) if (!state.has(fn)) visit(fn);
}

function hasUnnamedAssert(model: A.Model): boolean {
  let found = false;
  for (const d of model.decls) {
    if (d.kind === 'fn' || d.kind === 'actor') forEachStmt(d.body, (s, label) => { if (s.kind === 'assert' && !label) found = true; });
  }
  return found;
}

type PropertyClass = 'invariant' | 'reachable' | 'liveness' | 'assert' | 'warning' | 'builtin';

/** Checks invariants, reachable targets and liveness properties; returns every property name with its kind. */
function checkProperties(ctx: Ctx, model: A.Model, info: BodyInfo, unnamedAsserts: boolean, families: ReadonlyMap<string, Span>, warnings: WarningProperties): Map<string, PropertyClass> {
  const names = new Map<string, PropertyClass>();
  // Where each property name is declared; built-in names and `assertions` are declared nowhere.
  const spans = new Map<string, Span>();
  const twice = (id: A.Ident, notes: string[] = []): void => {
    const first = spans.get(id.name);
    if (first) ctx.declaredTwice(id, first, notes);
    else ctx.error('W2002', id.span, [id.name], [...notes, id.name === 'assertions' ? "note: 'assertions' is the property of the asserts without a label" : `note: '${id.name}' is a built-in property`]);
  };
  for (const b of BUILTIN_PROPERTIES) names.set(b, 'builtin');
  if (unnamedAsserts) names.set('assertions', 'assert');
  for (const [name, label] of info.assertNames) {
    if (names.has(name)) twice(label, ['labelled asserts are properties; this name is taken']);
    names.set(name, 'assert');
    spans.set(name, label.span);
  }
  for (const name of warnings.spans.keys()) {
    const label = warnings.labels.get(name);
    if (names.has(name)) ctx.error('W2002', label?.span ?? model.span, [name], [label ? 'a labelled warning is a property; this name is taken' : `unlabelled warnings share the property '${name}'`]);
    names.set(name, 'warning');
  }
  const scope = new Scope(ctx.global, { kind: 'property' });
  for (const d of model.decls) {
    if (d.kind !== 'invariant' && d.kind !== 'reachable' && d.kind !== 'liveness') continue;
    if (names.has(d.name.name)) twice(d.name);
    names.set(d.name.name, d.kind);
    if (!spans.has(d.name.name)) spans.set(d.name.name, d.name.span);
    // P and Q of a liveness property are state predicates, read exactly like an invariant.
    for (const e of d.kind === 'liveness' ? [d.p, d.q] : [d.expr]) if (e) expectType(ctx, e, scope, BOOL);
  }
  // An expect line's `enters` names every `enters[...]`, so no property may be called by a family's name.
  for (const [family, span] of families) {
    if (names.has(family)) ctx.error('W2002', span, [family], [`'${family}[...]' are the copies of a property, which an expect line names '${family}' together: the name '${family}' is taken`]);
  }
  return names;
}

function checkVariants(ctx: Ctx, model: A.Model, options: OptionValues): void {
  const seen = new Map<string, A.Ident>();
  for (const d of model.decls) {
    if (d.kind !== 'variant') continue;
    const first = seen.get(d.name.name);
    if (first) ctx.declaredTwice(d.name, first.span);
    else seen.set(d.name.name, d.name);
    const set = new Set<string>();
    for (const s of d.settings) {
      const sym = ctx.global.lookup(s.name.name);
      if (!sym || sym.kind !== 'option') {
        ctx.error('W2009', s.name.span, [s.name.name], [options.size ? `declared options: ${[...options.keys()].join(', ')}` : 'the model declares no option']);
        continue;
      }
      if (set.has(s.name.name)) ctx.error('W4011', s.name.span, [d.name.name, s.name.name]);
      set.add(s.name.name);
      requireConst(ctx, s.value, ctx.global, sym.type, 'a variant setting must be constant');
    }
  }
}

/**
 * Each name of an expect line must stand for some property (syntax/families.ts:
 * `enters` for every `enters[...]`), each of the kind its word needs. How many
 * copies a `for` makes may depend on the variant (`for i in 0..N-1`, N an
 * option): a copy that this configuration lacks is checked when the line's
 * own variant is, and a family may have no copy at all.
 */
function checkExpects(ctx: Ctx, model: A.Model, properties: Map<string, string>, families: ReadonlyMap<string, Span>, variant: string): void {
  const variants = new Set(variantNames(model));
  for (const d of model.decls) {
    if (d.kind !== 'expect') continue;
    if (!variants.has(d.variant.name)) ctx.error('W4008', d.variant.span, [d.variant.name], [`variants: ${[...variants].join(', ')}`]);
    if (d.memoryModel && d.memoryModel.name !== 'lkmm') ctx.error('W2037', d.memoryModel.span, [d.memoryModel.name], ["help: 'under lkmm' is a verdict of --memory-model lkmm; a line without 'under' is one of interleavings"]);
    // Under the LKMM a data race is a verdict too (explore/lkmm/checkModel.ts): `expect v under lkmm: violated data_race;`.
    const known = d.memoryModel ? new Map([...properties, [DATA_RACE, 'builtin']]) : properties;
    for (const p of d.properties) {
      const named = namedBy(p.name, known.keys());
      if (named.length === 0) {
        const family = familyOf(p.name);
        if (families.has(family) && (p.name === family || d.variant.name !== variant)) continue;
        ctx.error('W2006', p.span, [p.name], [`properties: ${[...properties.keys()].join(', ')}`]);
        continue;
      }
      for (const kind of new Set(named.map((n) => known.get(n)!))) checkExpectKind(ctx, d, p, kind);
    }
  }
}

/**
 * `under lkmm "m.weft" { a, b: s, t; }`: the memory model is one the
 * LKMM mode knows, each variant before a colon is one of this model's,
 * and none is given shapes twice. The named model and its variants are
 * read when the LKMM mode uses them (commands/shapes.ts).
 */
function checkShapes(ctx: Ctx, model: A.Model): void {
  const variants = new Set(variantNames(model));
  const seen = new Set<string>();
  let declared = 0;
  for (const d of model.decls) {
    if (d.kind !== 'shapes') continue;
    if (d.memoryModel.name !== 'lkmm') ctx.error('W2037', d.memoryModel.span, [d.memoryModel.name], ["help: shapes are for the LKMM mode: 'under lkmm'"]);
    if (++declared === 2) ctx.error('W3074', d.span, [d.memoryModel.name], ['help: give every variant its shapes in one declaration']);
    for (const m of d.maps) {
      for (const v of m.variants) {
        if (!variants.has(v.name)) ctx.error('W3082', v.span, [v.name], [`variants: ${[...variants].join(', ')}`]);
        else if (seen.has(v.name)) ctx.error('W3073', v.span, [v.name, d.memoryModel.name]);
        seen.add(v.name);
      }
    }
  }
}

function checkExpectKind(ctx: Ctx, d: A.ExpectDecl, p: A.Ident, kind: string): void {
  const reachWord = d.word === 'reached' || d.word === 'unreachable';
  if (reachWord === (kind === 'reachable')) return;
  ctx.error('W4009', d.properties.length > 1 ? p.span : d.span, [d.word, kind === 'reachable' ? 'an invariant, liveness, assert or built-in property' : 'a reachable target', p.name, kind === 'reachable' ? 'a reachable target: say reached or unreachable' : `${kind === 'builtin' ? 'built in' : kind === 'liveness' ? 'a liveness property' : kind === 'warning' ? 'a warning' : `an ${kind}`}: say holds or violated`]);
}
