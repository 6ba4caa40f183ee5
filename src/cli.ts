/**
 * The command line: the only module that reads argv and files, prints, and
 * decides the exit code. Exit codes: 0 every property as expected, 1 a
 * property violated or an expectation unmet, 2 bad input or usage,
 * 3 the search was incomplete (a limit or Ctrl-C), 70 an internal error.
 */
import { Command, CommanderError, Option } from 'commander';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compileModel, parseModel, variantNames } from './pipeline.ts';
import { check as runEngine, ENGINES, type Engine } from './explore/engine.ts';
import { computeLayout } from './emit/layout.ts';
import { emitTs } from './emit/emitTs.ts';
import { exportPromela } from './export/promela.ts';
import { writeFileSync } from 'node:fs';
import type { CheckResult } from './explore/verdict.ts';
import { formatResult, TRACE_STYLES, type TraceStyle } from './report/text.ts';
import { formatCoverageSummary, formatCoverageTable } from './report/coverage.ts';
import { progressDisplay } from './report/progress.ts';
import { formatSummary, rowExit, worstExit, type SummaryRow } from './report/summary.ts';
import { htmlInputOf, renderHtml } from './view/html.ts';
import { recordsOf, sha256 } from './view/recorded.ts';
import { modelDoc, proofFiles, type ProofFile } from './proofs/prove.ts';
import { replayTrace, type StoredTrace } from './proofs/replay.ts';
import { dirname } from 'node:path';
import { mkdirSync } from 'node:fs';
import { toJson } from './report/json.ts';
import { evaluateExpectations, expectationExit, formatExpectations } from './report/expectations.ts';
import { formatMarkdownTable, formatTable } from './report/table.ts';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from './text/diagnostic.ts';
import type { SourceFile } from './text/source.ts';
import type * as A from './syntax/ast.ts';

export const VERSION = '0.1.0';

interface CheckOptions {
  engine: Engine;
  variant?: string;
  allVariants?: boolean;
  define: string[];
  json?: boolean;
  markdown?: boolean;
  traces?: boolean;
  witnesses?: boolean;
  maxStates?: number;
  timeLimit?: number;
  maxMemory?: number;
  stats: boolean;
  quiet?: boolean;
  coverage?: boolean;
  traceStyle: TraceStyle;
  html?: string;
}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Where the live progress line goes, when it is a terminal (only the real command line has one). */
  progress?: NodeJS.WriteStream;
}

