/**
 * `weft prove [FILES]`: checks every model and variant (default: every
 * .weft under models/) and writes proofs/ and docs/models/ (src/proofs/).
 * Files a model no longer gives (a variant renamed, a property that now
 * holds) are removed: of the models named, or, without FILES, everything in
 * proofs/ and docs/models/ that models/ no longer gives. It says what
 * changed, so the review starts from the verdicts rather than the diff.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { compileModel, variantNames } from '../pipeline.ts';
import { check as runEngine } from '../explore/engine.ts';
import type { CheckResult } from '../explore/verdict.ts';
import { evaluateExpectations, expectationExit, formatExpectations } from '../report/expectations.ts';
import { progressDisplay } from '../report/progress.ts';
import type { Column } from '../report/table.ts';
import { reasonText } from '../report/text.ts';
import type { Diagnostic } from '../text/diagnostic.ts';
import { describeChange } from '../proofs/diff.ts';
import { lkmmVariant } from './lkmm.ts';
import { modelDoc, type LkmmColumn, type ShapesDoc } from '../proofs/modelDoc.ts';
import { shapesOf } from './shapes.ts';
import { whereLine } from '../text/source.ts';
import { ownedBy, proofFiles, proofStem, type ProofFile } from '../proofs/prove.ts';
import { isDirectory, makeDirectory, modelsIn, printDiagnostics, readSource, removeFile, UsageError, VERSION, writeOutput, type Io } from './support.ts';

export const DEFAULT_MODELS = 'models';
const PROOFS = 'proofs';
const MODEL_DOCS = 'docs/models';

export interface Proved {
  readonly files: readonly ProofFile[];
  /** The models checked, in order; their stems own proofs/<stem>.* and docs/models/<stem>.md. */
  readonly models: readonly string[];
  readonly columns: readonly Column[];
  /** Models or variants that do not check: nothing is written for them. */
  readonly rejected: readonly { readonly what: string; readonly diagnostics: readonly Diagnostic[] }[];
  /** Why a search stopped early (Ctrl-C), in which case nothing may be written. */
  readonly incomplete: string | null;
}

export interface ProveOptions {
  readonly signal?: AbortSignal;
  /** The live progress line of each search, on a terminal. */
  readonly progress?: NodeJS.WriteStream;
  /** One-line notes that do not change a verdict (a damaged compile cache): stderr. */
  readonly note?: (line: string) => void;
}

/** The files `weft prove paths` writes, computed without writing (test/proofs.test.ts compares them with the tree). */
export async function proofsOf(paths: readonly string[], opts: ProveOptions = {}): Promise<Proved> {
  const files: ProofFile[] = [];
  const columns: Column[] = [];
  const rejected: { what: string; diagnostics: readonly Diagnostic[] }[] = [];
  // `./models/x.weft` and `/abs/repo/models/x.weft` are `models/x.weft`: proofs record the path, so it must not depend on how it was typed.
  const found = modelsIn(paths, (p) => {
    const rel = relative(process.cwd(), resolve(p));
    return rel.startsWith('..') || isAbsolute(rel) ? p : rel.split(sep).join('/');
  });
  const models = found.map((m) => m.path);
  const stems = new Map<string, string>();
  for (const path of models) {
    const other = stems.get(proofStem(path));
    if (other !== undefined && other !== path) throw new UsageError(`${other} and ${path} would both be proved as proofs/${proofStem(path)}.*: rename one`);
    stems.set(proofStem(path), path);
  }
  for (const { path, loaded: parsed } of found) {
    if (parsed instanceof UsageError) throw parsed;
    if (!parsed.model) { rejected.push({ what: path, diagnostics: parsed.diagnostics }); continue; }
    const { model, sources: file } = parsed;
    const hasVariants = model.decls.some((d) => d.kind === 'variant');
    const checked: Column[] = [];
    const variants = variantNames(model);
    for (const variant of variants) {
      const compiled = compileModel(file, model, { variant: hasVariants ? variant : null, defines: {} });
      if (!compiled.ok) { rejected.push({ what: `${path}, variant ${variant}`, diagnostics: compiled.diagnostics }); continue; }
      const display = opts.progress ? progressDisplay(opts.progress, false) : null;
      const limits = { signal: opts.signal, ...(display ? { onProgress: display.update } : {}) };
      // A proof states how many states were searched: every one, as the reference engine counts them, not orbits.
      const result = await runEngine(compiled.program, 'compiled', limits, { note: opts.note, symmetry: false }).finally(() => display?.done());
      if (!result.complete) return { files, models, columns, rejected, incomplete: `${path}, variant ${variant}: ${reasonText(result.reason)}` };
      files.push(...proofFiles(result, 'compiled', VERSION));
      checked.push({ result, outcomes: evaluateExpectations(model, result) });
    }
    columns.push(...checked);
    // The page compares the variants: it is written only when every one of them checks.
    // A model with `expect ... under lkmm` lines shows its verdicts under the LKMM too.
    const lkmm: LkmmColumn[] = [];
    if (model.decls.some((d) => d.kind === 'expect' && d.memoryModel)) {
      for (const variant of variants) {
        const v = lkmmVariant(model, file, hasVariants ? variant : null, {}, null);
        if (!v.ok) { rejected.push({ what: `${path}, variant ${variant} under --memory-model lkmm`, diagnostics: v.diagnostics }); continue; }
        lkmm.push({ variant, checked: v.checkedView, outcomes: v.outcomes });
      }
    }
    // A model that names its shapes under the LKMM (commands/shapes.ts) shows their verdicts, each beside the variants it stands for.
    const shapes = shapesOf(model, file);
    let shapeDoc: ShapesDoc | null = null;
    if (!shapes.ok) rejected.push({ what: `${path}, its shapes under the LKMM`, diagnostics: shapes.diagnostics });
    else if (shapes.shapes) {
      const s = shapes.shapes;
      const hasShapeVariants = s.model.decls.some((d) => d.kind === 'variant');
      const runs: LkmmColumn[] = [];
      for (const shape of s.all) {
        const v = lkmmVariant(s.model, s.sources, hasShapeVariants ? shape : null, {}, null);
        if (!v.ok) { rejected.push({ what: `${s.path}, variant ${shape} under --memory-model lkmm`, diagnostics: v.diagnostics }); continue; }
        runs.push({ variant: shape, checked: v.checkedView, outcomes: v.outcomes });
      }
      if (runs.length === s.all.length) shapeDoc = { path: s.path, declaredAt: whereLine(file, s.decl.span), of: s.of, runs };
    }
    if (hasVariants && checked.length === variants.length) files.push(modelDoc(model, file.text, path, checked, lkmm, shapeDoc));
  }
  return { files, models, columns, rejected, incomplete: null };
}

