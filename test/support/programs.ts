/**
 * Every configuration (variant) of a model that checks, as the tests take
 * them: from a text, or (`text` null) from disk with its imports read, as
 * `weft check` reads it (the flagship's parts under models/gup/).
 */
import { compileModel, parseModel, variantNames } from '../../src/pipeline.ts';
import type { Program } from '../../src/lower/ir.ts';
import { loadModelFile } from '../../src/commands/support.ts';

export function programsOf(path: string, text: string | null, defines: Record<string, string> = {}): Program[] {
  const loaded = text === null ? loadModelFile(path) : parseModel({ path, text });
  const model = loaded.model;
  if (!model) return [];
  const hasVariants = model.decls.some((d) => d.kind === 'variant');
  return variantNames(model).flatMap((v) => {
    const r = compileModel(loaded.sources, model, { variant: hasVariants ? v : null, defines });
    return r.ok ? [r.program] : [];
  });
}