const defaultIo: Io = {
  progress: process.stderr,
  out: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
  err: (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
};

class UsageError extends Error {}

export async function main(argv: readonly string[], io: Io = defaultIo, signal?: AbortSignal): Promise<number> {
  let code = 0;
  const program = new Command('weft')
    .description('Model checker for concurrent kernel code')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  program
    .command('check')
    .description('explore every interleaving of a model and report each property; with several files or a directory, every model and variant, summed up in one table')
    .argument('<files...>', 'the model (.weft), or several, or directories of them')
    .option('--variant <name>', 'check this variant (default: the first declared)')
    .option('--all-variants', 'check every variant and print a table property × variant')
    .option('-D, --define <option=value>', 'override an option (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--json', 'print the verdicts and traces as JSON (docs/json.md)')
    .option('--markdown', 'with --all-variants: print the table as Markdown')
    .option('--traces', 'with --all-variants: print the trace of every violation')
    .option('--witnesses', 'also print the shortest trace reaching each reachable target')
    .addOption(new Option('--max-states <n>', 'stop after this many distinct states').argParser(positiveInt))
    .addOption(new Option('--time-limit <seconds>', 'stop after this many seconds').argParser(positiveNumber))
    .addOption(new Option('--max-memory <MiB>', 'stop before the process grows past this many MiB').argParser(positiveInt))
    .option('--no-stats', 'omit time and memory (for reproducible output)')
    .option('-q, --quiet', 'no live progress line on the terminal')
    .option('--coverage', 'print how many times each step fired')
    .option('--html <file>', 'also write the verdicts and traces as one self-contained HTML page')
    .addOption(new Option('--trace-style <style>', 'under each trace step: the variables it changed (diff) or every variable (full)').choices(TRACE_STYLES).default('diff'))
    .addOption(new Option('--engine <engine>', 'compiled (TypeScript step functions) or reference (the immer interpreter)').choices(ENGINES).default('compiled'))
    .action(async (files: string[], opts: CheckOptions) => {
      code = files.length === 1 && !isDirectory(files[0]!) ? await checkCommand(files[0]!, opts, io, signal) : await checkMany(files, opts, io, signal);
    });
  program
    .command('prove')
    .description('check every model and variant and write proofs/ (verdicts, counts, traces) and docs/models/')
    .argument('[files...]', 'models or directories (default: models/)')
    .action(async (files: string[]) => { code = await proveCommand(files.length ? files : ['models'], io, signal); });
  program
    .command('replay')
    .description('re-execute every trace of a proof on the reference interpreter, step by step')
    .argument('<proof>', 'a proofs/*.json file')
    .action((proof: string) => { code = replayCommand(proof, io); });
  program
    .command('view')
    .description('write the HTML trace view of a recorded check: a proof under proofs/ or the output of weft check --json')
    .argument('<record>', 'the JSON file')
    .option('-o, --output <file>', 'the page (default: the record with .html for .json)')
    .action(async (record: string, opts: { output?: string }) => { code = await viewCommand(record, opts, io); });
  program
    .command('export')
    .description('write an equivalent model for another checker (SPIN: docs/promela.md)')
    .argument('<file>', 'the model (.weft)')
    .requiredOption('--promela', 'export Promela for SPIN')
    .option('--variant <name>', 'this variant (default: the first declared)')
    .option('-D, --define <option=value>', 'override an option (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('-o, --output <file>', 'write here instead of to standard output')
    .action((file: string, opts: { variant?: string; define: string[]; output?: string }) => { code = compileCommand(file, opts, io, 'promela'); });
  program
    .command('compile')
    .description('write the TypeScript module Weft generates for a model (for reading)')
    .argument('<file>', 'the model (.weft)')
    .option('--variant <name>', 'this variant (default: the first declared)')
    .option('-D, --define <option=value>', 'override an option (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('-o, --output <file>', 'write here instead of to standard output')
    .action((file: string, opts: { variant?: string; define: string[]; output?: string }) => { code = compileCommand(file, opts, io); });
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError) { io.err(`weft: error: ${e.message}`); return 2; }
    io.err(`weft: internal error: ${e instanceof Error ? e.message : String(e)}\nThis is a bug in Weft; please report it with the model that caused it.`);
    return 70;
  }
  return code;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`expected a positive whole number, found '${v}'`);
  return n;
}

function positiveNumber(v: string): number {
  const n = Number(v);
  if (!(n > 0)) throw new UsageError(`expected a positive number of seconds, found '${v}'`);
  return n;
}

