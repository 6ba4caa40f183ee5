/**
 * `weft check`: one model (a variant, or all of them as a table), or
 * several models and directories summed up in one table.
 */
import { compileModel, variantNames } from '../pipeline.ts';
import { check as runEngine, type Engine, type EngineOptions } from '../explore/engine.ts';
import type { StoreKind } from '../explore/stores.ts';
import type { CheckResult, Limits } from '../explore/verdict.ts';
import { formatResult, type TraceStyle } from '../report/text.ts';
import { formatCoverageSummary, formatCoverageTable } from '../report/coverage.ts';
import { progressDisplay, type ProgressDisplay } from '../report/progress.ts';
import { formatSummary, rowExit, worstExit, type SummaryRow } from '../report/summary.ts';
import { toJson } from '../report/json.ts';
import { evaluateExpectations, expectationExit, formatExpectations } from '../report/expectations.ts';
import { formatMarkdownTable, formatTable } from '../report/table.ts';
import { htmlInputOf, renderAllVariantsHtml, renderHtml } from '../view/html.ts';
import { jsonText } from '../text/escape.ts';
import { formatMail } from '../report/mail.ts';
import { MAIL_WIDTH, wrap } from '../report/plain.ts';
import { chosenVariant, loadModelFile, modelsIn, parseDefines, printDiagnostics, usage, UsageError, VERSION, writeOutput, type Io } from './support.ts';