/**
 * The files in proofs/ and docs/models/ that `weft prove` would leave
 * behind: those of the models proved that it did not write now, and when
 * it proved all of models/ (`everything`), any it did not write.
 */
export function staleFiles(proved: Proved, everything: boolean): string[] {
  const written = new Set(proved.files.map((f) => f.path));
  const stems = proved.models.map(proofStem);
  const stale: string[] = [];
  for (const dir of [PROOFS, MODEL_DOCS]) {
    // A file where the directory would be holds no proofs (writing one there fails with W5006).
    if (!isDirectory(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const path = `${dir}/${name}`;
      if (name === 'README.md' || written.has(path)) continue;
      const owned = dir === PROOFS ? stems.some((s) => ownedBy(s, name)) : stems.some((s) => name === `${s}.md`);
      if (everything || owned) stale.push(path);
    }
  }
  return stale;
}

export async function proveCommand(paths: readonly string[], io: Io, signal?: AbortSignal): Promise<number> {
  const everything = paths.length === 0;
  const proved = await proofsOf(everything ? [DEFAULT_MODELS] : paths, { signal, progress: io.progress, note: io.err });
  for (const r of proved.rejected) printDiagnostics(r.diagnostics, io);
  if (proved.incomplete) {
    io.err(`weft: the search of ${proved.incomplete}; nothing was written`);
    return 3;
  }
  for (const c of proved.columns) io.out(variantLine(c.result));

  const changes: string[] = [];
  let unchanged = 0;
  for (const f of proved.files) {
    const before = existsSync(f.path) ? readSource(f.path).text : null;
    if (before === f.text) { unchanged++; continue; }
    changes.push(before === null ? `  new      ${f.path}` : `  changed  ${f.path}: ${describeChange(f.path, before, f.text).join('; ')}`);
    makeDirectory(dirname(f.path));
    writeOutput(f.path, f.text);
  }
  // A model that does not check keeps its old proofs: whether they are stale is not known yet.
  const stale = proved.rejected.length ? [] : staleFiles(proved, everything);
  for (const path of stale) {
    removeFile(path);
    changes.push(`  removed  ${path}`);
  }
  const proofs = proved.files.filter((f) => f.path.endsWith('.json')).length;
  if (proved.files.length) io.out(`\n${proved.files.length} files (${proofs} proofs): ${unchanged} unchanged${changes.length ? `, ${changes.length} written or removed:\n${changes.join('\n')}` : ''}`);

  if (proved.rejected.length) {
    io.err(`weft: error: not proved, as ${proved.rejected.length === 1 ? 'it does' : 'they do'} not check: ${proved.rejected.map((r) => r.what).join('; ')}${stale.length === 0 && proved.files.length ? ' (nothing removed until every model checks)' : ''}`);
    return 2;
  }
  const unmet = proved.columns.filter((c) => expectationExit(c.outcomes, true) === 1);
  for (const c of unmet) io.out(`\n${c.result.program.file.path}, variant ${c.result.program.variant}: ${formatExpectations(c.outcomes, c.result)}`);
  return unmet.length ? 1 : 0;
}

/** `models/classic/peterson.weft, variant turn_first: 32 states; violated mutual_exclusion (6); reached both_waiting (4), one_inside (3)` */
function variantLine(result: CheckResult): string {
  const groups = new Map<string, string[]>();
  for (const v of result.verdicts) {
    if (v.status === 'holds') continue;
    const length = v.trace && (v.status === 'violated' || v.status === 'reached') ? ` (${v.trace.steps.length})` : '';
    groups.set(v.status, [...(groups.get(v.status) ?? []), `${v.property}${length}`]);
  }
  const verdicts = [...groups].map(([status, names]) => `${status} ${names.join(', ')}`);
  return `${result.program.file.path}, variant ${result.program.variant}: ${result.stats.states.toLocaleString('en-US')} states; ${verdicts.length ? verdicts.join('; ') : 'every property holds'}`;
}
