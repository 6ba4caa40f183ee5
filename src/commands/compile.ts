/** `weft compile` and `weft export --promela` / `--murphi`: the generated TypeScript, or the model in Promela for SPIN or in Murphi for Rumur. */
import { compileModel, variantNames } from '../pipeline.ts';
import { computeLayout } from '../emit/layout.ts';
import { emitTs } from '../emit/emitTs.ts';
import { buildPromela } from '../export/promela.ts';
import { whereLine } from '../text/source.ts';
import { promelaRefusals } from '../export/promelaRange.ts';
import { buildMurphi } from '../export/murphi.ts';
import { murphiRefusals } from '../export/murphiRefusals.ts';
import { chosenVariant, loadModelFile, parseDefines, printDiagnostics, writeOutput, type Io } from './support.ts';

export function compileCommand(path: string, opts: { variant?: string; define: string[]; output?: string }, io: Io, target: 'ts' | 'promela' | 'murphi' = 'ts'): number {
  const parsed = loadModelFile(path);
  if (!parsed.model) { printDiagnostics(parsed.diagnostics, io); return 2; }
  const file = parsed.sources;
  const declared = variantNames(parsed.model);
  const chosen = chosenVariant(opts.variant, declared);
  const hasVariants = parsed.model.decls.some((d) => d.kind === 'variant');
  const compiled = compileModel(file, parsed.model, { variant: hasVariants ? (chosen ?? declared[0]!) : null, defines: parseDefines(opts.define, parsed.model) });
  if (!compiled.ok) { printDiagnostics(compiled.diagnostics, io); return 2; }
  let text: string;
  if (target === 'promela') {
    const program = compiled.program;
    const refused = promelaRefusals(program);
    if (refused.length) { printDiagnostics(refused, io); return 2; }
    const model = buildPromela(program);
    // What pan cannot check as Weft does is left out, and said here as in the file's header (docs/promela.md, "Liveness").
    for (const o of model.omittedLiveness ?? []) {
      const p = program.properties.find((x) => x.kind === 'liveness' && x.name === o.property);
      const where = p && p.kind === 'liveness' ? ` (${whereLine(program.file, p.span)})` : '';
      io.err(`weft: note: liveness ${o.property}${where} is not exported: ${o.reason}; check it with weft check`);
    }
    text = model.text;
  } else if (target === 'murphi') {
    const refused = murphiRefusals(compiled.program);
    if (refused.length) { printDiagnostics(refused, io); return 2; }
    text = buildMurphi(compiled.program).text;
  } else {
    text = emitTs(compiled.program, computeLayout(compiled.program)).text;
  }
  if (opts.output) writeOutput(opts.output, text);
  else io.out(text);
  return 0;
}
