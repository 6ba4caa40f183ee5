/**
 * proofs/: the checked verdicts of the models, kept under version control
 * so that a change to Weft or to a model that alters a verdict, a count or
 * a trace shows up as a diff (test/proofs.test.ts fails until
 * `weft prove` writes them again). For each model and variant:
 *
 *   proofs/<stem>.<variant>.json            the format, Weft's version, the
 *                                           model's sha256, the engine, then
 *                                           the --json result without
 *                                           timings: options, counts,
 *                                           verdicts, full traces (format.ts)
 *   proofs/<stem>.<variant>.<property>.txt  each violation's trace as text
 *
 * and for a model with variants docs/models/<stem>.md (modelDoc.ts).
 * Everything here is pure: files as (path, text) pairs, which the command
 * writes and the test compares. Nothing in a file depends on the clock or
 * the machine, so the same model and Weft always give the same bytes.
 */
import { basename, relative } from 'node:path';
import type { CheckResult } from '../explore/verdict.ts';
import { toJson } from '../report/json.ts';
import { formatTrace } from '../report/text.ts';
import { sha256 } from '../view/recorded.ts';
import { PROOF_FORMAT } from './format.ts';
import { filesOf, shortPath, type SourceFile } from '../text/source.ts';

export interface ProofFile {
  readonly path: string;
  /** The model it is generated from: `npx weft prove MODEL` writes it again. */
  readonly model: string;
  readonly text: string;
}

/**
 * `models/gup-writeback.weft` → `gup-writeback`, `models/classic/peterson.weft`
 * → `classic-peterson` (the directories under models/ joined by `-`, so that
 * models in different directories do not collide); a model outside models/
 * by its file name alone.
 */
export function proofStem(modelPath: string): string {
  const rel = relative('models', modelPath);
  const inside = !rel.startsWith('..') && !rel.startsWith('/');
  return (inside ? rel : basename(modelPath)).replace(/\.weft$/, '').replace(/[\\/]/g, '-');
}

/**
 * The hash a proof records of the model it proves, over every file the
 * model reads: editing an imported file makes the proofs of every model
 * that imports it stale. A model of one file: the sha256 of its text (as
 * proofs have always recorded it); of several: of the JSON list of
 * [path relative to the main file's directory, text] of each file, in the
 * order they are read (the main file first), so the hash does not depend
 * on where the directory is.
 */
export function modelHash(sources: SourceFile): string {
  if (!sources.files) return sha256(sources.text);
  return sha256(JSON.stringify(filesOf(sources).map((f) => [shortPath(sources, f.path), f.text])));
}

/** The proof of one variant: the JSON and one text file per violation. */
export function proofFiles(result: CheckResult, engine: string, version: string): ProofFile[] {
  const { program } = result;
  const model = program.file.path;
  const stem = proofStem(model);
  const proof = {
    proof: PROOF_FORMAT,
    weft: version,
    modelHash: modelHash(program.file),
    engine,
    ...toJson(result, { stats: false }),
  };
  const files: ProofFile[] = [{ path: `proofs/${stem}.${program.variant}.json`, model, text: `${proofJson(proof)}\n` }];
  for (const v of result.verdicts) {
    if (v.status !== 'violated' || !v.trace) continue;
    files.push({ path: `proofs/${stem}.${program.variant}.${v.property}.txt`, model, text: `${formatTrace(result, v)}\n` });
  }
  return files;
}

/**
 * JSON indented as usual down to the traces, whose steps and states are one
 * line each: a diff of two proofs then shows which step changed, and the
 * proofs of a model with ten variants stay a few megabytes, not ten.
 */
export function proofJson(value: unknown, depth = 0, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0 || value.every((x) => x === null || typeof x !== 'object')) return JSON.stringify(value);
    const inner = `${indent}  `;
    const items = value.map((x) => (depth >= 3 ? JSON.stringify(x) : proofJson(x, depth + 1, inner)));
    return `[\n${items.map((x) => inner + x).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return '{}';
    const inner = `${indent}  `;
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${proofJson(x, depth + 1, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/**
 * Does `name` (a file in proofs/) belong to the model with this stem? Its
 * proofs are `<stem>.<variant>.json` and `<stem>.<variant>.<property>.txt`,
 * where variants and properties are identifiers (no dots; a property that
 * `for` repeats has its indexes, `enters[0]`), so a stem that is a prefix of
 * another (`lock`, `lock.v2`) does not claim its files.
 */
export function ownedBy(stem: string, name: string): boolean {
  if (!name.startsWith(`${stem}.`)) return false;
  return /^[A-Za-z_][A-Za-z0-9_]*(\.json|\.[A-Za-z_][A-Za-z0-9_]*(\[-?[0-9]+\])*\.txt)$/.test(name.slice(stem.length + 1));
}