export const REPORT_FORMATS = ['text', 'mail'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** W2033: the reports --format mail replaces cannot be asked for beside it. */
export function refuseMailWith(opts: { format: ReportFormat; json?: boolean; markdown?: boolean; traces?: boolean; witnesses?: boolean; coverage?: boolean; html?: string }): void {
  if (opts.format !== 'mail') return;
  const other = opts.json ? '--json' : opts.markdown ? '--markdown' : opts.traces ? '--traces' : opts.witnesses ? '--witnesses' : opts.coverage ? '--coverage' : opts.html !== undefined ? '--html' : null;
  if (other) throw usage('W2033', other);
}

/** W4072: the reference engine keeps its states in a Map of its own; --store chooses the compiled engine's store. */
export function refuseStoreWithReference(opts: { engine: Engine; store: StoreKind }): void {
  if (opts.engine === 'reference' && opts.store !== 'table') throw usage('W4072', opts.store);
}

export interface CheckOptions {
  engine: Engine;
  /** The compiled engine's state store (explore/stores.ts). */
  store: StoreKind;
  variant?: string;
  allVariants?: boolean;
  define: string[];
  json?: boolean;
  markdown?: boolean;
  traces?: boolean;
  witnesses?: boolean;
  maxStates?: number;
  workers?: number;
  timeLimit?: number;
  maxMemory?: number;
  stats: boolean;
  quiet?: boolean;
  coverage?: boolean;
  traceStyle: TraceStyle;
  html?: string;
  /** `mail`: the report as plain text for a mailing list (report/mail.ts). */
  format: ReportFormat;
  /** Partial-order reduction (explore/por/): compiled engine only. */
  por?: boolean;
  /** False with --no-symmetry: count every state of a model with symmetric actors. */
  symmetry?: boolean;
}

/** How the engine searches, as --store, --por and --no-symmetry say (check and diff). */
export function engineOptionsOf(opts: { store: StoreKind; por?: boolean; symmetry?: boolean }, io: Io): EngineOptions {
  return { note: io.err, store: opts.store, por: !!opts.por, symmetry: opts.symmetry !== false };
}

/** W2035: the reduction lives in the compiled explorer; the reference one is the full search it is checked against. */
export function refusePorWith(opts: { engine: Engine; por?: boolean }): void {
  if (opts.por && opts.engine === 'reference') throw usage('W2035');
}

export async function checkCommand(path: string, opts: CheckOptions, io: Io, signal?: AbortSignal): Promise<number> {
  refuseMailWith(opts);
  refuseStoreWithReference(opts);
  refusePorWith(opts);
  // The first variant's run begins with reading the model; each later one's, when the one before ends.
  let startedAt = performance.now();
  const parsed = loadModelFile(path);
  if (!parsed.model) { printDiagnostics(parsed.diagnostics, io); return 2; }
  const { model, sources: file } = parsed;
  const declared = variantNames(model);
  const hasVariants = model.decls.some((d) => d.kind === 'variant');
  const chosen = chosenVariant(opts.variant, declared);
  const defines = parseDefines(opts.define, model);
  const variants = opts.allVariants ? declared : [chosen ?? declared[0]!];

  const columns: { result: CheckResult; outcomes: ReturnType<typeof evaluateExpectations> }[] = [];
  for (const variant of variants) {
    const compiled = compileModel(file, model, { variant: hasVariants ? variant : null, defines });
    if (!compiled.ok) { printDiagnostics(compiled.diagnostics, io); return 2; }
    const display = io.progress ? progressDisplay(io.progress, !!opts.quiet || !!opts.json) : null;
    const result = await runEngine(compiled.program, opts.engine, limitsOf(opts, signal, display, startedAt), engineOptionsOf(opts, io)).finally(() => display?.done());
    startedAt = performance.now();
    columns.push({ result, outcomes: evaluateExpectations(model, result) });
    if (!result.complete && result.reason === 'interrupted') break;
  }

  // With --all-variants, one page for them all: the property × variant table, each cell linked to its trace.
  if (opts.html) {
    writeOutput(opts.html, opts.allVariants
      ? renderAllVariantsHtml({ source: columns[0]!.result.program.file, model: columns[0]!.result.program.model, columns, options: { stats: opts.stats } })
      : renderHtml(htmlInputOf(columns[0]!.result, { stats: opts.stats }, columns[0]!.outcomes)));
  }
  if (opts.format === 'mail') {
    io.out(formatMail(path, columns));
  } else if (opts.json) {
    io.out(jsonText({ weft: VERSION, results: columns.map((c) => ({ ...toJson(c.result, { stats: opts.stats }), expectations: c.outcomes.map(outcomeJson) })) }, 2));
  } else if (opts.allVariants) {
    io.out(`${path}: ${columns.length} variant${columns.length === 1 ? '' : 's'}\n`);
    io.out(opts.markdown ? formatMarkdownTable(columns) : formatTable(columns, { stats: opts.stats }));
    for (const c of columns) {
      const text = formatExpectations(c.outcomes, c.result);
      if (text) io.out(`\n${c.result.program.variant}: ${text}`);
      if (opts.traces || opts.witnesses) io.out(`\n${formatResult(c.result, { stats: opts.stats, traces: true, witnesses: !!opts.witnesses, traceStyle: opts.traceStyle })}`);
      if (opts.coverage) io.out(`\n${c.result.program.variant}: ${formatCoverageSummary(c.result)}\n${formatCoverageTable(c.result)}`);
    }
  } else {
    const c = columns[0]!;
    io.out(formatResult(c.result, { stats: opts.stats, traces: true, witnesses: !!opts.witnesses, traceStyle: opts.traceStyle }));
    const coverage = formatCoverageSummary(c.result);
    if (coverage) io.out(`\n${coverage}`);
    if (opts.coverage) io.out(`\n${formatCoverageTable(c.result)}`);
    const text = formatExpectations(c.outcomes, c.result);
    if (text) io.out(`\n${text}`);
    // The other variants' names, filled into 80 columns: the flagship has 25 more.
    if (hasVariants && declared.length > 1) io.out(`\n${wrap(`(${declared.length - 1} more variant${declared.length > 2 ? 's' : ''}: ${declared.filter((v) => v !== c.result.program.variant).join(', ')}; --all-variants checks them all)`, MAIL_WIDTH, '', ' ').join('\n')}`);
  }
  const codes = columns.map((c) => expectationExit(c.outcomes, c.result.complete));
  return codes.includes(1) ? 1 : codes.includes(3) || columns.length < variants.length ? 3 : 0;
}

/**
 * The limits of one variant's run, from the command line. The clock starts
 * at `startedAt`, before the front end and the compile, so --time-limit
 * bounds the whole run (the front end is itself bounded by the language's
 * limits, docs/language.md, so it cannot run away before the first check).
 */
export function limitsOf(opts: Pick<CheckOptions, 'maxStates' | 'timeLimit' | 'maxMemory' | 'workers'>, signal: AbortSignal | undefined, display: ProgressDisplay | null, startedAt: number): Limits {
  return {
    maxStates: opts.maxStates, timeLimitSeconds: opts.timeLimit, startedAt, signal,
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    maxMemoryBytes: opts.maxMemory === undefined ? undefined : opts.maxMemory * 2 ** 20,
    ...(display ? { onProgress: display.update } : {}),
  };
}

/** `weft check models/`: every model and variant, one summary table, the exit code of the worst. */
export async function checkMany(paths: readonly string[], opts: CheckOptions, io: Io, signal?: AbortSignal): Promise<number> {
  if (opts.format === 'mail') throw usage('W2034');
  refuseStoreWithReference(opts);
  if (opts.json || opts.html || opts.variant !== undefined || opts.define.length) throw new UsageError('with several models, --json, --html, --variant and -D do not apply (check one model for those)');
  const rows: SummaryRow[] = [];
  for (const { path, loaded: parsed } of modelsIn(paths)) {
    let startedAt = performance.now();
    if (parsed instanceof UsageError) {
      rows.push({ kind: 'rejected', path, variant: null, why: parsed.message });
      continue;
    }
    if (!parsed.model) { printDiagnostics(parsed.diagnostics, io); rows.push({ kind: 'rejected', path, variant: null, why: 'does not parse' }); continue; }
    const { model, sources: file } = parsed;
    const hasVariants = model.decls.some((d) => d.kind === 'variant');
    for (const variant of variantNames(model)) {
      const compiled = compileModel(file, model, { variant: hasVariants ? variant : null, defines: {} });
      if (!compiled.ok) { printDiagnostics(compiled.diagnostics, io); rows.push({ kind: 'rejected', path, variant, why: 'does not check' }); continue; }
      const display = io.progress ? progressDisplay(io.progress, !!opts.quiet) : null;
      const result = await runEngine(compiled.program, opts.engine, limitsOf(opts, signal, display, startedAt), engineOptionsOf(opts, io)).finally(() => display?.done());
      startedAt = performance.now();
      const outcomes = evaluateExpectations(model, result);
      rows.push({ kind: 'checked', path, result, outcomes, code: expectationExit(outcomes, result.complete) });
      if (result.reason === 'interrupted') break;
    }
    if (signal?.aborted) break;
  }
  io.out(formatSummary(rows));
  for (const r of rows) {
    if (r.kind !== 'checked' || r.code !== 1) continue;
    io.out(`\n${r.path}, variant ${r.result.program.variant}:\n${formatExpectations(r.outcomes, r.result)}`);
  }
  return worstExit(rows.map(rowExit));
}

export function outcomeJson(o: ReturnType<typeof evaluateExpectations>[number]): object {
  return { property: o.property, expected: o.wanted, actual: o.actual, met: o.met, declared: o.at !== null };
}