function readSource(path: string): SourceFile {
  try {
    return { path, text: readFileSync(path, 'utf8') };
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

function printDiagnostics(ds: readonly Diagnostic[], io: Io): void {
  io.err(sortDiagnostics(ds).map(formatDiagnostic).join('\n\n'));
}

function parseDefines(defines: readonly string[], model: A.Model): Record<string, string> {
  const declared = model.decls.filter((d): d is A.OptionDecl => d.kind === 'option').map((d) => d.name.name);
  const out: Record<string, string> = {};
  for (const d of defines) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(d);
    if (!m) throw new UsageError(`-D takes option=value, found '${d}'`);
    if (!declared.includes(m[1]!)) throw new UsageError(`unknown option '${m[1]}' (declared options: ${declared.join(', ') || 'none'})`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

async function checkCommand(path: string, opts: CheckOptions, io: Io, signal?: AbortSignal): Promise<number> {
  const file = readSource(path);
  const parsed = parseModel(file);
  if (!parsed.model) { printDiagnostics(parsed.diagnostics, io); return 2; }
  const model = parsed.model;
  const declared = variantNames(model);
  const hasVariants = model.decls.some((d) => d.kind === 'variant');
  if (opts.variant && !declared.includes(opts.variant)) throw new UsageError(`unknown variant '${opts.variant}' (declared variants: ${declared.join(', ')})`);
  const defines = parseDefines(opts.define, model);
  const variants = opts.allVariants ? declared : [opts.variant ?? declared[0]!];
  if (opts.html && variants.length !== 1) throw new UsageError('--html shows one variant: name it with --variant instead of --all-variants');

  const columns: { result: CheckResult; outcomes: ReturnType<typeof evaluateExpectations> }[] = [];
  for (const variant of variants) {
    const compiled = compileModel(file, model, { variant: hasVariants ? variant : null, defines });
    if (!compiled.ok) { printDiagnostics(compiled.diagnostics, io); return 2; }
    const identity = [file.text, variant, JSON.stringify(defines), VERSION];
    const display = io.progress ? progressDisplay(io.progress, !!opts.quiet || !!opts.json) : null;
    const limits = { maxStates: opts.maxStates, timeLimitSeconds: opts.timeLimit, maxMemoryBytes: opts.maxMemory === undefined ? undefined : opts.maxMemory * 2 ** 20, signal, ...(display ? { onProgress: display.update } : {}) };
    const result = await runEngine(compiled.program, opts.engine, limits, identity).finally(() => display?.done());
    columns.push({ result, outcomes: evaluateExpectations(model, result) });
    if (!result.complete && result.reason === 'interrupted') break;
  }

  if (opts.html) writeFileSync(opts.html, renderHtml(htmlInputOf(columns[0]!.result, { stats: opts.stats })));
  if (opts.json) {
    io.out(JSON.stringify({ weft: VERSION, results: columns.map((c) => ({ ...toJson(c.result, { stats: opts.stats }), expectations: c.outcomes.map(outcomeJson) })) }, null, 2));
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
    if (hasVariants && declared.length > 1) io.out(`\n(${declared.length - 1} more variant${declared.length > 2 ? 's' : ''}: ${declared.filter((v) => v !== c.result.program.variant).join(', ')}; --all-variants checks them all)`);
  }
  const codes = columns.map((c) => expectationExit(c.outcomes, c.result.complete));
  return codes.includes(1) ? 1 : codes.includes(3) || columns.length < variants.length ? 3 : 0;
}

/** The proof files and model docs of `paths`, as `weft prove` writes them (test/proofs.test.ts compares them with proofs/). */
export async function proofsOf(paths: readonly string[], signal?: AbortSignal): Promise<{ files: ProofFile[]; rejected: string[] }> {
  const files: ProofFile[] = [];
  const rejected: string[] = [];
  for (const path of modelFiles(paths)) {
    const file = readSource(path);
    const parsed = parseModel(file);
    if (!parsed.model) { rejected.push(path); continue; }
    const model = parsed.model;
    const hasVariants = model.decls.some((d) => d.kind === 'variant');
    const checked = [];
    for (const variant of variantNames(model)) {
      const compiled = compileModel(file, model, { variant: hasVariants ? variant : null, defines: {} });
      if (!compiled.ok) { rejected.push(`${path} (${variant})`); continue; }
      const result = await runEngine(compiled.program, 'compiled', { signal }, [file.text, variant, '{}', VERSION]);
      if (!result.complete) throw new UsageError(`${path} (${variant}): the search did not complete, so there is nothing to prove`);
      files.push(...proofFiles(result, 'compiled', VERSION));
      checked.push({ result, outcomes: evaluateExpectations(model, result) });
    }
    if (hasVariants) files.push(modelDoc(model, file.text, path, checked));
  }
  return { files, rejected };
}

async function proveCommand(paths: readonly string[], io: Io, signal?: AbortSignal): Promise<number> {
  const { files, rejected } = await proofsOf(paths, signal);
  for (const f of files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.text);
  }
  io.out(`wrote ${files.length} files (${files.filter((f) => f.path.endsWith('.json')).length} proofs)`);
  if (rejected.length) io.err(`weft: not proved, they do not check: ${rejected.join(', ')}`);
  return rejected.length ? 2 : 0;
}

/** `weft replay PROOF`: exit 0 when every stored trace replays, 1 at the first step that does not, 2 for a file that is not a proof. */
function replayCommand(path: string, io: Io): number {
  let proof: Record<string, unknown>;
  try {
    proof = JSON.parse(readSource(path).text) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(e instanceof UsageError ? e.message : `${path} is not JSON: ${(e as Error).message}`);
  }
  const bad = (what: string): never => { throw new UsageError(`${path} is not a Weft proof: ${what}`); };
  if (typeof proof !== 'object' || proof === null || proof.proof !== 1) bad('no "proof": 1 field');
  if (typeof proof.file !== 'string' || typeof proof.variant !== 'string' || typeof proof.modelHash !== 'string' || !Array.isArray(proof.verdicts)) bad('"file", "variant", "modelHash" or "verdicts" is missing');
  const file = readSource(proof.file as string);
  if (sha256(file.text) !== proof.modelHash) throw new UsageError(`${proof.file} has changed since ${path} was written: run \`npx weft prove ${proof.file}\``);
  const parsed = parseModel(file);
  if (!parsed.model) { printDiagnostics(parsed.diagnostics, io); return 2; }
  const hasVariants = parsed.model.decls.some((d) => d.kind === 'variant');
  const options = (proof.options ?? {}) as Record<string, unknown>;
  const defines = parseDefines(Object.entries(options).map(([k, v]) => `${k}=${String(v)}`), parsed.model);
  const compiled = compileModel(file, parsed.model, { variant: hasVariants ? (proof.variant as string) : null, defines });
  if (!compiled.ok) { printDiagnostics(compiled.diagnostics, io); return 2; }
  let replayed = 0;
  for (const v of proof.verdicts as Record<string, unknown>[]) {
    const trace = v.trace as { steps?: unknown; itf?: { states?: unknown } } | null;
    if (!trace) continue;
    if (!Array.isArray(trace.steps) || !Array.isArray(trace.itf?.states)) bad(`the trace of ${String(v.property)} has no steps or no ITF states`);
    const stored: StoredTrace = { property: String(v.property), status: String(v.status), steps: trace.steps as StoredTrace['steps'], states: trace.itf!.states as unknown[] };
    const r = replayTrace(compiled.program, stored);
    if (!r.ok) {
      io.out(`${path}: the trace of ${stored.property} does not replay: ${r.why}`);
      return 1;
    }
    replayed++;
  }
  io.out(`${path}: ${replayed} trace${replayed === 1 ? '' : 's'} replayed: every step enabled and leading to the stored state, every end showing its property`);
  return 0;
}

/** `weft view`: checks the recorded configuration again (the same model gives the same traces) and writes its page. */
async function viewCommand(path: string, opts: { output?: string }, io: Io): Promise<number> {
  let json: unknown;
  try {
    json = JSON.parse(readSource(path).text);
  } catch (e) {
    throw new UsageError(e instanceof UsageError ? e.message : `${path} is not JSON: ${(e as Error).message}`);
  }
  const records = recordsOf(json);
  if (!records.ok) throw new UsageError(`${path} cannot be viewed: ${records.why}`);
  const r = records.records[0]!;
  const file = readSource(r.file);
  if (r.hash && r.hash !== sha256(file.text)) throw new UsageError(`${r.file} has changed since ${path} was recorded (its hash differs): check it again instead`);
  const parsed = parseModel(file);
  if (!parsed.model) { printDiagnostics(parsed.diagnostics, io); return 2; }
  const hasVariants = parsed.model.decls.some((d) => d.kind === 'variant');
  const variant = r.variant ?? variantNames(parsed.model)[0]!;
  const defines = parseDefines(Object.entries(r.defines).map(([k, v]) => `${k}=${v}`), parsed.model);
  const compiled = compileModel(file, parsed.model, { variant: hasVariants ? variant : null, defines });
  if (!compiled.ok) { printDiagnostics(compiled.diagnostics, io); return 2; }
  const result = await runEngine(compiled.program, 'compiled', {}, [file.text, variant, JSON.stringify(defines), VERSION]);
  const out = opts.output ?? path.replace(/(\.json)?$/, '.html');
  writeFileSync(out, renderHtml(htmlInputOf(result, { stats: false })));
  const traces = result.verdicts.filter((v) => v.trace).length;
  io.out(`${out}: ${result.program.model}, variant ${result.program.variant}, ${traces} trace${traces === 1 ? "" : "s"}`);
  return 0;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The .weft files named or found (recursively, in name order) under the directories named. */
function modelFiles(paths: readonly string[]): string[] {
  return paths.flatMap((p) => {
    if (!isDirectory(p)) return [p];
    const found = (readdirSync(p, { recursive: true }) as string[]).filter((f) => f.endsWith('.weft')).sort();
    if (found.length === 0) throw new UsageError(`no .weft files under ${p}`);
    return found.map((f) => join(p, f));
  });
}

/** `weft check models/`: every model and variant, one summary table, the exit code of the worst. */
async function checkMany(paths: readonly string[], opts: CheckOptions, io: Io, signal?: AbortSignal): Promise<number> {
  if (opts.json || opts.html || opts.variant || opts.define.length) throw new UsageError('with several models, --json, --html, --variant and -D do not apply (check one model for those)');
  const rows: SummaryRow[] = [];
  for (const path of modelFiles(paths)) {
    let file: SourceFile;
    try {
      file = readSource(path);
    } catch (e) {
      rows.push({ kind: 'rejected', path, variant: null, why: (e as Error).message });
      continue;
    }
    const parsed = parseModel(file);
    if (!parsed.model) { printDiagnostics(parsed.diagnostics, io); rows.push({ kind: 'rejected', path, variant: null, why: 'does not parse' }); continue; }
    const model = parsed.model;
    const hasVariants = model.decls.some((d) => d.kind === 'variant');
    for (const variant of variantNames(model)) {
      const compiled = compileModel(file, model, { variant: hasVariants ? variant : null, defines: {} });
      if (!compiled.ok) { printDiagnostics(compiled.diagnostics, io); rows.push({ kind: 'rejected', path, variant, why: 'does not check' }); continue; }
      const display = io.progress ? progressDisplay(io.progress, !!opts.quiet) : null;
      const limits = { maxStates: opts.maxStates, timeLimitSeconds: opts.timeLimit, maxMemoryBytes: opts.maxMemory === undefined ? undefined : opts.maxMemory * 2 ** 20, signal, ...(display ? { onProgress: display.update } : {}) };
      const result = await runEngine(compiled.program, opts.engine, limits, [file.text, variant, '{}', VERSION]).finally(() => display?.done());
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

function compileCommand(path: string, opts: { variant?: string; define: string[]; output?: string }, io: Io, target: 'ts' | 'promela' = 'ts'): number {
  const file = readSource(path);
  const parsed = parseModel(file);
  if (!parsed.model) { printDiagnostics(parsed.diagnostics, io); return 2; }
  const declared = variantNames(parsed.model);
  if (opts.variant && !declared.includes(opts.variant)) throw new UsageError(`unknown variant '${opts.variant}' (declared variants: ${declared.join(', ')})`);
  const hasVariants = parsed.model.decls.some((d) => d.kind === 'variant');
  const compiled = compileModel(file, parsed.model, { variant: hasVariants ? (opts.variant ?? declared[0]!) : null, defines: parseDefines(opts.define, parsed.model) });
  if (!compiled.ok) { printDiagnostics(compiled.diagnostics, io); return 2; }
  const text = target === 'promela' ? exportPromela(compiled.program) : emitTs(compiled.program, computeLayout(compiled.program));
  if (opts.output) writeFileSync(opts.output, text);
  else io.out(text);
  return 0;
}

function outcomeJson(o: ReturnType<typeof evaluateExpectations>[number]): object {
  return { property: o.property, expected: o.wanted, actual: o.actual, met: o.met, declared: o.expect !== null };
}
