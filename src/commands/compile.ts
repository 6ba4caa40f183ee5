/** `weft compile` and `weft export --promela`: the generated TypeScript, or the model in Promela for SPIN. */
import { writeFileSync } from 'node:fs';
import { compileModel, parseModel, variantNames } from '../pipeline.ts';
import { computeLayout } from '../emit/layout.ts';
import { emitTs } from '../emit/emitTs.ts';
import { exportPromela } from '../export/promela.ts';
import { promelaRefusals } from '../export/promelaRange.ts';
import { parseDefines, printDiagnostics, readSource, UsageError, type Io } from './support.ts';

export function compileCommand(path: string, opts: { variant?: string; define: string[]; output?: string }, io: Io, target: 'ts' | 'promela' = 'ts'): number {
  const file = readSource(path);
  const parsed = parseModel(file);
  if (!parsed.model) { printDiagnostics(parsed.diagnostics, io); return 2; }
  const declared = variantNames(parsed.model);
  if (opts.variant && !declared.includes(opts.variant)) throw new UsageError(`unknown variant '${opts.variant}' (declared variants: ${declared.join(', ')})`);
  const hasVariants = parsed.model.decls.some((d) => d.kind === 'variant');
  const compiled = compileModel(file, parsed.model, { variant: hasVariants ? (opts.variant ?? declared[0]!) : null, defines: parseDefines(opts.define, parsed.model) });
  if (!compiled.ok) { printDiagnostics(compiled.diagnostics, io); return 2; }
  if (target === 'promela') {
    const refused = promelaRefusals(compiled.program);
    if (refused.length) { printDiagnostics(refused, io); return 2; }
  }
  const text = target === 'promela' ? exportPromela(compiled.program) : emitTs(compiled.program, computeLayout(compiled.program));
  if (opts.output) writeFileSync(opts.output, text);
  else io.out(text);
  return 0;
}
