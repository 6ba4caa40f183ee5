/**
 * `weft replay PROOF`: re-executes each trace of a proof on the reference
 * interpreter (src/proofs/replay.ts) and says, per trace, that it replays
 * or at which step it does not. Exit 0 when every trace replays, 1 when one
 * does not (a tampered or wrong proof), 2 when the file is not a proof or
 * the model it names is gone or has changed since.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { compileModel, parseModel, variantNames } from '../pipeline.ts';
import { firstDifference } from '../proofs/diff.ts';
import { readProof } from '../proofs/format.ts';
import { replayTrace } from '../proofs/replay.ts';
import { kindColumn } from '../report/text.ts';
import { sha256 } from '../view/recorded.ts';
import { printDiagnostics, readSource, UsageError, type Io } from './support.ts';

export function replayCommand(path: string, io: Io): number {
  const text = readSource(path).text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path} is not JSON: ${(e as Error).message}`);
  }
  const read = readProof(json);
  if (!read.ok) throw new UsageError(`${path} is not a Weft proof: ${read.why}`);
  const proof = read.proof;

  // The recorded path is relative to where `weft prove` ran, the directory above proofs/; positions in the proof keep it.
  const found = existsSync(proof.file) || isAbsolute(proof.file) ? proof.file : join(dirname(path), '..', proof.file);
  if (!existsSync(found)) throw new UsageError(`${path} proves ${proof.file}, which does not exist`);
  const file = { path: proof.file, text: readSource(found).text };
  if (sha256(file.text) !== proof.modelHash) throw new UsageError(`${proof.file} has changed since ${path} was written (its sha256 differs): run \`npx weft prove ${proof.file}\` to prove it again`);
  const parsed = parseModel(file);
  if (!parsed.model) { printDiagnostics(parsed.diagnostics, io); return 2; }
  const declared = variantNames(parsed.model);
  if (!declared.includes(proof.variant)) throw new UsageError(`${path} proves variant ${proof.variant}, which ${proof.file} does not declare (${declared.join(', ')})`);
  const hasVariants = parsed.model.decls.some((d) => d.kind === 'variant');
  const compiled = compileModel(file, parsed.model, { variant: hasVariants ? proof.variant : null, defines: {} });
  if (!compiled.ok) { printDiagnostics(compiled.diagnostics, io); return 2; }
  const program = compiled.program;

  io.out(`${path}: ${proof.file} (sha256 as recorded), variant ${proof.variant}, proved by Weft ${proof.weft}`);
  // `weft prove` never overrides an option, so a proof of other options is not a proof of this variant.
  const options = firstDifference(proof.options, program.options, 'options');
  if (options) {
    io.out(`  ✗ the options are not variant ${proof.variant}'s: ${options}\nrejected: the proof is of another configuration`);
    return 1;
  }
  let replayed = 0;
  let rejected = 0;
  for (const v of proof.verdicts) {
    if (!v.trace) continue;
    const r = replayTrace(program, v, v.trace);
    const declared = program.properties.find((p) => p.name === v.property);
    const head = `${declared ? kindColumn(declared.kind) : v.kind} ${v.property} ${v.status}`.replace(/^deadlock deadlock/, 'builtin deadlock');
    if (r.ok) {
      replayed++;
      io.out(`  ✓ ${head}: ${v.trace.steps.length} step${v.trace.steps.length === 1 ? '' : 's'} replayed; ${r.end}`);
    } else {
      rejected++;
      io.out(`  ✗ ${head}: does not replay: ${r.why}`);
    }
  }
  const total = replayed + rejected;
  if (rejected) {
    io.out(`rejected: ${rejected} of ${total} trace${total === 1 ? '' : 's'} do${rejected === 1 ? 'es' : ''} not replay`);
    return 1;
  }
  io.out(total ? `every trace replays (${total}): each step enabled and leading to the stored state, each end showing its property` : 'no traces to replay: no property is violated or reached');
  return 0;
}
