/**
 * Exports one lowered Program (one variant, options folded) as an
 * equivalent Murphi model for Rumur, so that Rumur counts exactly Weft's
 * states and finds exactly Weft's verdicts (docs/murphi.md):
 *
 *   - the state is Weft's: the shared variables, a pc and the locals per
 *     instance (murphiLayout.ts), instance numbers of a symmetric actor as
 *     its scalarset, so that Rumur's symmetry reduction permutes what
 *     Weft's permutes;
 *   - each actor is a ruleset over its instances; each step a rule in it,
 *     with an inner ruleset over its choices (murphiSteps.ts);
 *   - every property is a rule that fires `error "weft TAG"` in a state
 *     that violates it (reaches it, for a target), so that the state is
 *     stored and explored like any other: Rumur's Invariant would drop it,
 *     and its cover results are printed only when no error was met.
 *     Deadlock is such a rule too: no step enabled (a step whose guard
 *     faults is enabled, as in Weft) and not every non-daemon instance
 *     finished, so Rumur runs with --deadlock-detection off;
 *   - a fault in a step is an error in its rule (murphiSteps.ts); a
 *     warning is `put "weft TAG"`.
 *
 * Rumur is run with --max-errors past any count, so that it explores the
 * whole space whatever it finds; `parseRumur` in test/support reads the
 * verdicts back from the messages.
 */
import type { Program, Property } from '../lower/ir.ts';
import { whereShort } from '../text/source.ts';
import { assertNever } from '../util.ts';
import { MurphiExpr } from './murphiExpr.ts';
import { Layout } from './murphiLayout.ts';
import { murphiComment, Scope } from './murphiNames.ts';
import { murphiRefusals } from './murphiRefusals.ts';
import { stepRule } from './murphiSteps.ts';

export interface MurphiModel {
  readonly text: string;
  /** Per property, the tag in `weft TAG`, the message of its error (of its `put`, for a warning). */
  readonly tags: ReadonlyMap<string, string>;
  /** Whether the model has scalarsets (a symmetric actor): then --symmetry-reduction matters. */
  readonly symmetric: boolean;
}

export const RUMUR_OPTIONS = ['--threads', '1', '--deadlock-detection', 'off', '--max-errors', '4000000000', '--counterexample-trace', 'off', '--colour', 'off', '--value-type', 'int32_t'];

export function exportMurphi(program: Program): string {
  return buildMurphi(program).text;
}

export function buildMurphi(program: Program): MurphiModel {
  const refused = murphiRefusals(program)[0];
  if (refused) throw new Error(`internal error: exporting a model the Murphi export refuses (${refused.message}); call murphiRefusals first`);
  const layout = new Layout(program);
  const g = layout.scope;
  const fresh = (): string => g.take('q');
  const tagScope = new Scope();
  const tags = new Map<string, string>();
  for (const p of program.properties) tags.set(p.name, tagScope.take(tagWant(p)));
  const tag = (name: string): string => {
    const t = tags.get(name);
    if (!t) throw new Error(`internal error: a step fails property '${name}', which the program does not declare`);
    return t;
  };
  const selfs = program.actors.map((a) => g.take(`self_${a.name}`));

  const out: string[] = [...header(program, layout)];
  out.push('type');
  for (const s of layout.sym.values()) out.push(`  ${s.type}: scalarset(${program.actors[s.actor]!.count});  -- the instances of symmetric ${murphiComment(program.actors[s.actor]!.name)}`);
  out.push(...layout.lockTypes().map((l) => `  ${l}`), '');
  out.push('var');
  program.globals.forEach((v, i) => out.push(`  ${layout.globals[i]!}: ${layout.typeText(v.type, `g${i}`)};  -- ${murphiComment(v.name)}`));
  program.actors.forEach((a, ai) => {
    out.push(`  ${layout.pcs[ai]!}: array [${layout.index[ai]!}] of 0..${a.pcCount - 1};  -- the pc of each ${murphiComment(a.name)}`);
    a.locals.forEach((l, li) => out.push(`  ${layout.locals[ai]![li]!}: array [${layout.index[ai]!}] of ${layout.typeText(l.type, `l${ai}.${li}`)};  -- ${murphiComment(`${a.name}.${l.name}`)}`));
  });
  out.push('');

  const init: string[] = [];
  const loopVar = (): string => g.take('i');
  program.globals.forEach((v, i) => init.push(...layout.initLines(layout.globals[i]!, v.type, `g${i}`, v.init, loopVar)));
  program.actors.forEach((a, ai) => {
    const s = loopVar();
    const body = [`${layout.pcs[ai]!}[${s}] := 0;`, ...a.locals.flatMap((l, li) => layout.initLines(`${layout.locals[ai]![li]!}[${s}]`, l.type, `l${ai}.${li}`, l.init, loopVar))];
    init.push(`for ${s}: ${layout.index[ai]!} do`, ...body.map((l) => `  ${l}`), 'endfor;');
  });
  out.push('startstate "init"', 'begin', ...init.map((l) => `  ${l}`), 'end;', '');

  program.actors.forEach((a, ai) => {
    const steps = program.steps.filter((s) => s.actor === ai);
    if (!steps.length) return;
    const expr = new MurphiExpr({ layout, actor: ai, self: selfs[ai]!, fresh });
    out.push(`-- ${a.daemon ? 'daemon' : 'actor'} ${murphiComment(a.name)} (${murphiComment(whereShort(program.file, a.span))})`);
    out.push(`ruleset ${selfs[ai]!}: ${layout.index[ai]!} do`);
    for (const s of steps) out.push(...stepRule({ layout, expr, tag, scope: new Scope(g) }, s).map((l) => `  ${l}`), '');
    out.push('endruleset;', '');
  });

  out.push('-- Properties: a rule per property, which fires an error in a state that violates it (or reaches it).');
  const prop = new MurphiExpr({ layout, actor: null, self: null, fresh });
  for (const p of program.properties) {
    if (p.kind !== 'invariant' && p.kind !== 'reachable') continue;
    const cond = p.kind === 'invariant' ? `!${prop.render(p.expr)}` : prop.render(p.expr);
    out.push(`-- ${p.kind} ${murphiComment(p.name)} (${murphiComment(whereShort(program.file, p.span))})`);
    out.push(`rule "${tag(p.name)}" ${cond} ==>`, 'begin', `  error "weft ${tag(p.name)}";`, 'end;', '');
  }
  if (tags.has('deadlock')) {
    out.push('-- deadlock: no step enabled (a step whose guard faults counts), and some non-daemon instance not finished');
    out.push(`rule "${tag('deadlock')}" !${enabled(program, layout, fresh)} & !${finished(program, layout, fresh)} ==>`, 'begin', `  error "weft ${tag('deadlock')}";`, 'end;');
  }
  return { text: `${out.join('\n').trimEnd()}\n`, tags, symmetric: layout.sym.size > 0 };
}

