/**
 * `weft check --memory-model lkmm`: a model (or a C litmus test) under the
 * Linux-kernel memory model. For a model, each variant's properties are
 * decided over the executions the LKMM allows (explore/lkmm/checkModel.ts)
 * and printed as a table of verdicts, then, for each property, the
 * execution that violates (or reaches) it or the cycle that forbids every
 * such execution, and the `expect ... under lkmm` lines are checked.
 * Exit codes as for `weft check`: 0 every expectation met, 1 one unmet or
 * an unexpected violation, 2 a model this mode cannot take.
 */
import { check, DATA_RACE, variantNames } from '../check/check.ts';
import { lower } from '../lower/lower.ts';
import { checkModelLkmm, type ModelRun } from '../explore/lkmm/checkModel.ts';
import { LkmmError } from '../explore/lkmm/check.ts';
import type { Status } from '../explore/verdict.ts';
import { evaluateExpectations, expectationExit, formatExpectations, type Checked as ExpectChecked, type ExpectationOutcome } from '../report/expectations.ts';
import type { Program } from '../lower/ir.ts';
import type { Diagnostic } from '../text/diagnostic.ts';
import type { SourceFile } from '../text/source.ts';
import { lkmmJson, lkmmText } from '../report/lkmm.ts';
import { diag } from '../text/diagnostic.ts';
import { jsonText } from '../text/escape.ts';
import type { Span } from '../text/source.ts';
import { forEachStmt } from '../syntax/walk.ts';
import type * as A from '../syntax/ast.ts';
import { lkmmReport, litmusCheckCommand } from './litmus.ts';
import { chosenVariant, loadModelFile, parseDefines, printDiagnostics, usage, VERSION, writeOutput, type Io } from './support.ts';
import { renderLkmmHtml, type LkmmPageSection } from '../view/lkmm.ts';
import { shapesOf, type Shapes } from './shapes.ts';
import { shapeGroups, shapeVerdictText } from '../report/shapes.ts';
import { whereLine } from '../text/source.ts';
import { choicesText, parseActorChoices, resolveSlice, type ActorChoice } from '../explore/lkmm/slice.ts';

export interface LkmmOptions {
  readonly variant?: string;
  readonly allVariants?: boolean;
  readonly define: string[];
  readonly json?: boolean;
  readonly unroll?: number;
  /** Also write the report as one HTML page (view/lkmm.ts). */
  readonly html?: string;
  /** `--actors`: the actors and steps to check (explore/lkmm/slice.ts). */
  readonly actors?: string;
}

export function lkmmCheckCommand(path: string, opts: LkmmOptions, io: Io): number {
  if (path.endsWith('.litmus')) {
    if (opts.unroll !== undefined) throw usage('W2038', '--unroll', 'a litmus test, which has no loops');
    if (opts.actors !== undefined) throw usage('W2038', '--actors', 'a litmus test, whose threads are all its own');
    return litmusCheckCommand(path, { json: opts.json, html: opts.html }, io);
  }
  const parsed = loadModelFile(path);
  if (!parsed.model) { printDiagnostics(parsed.diagnostics, io); return 2; }
  const { model, sources } = parsed;
  const declared = variantNames(model);
  const hasVariants = model.decls.some((d) => d.kind === 'variant');
  const chosen = chosenVariant(opts.variant, declared);
  const defines = parseDefines(opts.define, model);
  const actors = actorChoices(opts.actors);
  // A model that names its shapes is checked through them, unless --actors asks for its own steps.
  if (!actors) {
    const s = shapesOf(model, sources);
    if (!s.ok) { printDiagnostics(s.diagnostics, io); return 2; }
    if (s.shapes) return shapesCheck(model, sources, s.shapes, chosen, opts, io);
  }
  const variants = opts.allVariants ? declared : [chosen ?? declared[0]!];
  const out = checkVariants(model, sources, hasVariants ? variants : [null], defines, opts.unroll ?? null, actors, opts.json === true, io);
  if (!out.ok) return 2;
  if (opts.html) writeOutput(opts.html, renderLkmmHtml(model.name?.name ?? path, sources, out.sections));
  if (opts.json) io.out(jsonText({ weft: VERSION, results: out.results }, 2) + '\n');
  return out.code;
}

interface Checked {
  readonly ok: true;
  readonly code: number;
  readonly results: unknown[];
  readonly sections: LkmmPageSection[];
  readonly runs: LkmmVariant[];
}

