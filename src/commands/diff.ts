/**
 * `weft diff MODEL A B`: checks two variants of one model and prints what
 * B closes, leaves and opens against A (report/diff.ts). It is a report,
 * not a test: exit 0 whatever the verdicts, 3 when a search was incomplete
 * (its verdicts are then `unknown` and listed apart), 2 for bad input
 * (W2030 an undeclared variant, W2031 the same variant twice, W2032 a
 * model without variants). Both variants are searched alike: the same
 * engine, store, reduction and limits, as `weft check` takes them.
 */
import { compileModel, variantNames } from '../pipeline.ts';
import { check as runEngine, type Engine } from '../explore/engine.ts';
import type { StoreKind } from '../explore/stores.ts';
import type { CheckResult } from '../explore/verdict.ts';
import { progressDisplay } from '../report/progress.ts';
import { diffJson, formatDiff } from '../report/diff.ts';
import { jsonText } from '../text/escape.ts';
import { engineOptionsOf, limitsOf, refusePorWith, refuseStoreWithReference, type ReportFormat } from './check.ts';
import { loadModelFile, parseDefines, printDiagnostics, usage, VERSION, type Io } from './support.ts';

export interface DiffOptions {
  engine: Engine;
  /** The compiled engine's state store (explore/stores.ts). */
  store: StoreKind;
  /** Partial-order reduction (explore/por/): compiled engine only. */
  por?: boolean;
  /** false with --no-symmetry (commander's negated option): every state counted. */
  symmetry?: boolean;
  define: string[];
  json?: boolean;
  format: ReportFormat;
  maxStates?: number;
  workers?: number;
  timeLimit?: number;
  maxMemory?: number;
  quiet?: boolean;
}

export async function diffCommand(path: string, a: string, b: string, opts: DiffOptions, io: Io, signal?: AbortSignal): Promise<number> {
  if (opts.json && opts.format === 'mail') throw usage('W2033', '--json');
  refuseStoreWithReference(opts);
  refusePorWith(opts);
  let startedAt = performance.now();
  const parsed = loadModelFile(path);
  if (!parsed.model) { printDiagnostics(parsed.diagnostics, io); return 2; }
  const { model, sources } = parsed;
  const declared = variantNames(model);
  if (!model.decls.some((d) => d.kind === 'variant')) throw usage('W2032', path);
  for (const name of [a, b]) if (!declared.includes(name)) throw usage('W2030', name, declared.join(', '));
  if (a === b) throw usage('W2031', a);
  const defines = parseDefines(opts.define, model);

  const results: CheckResult[] = [];
  for (const variant of [a, b]) {
    const compiled = compileModel(sources, model, { variant, defines });
    if (!compiled.ok) { printDiagnostics(compiled.diagnostics, io); return 2; }
    const display = io.progress ? progressDisplay(io.progress, !!opts.quiet || !!opts.json) : null;
    const limits = limitsOf(opts, signal, display, startedAt);
    results.push(await runEngine(compiled.program, opts.engine, limits, engineOptionsOf(opts, io)).finally(() => display?.done()));
    startedAt = performance.now();
    if (results.at(-1)!.reason === 'interrupted') break;
  }
  const [ra, rb] = results;
  if (!ra || !rb) {
    io.err(`weft diff: interrupted before ${b} was checked`);
    return 3;
  }
  io.out(opts.json ? jsonText({ weft: VERSION, ...diffJson(path, ra, rb) }, 2) : formatDiff(path, ra, rb, { mail: opts.format === 'mail' }));
  return ra.complete && rb.complete ? 0 : 3;
}
