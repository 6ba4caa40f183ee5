/**
 * Liveness properties in the Promela export: one `ltl` formula each
 * (`P ~> Q` is `[] (P -> <> Q)`, `eventually Q` is `<> Q`, `always
 * eventually Q` is `[] <> Q`), which SPIN turns into a named never claim,
 * checked by `pan -a [-f] -N NAME` (docs/promela.md, "Liveness").
 *
 * What SPIN must be kept from doing to P and Q:
 *
 *   - SPIN's LTL translator reads `&&`, `||` and `!` as temporal-logic
 *     connectives and may reorder them, and C would then evaluate a bad
 *     index before the test that guards it. So each of P and Q is one
 *     proposition, `((DEFINED && VALUE) != 0)`: an operand of `!=` stays a
 *     Promela expression, evaluated left to right with C's short-circuits,
 *     and a state where evaluating it faults counts as false, as in Weft.
 *   - An ltl formula is lexed with its own operators, so `->` there is
 *     implication and Promela's conditional `(c -> a : b)` cannot be
 *     written. liftConditionals rewrites every conditional into one over
 *     booleans (rendered with && and ||) before rendering.
 *   - SPIN prints the formula back without spaces and parses it again:
 *     `a - -1` comes back as `a--(1)` (a decrement) and `a < -1` as
 *     `a<-(1)` (the start of `<->`). So in a formula no minus is unary:
 *     `-x` is written `(0 - x)` and -1 `(0 - 1)` (ExprRenderer, ltl mode).
 *   - `U`, `V`, `W`, `X` and `next` are operators in a formula: no export
 *     name is one (promelaNames.ts).
 *
 * Which pan run checks what Weft checks: pan has weak fairness only, for
 * every process alike (-f), or none. fairnessPlan says which, or why there
 * is none; then the export writes no formula (livenessOmissions) and says
 * so in its header.
 */
import type { Expr, Program, Property } from '../lower/ir.ts';
import type { Fairness } from '../explore/liveness/fairness.ts';
import { assertNever } from '../util.ts';
import { lineCol, spanText } from '../text/source.ts';
import { and, paren, type ExprRenderer } from './promelaExpr.ts';
import { basename, comment } from './promelaSteps.ts';

type Liveness = Extract<Property, { kind: 'liveness' }>;

export interface LivenessClaims {
  /** Property name -> the name of its ltl formula (and of the never claim SPIN makes of it). */
  readonly claims: ReadonlyMap<string, string>;
  /** With -f (every instance is owed weak fairness) or without (none is): see fairnessPlan. */
  readonly weakFairness: boolean;
  /** What gcc needs to build that pan: -DNOREDUCE, and with -f room for the processes (-DNFAIR). */
  readonly defines: readonly string[];
}

/**
 * gcc's defines for the liveness pan: no partial-order reduction (the
 * search must be Weft's graph, as for safety), and with -f room in pan's
 * fairness counters: pan refuses to run when its processes, the claim
 * included, plus one are not fewer than 4 * NFAIR (NFAIR is 2 unless set).
 */
export function ltlDefines(program: Program, weak: boolean): string[] {
  const processes = program.instances.length + 1;
  const nfair = Math.floor((processes + 1) / 4) + 1;
  return ['-DNOREDUCE', ...(weak && nfair > 2 ? [`-DNFAIR=${nfair}`] : [])];
}

/**
 * The liveness properties, one ltl formula each, with the Weft source in a
 * comment. SPIN makes a never claim of each; pan checks one claim a run,
 * picked with -N.
 */
export function ltlFormulas(program: Program, render: ExprRenderer, liveness: LivenessClaims): string[] {
  const out = ['/* Liveness properties: check each alone, ./pan -a' + (liveness.weakFairness ? ' -f' : '') + ' -N NAME (see the header). */'];
  for (const p of program.properties) {
    if (p.kind !== 'liveness') continue;
    const where = comment(`${basename(program.file.path)}:${lineCol(program.file, p.span.start).line}`);
    out.push(`/* ${comment(spanText(program.file, p.span).replace(/\s+/g, ' ').trim())}  ${where} */`);
    out.push(`ltl ${liveness.claims.get(p.name)!} { ${ltlFormula(render, p)} }`);
  }
  return out;
}

/** The ltl formula of a liveness property; `render` must be a claim renderer in ltl mode. */
export function ltlFormula(render: ExprRenderer, p: Liveness): string {
  const q = proposition(render, p.q);
  switch (p.form) {
    case 'leadsTo': return `[] (${proposition(render, p.p!)} -> <> ${q})`;
    case 'eventually': return `<> ${q}`;
    case 'alwaysEventually': return `[] <> ${q}`;
    default: return assertNever(p.form);
  }
}

