/**
 * `weft check --memory-model lkmm TEST.litmus`: a C litmus test under the
 * Linux-kernel memory model, with herd7's answer (Never, Sometimes or
 * Always, and how many allowed executions have the outcome and how many
 * do not) and Weft's explanation: the execution with the outcome and the
 * fences that would forbid it, or the cycle that forbids it.
 */
import { parseLitmus } from '../litmus/parse.ts';
import { checkLkmm, LkmmError } from '../explore/lkmm/check.ts';
import { executionView, forbiddingCycle, scCycle } from '../explore/lkmm/explain.ts';
import { findFix } from '../explore/lkmm/fix.ts';
import type { MemProgram } from '../explore/lkmm/program.ts';
import { conditionText, lkmmJson, lkmmText, type LkmmReport } from '../report/lkmm.ts';
import { diag } from '../text/diagnostic.ts';
import { jsonText } from '../text/escape.ts';
import { litmusToWeft } from '../litmus/toWeft.ts';
import { renderLkmmHtml } from '../view/lkmm.ts';
import { chosenVariant, loadModelFile, parseDefines, printDiagnostics, readSource, usage, writeOutput, type Io } from './support.ts';
import { printLitmus } from '../litmus/print.ts';
import { actorChoices, lkmmVariant } from './lkmm.ts';
import { choicesText } from '../explore/lkmm/slice.ts';
import { DATA_RACE, variantNames } from '../check/check.ts';

export interface LitmusOptions {
  readonly json?: boolean;
  readonly html?: string;
}

export function litmusCheckCommand(path: string, opts: LitmusOptions, io: Io): number {
  const source = readSource(path);
  const parsed = parseLitmus(source);
  if (!parsed.ok) { printDiagnostics(parsed.diagnostics, io); return 2; }
  const program = parsed.program;
  let report: LkmmReport;
  try {
    report = lkmmReport(program);
  } catch (e) {
    if (!(e instanceof LkmmError)) throw e;
    printDiagnostics([diag('W6030', source, e.instr?.span ?? program.span, [e.message])], io);
    return 2;
  }
  if (opts.html) writeOutput(opts.html, renderLkmmHtml(program.name, source, [{ variant: null, header: 'a C litmus test', properties: [{ name: 'exists', status: report.verdict.observation, report, test: program }] }]));
  io.out(opts.json ? jsonText(lkmmJson(report, program)) + '\n' : lkmmText(report, program));
  return 0;
}

/** The verdict, and the execution and cycle that explain it; for an allowed outcome, the fix the engine confirms. */
export function lkmmReport(program: MemProgram): LkmmReport {
  const run = checkLkmm(program);
  const condition = conditionText(program);
  if (run.witness) {
    const { candidate, model } = run.witness;
    const cycle = scCycle(candidate, model);
    const fix = cycle ? findFix(program, candidate.skeleton.events, cycle, (p) => checkLkmm(p).verdict.positive === 0) : null;
    return { name: program.name, condition, verdict: run.verdict, execution: executionView(candidate), cycle, fix };
  }
  if (run.forbidden) {
    const { candidate, model } = run.forbidden;
    return { name: program.name, condition, verdict: run.verdict, execution: executionView(candidate), cycle: forbiddingCycle(candidate, model) };
  }
  return { name: program.name, condition, verdict: run.verdict, execution: null, cycle: null };
}

/** `weft litmus import TEST.litmus`: the test as a Weft model (litmus/toWeft.ts), whose property `outcome` is the test's condition. */
export function litmusImportCommand(path: string, opts: { readonly output?: string }, io: Io): number {
  const source = readSource(path);
  const parsed = parseLitmus(source);
  if (!parsed.ok) { printDiagnostics(parsed.diagnostics, io); return 2; }
  const w = litmusToWeft(parsed.program, path);
  if (!w.ok) { printDiagnostics([diag('W6033', source, w.instr?.span ?? parsed.program.span, [w.why])], io); return 2; }
  if (opts.output) writeOutput(opts.output, w.text);
  else io.out(w.text);
  return 0;
}

export interface ExportOptions {
  readonly variant?: string;
  readonly define: string[];
  readonly property?: string;
  readonly unroll?: number;
  /** `--actors`: the actors and steps the test takes (explore/lkmm/slice.ts). */
  readonly actors?: string;
  readonly output?: string;
}

/**
 * `weft litmus export MODEL`: one property of a model (of one variant) as
 * the C litmus test the LKMM mode decides it by (commands/lkmm.ts), for
 * herd7: the property is violated, or reached, exactly when herd7 says
 * Sometimes or Always. The registers the mode adds (where an assert fails,
 * where a loop was cut, where an await did not pass) and its filter are in
 * the test.
 */
export function litmusExportCommand(path: string, opts: ExportOptions, io: Io): number {
  const parsed = loadModelFile(path);
  if (!parsed.model) { printDiagnostics(parsed.diagnostics, io); return 2; }
  const { model, sources } = parsed;
  const declared = variantNames(model);
  const hasVariants = model.decls.some((d) => d.kind === 'variant');
  const variant = chosenVariant(opts.variant, declared) ?? declared[0]!;
  const actors = actorChoices(opts.actors);
  const v = lkmmVariant(model, sources, hasVariants ? variant : null, parseDefines(opts.define, model), opts.unroll ?? null, actors);
  if (!v.ok) { printDiagnostics(v.diagnostics, io); return 2; }
  const names = [...v.run.properties.map((p) => p.property.name), DATA_RACE];
  const name = opts.property ?? (v.run.properties.length === 1 ? v.run.properties[0]!.property.name : undefined);
  if (name === undefined || !names.includes(name)) throw usage('W2039', names.join(', '));
  // A data race is herd's flag, raised whatever the condition: any property's test shows it.
  const chosen = v.run.properties.find((p) => p.property.name === name) ?? v.run.properties[0];
  if (!chosen) throw usage('W2039', names.join(', '));
  const test: MemProgram = name === DATA_RACE ? { ...chosen.test, condition: { kind: 'true' } } : chosen.test;
  const kind = chosen.property.kind;
  const meaning = name === DATA_RACE ? 'a data race when herd7 prints Flag data-race'
    : kind === 'reachable' ? 'reached when herd7 says Sometimes or Always' : 'violated when herd7 says Sometimes or Always';
  const comment = `${v.program.model}, variant ${v.program.variant}, ${kind === 'reachable' ? 'target' : 'property'} ${name}: ${meaning}. Written by weft litmus export${opts.unroll ? ` --unroll ${opts.unroll}` : ''}${actors ? ` --actors ${choicesText(actors)}` : ''}.`;
  const printed = printLitmus({ ...test, name: `${v.program.model}-${v.program.variant}-${name}` }, comment);
  if (!printed.ok) { printDiagnostics([diag('W6034', sources, printed.instr?.span ?? chosen.test.span, [printed.why])], io); return 2; }
  if (opts.output) writeOutput(opts.output, printed.text);
  else io.out(printed.text);
  return 0;
}
