/**
 * The driver: text to IR, one phase after the other, stopping after the
 * first phase that reports a diagnostic. Exploring and reporting are left
 * to the caller, which picks the engine and the limits.
 */
import { parse } from './syntax/parse.ts';
import { check, variantNames, type Config } from './check/check.ts';
import { lower } from './lower/lower.ts';
import type { Program } from './lower/ir.ts';
import type { Model } from './syntax/ast.ts';
import type { Diagnostic } from './text/diagnostic.ts';
import type { SourceFile } from './text/source.ts';

export type Compiled =
  | { readonly ok: true; readonly program: Program }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Parses once; the variants of a model share the AST. */
export function parseModel(file: SourceFile): { model: Model | null; diagnostics: readonly Diagnostic[] } {
  const parsed = parse(file);
  return parsed.diagnostics.length ? { model: null, diagnostics: parsed.diagnostics } : parsed;
}

/** Checks and lowers one configuration of a parsed model. */
export function compileModel(file: SourceFile, model: Model, config: Config): Compiled {
  const checked = check(file, model, config);
  if (!checked.checked) return { ok: false, diagnostics: checked.diagnostics };
  return { ok: true, program: lower(checked.checked) };
}

/** The whole front end for one configuration, from text. */
export function compileSource(file: SourceFile, config: Config): Compiled {
  const parsed = parseModel(file);
  if (!parsed.model) return { ok: false, diagnostics: parsed.diagnostics };
  return compileModel(file, parsed.model, config);
}

export { variantNames };