/** Each variant (null: the model has none) under the LKMM: its report printed (unless `json`), its JSON, its page section, its exit code. */
function checkVariants(model: A.Model, sources: SourceFile, variants: readonly (string | null)[], defines: Record<string, string>, unroll: number | null,
  actors: readonly ActorChoice[] | null, json: boolean, io: Io): Checked | { readonly ok: false } {
  const results: unknown[] = [];
  const sections: LkmmPageSection[] = [];
  const codes: number[] = [];
  const runs: LkmmVariant[] = [];
  const chosenText = actors ? choicesText(actors) : null;
  for (const variant of variants) {
    const v = lkmmVariant(model, sources, variant, defines, unroll, actors);
    if (!v.ok) { printDiagnostics(v.diagnostics, io); return { ok: false }; }
    runs.push(v);
    const { program, run, checkedView, outcomes } = v;
    codes.push(expectationExit(outcomes, true));
    const reports = run.properties.map((p) => ({ p, report: lkmmReport(p.test) }));
    sections.push({
      variant: variant === null ? null : program.variant, header: header(program.model, program.variant, run, chosenText).trim(),
      properties: reports.map(({ p, report }) => ({ name: p.property.name, status: statusOf(p.property.kind, p.found), report, test: p.test })),
    });
    if (json) {
      results.push({
        model: program.model, variant: program.variant, memoryModel: 'lkmm', actors: chosenText, unroll: run.unroll, boundReached: run.boundReached, flags: run.flags,
        properties: reports.map(({ p, report }) => ({ property: p.property.name, status: statusOf(p.property.kind, p.found), ...(lkmmJson(report, p.test) as object) })),
        undecided: run.undecided.map((u) => ({ property: u.property.name, why: u.why })),
        expectations: outcomes.map((o) => ({ property: o.property, wanted: o.wanted, actual: o.actual, met: o.met })),
      });
      continue;
    }
    io.out(header(program.model, program.variant, run, chosenText));
    for (const { p } of reports) io.out(`  ${statusOf(p.property.kind, p.found).padEnd(11)} ${p.property.name}\n`);
    io.out(`  ${(run.flags.includes('data-race') ? 'violated' : 'holds').padEnd(11)} ${DATA_RACE} (plain accesses that race: the LKMM gives such a program no meaning)\n`);
    if (run.undecided.length) io.out(`  not decided under the LKMM: ${run.undecided.map((u) => u.property.name).join(', ')} (docs/language.md "Memory models")\n`);
    for (const { p, report } of reports) io.out(`\n${lkmmText({ ...report, name: p.property.name }, p.test)}`);
    const text = formatExpectations(outcomes, checkedView, 'lkmm');
    if (text) io.out(`\n${text}\n`);
  }
  return { ok: true, code: codes.includes(1) ? 1 : codes.includes(3) ? 3 : 0, results, sections, runs };
}

/**
 * A model checked through its shapes (commands/shapes.ts): the shapes of
 * the chosen variant, or of every variant that has them, each checked as
 * the shapes' model would be, then each variant's verdicts through them.
 */
function shapesCheck(model: A.Model, sources: SourceFile, shapes: Shapes, variant: string | undefined, opts: LkmmOptions, io: Io): number {
  if (opts.define.length) throw usage('W2038', '-D', `a model checked through its shapes in ${shapes.path}, whose options are its own`);
  // The model's own declarations are checked, the shapes declaration among them.
  const own = check(sources, model, { variant: variantNames(model)[0]!, defines: {} });
  if (!own.checked) { printDiagnostics(own.diagnostics, io); return 2; }
  const name = model.name?.name ?? sources.path;
  const given = [...shapes.of.keys()];
  if (variant !== undefined && !shapes.of.has(variant)) throw usage('W2041', variant, given.join(', '));
  const variants = variant === undefined || opts.allVariants ? given : [variant];
  const wanted = shapes.all.filter((s) => variants.some((v) => shapes.of.get(v)!.includes(s)));
  const declaredAt = whereLine(sources, shapes.decl.span);
  const groups = shapeGroups(shapes.of, variants);
  if (!opts.json) {
    io.out(`${name} under the Linux-kernel memory model: checked through its shapes in ${shapes.path} (declared at ${declaredAt}), as the LKMM mode cannot take the model whole\n`);
    for (const g of groups) io.out(`  ${g.variants.join(', ')}: ${g.shapes.join(', ')}\n`);
    io.out('\n');
  }
  const hasVariants = shapes.model.decls.some((d) => d.kind === 'variant');
  const out = checkVariants(shapes.model, shapes.sources, hasVariants ? wanted : [null], {}, opts.unroll ?? null, null, opts.json === true, io);
  if (!out.ok) return 2;
  const byShape = new Map(wanted.map((s, i) => [s, out.runs[i]!] as const));
  const verdicts = (s: string): string => { const run = byShape.get(s)!; return run.ok ? shapeVerdictText(run.checkedView, run.outcomes) : ''; };
  if (opts.json) {
    const verdictsOf = (s: string): unknown => { const run = byShape.get(s)!; return run.ok ? run.checkedView.verdicts.map((v) => ({ property: v.property, status: v.status })) : []; };
    const of = variants.map((v) => ({ variant: v, shapes: shapes.of.get(v)!.map((s) => ({ shape: s, verdicts: verdictsOf(s) })) }));
    io.out(jsonText({ weft: VERSION, shapes: { model: shapes.path, declared: declaredAt, of }, results: out.results }, 2) + '\n');
  } else {
    io.out(`\n${name}'s variants under the Linux-kernel memory model, through their shapes in ${shapes.path}:\n`);
    for (const g of groups) {
      io.out(`  ${g.variants.join(', ')}\n`);
      for (const s of g.shapes) io.out(`    ${s}: ${verdicts(s)}\n`);
    }
  }
  if (opts.html) writeOutput(opts.html, renderLkmmHtml(`${name}, through ${shapes.path}`, shapes.sources, out.sections));
  return out.code;
}

