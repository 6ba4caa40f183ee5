/**
 * `under lkmm "gup-barriers.weft" { m2, m2_opt_out: d824, d824_smp_mb; }`:
 * a model the LKMM mode cannot take whole (the flagship: rwsems, atomic
 * steps, choices) names the model that has its barrier shapes in a form
 * the mode can take, and which of that model's variants stand for which
 * of its own. `weft check --memory-model lkmm` on the model checks those
 * shapes (commands/lkmm.ts), and its page in docs/models/ shows their
 * verdicts beside its own (commands/prove.ts).
 *
 * That a shape is the shape of a variant is the modeller's claim, as a
 * model's being the kernel's is: the comments say why. What is checked:
 * the path is relative and reads a model that checks, gives no shapes of
 * its own (one step, never a chain), and has every variant named.
 */
import { dirname, join, normalize } from 'node:path/posix';
import type * as A from '../syntax/ast.ts';
import { refusal } from '../syntax/imports.ts';
import { variantNames } from '../check/check.ts';
import { parseModel } from '../pipeline.ts';
import { diag, type Diagnostic } from '../text/diagnostic.ts';
import { terminalText } from '../text/escape.ts';
import { partAt, type SourceFile } from '../text/source.ts';
import type { Reader } from '../syntax/imports.ts';
import { diskFiles } from './support.ts';

export interface Shapes {
  readonly decl: A.ShapesDecl;
  /** The shapes' model, as this tool names it (relative to where it runs). */
  readonly path: string;
  readonly model: A.Model;
  readonly sources: SourceFile;
  /** Each variant given shapes → the shapes' variants, in the declaration's order. */
  readonly of: ReadonlyMap<string, readonly string[]>;
  /** Every shape once, in the order first named. */
  readonly all: readonly string[];
}

export type ShapesResult = { readonly ok: true; readonly shapes: Shapes | null } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** `read`: how files are read (the disk, relative to where Weft runs; the docs' examples read from memory). */
export function shapesOf(model: A.Model, sources: SourceFile, read: Reader = diskFiles()): ShapesResult {
  const decl = model.decls.find((d): d is A.ShapesDecl => d.kind === 'shapes');
  if (!decl) return { ok: true, shapes: null };
  const fail = (why: string, more: readonly Diagnostic[] = []): ShapesResult => ({ ok: false, diagnostics: [diag('W6035', sources, decl.path.span, [why]), ...more] });
  const refused = refusal(decl.path.text);
  if (refused) return fail(`the path ${terminalText(decl.path.text, false)}: ${refused}`);
  // Relative to the file the declaration is in, as an import's path is.
  const path = normalize(join(dirname(partAt(sources, decl.span.start).path), decl.path.text));
  const got = read(path);
  if (!got.ok) return fail(`${terminalText(path, false)}: ${got.why}`);
  const loaded = parseModel({ path, text: got.text, id: got.id }, read);
  if (!loaded.model) return fail(`${terminalText(path, false)} does not parse`, loaded.diagnostics);
  if (loaded.model.decls.some((d) => d.kind === 'shapes')) return fail(`${terminalText(path, false)} names shapes of its own: shapes are one step away, never a chain`);
  const declared = variantNames(loaded.model);
  const of = new Map<string, string[]>();
  const all: string[] = [];
  const unknown: Diagnostic[] = [];
  for (const m of decl.maps) {
    for (const s of m.shapes) {
      if (!declared.includes(s.name)) unknown.push(diag('W6036', sources, s.span, [terminalText(path, false), s.name], [`note: its variants: ${declared.join(', ')}`]));
      else if (!all.includes(s.name)) all.push(s.name);
    }
    for (const v of m.variants) of.set(v.name, m.shapes.map((s) => s.name));
  }
  if (unknown.length) return { ok: false, diagnostics: unknown };
  return { ok: true, shapes: { decl, path, model: loaded.model, sources: loaded.sources, of, all } };
}