function tagWant(p: Property): string {
  switch (p.kind) {
    case 'invariant': case 'reachable': case 'assert': case 'warning': return `${p.kind}_${p.name}`;
    case 'liveness': return `liveness_${p.name}`;
    case 'deadlock': case 'ranges': case 'locking': return p.name;
    default: return assertNever(p);
  }
}

/** Some instance has a step enabled: at its pc, with a guard that holds (or faults: then Rumur's error here stops the rule too). */
function enabled(program: Program, layout: Layout, fresh: () => string): string {
  const terms: string[] = [];
  program.actors.forEach((a, ai) => {
    const k = fresh();
    const expr = new MurphiExpr({ layout, actor: ai, self: k, fresh });
    const atPc: string[] = [];
    a.stepsAt.forEach((ids, pc) => {
      if (!ids.length) return;
      const guards = ids.map((id) => program.steps[id]!.guard);
      const g = guards.some((x) => x === null) ? null : guards.map((x) => expr.render(x!)).join(' | ');
      atPc.push(g === null ? `${layout.pcs[ai]!}[${k}] = ${pc}` : `(${layout.pcs[ai]!}[${k}] = ${pc} & (${g}))`);
    });
    if (atPc.length) terms.push(`(exists ${k}: ${layout.index[ai]!} do ${atPc.join(' | ')} endexists)`);
  });
  return terms.length ? `(${terms.join(' | ')})` : 'false';
}

function finished(program: Program, layout: Layout, fresh: () => string): string {
  const terms = program.actors.flatMap((a, ai) => {
    if (a.daemon) return [];
    const k = fresh();
    return [`(forall ${k}: ${layout.index[ai]!} do ${layout.pcs[ai]!}[${k}] = ${a.endPc} endforall)`];
  });
  return terms.length ? `(${terms.join(' & ')})` : 'true';
}

function header(program: Program, layout: Layout): string[] {
  const name = murphiComment(program.model);
  const variant = program.variant ? `, variant ${murphiComment(program.variant)}` : '';
  const options = Object.entries(program.options).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  return [
    `-- ${name}${variant}${options ? ` (${murphiComment(options)})` : ''}: exported by weft export --murphi (docs/murphi.md).`,
    '-- Rumur stores exactly Weft\'s states. Check it with',
    `--   rumur ${RUMUR_OPTIONS.join(' ')} --symmetry-reduction ${layout.sym.size ? 'exhaustive' : 'off'} MODEL.m -o MODEL.c`,
    '--   cc -O2 -mcx16 -o MODEL MODEL.c -lpthread && ./MODEL',
    '-- Verdicts: "weft TAG" in an error names the property violated (a target reached); any other',
    '-- error of the verifier (out of range, bad index, division by zero, undefined value) is Weft\'s ranges;',
    '-- "weft warning_NAME" printed is a warning. Counts: "N states" under State Space Explored.',
    '',
  ];
}