export type LkmmVariant =
  | { readonly ok: true; readonly program: Program; readonly run: ModelRun; readonly checkedView: ExpectChecked; readonly outcomes: ExpectationOutcome[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** One variant under the LKMM, with its verdicts (data_race among them) and its `under lkmm` expectations. */
export function lkmmVariant(model: A.Model, sources: SourceFile, variant: string | null, defines: Record<string, string>, unroll: number | null,
  actors: readonly ActorChoice[] | null = null): LkmmVariant {
  const checked = check(sources, model, { variant, defines });
  if (!checked.checked) return { ok: false, diagnostics: checked.diagnostics };
  const program = lower(checked.checked);
  const sliced = actors ? resolveSlice(program, actors) : null;
  if (sliced && !sliced.ok) throw usage('W2040', sliced.why);
  let ran;
  try {
    ran = checkModelLkmm(program, { unroll, atomicSpans: atomicSpans(checked.checked.model), modelGlobals: checked.checked.ctx.globals.length, slice: sliced?.slice ?? null });
  } catch (e) {
    // Too many runs, an overflow: the check cannot go on, and says where.
    if (!(e instanceof LkmmError)) throw e;
    return { ok: false, diagnostics: [diag('W6030', sources, e.instr?.span ?? program.actors[0]!.span, [e.message], unroll ? ['help: a smaller --unroll makes fewer runs'] : [])] };
  }
  if (!ran.ok) {
    const help = ran.code === 'W6032' ? ['help: give --unroll K: each loop then goes round at most K times, and the report says whether an execution needed more'] : [];
    return { ok: false, diagnostics: [diag(ran.code, sources, ran.span, [ran.message], help)] };
  }
  const run = ran.run;
  const verdicts = [
    ...run.properties.map((p) => ({ property: p.property.name, kind: p.property.kind, status: statusOf(p.property.kind, p.found) })),
    { property: DATA_RACE, kind: 'ranges' as const, status: run.flags.includes('data-race') ? 'violated' as const : 'holds' as const },
  ];
  const checkedView: ExpectChecked = { verdicts, program: { variant: program.variant, properties: program.properties, file: program.file } };
  return { ok: true, program, run, checkedView, outcomes: evaluateExpectations(model, checkedView, 'lkmm') };
}

function statusOf(kind: string, found: boolean): Status {
  if (kind === 'reachable') return found ? 'reached' : 'unreachable';
  return found ? 'violated' : 'holds';
}

/** `--actors` as choices, or a usage error saying what is wrong with it. */
export function actorChoices(text: string | undefined): ActorChoice[] | null {
  if (text === undefined) return null;
  const parsed = parseActorChoices(text);
  if (!parsed.ok) throw usage('W2040', parsed.why);
  return parsed.choices;
}

function header(model: string, variant: string, run: ModelRun, actors: string | null): string {
  const bound = run.unroll === null ? 'no loops' : run.boundReached
    ? `loops unrolled ${run.unroll} times; some allowed executions go round more often and are not checked (a larger --unroll checks more)`
    : `loops unrolled ${run.unroll} times; no allowed execution goes round more often, so none was left out`;
  const only = actors === null ? '' : `; only the actors and steps ${actors} (--actors), every variable at its initial value where they start`;
  return `${model} (${variant}) under the Linux-kernel memory model: ${run.executions} allowed executions; ${bound}${only}\n`;
}

/** The spans of the `atomic` blocks: an atomic step has no meaning under the LKMM. */
function atomicSpans(model: A.Model): Set<Span> {
  const out = new Set<Span>();
  for (const d of model.decls) if (d.kind === 'actor' || d.kind === 'fn') forEachStmt(d.body, (s) => { if (s.kind === 'atomic') out.add(s.span); });
  return out;
}
