/**
 * Step coverage: the models under test/cases/coverage/ are checked by both
 * engines, which must count the same firings per step; the summary (steps
 * that never fired, targets hit) and the --coverage table are golden files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../src/explore/engine.ts';
import { compileSource } from '../src/pipeline.ts';
import { formatCoverageSummary, formatCoverageTable } from '../src/report/coverage.ts';
import { expectGolden } from './golden.ts';

const dir = 'test/cases/coverage';

describe('coverage', () => {
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.weft'))) {
    it(name, async () => {
      const path = join(dir, name);
      const text = readFileSync(path, 'utf8');
      const c = compileSource({ path, text }, { variant: null, defines: {} });
      if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join('\n'));
      const compiled = await check(c.program, 'compiled', {});
      const reference = await check(c.program, 'reference', {});
      expect(compiled.coverage).toEqual(reference.coverage);
      expectGolden(path.replace(/\.weft$/, '.out'), `${formatCoverageSummary(compiled)}\n\n${formatCoverageTable(compiled)}\n`);
    });
  }

  it('says nothing of unfired steps after an incomplete search', async () => {
    const path = join(dir, 'dead-branch.weft');
    const text = readFileSync(path, 'utf8');
    const c = compileSource({ path, text }, { variant: null, defines: {} });
    if (!c.ok) throw new Error('does not compile');
    const r = await check(c.program, 'reference', { maxStates: 3 });
    expect(formatCoverageSummary(r)).toBe('');
    expect(formatCoverageTable(r)).toMatch(/^steps fired \(search incomplete\):/);
  });
});
