/**
 * docs/language.md is the language reference, and its examples are tests:
 * each ```weft block is a model whose first line says how many states it
 * has (`// states: N`) or which diagnostic it gets (`// error: WNNNN`), and
 * whose `expect` lines must be met.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSource, parseModel } from '../src/pipeline.ts';
import { explore } from '../src/explore/reference.ts';
import { evaluateExpectations } from '../src/report/expectations.ts';

const doc = readFileSync('docs/language.md', 'utf8');
const blocks = [...doc.matchAll(/```weft\n([\s\S]*?)```/g)].map((m) => ({ text: m[1]!, line: doc.slice(0, m.index).split('\n').length + 1 }));

describe('docs/language.md examples', () => {
  it('has examples', () => expect(blocks.length).toBeGreaterThan(15));
  for (const b of blocks) {
    const header = b.text.split('\n')[0]!;
    it(`line ${b.line}: ${header}`, async () => {
      const file = { path: `docs/language.md:${b.line}`, text: b.text };
      const error = /^\/\/ error: (W\d{4})$/.exec(header);
      const states = /^\/\/ states: (\d+)$/.exec(header);
      expect(error || states, 'each example starts with // states: N or // error: WNNNN').toBeTruthy();
      const compiled = compileSource(file, { variant: firstVariant(b.text), defines: {} });
      if (error) {
        expect(compiled.ok).toBe(false);
        if (!compiled.ok) expect(compiled.diagnostics.map((d) => d.code)).toContain(error[1]);
        return;
      }
      if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('\n'));
      const result = await explore(compiled.program, {});
      expect(result.stats.states).toBe(Number(states![1]));
      const outcomes = evaluateExpectations(parseModel(file).model!, result);
      expect(outcomes.filter((o) => o.met !== true)).toEqual([]);
    });
  }
});

function firstVariant(text: string): string | null {
  return /^variant (\w+)/m.exec(text)?.[1] ?? null;
}