/** One proposition of SPIN's LTL: false where evaluating `e` faults (docs/language.md, "Liveness and fairness"). */
function proposition(render: ExprRenderer, e: Expr): string {
  if (e.kind === 'const') return e.value === true ? 'true' : 'false';
  const x = liftConditionals(e);
  const text = and(render.defined(x), paren(render.cond(x)))!;
  return `(${paren(text)} != 0)`;
}

// ------------------------------------------------------------ conditionals

/**
 * `e` (a boolean expression) with every conditional at a boolean position:
 * one whose value is the whole of a proposition, an operand of `&&`, `||`,
 * `->` or `!`, a quantifier's body, or a conditional's test or branch. An
 * atom (a comparison, a boolean place) that holds a conditional among the
 * operands it evaluates unconditionally is split on it:
 * `x + (c ? 1 : 2) > y` becomes `c ? x + 1 > y : x + 2 > y`.
 *
 * The value is the same, and so is whether evaluation faults: the split
 * moves `c` ahead of operands that are evaluated whatever `c` is (no
 * short-circuit lies between them), and a fault anywhere among those is a
 * fault of the whole in either order. Operands of a short-circuit inside
 * an atom (`(a && b) == c`) are boolean positions of their own and are not
 * split across.
 */
export function liftConditionals(e: Expr): Expr {
  switch (e.kind) {
    case 'binary':
      if (e.op === '&&' || e.op === '||' || e.op === '->') return { ...e, left: liftConditionals(e.left), right: liftConditionals(e.right) };
      break;
    case 'unary':
      if (e.op === '!') return { ...e, operand: liftConditionals(e.operand) };
      break;
    case 'quant':
      return { ...e, body: liftConditionals(e.body) };
    case 'cond':
      return { ...e, cond: liftConditionals(e.cond), then: liftConditionals(e.then), else: liftConditionals(e.else) };
    default:
      break;
  }
  const hole = firstConditional(e);
  if (hole) return liftConditionals({ kind: 'cond', cond: hole.cond.cond, then: hole.fill(hole.cond.then), else: hole.fill(hole.cond.else) });
  return liftInside(e);
}

type Cond = Extract<Expr, { kind: 'cond' }>;

/** The first conditional among the operands `e` always evaluates (in Weft's order), and `e` with something else in its place. */
function firstConditional(e: Expr): { cond: Cond; fill: (x: Expr) => Expr } | null {
  if (e.kind === 'cond') return { cond: e, fill: (x) => x };
  const parts = strictParts(e);
  for (let i = 0; i < parts.length; i++) {
    const inner = firstConditional(parts[i]!);
    if (inner) return { cond: inner.cond, fill: (x) => rebuild(e, parts.map((p, j) => (j === i ? inner.fill(x) : p))) };
  }
  return null;
}

/** An atom without conditionals among its strict operands: its short-circuit parts lifted as boolean positions. */
function liftInside(e: Expr): Expr {
  if (isConnective(e)) return liftConditionals(e);
  if (e.kind === 'cond') throw new Error('internal error: a conditional left among the strict operands of an atom');
  const parts = strictParts(e);
  return parts.length === 0 ? e : rebuild(e, parts.map(liftInside));
}

function isConnective(e: Expr): boolean {
  return (e.kind === 'binary' && (e.op === '&&' || e.op === '||' || e.op === '->')) || e.kind === 'quant';
}

/** The operands of `e` that evaluating `e` always evaluates, in order (none for a connective or a conditional). */
function strictParts(e: Expr): Expr[] {
  switch (e.kind) {
    case 'const': case 'global': case 'local': case 'self': case 'bound': case 'quant': case 'cond':
      return [];
    case 'binary':
      return isConnective(e) ? [] : [e.left, e.right];
    case 'unary': return [e.operand];
    case 'field': return [e.object];
    case 'index': return [e.object, e.index];
    case 'at': case 'localOf': return [e.instance.index];
    case 'canAcquire': case 'lockFree': return [e.lock];
    case 'struct': return [...e.fields];
    case 'array': return [...e.elements];
    default: return assertNever(e);
  }
}

/** `e` with its strict operands replaced (strictParts' order). */
function rebuild(e: Expr, parts: readonly Expr[]): Expr {
  const p = (i: number): Expr => parts[i]!;
  switch (e.kind) {
    case 'binary': return { ...e, left: p(0), right: p(1) };
    case 'unary': return { ...e, operand: p(0) };
    case 'field': return { ...e, object: p(0) };
    case 'index': return { ...e, object: p(0), index: p(1) };
    case 'at': case 'localOf': return { ...e, instance: { ...e.instance, index: p(0) } };
    case 'canAcquire': case 'lockFree': return { ...e, lock: p(0) };
    case 'struct': return { ...e, fields: parts };
    case 'array': return { ...e, elements: parts };
    default: return e;
  }
}

