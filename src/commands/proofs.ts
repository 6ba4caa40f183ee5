/**
 * `weft prove`, `weft replay` and `weft view`: proofs/ and what reads them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { compileModel, parseModel, variantNames } from '../pipeline.ts';
import { check as runEngine } from '../explore/engine.ts';
import { evaluateExpectations } from '../report/expectations.ts';
import { htmlInputOf, renderHtml } from '../view/html.ts';
import { recordsOf, sha256 } from '../view/recorded.ts';
import { modelDoc, proofFiles, type ProofFile } from '../proofs/prove.ts';
import { replayTrace, type StoredTrace } from '../proofs/replay.ts';
import { modelFiles, parseDefines, printDiagnostics, readSource, UsageError, VERSION, type Io } from './support.ts';

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

export async function proveCommand(paths: readonly string[], io: Io, signal?: AbortSignal): Promise<number> {
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
export function replayCommand(path: string, io: Io): number {
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
export async function viewCommand(path: string, opts: { output?: string }, io: Io): Promise<number> {
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
