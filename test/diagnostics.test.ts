/**
 * Every diagnostic code has a case under test/cases/diagnostics/, named
 * CODE-what.weft; the rendered diagnostics (code, file:line:col, caret) are
 * pinned in CODE-what.txt, and the case must report its own code. A case
 * that compiles shows a refusal of the Promela export (W3020) or, for the
 * codes W4080-W4089, of the Murphi export. A case reads
 * its imports from disk, as the command line does; the files it imports
 * are under imports/, which is not a case.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../src/pipeline.ts';
import { loadModelFile } from '../src/commands/support.ts';
import { promelaRefusals } from '../src/export/promelaRange.ts';
import { murphiRefusals } from '../src/export/murphiRefusals.ts';
import { formatDiagnostic, sortDiagnostics } from '../src/text/diagnostic.ts';
import { messages } from '../src/text/messages.ts';
import { expectGolden } from './golden.ts';

const dir = 'test/cases/diagnostics';
const cases = readdirSync(dir).filter((f) => f.endsWith('.weft')).sort();

describe('diagnostics', () => {
  for (const name of cases) {
    it(name, () => {
      const path = `${dir}/${name}`;
      const loaded = loadModelFile(path);
      const compiled = loaded.model ? compileModel(loaded.sources, loaded.model, { variant: null, defines: {} }) : { ok: false as const, diagnostics: loaded.diagnostics };
      // A model that compiles is a case of the Promela export's refusals (W3020), which `weft export --promela` prints,
      // or of the Murphi export's (W408x), which `weft export --murphi` prints.
      const code = name.split('-')[0]!;
      const refusals = /^W408\d$/.test(code) ? murphiRefusals : promelaRefusals;
      const diagnostics = compiled.ok ? refusals(compiled.program) : compiled.diagnostics;
      expect(diagnostics.length).toBeGreaterThan(0);
      expect(diagnostics.map((d) => d.code)).toContain(code);
      expectGolden(path.replace(/\.weft$/, '.txt'), sortDiagnostics(diagnostics).map(formatDiagnostic).join('\n\n'));
    });
  }

  it('every case names a catalogued code', () => {
    for (const name of cases) expect(Object.keys(messages)).toContain(name.split('-')[0]);
  });
});
