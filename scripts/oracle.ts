/**
 * Compares Weft with SPIN on the AST oracle's export (test/oracle) for the
 * given .weft files, every variant, and prints one line per variant:
 *   node --import tsx scripts/oracle.ts FILE... [--print] [--variant V]
 * --print writes the oracle's Promela instead of comparing.
 */
import { readFileSync } from 'node:fs';
import { compare, variantsOf } from '../test/oracle/compare.ts';
import { promelaFromAst } from '../test/oracle/promela/index.ts';
import { parseModel } from '../src/pipeline.ts';

const args = process.argv.slice(2);
const print = args.includes('--print');
const vi = args.indexOf('--variant');
const only = vi >= 0 ? args[vi + 1]! : null;
const files = args.filter((a, i) => !a.startsWith('--') && (vi < 0 || i !== vi + 1));
/** A .weft file, or every example of a markdown page that is not meant to fail to check. */
function sources(path: string): { path: string; text: string }[] {
  const text = readFileSync(path, 'utf8');
  if (!path.endsWith('.md')) return [{ path, text }];
  return [...text.matchAll(/```weft\n([\s\S]*?)```/g)].flatMap((m, i) => (/^\/\/ error:/.test(m[1]!) ? [] : [{ path: `${path}#${i}`, text: m[1]! }]));
}

for (const file of files.flatMap(sources)) {
  const path = file.path;
  for (const v of variantsOf(file)) {
    if (only !== null && v !== only) continue;
    if (print) {
      const r = promelaFromAst(file, parseModel(file).model!, { variant: v, defines: {} });
      process.stdout.write(r.ok ? r.promela.text : `unsupported: ${r.reason}\n`);
      continue;
    }
    const t0 = Date.now();
    let a;
    try {
      a = await compare(file, v);
    } catch (e) {
      console.log(`ERROR ${path} ${v ?? 'default'}: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    const spin = a.spinStates ? a.spinStates.join('/') : `unsupported (${a.reason})`;
    const live = a.liveness === null ? '' : a.liveness.kind === 'agrees'
      ? (a.liveness.compared.length + a.liveness.faulted.length ? `  liveness: ${a.liveness.compared.length} equal${a.liveness.faulted.length ? `, ${a.liveness.faulted.length} with a failing step` : ''}` : '')
      : `  liveness: ${a.liveness.detail}`;
    console.log(`${a.equal ? 'EQUAL' : 'DIFF '} ${path} ${a.variant}: weft ${a.weftStates} [${a.weftFound.join(',')}]  spin ${spin} [${a.spinFound?.join(',') ?? ''}]${a.unexplained.length ? ` unexplained: ${a.unexplained.join('; ')}` : ''}${live}  ${Date.now() - t0}ms`);
  }
}
