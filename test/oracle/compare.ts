/**
 * One model, one variant: Weft's compiled engine against SPIN on the AST
 * oracle's export (test/oracle/promela). Used by test/oracle.test.ts and
 * scripts/oracle.ts. Agreement means the same stored-state count in every
 * pan run, the same set of violated (reachable: reached) properties, and
 * the same verdict on every liveness property pan can decide alike.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel, parseModel, variantNames, type Reader } from '../../src/pipeline.ts';
import { noFiles } from '../../src/syntax/imports.ts';
import { check } from '../../src/explore/engine.ts';
import { checkQuickly, checkWithSpin, type SpinResult } from '../support/spin.ts';
import type { SourceFile } from '../../src/text/source.ts';
import { promelaFromAst } from './promela/index.ts';
import { spinLivenessAgrees, type LivenessOutcome } from '../support/crosscheck.ts';

export interface Agreement {
  readonly model: string;
  readonly variant: string;
  readonly weftStates: number;
  readonly weftFound: readonly string[];
  /** Null when the oracle does not support the model (see `reason`). */
  readonly spinStates: readonly number[] | null;
  readonly spinFound: readonly string[] | null;
  readonly unexplained: readonly string[];
  readonly reason: string | null;
  readonly equal: boolean;
  /** pan's liveness verdicts against Weft's (null when the oracle refused the model). */
  readonly liveness: LivenessOutcome | null;
}

/** The variants of a model: its declared ones, or `null` (the default configuration); `read` gives the files it imports. */
export function variantsOf(file: SourceFile, read: Reader = noFiles): (string | null)[] {
  const model = parseModel(file, read).model;
  if (!model) throw new Error(`${file.path} does not parse`);
  const has = model.decls.some((d) => d.kind === 'variant');
  return has ? variantNames(model) : [null];
}

/** `read` gives the files the model imports (diskFiles() for a model on disk). */
export async function compare(main: SourceFile, variant: string | null, optimise = '-O0', read: Reader = noFiles): Promise<Agreement> {
  const parsed = parseModel(main, read);
  const model = parsed.model;
  if (!model) throw new Error(`${main.path} does not parse`);
  // The model's text with the files it imports: what the checker and the oracle read.
  const file = parsed.sources;
  const config = { variant, defines: {} };
  const compiled = compileModel(file, model, config);
  if (!compiled.ok) throw new Error(`${file.path} (${variant}) does not compile: ${compiled.diagnostics[0]?.message}`);
  // Every state, as SPIN counts them (a model with symmetric actors is reduced by default).
  const weft = await check(compiled.program, 'compiled', {}, { symmetry: false });
  if (!weft.complete) throw new Error(`${file.path}: Weft's search is incomplete`);
  // Liveness verdicts come from pan -a runs of their own (spinLivenessAgrees), not from the safety runs.
  const weftFound = weft.verdicts.filter((v) => v.kind !== 'liveness' && (v.status === 'violated' || v.status === 'reached')).map((v) => v.property).sort();
  const base = { model: file.path, variant: compiled.program.variant, weftStates: weft.stats.states, weftFound };
  const oracle = promelaFromAst(file, model, config);
  if (!oracle.ok) return { ...base, spinStates: null, spinFound: null, unexplained: [], reason: oracle.reason, equal: false, liveness: null };
  const dir = await mkdtemp(join(tmpdir(), 'weft-oracle-'));
  try {
    // pan's default hash table (2^24 slots) costs more than these models' whole search: size it to them.
    const hashBits = Math.max(10, Math.ceil(Math.log2(weft.stats.states + 1)) + 1);
    const agrees = (spin: SpinResult): boolean => spin.unexplained.length === 0 && spin.runs.every((r) => r.states === weft.stats.states)
      && JSON.stringify(spin.found) === JSON.stringify(weftFound);
    // -O0 asks for a quick build (tcc, confirmed by gcc on a disagreement); anything else, for gcc at that level.
    const spin = optimise === '-O0' ? await checkQuickly(oracle.promela, { dir, hashBits }, agrees) : await checkWithSpin(oracle.promela, { dir, optimise, hashBits });
    const spinStates = spin.runs.map((r) => r.states);
    const liveness = await spinLivenessAgrees(oracle.promela, weft);
    const equal = agrees(spin) && liveness.kind === 'agrees';
    return { ...base, spinStates, spinFound: spin.found, unexplained: spin.unexplained, reason: null, equal, liveness };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
