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

export interface LkmmOptions {
  readonly variant?: string;
  readonly allVariants?: boolean;
  readonly define: string[];
  readonly json?: boolean;
  readonly unroll?: number;
  /** Also write the report as one HTML page (view/lkmm.ts). */
  readonly html?: string;
}

export function lkmmCheckCommand(path: string, opts: LkmmOptions, io: Io): number {
  if (path.endsWith('.litmus')) {
    if (opts.unroll !== undefined) throw usage('W2038', '--unroll', 'a litmus test, which has no loops');
    return litmusCheckCommand(path, { json: opts.json, html: opts.html }, io);
  }
  const parsed = loadModelFile(path);
  if (!parsed.model) { printDiagnostics(parsed.diagnostics, io); return 2; }
  const { model, sources } = parsed;
  const declared = variantNames(model);
  const hasVariants = model.decls.some((d) => d.kind === 'variant');
  const chosen = chosenVariant(opts.variant, declared);
  const variants = opts.allVariants ? declared : [chosen ?? declared[0]!];
  const defines = parseDefines(opts.define, model);
  const results: unknown[] = [];
  const sections: LkmmPageSection[] = [];
  const codes: number[] = [];
  for (const variant of variants) {
    const v = lkmmVariant(model, sources, hasVariants ? variant : null, defines, opts.unroll ?? null);
    if (!v.ok) { printDiagnostics(v.diagnostics, io); return 2; }
    const { program, run, checkedView, outcomes } = v;
    codes.push(expectationExit(outcomes, true));
    const reports = run.properties.map((p) => ({ p, report: lkmmReport(p.test) }));
    sections.push({
      variant: hasVariants ? program.variant : null, header: header(program.model, program.variant, run).trim(),
      properties: reports.map(({ p, report }) => ({ name: p.property.name, status: statusOf(p.property.kind, p.found), report, test: p.test })),
    });
    if (opts.json) {
      results.push({
        model: program.model, variant: program.variant, memoryModel: 'lkmm', unroll: run.unroll, boundReached: run.boundReached, flags: run.flags,
        properties: reports.map(({ p, report }) => ({ property: p.property.name, status: statusOf(p.property.kind, p.found), ...(lkmmJson(report, p.test) as object) })),
        undecided: run.undecided.map((u) => ({ property: u.property.name, why: u.why })),
        expectations: outcomes.map((o) => ({ property: o.property, wanted: o.wanted, actual: o.actual, met: o.met })),
      });
      continue;
    }
    io.out(header(program.model, program.variant, run));
    for (const { p } of reports) io.out(`  ${statusOf(p.property.kind, p.found).padEnd(11)} ${p.property.name}\n`);
    io.out(`  ${(run.flags.includes('data-race') ? 'violated' : 'holds').padEnd(11)} ${DATA_RACE} (plain accesses that race: the LKMM gives such a program no meaning)\n`);
    if (run.undecided.length) io.out(`  not decided under the LKMM: ${run.undecided.map((u) => u.property.name).join(', ')} (docs/language.md "Memory models")\n`);
    for (const { p, report } of reports) io.out(`\n${lkmmText({ ...report, name: p.property.name }, p.test)}`);
    const text = formatExpectations(outcomes, checkedView, 'lkmm');
    if (text) io.out(`\n${text}\n`);
  }
  if (opts.html) writeOutput(opts.html, renderLkmmHtml(model.name?.name ?? path, sources, sections));
  if (opts.json) io.out(jsonText({ weft: VERSION, results }, 2) + '\n');
  return codes.includes(1) ? 1 : codes.includes(3) ? 3 : 0;
}

export type LkmmVariant =
  | { readonly ok: true; readonly program: Program; readonly run: ModelRun; readonly checkedView: ExpectChecked; readonly outcomes: ExpectationOutcome[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** One variant under the LKMM, with its verdicts (data_race among them) and its `under lkmm` expectations. */
export function lkmmVariant(model: A.Model, sources: SourceFile, variant: string | null, defines: Record<string, string>, unroll: number | null): LkmmVariant {
  const checked = check(sources, model, { variant, defines });
  if (!checked.checked) return { ok: false, diagnostics: checked.diagnostics };
  const program = lower(checked.checked);
  let ran;
  try {
    ran = checkModelLkmm(program, { unroll, atomicSpans: atomicSpans(checked.checked.model), modelGlobals: checked.checked.ctx.globals.length });
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

function header(model: string, variant: string, run: ModelRun): string {
  const bound = run.unroll === null ? 'no loops' : run.boundReached
    ? `loops unrolled ${run.unroll} times; some allowed executions go round more often and are not checked (a larger --unroll checks more)`
    : `loops unrolled ${run.unroll} times; no allowed execution goes round more often, so none was left out`;
  return `${model} (${variant}) under the Linux-kernel memory model: ${run.executions} allowed executions; ${bound}\n`;
}

/** The spans of the `atomic` blocks: an atomic step has no meaning under the LKMM. */
function atomicSpans(model: A.Model): Set<Span> {
  const out = new Set<Span>();
  for (const d of model.decls) if (d.kind === 'actor' || d.kind === 'fn') forEachStmt(d.body, (s) => { if (s.kind === 'atomic') out.add(s.span); });
  return out;
}
