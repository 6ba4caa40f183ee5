/**
 * Every diagnostic code has a case under test/cases/diagnostics/, named
 * CODE-what.weft; the rendered diagnostics (code, file:line:col, caret) are
 * pinned in CODE-what.txt, and the case must report its own code. A case
 * that compiles shows a refusal of the Promela export (W3020) or, for the
 * codes W4080-W4089, of the Murphi export. A case reads
 * its imports from disk, as the command line does; the files it imports
 * are under imports/, which is not a case. A case CODE-what.litmus is a C
 * litmus test, read by the litmus parser (src/litmus/, codes W6xxx).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../src/pipeline.ts';
import { loadModelFile } from '../src/commands/support.ts';
import { promelaRefusals } from '../src/export/promelaRange.ts';
import { murphiRefusals } from '../src/export/murphiRefusals.ts';
import { parseLitmus } from '../src/litmus/parse.ts';
import { formatDiagnostic, sortDiagnostics } from '../src/text/diagnostic.ts';
import { messages } from '../src/text/messages.ts';
import { expectGolden } from './golden.ts';

const dir = 'test/cases/diagnostics';
const cases = readdirSync(dir).filter((f) => f.endsWith('.weft') || f.endsWith('.litmus')).sort();

describe('diagnostics', () => {
  for (const name of cases) {
    it(name, () => {
      const path = `${dir}/${name}`;
      if (name.endsWith('.litmus')) {
        const parsed = parseLitmus({ path, text: readFileSync(path, 'utf8') });
        expect(parsed.ok).toBe(false);
        const diagnostics = parsed.ok ? [] : parsed.diagnostics;
        expect(diagnostics.map((d) => d.code)).toContain(name.split('-')[0]);
        expectGolden(path.replace(/\.litmus$/, '.txt'), sortDiagnostics(diagnostics).map(formatDiagnostic).join('\n\n'));
        return;
      }
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