// ------------------------------------------------------------ fairness

/** How pan checks the liveness properties of a program: with weak fairness for every process (-f), or with none. */
export interface FairnessPlan {
  readonly weak: boolean;
}

/** A liveness property the export leaves out (no ltl formula), and why: docs/promela.md, "Liveness". */
export interface OmittedLiveness {
  readonly property: string;
  /** The actors whose fairness pan cannot give, with their fairness, and why not. */
  readonly reason: string;
}

/**
 * The fairness each actor's instances are owed where it can matter:
 *
 *   - an actor with no step at all is never enabled, and is owed nothing
 *     that any fairness could make it do;
 *   - strong fairness is weak fairness for an actor that at every pc with
 *     steps has one that is always enabled (no guard, or the two tests of
 *     one condition): on a run where it stops moving, its pc stays put, so
 *     it is enabled at every later point or at none, and "enabled
 *     infinitely often" is "enabled from some point on".
 *
 * Both rest on a step being a transition whenever its guard holds, which
 * holds while no step fails (docs/promela.md says where that matters).
 */
export function owedFairness(program: Program, actor: number): Fairness | 'nothing' {
  const a = program.actors[actor]!;
  if (a.stepsAt.every((ids) => ids.length === 0)) return 'nothing';
  if (a.fairness !== 'strong') return a.fairness;
  return a.stepsAt.every((ids) => ids.length === 0 || ids.some((id) => alwaysEnabled(program, id))) ? 'weak' : 'strong';
}

function alwaysEnabled(program: Program, id: number): boolean {
  const s = program.steps[id]!;
  if (s.guard === null || (s.guard.kind === 'const' && s.guard.value === true)) return true;
  // One of the two steps testing an `if` or `while` condition is enabled: they leave the same pc, from the same statement.
  const twin = s.branch === undefined ? undefined : program.actors[s.actor]!.stepsAt[s.pc]!
    .map((t) => program.steps[t]!).find((t) => t.branch === !s.branch && t.span.start === s.span.start && t.span.end === s.span.end);
  return twin !== undefined;
}

/**
 * The pan run for the liveness properties, or why none checks what Weft
 * checks: pan's -f is weak fairness for every process alike, and without
 * -f no process is owed anything, so a model whose instances are owed
 * strong fairness, or weak and none mixed, has no pan run that means
 * Weft's verdict. (Writing fairness into each formula, `[]<> (!enabled(i)
 * || _last == i)` per instance, would mean it, but SPIN's LTL translator
 * takes 47 s for three such instances and does not finish for four.) The
 * reasons name each actor that cannot be checked, with its fairness, and
 * what it conflicts with; the export then leaves the liveness properties
 * out (livenessOmissions) and keeps the safety properties, whose verdicts
 * and state counts do not depend on fairness.
 */
export function fairnessPlan(program: Program): { ok: true; plan: FairnessPlan } | { ok: false; reasons: string[] } {
  const owed = program.actors.map((_, i) => owedFairness(program, i));
  const named = (f: Fairness): string[] => owed.flatMap((o, i) => (o === f ? [`${program.actors[i]!.daemon ? 'daemon' : 'actor'} ${program.actors[i]!.name}`] : []));
  const [weak, none, strong] = [named('weak'), named('none'), named('strong')];
  const reasons: string[] = [];
  if (strong.length) {
    const it = strong.length === 1 ? 'it' : 'each';
    reasons.push(`fairness strong of ${strong.join(', ')}: SPIN's pan has weak fairness only (-f), and ${it} waits (at a pc where every step may be disabled), where strong fairness owes ${it} more than weak`);
  }
  if (weak.length && none.length) {
    reasons.push(`fairness none of ${none.join(', ')}: pan checks one fairness for every process (-f: weak, else none), and ${weak.join(', ')} ${weak.length === 1 ? 'is' : 'are'} weakly fair`);
  }
  return reasons.length ? { ok: false, reasons } : { ok: true, plan: { weak: weak.length > 0 } };
}

/** The liveness properties the export leaves out because pan cannot give the model's fairness: all of them, or none. */
export function livenessOmissions(program: Program): OmittedLiveness[] {
  if (!program.properties.some((p) => p.kind === 'liveness')) return [];
  const plan = fairnessPlan(program);
  if (plan.ok) return [];
  const reason = plan.reasons.join('; ');
  return program.properties.flatMap((p) => (p.kind === 'liveness' ? [{ property: p.name, reason }] : []));
}
