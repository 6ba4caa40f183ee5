/**
 * docs/language.md is the language reference, and its examples are tests:
 * each ```weft block is a model whose first line says how many states it
 * has (`// states: N`, or `// states: N, M, ...` for each variant in
 * order; `// states: N, orbits: M` for a model with symmetric actors,
 * whose reduced search stores M) or which diagnostic it gets
 * (`// error: WNNNN`), and whose
 * `expect` lines must be met (those of the first variant, or of each
 * variant counted).
 *
 * A block of several files: a line `// file: PATH` starts each file, and
 * the text before the second such line (the header line included) is the
 * main file; the files are read from the block alone, paths as in
 * `import` (docs/language.md, "Models in several files").
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileModel, parseModel, variantNames, type Reader } from '../src/pipeline.ts';
import { explore } from '../src/explore/reference.ts';
import { check } from '../src/explore/engine.ts';
import { evaluateExpectations } from '../src/report/expectations.ts';
import { checkModelLkmm } from '../src/explore/lkmm/checkModel.ts';
import { shapesOf } from '../src/commands/shapes.ts';
import { lkmmVariant } from '../src/commands/lkmm.ts';
import { runCli } from './support/cli.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const doc = readFileSync('docs/language.md', 'utf8');
const blocks = [...doc.matchAll(/```weft\n([\s\S]*?)```/g)].map((m) => ({ text: m[1]!, line: doc.slice(0, m.index).split('\n').length + 1 }));

/** The files of a block: the main one first, by `// file: PATH` lines; a block without them is one file. */
function blockFiles(text: string, fallback: string): { path: string; text: string }[] {
  const marks = [...text.matchAll(/^\/\/ file: (\S+)$/gm)];
  if (marks.length === 0) return [{ path: fallback, text }];
  return marks.map((m, i) => ({
    path: m[1]!,
    text: text.slice(i === 0 ? 0 : m.index, marks[i + 1]?.index ?? text.length),
  }));
}

describe('docs/language.md examples', () => {
  it('has examples', () => expect(blocks.length).toBeGreaterThan(15));
  it('has examples of several files', () => expect(blocks.filter((b) => blockFiles(b.text, '').length > 1).length).toBeGreaterThan(1));
  for (const b of blocks) {
    const header = b.text.split('\n')[0]!;
    it(`line ${b.line}: ${header}`, async () => {
      const [main, ...rest] = blockFiles(b.text, `docs/language.md:${b.line}`);
      const read: Reader = (path) => {
        const f = rest.find((x) => x.path === path);
        return f ? { ok: true, id: path, text: f.text } : { ok: false, why: 'no such file in this example' };
      };
      const error = /^\/\/ error: (W\d{4})$/.exec(header);
      const states = /^\/\/ states: (\d+(?:, \d+)*)(?:, orbits: (\d+))?$/.exec(header);
      expect(error || states, 'each example starts with // states: N or // error: WNNNN').toBeTruthy();
      const parsed = parseModel(main!, read);
      const declared = parsed.model ? variantNames(parsed.model) : [];
      const hasVariants = parsed.model?.decls.some((d) => d.kind === 'variant') ?? false;
      const counts = states ? states[1]!.split(', ').map(Number) : [0];
      expect(counts.length === 1 || counts.length === declared.length, 'one state count, or one for each variant').toBe(true);
      for (const [i, count] of counts.entries()) {
        const compiled = parsed.model
          ? compileModel(parsed.sources, parsed.model, { variant: hasVariants ? declared[i]! : null, defines: {} })
          : { ok: false as const, diagnostics: parsed.diagnostics };
        if (error) {
          expect(compiled.ok).toBe(false);
          if (!compiled.ok) expect(compiled.diagnostics.map((d) => d.code)).toContain(error[1]);
          return;
        }
        if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('\n'));
        const result = await explore(compiled.program, {});
        expect(result.stats.states, `variant ${compiled.program.variant}`).toBe(count);
        const outcomes = evaluateExpectations(parsed.model!, result);
        expect(outcomes.filter((o) => o.met !== true)).toEqual([]);
        // The lines `expect ... under lkmm` are met by the LKMM mode (docs/language.md "Memory models").
        if (main!.text.includes(' under lkmm:')) {
          const ran = checkModelLkmm(compiled.program, { unroll: null, atomicSpans: new Set() });
          if (!ran.ok) throw new Error(ran.message);
          const verdicts = ran.run.properties.map((p) => ({ property: p.property.name, kind: p.property.kind, status: p.property.kind === 'reachable' ? (p.found ? 'reached' : 'unreachable') : p.found ? 'violated' : 'holds' } as const));
          const lkmm = evaluateExpectations(parsed.model!, { verdicts, program: compiled.program }, 'lkmm');
          expect(lkmm.filter((o) => o.met !== true), 'under lkmm').toEqual([]);
          expect(lkmm.length).toBeGreaterThan(0);
        }
        // A model that names its shapes under the LKMM: they resolve, and each meets its `under lkmm` lines (commands/shapes.ts).
        if (i === 0 && parsed.model!.decls.some((d) => d.kind === 'shapes')) {
          const s = shapesOf(parsed.model!, parsed.sources, read);
          if (!s.ok) throw new Error(s.diagnostics.map((d) => d.message).join('\n'));
          for (const shape of s.shapes!.all) {
            const v = lkmmVariant(s.shapes!.model, s.shapes!.sources, shape, {}, null);
            if (!v.ok) throw new Error(v.diagnostics.map((d) => d.message).join('\n'));
            expect(v.outcomes.length, shape).toBeGreaterThan(0);
            expect(v.outcomes.filter((o) => o.met !== true), shape).toEqual([]);
          }
        }
        if (states?.[2]) {
          const reduced = await check(compiled.program, 'compiled', {}, { symmetry: true });
          expect(reduced.stats.states, 'orbits').toBe(Number(states[2]));
          expect(reduced.verdicts.map((v) => v.status)).toEqual(result.verdicts.map((v) => v.status));
        }
      }
    });
  }
});

describe('docs/language.md "Memory models"', () => {
  it('shows the report the LKMM mode prints for its example', async () => {
    const section = doc.slice(doc.indexOf('## Memory models'));
    const example = blocks.find((b) => b.line > doc.slice(0, doc.indexOf('## Memory models')).split('\n').length)!;
    const shown = /```\n(stale: [\s\S]*?)```/.exec(section)![1]!;
    const dir = mkdtempSync(join(tmpdir(), 'weft-docs-'));
    try {
      writeFileSync(join(dir, 'mp.weft'), example.text);
      const r = await runCli(['check', join(dir, 'mp.weft'), '--memory-model', 'lkmm', '--variant', 'plain']);
      expect(r.stdout).toContain(shown);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('docs/language.md "Part of a model"', () => {
  it('shows what the LKMM mode prints for a model checked through its shapes', async () => {
    const section = doc.slice(doc.indexOf('### Part of a model'));
    const example = blocks.find((b) => b.text.includes('// file: reclaim.weft'))!;
    const shown = /```\n(reclaim's variants [\s\S]*?)```/.exec(section)![1]!;
    const dir = mkdtempSync(join(tmpdir(), 'weft-docs-'));
    try {
      for (const f of blockFiles(example.text, '')) writeFileSync(join(dir, f.path), f.text);
      const r = await runCli(['check', join(dir, 'reclaim.weft'), '--memory-model', 'lkmm']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.split(`${dir}/`).join('')).toContain(shown);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
