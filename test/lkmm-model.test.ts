/**
 * The LKMM mode on Weft models (explore/lkmm/fromModel.ts): every kernel
 * litmus test of test/cases/litmus/herd/, imported as a Weft model by
 * `weft litmus import`, checked with `--memory-model lkmm`, gives herd7's
 * counts (herd7-counts.txt): the import, lowering, the unrolling into
 * structured code and the properties' conditions keep the test's meaning.
 * What this can miss: the imported models are straight-line code with
 * ifs; loops, awaits, fns and RMWs in conditions are the cases under
 * test/cases/lkmm/, whose expectations herd7 checks through the export.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLitmus } from '../src/litmus/parse.ts';
import { litmusToWeft } from '../src/litmus/toWeft.ts';
import { parseModel } from '../src/pipeline.ts';
import { check } from '../src/check/check.ts';
import { lower } from '../src/lower/lower.ts';
import { checkModelLkmm } from '../src/explore/lkmm/checkModel.ts';
import { checkLkmm } from '../src/explore/lkmm/check.ts';
import { recordedCounts } from './support/herd.ts';

const DIR = 'test/cases/litmus/herd';
const files = readdirSync(DIR).filter((f) => f.endsWith('.litmus')).sort();
const recorded = recordedCounts(readFileSync(`${DIR}/herd7-counts.txt`, 'utf8'));

/** A model's LKMM run, from its text. */
export function lkmmOf(path: string, text: string, opts: { variant?: string; unroll?: number } = {}) {
  const parsed = parseModel({ path, text });
  if (!parsed.model) throw new Error(parsed.diagnostics.map((d) => d.message).join('\n'));
  const checked = check(parsed.sources, parsed.model, { variant: opts.variant ?? null, defines: {} });
  if (!checked.checked) throw new Error(`${path}: ${checked.diagnostics.map((d) => d.message).join('\n')}`);
  const program = lower(checked.checked);
  return checkModelLkmm(program, { unroll: opts.unroll ?? null, atomicSpans: new Set(), usesRcu: false });
}

describe('litmus tests imported as Weft models', () => {
  it('keep herd7\'s counts under --memory-model lkmm', () => {
    const refused: string[] = [];
    for (const f of files) {
      const r = parseLitmus({ path: `${DIR}/${f}`, text: readFileSync(`${DIR}/${f}`, 'utf8') });
      if (!r.ok) throw new Error(f);
      const w = litmusToWeft(r.program, f);
      if (!w.ok) { refused.push(f); continue; }
      const ran = lkmmOf(`${f}.weft`, w.text);
      if (!ran.ok) throw new Error(`${f}: ${ran.message}`);
      const outcome = ran.run.properties.find((p) => p.property.name === 'outcome')!;
      const v = checkLkmm(outcome.test).verdict;
      const herd = recorded.get(f)!;
      // exists: the target's executions are herd's positive ones; forall and ~exists: the invariant's violations are herd's negative and positive ones.
      const q = r.program.quantifier;
      const want = q === 'exists' ? { positive: herd.positive, negative: herd.negative } : q === 'forall' ? { positive: herd.negative, negative: herd.positive } : { positive: herd.positive, negative: herd.negative };
      expect({ positive: v.positive, negative: v.negative, flags: ran.run.flags }, f).toEqual({ ...want, flags: herd.flags });
    }
    // A Weft model names the variable it reads: it has no pointers, so no address dependencies.
    expect(refused, 'the tests with pointers').toEqual(['C-MP+o-wmb-o+o-addr-o.litmus', 'C-RomanPenyaev-list-rcu-rr.litmus', 'C-WWC+o+o-r+o-addr-o.litmus']);
  });
});
