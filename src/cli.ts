/**
 * The command line: commander parses argv and hands each command to
 * src/commands/ (check, diff, compile and export, prove, replay and view); only
 * these modules read files, print and decide the exit code. Exit codes: 0
 * every property as expected, 1 a property violated or an expectation
 * unmet (for replay: a claim of the proof that fails), 2 bad input or usage,
 * 3 the search was incomplete (a limit, Ctrl-C or SIGTERM), 70 an internal
 * error. Everything printed goes through `terminalSafe`, so text from a
 * model (a label, an assert message, a path) cannot send control
 * characters to the terminal.
 */
import { Command, CommanderError, Option } from 'commander';
import { ENGINES } from './explore/engine.ts';
import { STORES } from './explore/stores.ts';
import { TRACE_STYLES } from './report/text.ts';
import { checkCommand, checkMany, REPORT_FORMATS, type CheckOptions } from './commands/check.ts';
import { diffCommand, type DiffOptions } from './commands/diff.ts';
import { compileCommand } from './commands/compile.ts';
import { proveCommand } from './commands/prove.ts';
import { replayCommand } from './commands/replay.ts';
import { viewCommand } from './commands/view.ts';
import { lspCommand } from './commands/lsp.ts';
import { lkmmCheckCommand } from './commands/lkmm.ts';
import { litmusExportCommand, litmusImportCommand, type ExportOptions } from './commands/litmus.ts';
import { defaultIo, isDirectory, positiveInt, positiveNumber, usage, UsageError, VERSION, type Io } from './commands/support.ts';
import { terminalText } from './text/escape.ts';

export { VERSION, guardStandardStreams } from './commands/support.ts';
export { proofsOf, staleFiles } from './commands/prove.ts';

/** `io` with control characters in printed text escaped (text/escape.ts): the one place output reaches the terminal. */
const MEMORY_MODELS = ['sc', 'lkmm'] as const;
type MemoryModel = (typeof MEMORY_MODELS)[number];

/** How the compiled engine searches, the same for `check` and `diff` (explore/engine.ts). */
const workersOption = (): Option => new Option('--workers <n>', 'threads the compiled engine explores with (default: the machine\'s cores); the result does not depend on it; --engine reference, --store tree, --por, symmetry and models with liveness properties use one').argParser(positiveInt);
const engineOption = (): Option => new Option('--engine <engine>', 'compiled (TypeScript step functions) or reference (the immer interpreter)').choices(ENGINES).default('compiled');
const porOption = (): Option => new Option('--por', 'partial-order reduction: the safety verdicts of the full search from fewer states; traces shortest within the reduced search, liveness not decided (docs/language.md)');
const symmetryOption = (): Option => new Option('--no-symmetry', 'count every state of a model with symmetric actors, not one per permutation of their instances (the verdicts are the same)');
const storeOption = (): Option => new Option('--store <store>', 'the compiled engine\'s state store: table (whole vectors, fastest) or tree (tree-compressed, a few times less memory); the results are the same').choices(STORES).default('table');

export function terminalSafe(io: Io): Io {
  return { ...io, out: (s) => io.out(terminalText(s)), err: (s) => io.err(terminalText(s)) };
}

