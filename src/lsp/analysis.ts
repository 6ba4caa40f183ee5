/**
 * One analysis of an open document: the pipeline's own phases
 * (src/pipeline.ts parseModel, check/check.ts check, lower/lower.ts lower),
 * run as `weft check --all-variants` runs them, keeping what the checker
 * resolved for hover, definition and completion. The server never decides
 * a rule of the language: every diagnostic is the pipeline's, with its code.
 */
import { fileURLToPath } from 'node:url';
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { parseModel, type Reader } from '../pipeline.ts';
import { check, variantNames } from '../check/check.ts';
import type { Ctx } from '../check/context.ts';
import { lower } from '../lower/lower.ts';
import { symmetryOf } from '../lower/symmetry.ts';
import type { Program } from '../lower/ir.ts';
import type { Model } from '../syntax/ast.ts';
import { parse } from '../syntax/parse.ts';
import { noFiles } from '../syntax/imports.ts';
import type { Diagnostic } from '../text/diagnostic.ts';
import type { SourceFile } from '../text/source.ts';
import { inMainFile, locationOf, rangeOf } from './positions.ts';

export interface Analysis {
  readonly uri: string;
  readonly version: number;
  /** The model's text, its imported files included (their spans name them). */
  readonly sources: SourceFile;
  /** The parsed model with its imports joined in; null when some file does not parse. */
  readonly model: Model | null;
  /** The first variant's checker context: what it resolved, even when it found errors. */
  readonly ctx: Ctx | null;
  /** The first variant lowered, when it checks. */
  readonly program: Program | null;
  readonly diagnostics: LspDiagnostic[];
}

/** The main file's path: a file URI's own; any other document (untitled) is text alone. */
export function pathOfUri(uri: string): string | null {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : null;
  } catch {
    return null;
  }
}

export function analyze(uri: string, version: number, text: string, read: Reader): Analysis {
  const path = pathOfUri(uri);
  // A byte order mark reads as a space: Weft drops it from files (text/source.ts withoutBom), and a space keeps the editor's offsets.
  const shown = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const file = { path: path ?? 'untitled.weft', text: shown };
  const loaded = parseModel(file, path ? read : noFiles);
  const out: LspDiagnostic[] = [];
  const publish = (ds: readonly Diagnostic[], variant: string | null): void => {
    for (const d of ds) out.push(toLsp(d, variant, file));
  };
  publish(loaded.diagnostics, null);
  let ctx: Ctx | null = null;
  let program: Program | null = null;
  if (loaded.model) {
    const model = loaded.model;
    const hasVariants = model.decls.some((d) => d.kind === 'variant');
    const names = variantNames(model);
    names.forEach((variant, i) => {
      const checked = check(loaded.sources, model, { variant: hasVariants ? variant : null, defines: {} });
      if (i === 0) ctx = checked.ctx;
      publish(checked.diagnostics, i === 0 || names.length === 1 ? null : variant);
      if (!checked.checked) return;
      // The editor shows what `weft check` would: the symmetry proof runs on each variant's program too.
      const lowered = lower(checked.checked);
      const symmetric = symmetryOf(lowered);
      if (!symmetric.ok) publish(symmetric.diagnostics, i === 0 || names.length === 1 ? null : variant);
      if (!program) program = symmetric.ok ? symmetric.program : lowered;
    });
  }
  return { uri, version, sources: loaded.sources, model: loaded.model, ctx, program, diagnostics: unique(out) };
}

/**
 * A Weft diagnostic as the protocol's: its code, its notes under the
 * message, each related place (the first declaration of a name declared
 * twice) as related information. One in an imported file is shown at the
 * main file's first import, naming the file, with its place as related
 * information: the editor shows a document's diagnostics on that document.
 */
function toLsp(d: Diagnostic, variant: string | null, main: { path: string; text: string }): LspDiagnostic {
  const message = [d.message + (variant ? ` (variant ${variant})` : ''), ...d.notes].join('\n');
  const relatedInformation = d.related.map((r) => ({ location: locationOf(d.file, r.span), message: r.message.replace(/^note: /, '') }));
  const base = { severity: DiagnosticSeverity.Error, code: d.code, source: 'weft', relatedInformation };
  if (inMainFile(d.file, d.span)) return { ...base, range: rangeOf(d.file, d.span), message };
  const at = parse(main).model?.imports[0]?.span ?? { start: 0, end: 0 };
  const here = locationOf(d.file, d.span);
  return {
    ...base, range: rangeOf(main, at),
    message: `in ${pathOfUri(here.uri) ?? here.uri}:${here.range.start.line + 1}: ${message}`,
    relatedInformation: [{ location: here, message: d.message }, ...relatedInformation],
  };
}

/** Variants often find the same error: one diagnostic each. */
function unique(ds: readonly LspDiagnostic[]): LspDiagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.code}|${d.range.start.line}:${d.range.start.character}|${String(d.message).replace(/ \(variant [^)]*\)/, '')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
