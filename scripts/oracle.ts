/**
 * Compares Weft with SPIN on the AST oracle's export (test/oracle) for the
 * given .weft files, every variant, and prints one line per variant:
 *   node --import tsx scripts/oracle.ts FILE... [--print] [--variant V]
 * --print writes the oracle's Promela instead of comparing.
 */
import { readFileSync } from 'node:fs';
import { compare, variantsOf } from '../test/oracle/compare.ts';
import { promelaFromAst } from '../test/oracle/promela/index.ts';
import { parseModel, type Reader } from '../src/pipeline.ts';
import { diskFiles } from '../src/commands/support.ts';

const args = process.argv.slice(2);
const print = args.includes('--print');
const vi = args.indexOf('--variant');
const only = vi >= 0 ? args[vi + 1]! : null;
const files = args.filter((a, i) => !a.startsWith('--') && (vi < 0 || i !== vi + 1));
/** A .weft file, or every example of a markdown page that is not meant to fail to check. */
function sources(path: string): { path: string; text: string; read?: Reader }[] {
  const text = readFileSync(path, 'utf8');
  // A .weft file reads the files it imports from disk, as weft check does.
  if (!path.endsWith('.md')) return [{ path, text, read: diskFiles() }];
  return [...text.matchAll(/```weft\n([\s\S]*?)```/g)].flatMap((m, i) => (/^\/\/ error:/.test(m[1]!) ? [] : [{ path: `${path}#${i}`, text: m[1]! }]));
}

for (const file of files.flatMap(sources)) {
  const path = file.path;
  for (const v of variantsOf(file, file.read)) {
    if (only !== null && v !== only) continue;
    if (print) {
      const parsed = parseModel(file, file.read);
      const r = promelaFromAst(parsed.sources, parsed.model!, { variant: v, defines: {} });
      process.stdout.write(r.ok ? r.promela.text : `unsupported: ${r.reason}\n`);
      continue;
    }
    const t0 = Date.now();
    let a;
    try {
      a = await compare(file, v, '-O0', file.read);
    } catch (e) {
      console.log(`ERROR ${path} ${v ?? 'default'}: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    const spin = a.spinStates ? a.spinStates.join('/') : `unsupported (${a.reason})`;
    const l = a.liveness;
    const live = l === null ? '' : l.kind === 'agrees'
      ? (l.compared.length + l.faulted.length + l.omitted.length
        ? `  liveness: ${l.compared.length} equal${l.faulted.length ? `, ${l.faulted.length} with a failing step` : ''}${l.omitted.length ? `, ${l.omitted.length} not exported (fairness pan cannot give)` : ''}`
        : '')
      : `  liveness: ${l.detail}`;
    console.log(`${a.equal ? 'EQUAL' : 'DIFF '} ${path} ${a.variant}: weft ${a.weftStates} [${a.weftFound.join(',')}]  spin ${spin} [${a.spinFound?.join(',') ?? ''}]${a.unexplained.length ? ` unexplained: ${a.unexplained.join('; ')}` : ''}${live}  ${Date.now() - t0}ms`);
  }
}
