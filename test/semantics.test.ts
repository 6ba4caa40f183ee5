/**
 * Semantics, tested in the model language: each file under
 * test/cases/semantics/ states its verdicts with `expect` lines, so `weft
 * check --all-variants` must exit 0; the whole report, traces included, is
 * pinned beside it as NAME.out. Every model under models/ must meet its
 * own expectations too.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';
import { modelsIn } from '../src/commands/support.ts';
import { expectGolden } from './golden.ts';

async function check(path: string, extra: string[] = []): Promise<{ code: number; text: string }> {
  let text = '';
  const io = { out: (s: string) => { text += s.endsWith('\n') ? s : `${s}\n`; }, err: (s: string) => { text += s.endsWith('\n') ? s : `${s}\n`; } };
  const code = await main(['check', path, '--all-variants', '--no-stats', ...extra], io);
  return { code, text };
}

function weftFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? weftFiles(p) : p.endsWith('.weft') ? [p] : [];
  });
}

describe('semantics cases', () => {
  for (const path of weftFiles('test/cases/semantics')) {
    it(path, async () => {
      const r = await check(path, ['--traces']);
      expectGolden(path.replace(/\.weft$/, '.out'), r.text);
      expect(r.code, r.text).toBe(0);
    });
  }
});

describe('models meet their expectations', () => {
  // As `weft check models/` finds them: a part that a model imports (models/gup/) is checked with that model.
  const models = modelsIn(['models']).map((m) => m.path).sort();
  it('finds the models, not their parts', () => {
    expect(models).toContain('models/gup-writeback.weft');
    expect(models.filter((p) => p.startsWith('models/gup/'))).toEqual([]);
  });
  for (const path of models) {
    it(path, async () => {
      const r = await check(path);
      expect(r.code, r.text).toBe(0);
    });
  }
});
