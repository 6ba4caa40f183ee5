/**
 * `weft replay PROOF`: checks every claim of a proof, and names the first
 * that fails. In order: that it is a proof of the model and variant it
 * names, with that variant's options, of a complete search with counts a
 * search can have, with one verdict per property, each consistent with its
 * kind (src/proofs/claims.ts); that each trace, of a violation or of a
 * target reached, replays on the reference interpreter
 * (src/proofs/replay.ts), a liveness violation's as a fair lasso
 * (src/proofs/lasso.ts); and, by searching the variant again with the
 * proof's engine, the counts, each `holds` and `unreachable`, that each
 * trace is a shortest one (each lasso the search's), and the coverage. `--traces-only` skips the
 * search and says which claims it leaves unchecked. Exit 0 when every
 * claim checks, 1 at the first that does not, 2 when the file is not a
 * proof or the model it names is gone or has changed since, 3 when the
 * search is interrupted.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { check } from '../explore/engine.ts';
import { compileModel, variantNames } from '../pipeline.ts';
import { consistencyOf, freshOf, hasTrace, rejectionText, uncheckedByTraces, verdictHead, type Rejection } from '../proofs/claims.ts';
import { readProof } from '../proofs/format.ts';
import { replayTrace } from '../proofs/replay.ts';
import { plural } from '../report/text.ts';
import { terminalText } from '../text/escape.ts';
import { modelHash } from '../proofs/prove.ts';
import { loadModelFile, printDiagnostics, readSource, UsageError, type Io } from './support.ts';

export interface ReplayOptions {
  /** Replay the traces and check consistency, but do not search again. */
  readonly tracesOnly?: boolean;
}

/**
 * A proof is input: its names and messages reach the terminal only with
 * control characters (newlines too: every line printed here is one line)
 * escaped, so a tampered proof cannot move the cursor or hide a line.
 */
const printable = (text: string): string => terminalText(text, false);

export async function replayCommand(path: string, opts: ReplayOptions, rawIo: Io, signal?: AbortSignal): Promise<number> {
  const io: Io = { ...rawIo, out: (s) => rawIo.out(printable(s)), err: (s) => rawIo.err(printable(s)) };
  const text = readSource(path).text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path} is not JSON: ${(e as Error).message}`);
  }
  const read = readProof(json);
  if (!read.ok) throw new UsageError(`${path} is not a Weft proof: ${printable(read.why)}`);
  const proof = read.proof;

  // The recorded path is relative to where `weft prove` ran, the directory above proofs/; positions in the proof keep it.
  // Where it is not, it is read from the directory above proofs/, and so are the files it imports.
  const root = existsSync(proof.file) || isAbsolute(proof.file) ? '' : join(dirname(path), '..');
  if (!existsSync(root ? join(root, proof.file) : proof.file)) throw new UsageError(`${path} proves ${printable(proof.file)}, which does not exist`);
  const parsed = loadModelFile(proof.file, root);
  const file = parsed.sources;
  // The hash covers every file the model reads (an import that cannot be read changes it too).
  if (modelHash(file) !== proof.modelHash) {
    // A model that does not load may have lost an import: which file changed is not known.
    const what = file.files || !parsed.model ? `${printable(proof.file)} or a file it imports` : printable(proof.file);
    throw new UsageError(`${what} has changed since ${path} was written (its sha256 differs): run \`npx weft prove ${printable(proof.file)}\` to prove it again`);
  }
  if (!parsed.model) { printDiagnostics(parsed.diagnostics, rawIo); return 2; }
  const declared = variantNames(parsed.model);
  const hasVariants = parsed.model.decls.some((d) => d.kind === 'variant');
  // A variant the model does not declare is a false claim; the program is built from the first one only to name it.
  const variant = declared.includes(proof.variant) ? proof.variant : declared[0]!;
  const compiled = compileModel(file, parsed.model, { variant: hasVariants ? variant : null, defines: {} });
  if (!compiled.ok) { printDiagnostics(compiled.diagnostics, rawIo); return 2; }
  const program = compiled.program;

  io.out(`${path}: ${proof.file} (sha256 as recorded), variant ${proof.variant}, proved by Weft ${proof.weft} with the ${proof.engine} engine`);
  const rejected = (r: Rejection): number => {
    io.out(`  ✗ ${rejectionText(r)}`);
    io.out(`rejected: ${path}: the claim ${r.claim} fails`);
    return 1;
  };
  const consistent = consistencyOf(program, proof, declared);
  if (consistent) return rejected(consistent);
  const searched = proof.verdicts.filter((v) => !hasTrace(v.status)).length;
  io.out(`  ✓ variant ${proof.variant} of model ${program.model}, its options, a complete search; one verdict for each of the ${program.properties.length} properties, each of its kind`);

  let traces = 0;
  for (const v of proof.verdicts) {
    if (!v.trace) continue;
    const r = replayTrace(program, v, v.trace);
    const head = verdictHead(program, v);
    if (!r.ok) return rejected({ claim: head, claimed: `a trace of ${plural(v.trace.steps.length, 'step')} that shows it`, found: `it does not replay: ${r.why}` });
    traces++;
    io.out(`  ✓ ${head}: ${plural(v.trace.steps.length, 'step')} replayed; ${r.end}`);
  }
  const replayed = `${plural(traces, 'trace')} replay${traces === 1 ? 's' : ''}`;
  if (opts.tracesOnly) {
    io.out(`  not checked (--traces-only, no fresh search): ${uncheckedByTraces(program, proof).join('; ')}`);
    io.out(`the traces check (${replayed}, the verdicts consistent); the claims above were not checked`);
    return 0;
  }

  // As `weft prove` searched: every state, not orbits (commands/prove.ts).
  const result = await check(program, proof.engine, { signal }, { symmetry: false });
  if (!result.complete && result.reason === 'interrupted') {
    io.err(`weft: the fresh search of ${proof.file}, variant ${proof.variant}, was interrupted; the claims it checks are not decided`);
    return 3;
  }
  const fresh = freshOf(program, proof, result);
  if (fresh) return rejected(fresh);
  const { states, transitions, depth } = proof.stats;
  // A lasso is the search's deterministic answer, not a shortest run (only its stem is as short as it can be).
  const lassos = proof.verdicts.some((v) => v.kind === 'liveness' && v.trace);
  const tracesClaim = lassos ? 'each safety trace a shortest one, each lasso the one the search finds' : 'each trace a shortest one';
  io.out(`  ✓ a fresh search (${proof.engine} engine, complete): ${states} states, ${transitions} transitions, depth ${depth}, ` +
    `${plural(searched, 'verdict')} without a trace, ${tracesClaim}, and the coverage, as claimed`);
  io.out(`every claim checks (${replayed}; the counts, the verdicts and the coverage are a fresh search's)`);
  return 0;
}