export async function main(argv: readonly string[], rawIo: Io = defaultIo, signal?: AbortSignal): Promise<number> {
  const io = terminalSafe(rawIo);
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
    .addOption(new Option('--time-limit <seconds>', 'stop this many seconds after the run starts (reading the model and compiling count)').argParser(positiveNumber))
    .addOption(new Option('--max-memory <MiB>', 'stop before the process grows past this many MiB').argParser(positiveInt))
    .addOption(workersOption())
    .option('--no-stats', 'omit time and memory (for reproducible output)')
    .option('-q, --quiet', 'no live progress line on the terminal')
    .option('--coverage', 'print how many times each step fired')
    .option('--html <file>', 'also write the verdicts and traces as one self-contained HTML page')
    .addOption(new Option('--format <format>', 'mail: plain ASCII in 80 columns, the verdict table and each violation drawn as a CPU0/CPU1 race, to paste into a reply (docs/mail.md)').choices(REPORT_FORMATS).default('text'))
    .addOption(new Option('--trace-style <style>', 'under each trace step: the variables it changed (diff) or every variable (full)').choices(TRACE_STYLES).default('diff'))
    .addOption(engineOption())
    .addOption(storeOption())
    .addOption(porOption())
    .addOption(symmetryOption())
    .addOption(new Option('--memory-model <model>', 'sc: every interleaving (each store seen by every CPU at once); lkmm: every execution the Linux-kernel memory model allows, as herd7 decides it (docs/language.md "Memory models"); a .litmus file is checked under lkmm').choices(MEMORY_MODELS).default('sc'))
    .addOption(new Option('--unroll <k>', 'with --memory-model lkmm: each loop goes round at most k times').argParser(positiveInt))
    .option('--actors <list>', 'with --memory-model lkmm: only these actors, each from the label FROM to the label TO (a,b@FROM..TO,c@..TO), every variable at its initial value')
    .action(async (files: string[], opts: CheckOptions & { memoryModel: MemoryModel; unroll?: number; actors?: string }) => {
      if (opts.memoryModel === 'lkmm' || files.some((f) => f.endsWith('.litmus'))) {
        if (files.length !== 1) throw usage('W2038', 'several files', '--memory-model lkmm, which checks one model or litmus test');
        code = lkmmCheckCommand(files[0]!, opts, io);
        return;
      }
      if (opts.unroll !== undefined) throw usage('W2038', '--unroll', 'interleavings, which need no bound (it is for --memory-model lkmm)');
      if (opts.actors !== undefined) throw usage('W2038', '--actors', 'interleavings, which check the whole model (it is for --memory-model lkmm)');
      code = files.length === 1 && !isDirectory(files[0]!) ? await checkCommand(files[0]!, opts, io, signal) : await checkMany(files, opts, io, signal);
    });
  program
    .command('diff')
    .summary('what variant B closes, leaves and opens against variant A')
    .description('check two variants of a model and compare their verdicts: what B closes (violated in A, holds in B), leaves (violated in both) and opens (holds in A, violated in B), and which reachability targets it makes reached or unreachable; exit 0 (a report), 3 when a search was incomplete (docs/mail.md)')
    .argument('<file>', 'the model (.weft)')
    .argument('<a>', 'the baseline variant')
    .argument('<b>', 'the variant compared with it (a patch)')
    .option('-D, --define <option=value>', 'override an option in both (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--json', 'print the comparison as JSON (docs/json.md)')
    .addOption(new Option('--format <format>', 'mail: also draw each violation closed, left or opened as a CPU0/CPU1 race, in 80 columns').choices(REPORT_FORMATS).default('text'))
    .addOption(new Option('--max-states <n>', 'stop each search after this many distinct states').argParser(positiveInt))
    .addOption(new Option('--time-limit <seconds>', 'stop each variant\'s search this many seconds after it starts').argParser(positiveNumber))
    .addOption(new Option('--max-memory <MiB>', 'stop before the process grows past this many MiB').argParser(positiveInt))
    .addOption(workersOption())
    .option('-q, --quiet', 'no live progress line on the terminal')
    .addOption(engineOption())
    .addOption(storeOption())
    .addOption(porOption())
    .addOption(symmetryOption())
    .action(async (file: string, a: string, b: string, opts: DiffOptions) => { code = await diffCommand(file, a, b, opts, io, signal); });
  program
    .command('prove')
    .summary('check the models and write proofs/ (verdicts, counts, traces) and docs/models/')
    .description('check every model and variant and write the verdicts with their traces to proofs/ (proofs/README.md) and a page per model with variants to docs/models/; removes the files a model no longer gives')
    .argument('[files...]', 'models or directories (default: every .weft under models/)')
    .action(async (files: string[]) => { code = await proveCommand(files, io, signal); });
  program
    .command('replay')
    .summary('check every claim of a proof: its traces step by step, the rest by a fresh search')
    .description('check every claim of a proof: one verdict per property, consistent with its kind; each trace re-executed on the reference interpreter (each step enabled and leading to the stored state, the end showing the property); the counts, each holds and unreachable, the shortest traces and the coverage by searching again with the proof\'s engine; exit 1 at the first claim that fails')
    .argument('<proof>', 'a proof, proofs/<model>.<variant>.json')
    .option('--traces-only', 'replay the traces and check consistency, without searching again (says which claims it leaves unchecked)')
    .action(async (proof: string, opts: { tracesOnly?: boolean }) => { code = await replayCommand(proof, opts, io, signal); });
  program
    .command('view')
    .description('write the HTML trace view of a recorded check: a proof under proofs/ or the output of weft check --json')
    .argument('<record>', 'the JSON file')
    .option('-o, --output <file>', 'the page (default: the record with .html for .json)')
    .action(async (record: string, opts: { output?: string }) => { code = await viewCommand(record, opts, io); });
  program
    .command('export')
    .description('write an equivalent model for another checker (SPIN: docs/promela.md; Rumur: docs/murphi.md)')
    .argument('<file>', 'the model (.weft)')
    .option('--promela', 'export Promela for SPIN')
    .option('--murphi', 'export Murphi for Rumur')
    .option('--variant <name>', 'this variant (default: the first declared)')
    .option('-D, --define <option=value>', 'override an option (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('-o, --output <file>', 'write here instead of to standard output')
    .action((file: string, opts: { variant?: string; define: string[]; output?: string; promela?: boolean; murphi?: boolean }) => {
      if (Boolean(opts.promela) === Boolean(opts.murphi)) throw new UsageError('weft export needs exactly one of --promela and --murphi');
      code = compileCommand(file, opts, io, opts.murphi ? 'murphi' : 'promela');
    });
  program
    .command('compile')
    .description('write the TypeScript module Weft generates for a model (for reading)')
    .argument('<file>', 'the model (.weft)')
    .option('--variant <name>', 'this variant (default: the first declared)')
    .option('-D, --define <option=value>', 'override an option (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('-o, --output <file>', 'write here instead of to standard output')
    .action((file: string, opts: { variant?: string; define: string[]; output?: string }) => { code = compileCommand(file, opts, io); });
  const litmus = program.command('litmus').description("C litmus tests of the herdtools format, as herd7 and the kernel's tools/memory-model read them (docs/language.md \"Memory models\")");
  litmus
    .command('import')
    .description('write a litmus test as a Weft model: each thread an actor, the condition the property `outcome`')
    .argument('<test>', 'the litmus test (.litmus)')
    .option('-o, --output <file>', 'write here instead of to standard output')
    .action((test: string, opts: { output?: string }) => { code = litmusImportCommand(test, opts, io); });
  litmus
    .command('export')
    .description('write one property of a model as the C litmus test --memory-model lkmm decides it by, for herd7 (it holds where herd7 says Never)')
    .argument('<model>', 'the model (.weft)')
    .option('--property <name>', 'the property (needed when the model has several)')
    .option('--variant <name>', 'this variant (default: the first declared)')
    .option('-D, --define <option=value>', 'override an option (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .addOption(new Option('--unroll <k>', 'each loop goes round at most k times').argParser(positiveInt))
    .option('--actors <list>', 'only these actors, each from the label FROM to the label TO (a,b@FROM..TO,c@..TO), every variable at its initial value')
    .option('-o, --output <file>', 'write here instead of to standard output')
    .action((model: string, opts: ExportOptions) => { code = litmusExportCommand(model, opts, io); });
  program.command('lsp').description('run the language server on standard input and output (docs/editors.md)').option('--stdio', 'the transport (the only one; accepted because editors pass it)').action(async () => { code = await lspCommand(); });
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError) { io.err(`weft: error${e.code ? `[${e.code}]` : ''}: ${e.message}`); return 2; }
    io.err(internalErrorText(e));
    return 70;
  }
  return code;
}

/**
 * What an exception nobody turned into a diagnostic prints (exit 70). Most
 * are thrown as `internal error: ...` where they are found (so that one
 * caught elsewhere still says what it is): here the prefix is said once.
 */
export function internalErrorText(e: unknown): string {
  const message = (e instanceof Error ? e.message : String(e)).replace(/^(internal error: )+/, '');
  return `weft: internal error: ${message}\nThis is a bug in Weft; please report it with the model that caused it.`;
}
