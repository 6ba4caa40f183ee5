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
import { printDiagnostics, readSource, writeOutput, type Io } from './support.ts';

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
