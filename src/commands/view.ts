/**
 * `weft view RECORD.json`: the HTML trace view of a recorded check, a proof
 * under proofs/ or the output of `weft check --json` (src/view/).
 */
import { compileModel, variantNames } from '../pipeline.ts';
import { check as runEngine } from '../explore/engine.ts';
import { htmlInputOf, renderHtml } from '../view/html.ts';
import { recordsOf } from '../view/recorded.ts';
import { evaluateExpectations } from '../report/expectations.ts';
import { modelHash } from '../proofs/prove.ts';
import { loadModelFile, parseDefines, printDiagnostics, readSource, UsageError, writeOutput, type Io } from './support.ts';

/** `weft view`: checks the recorded configuration again (the same model gives the same traces) and writes its page. */
export async function viewCommand(path: string, opts: { output?: string }, io: Io): Promise<number> {
  let json: unknown;
  try {
    json = JSON.parse(readSource(path).text);
  } catch (e) {
    throw new UsageError(e instanceof UsageError ? e.message : `${path} is not JSON: ${(e as Error).message}`);
  }
  const records = recordsOf(json);
  if (!records.ok) throw new UsageError(`${path} cannot be viewed: ${records.why}`);
  const r = records.records[0]!;
  const parsed = loadModelFile(r.file);
  const file = parsed.sources;
  if (r.hash && r.hash !== modelHash(file)) throw new UsageError(`${r.file} ${file.files || !parsed.model ? 'or a file it imports ' : ''}has changed since ${path} was recorded (its hash differs): check it again instead`);
  if (!parsed.model) { printDiagnostics(parsed.diagnostics, io); return 2; }
  const hasVariants = parsed.model.decls.some((d) => d.kind === 'variant');
  const variant = r.variant ?? variantNames(parsed.model)[0]!;
  const defines = parseDefines(Object.entries(r.defines).map(([k, v]) => `${k}=${v}`), parsed.model);
  const compiled = compileModel(file, parsed.model, { variant: hasVariants ? variant : null, defines });
  if (!compiled.ok) { printDiagnostics(compiled.diagnostics, io); return 2; }
  const result = await runEngine(compiled.program, 'compiled', {}, { note: io.err });
  const out = opts.output ?? path.replace(/(\.json)?$/, '.html');
  writeOutput(out, renderHtml(htmlInputOf(result, { stats: false }, evaluateExpectations(parsed.model, result))));
  const traces = result.verdicts.filter((v) => v.trace).length;
  io.out(`${out}: ${result.program.model}, variant ${result.program.variant}, ${traces} trace${traces === 1 ? "" : "s"}`);
  return 0;
}
