/**
 * The driver: text to IR, one phase after the other, stopping after the
 * first phase that reports a diagnostic. Exploring and reporting are left
 * to the caller, which picks the engine and the limits.
 */
import { loadModel, noFiles, type Loaded, type Reader } from './syntax/imports.ts';
import { check, variantNames, type Config } from './check/check.ts';
import { lower } from './lower/lower.ts';
import { symmetryOf } from './lower/symmetry.ts';
import type { Program } from './lower/ir.ts';
import type { Model } from './syntax/ast.ts';
import type { Diagnostic } from './text/diagnostic.ts';
import type { SourceFile } from './text/source.ts';

export type Compiled =
  | { readonly ok: true; readonly program: Program }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * Parses once, the files it imports included (read by `read`; without it a
 * model is its text alone); the variants of a model share the AST. Compile
 * with the `sources` returned: the spans index every file read.
 */
export function parseModel(file: SourceFile & { readonly id?: string }, read: Reader = noFiles): Loaded {
  return loadModel(file, read);
}

/** Checks and lowers one configuration of a parsed model; `sources` is what parseModel returned. */
export function compileModel(sources: SourceFile, model: Model, config: Config): Compiled {
  const checked = check(sources, model, config);
  if (!checked.checked) return { ok: false, diagnostics: checked.diagnostics };
  // The instances of a `symmetric` actor must be proven interchangeable on the lowered program (lower/symmetry.ts).
  const symmetric = symmetryOf(lower(checked.checked));
  if (!symmetric.ok) return { ok: false, diagnostics: symmetric.diagnostics };
  return { ok: true, program: symmetric.program };
}

/** The whole front end for one configuration, from text. */
export function compileSource(file: SourceFile, config: Config, read: Reader = noFiles): Compiled {
  const parsed = parseModel(file, read);
  if (!parsed.model) return { ok: false, diagnostics: parsed.diagnostics };
  return compileModel(parsed.sources, parsed.model, config);
}

export type { Loaded, Reader };

export { variantNames };
