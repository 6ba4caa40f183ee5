/**
 * The Murphi export (src/export/murphi.ts) against Rumur: for every model
 * under test/cases/symmetry/ (symmetric actors), test/cases/murphi/ and the
 * classic and benchmark models (no symmetry), in every variant and at
 * small sizes, Rumur run with --symmetry-reduction off must store exactly
 * Weft's states (Weft's compiled engine) and find exactly Weft's verdicts:
 * the properties violated, the targets reached, the warnings. With
 * --symmetry-reduction exhaustive it must store exactly as many states as
 * there are orbits of Weft's full space under the permutations of each
 * symmetric actor's instances, counted here by brute force
 * (support/rumur.ts orbitCount: every permutation applied to every state,
 * through Program.symmetry's slots), independently of Weft's own reduced
 * search, and find the same verdicts. The refusals are golden diagnostics
 * (test/cases/diagnostics/W408*). Skipped, saying so, when rumur or cc is
 * missing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModel, parseModel, variantNames } from '../src/pipeline.ts';
import type { Program } from '../src/lower/ir.ts';
import { check } from '../src/explore/engine.ts';
import { buildMurphi } from '../src/export/murphi.ts';
import { murphiRefusals } from '../src/export/murphiRefusals.ts';
import { Scope } from '../src/export/murphiNames.ts';
import { main } from '../src/cli.ts';
import { allStates, checkWithRumur, orbitCount, rumurAvailable } from './support/rumur.ts';

interface Config {
  readonly name: string;
  readonly program: Program;
}

function configs(path: string, defines: Record<string, string>[] = [{}]): Config[] {
  const file = { path, text: readFileSync(path, 'utf8') };
  const model = parseModel(file).model;
  if (!model) throw new Error(`${path} does not parse`);
  const hasVariants = model.decls.some((d) => d.kind === 'variant');
  return variantNames(model).flatMap((variant) => defines.map((d) => {
    const c = compileModel(file, model, { variant: hasVariants ? variant : null, defines: d });
    if (!c.ok) throw new Error(`${path} ${variant} does not compile: ${c.diagnostics.map((x) => x.message).join('; ')}`);
    const opts = Object.entries(d).map(([k, v]) => ` ${k}=${v}`).join('');
    // Liveness is refused (W4080: Rumur's liveness is not Weft's): the rest of the model is compared without it.
    const live = c.program.properties.some((p) => p.kind === 'liveness');
    const program = live ? { ...c.program, properties: c.program.properties.filter((p) => p.kind !== 'liveness') } : c.program;
    return { name: `${path} ${variant}${opts}${live ? ' (liveness left out)' : ''}`, program };
  }));
}

const dir = (d: string): string[] => readdirSync(d).filter((f) => f.endsWith('.weft')).sort().map((f) => join(d, f));

const symmetric = [
  ...dir('test/cases/symmetry').flatMap((p) => configs(p)),
  ...configs('test/cases/symmetry/filter.weft', [{ N: '2' }, { N: '4' }]),
  ...configs('test/cases/symmetry/trylock-owner.weft', [{ N: '2' }]),
  ...configs('test/cases/symmetry/readers-writers.weft', [{ R: '2', W: '1' }]),
];
const plain = [
  ...dir('test/cases/murphi').flatMap((p) => configs(p)),
  ...dir('models/classic').flatMap((p) => configs(p)),
  ...configs('bench/models/filter.weft', [{ N: '3' }]),
  ...configs('bench/models/philosophers.weft', [{ N: '4' }]),
  ...configs('bench/models/gup-two-pinners.weft', [{ USERS: '1' }]),
];

/** What Weft finds: violated properties, reached targets, warnings given. */
async function weft(program: Program, symmetry = false): Promise<{ states: number; found: string[] }> {
  const r = await check(program, 'compiled', {}, { symmetry });
  if (symmetry && program.symmetry.length) expect(r.reduction?.kind).toBe('symmetry');
  expect(r.complete).toBe(true);
  const found = r.verdicts.filter((v) => v.kind !== 'liveness' && (v.status === 'violated' || v.status === 'reached')).map((v) => v.property).sort();
  return { states: r.stats.states, found };
}

const INSTALL = '`bash scripts/install-peers.sh` installs it';

describe('the Murphi export against Rumur', () => {
  if (!rumurAvailable) {
    it.skip(`rumur or cc is not installed (${INSTALL}): Rumur comparisons skipped`, () => {});
    return;
  }
  for (const c of [...symmetric, ...plain]) {
    const refused = murphiRefusals(c.program);
    if (refused.length) {
      it.skip(`${c.name}: refused (${refused.map((d) => d.code).join(', ')})`, () => {});
      continue;
    }
    it(`${c.name}: Rumur stores Weft's states and finds its verdicts`, { timeout: 120_000 }, async () => {
      const model = buildMurphi(c.program);
      const w = await weft(c.program);
      const off = await checkWithRumur(model, 'off');
      expect(off.unknown).toEqual([]);
      expect(off.states).toBe(w.states);
      expect(off.found).toEqual(w.found);
      if (c.program.symmetry.length === 0) {
        expect(model.text).not.toMatch(/: scalarset\(/);
        return;
      }
      const states = allStates(c.program);
      expect(states.length).toBe(w.states);
      const orbits = orbitCount(c.program, states);
      const reduced = await checkWithRumur(model, 'exhaustive');
      expect(reduced.unknown).toEqual([]);
      expect(reduced.states).toBe(orbits);
      expect(reduced.found).toEqual(w.found);
      // Weft's own reduced search: the same orbits and verdicts as Rumur's.
      const mine = await weft(c.program, true);
      expect(mine.states).toBe(reduced.states);
      expect(mine.found).toEqual(w.found);
    });
  }
});

describe('the Murphi export', () => {
  it('gives symmetric actors scalarsets, and plain models none', () => {
    const f = buildMurphi(symmetric[0]!.program).text;
    expect(f).toMatch(/: scalarset\(\d+\);/);
    for (const c of plain.filter((x) => murphiRefusals(x.program).length === 0)) expect(buildMurphi(c.program).text).not.toMatch(/: scalarset\(/);
  });

  it('names nothing with a Murphi keyword, an underscore first, or a name taken in another case', () => {
    const s = new Scope();
    expect(s.take('begin')).toBe('begin_1');
    expect(s.take('END')).toBe('END_1');
    expect(s.take('_x')).toBe('u_x');
    expect(s.take('x')).toBe('x');
    expect(s.take('X')).toBe('X_1');
    expect(s.take('a"b')).toBe('a_b');
    expect(s.take('isUndefined')).toBe('isUndefined_1');
  });

  it('weft export needs exactly one of --promela and --murphi', async () => {
    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s) };
    expect(await main(['export', 'models/classic/peterson.weft'], io)).toBe(2);
    expect(await main(['export', '--promela', '--murphi', 'models/classic/peterson.weft'], io)).toBe(2);
    expect(out.join('')).toContain('exactly one of --promela and --murphi');
    out.length = 0;
    expect(await main(['export', '--murphi', 'models/classic/increment3.weft', '--variant', 'plain'], io)).toBe(0);
    expect(out.join('')).toContain('startstate');
  });
});
