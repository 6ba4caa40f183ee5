/**
 * `weft litmus export` (litmus/print.ts) and herd7 on Weft models. Three
 * claims: printing a parsed litmus test and parsing it again keeps its
 * meaning (the 50 kernel tests keep herd7's counts, and the text is a
 * fixed point); herd7 reads what is printed (a sample each run); and for
 * every model with `expect ... under lkmm` lines, each variant's
 * property, exported, gets from herd7 itself the verdict and the counts
 * the LKMM mode gives it. The last is the mode's cross-check against its
 * oracle on Weft models: it shares with herd7 only the .cat files the
 * engine was translated from; what it can miss is what the export and
 * the mode share, the translation of the model into a memory program
 * (explore/lkmm/fromModel.ts), which test/lkmm-model.test.ts checks
 * from the other side (litmus tests imported as models keep herd7's
 * counts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLitmus } from '../src/litmus/parse.ts';
import { printLitmus } from '../src/litmus/print.ts';
import { checkLkmm } from '../src/explore/lkmm/check.ts';
import { parseModel, variantNames } from '../src/pipeline.ts';
import { lkmmVariant } from '../src/commands/lkmm.ts';
import type { MemProgram } from '../src/explore/lkmm/program.ts';
import { herdAvailable, herdOnText, recordedCounts } from './support/herd.ts';
import { runCli } from './support/cli.ts';

const DIR = 'test/cases/litmus/herd';
const files = readdirSync(DIR).filter((f) => f.endsWith('.litmus')).sort();
const recorded = recordedCounts(readFileSync(`${DIR}/herd7-counts.txt`, 'utf8'));

function parsed(path: string, text: string): MemProgram {
  const r = parseLitmus({ path, text });
  if (!r.ok) throw new Error(`${path}: ${r.diagnostics.map((d) => d.message).join('\n')}\n${text}`);
  return r.program;
}

function printed(p: MemProgram): string {
  const r = printLitmus(p);
  if (!r.ok) throw new Error(`${p.name}: ${r.why}`);
  return r.text;
}

const counts = (p: MemProgram) => {
  const v = checkLkmm(p).verdict;
  return { observation: v.observation, positive: v.positive, negative: v.negative, flags: v.flags };
};

describe('printing a litmus test', () => {
  it('keeps herd7\'s counts for all 50 kernel tests, and prints its own output back unchanged', () => {
    for (const f of files) {
      const text = printed(parsed(f, readFileSync(`${DIR}/${f}`, 'utf8')));
      expect(counts(parsed(`${f} printed`, text)), f).toEqual(recorded.get(f));
      expect(printed(parsed(`${f} printed`, text)), f).toBe(text);
    }
  });

  it.runIf(herdAvailable)('gives text herd7 reads, with the same answer (a sample)', async () => {
    const seed = Date.now() % files.length;
    for (const k of [0, 11, 23, 37]) {
      const f = files[(seed + k) % files.length]!;
      expect(await herdOnText(printed(parsed(f, readFileSync(`${DIR}/${f}`, 'utf8')))), `${f} (seed ${seed})`).toEqual(recorded.get(f));
    }
  }, 60_000);

  it('renames what is no C identifier, or is one of C\'s or herd\'s words', () => {
    const p = parsed('t', 'C t\n{ x=1; }\nP0(int *x) { int r0; r0 = READ_ONCE(*x); }\nexists (0:r0=1)\n');
    const renamed: MemProgram = {
      ...p,
      locations: p.locations.map((l) => ({ ...l, name: 'exists' })),
      threads: p.threads.map((t) => ({ ...t, body: t.body.map((i) => (i.kind === 'load' ? { ...i, reg: 'int', loc: { kind: 'const', value: { loc: 'exists' } } } : i)) })),
      condition: { kind: 'eq', left: { kind: 'reg', thread: 0, reg: 'int' }, right: 1 },
      name: 't*) (* x',
    };
    const text = printed(renamed);
    expect(text).not.toMatch(/\bint int\b|\*exists\b/);
    expect(text.split('\n')[0]).toBe('C t______x');
    expect(counts(parsed('renamed', text))).toEqual(counts(p));
  });
});

/** Every model with LKMM expectations, and the --unroll each needs. */
const MODELS: readonly (readonly [string, number | null])[] = [
  ...readdirSync('models/classic').map((f) => `models/classic/${f}`),
  'models/gup-barriers.weft',
  ...readdirSync('test/cases/lkmm').map((f) => `test/cases/lkmm/${f}`),
].filter((f) => f.endsWith('.weft') && readFileSync(f, 'utf8').includes(' under lkmm:'))
  .map((f) => [f, f.endsWith('bounded-loop.weft') ? 2 : f.endsWith('retry-loop.weft') ? 1 : null] as const);

function tests(file: string, unroll: number | null): { name: string; test: MemProgram }[] {
  const loaded = parseModel({ path: file, text: readFileSync(file, 'utf8') });
  const model = loaded.model!;
  const hasVariants = model.decls.some((d) => d.kind === 'variant');
  return variantNames(model).flatMap((variant) => {
    const v = lkmmVariant(model, loaded.sources, hasVariants ? variant : null, {}, unroll);
    if (!v.ok) throw new Error(`${file} ${variant}: ${v.diagnostics.map((d) => d.message).join('\n')}`);
    return v.run.properties.map((p) => ({ name: `${file} ${variant} ${p.property.name}`, test: p.test }));
  });
}

describe('Weft models under the LKMM, exported', () => {
  it('has models to export', () => expect(MODELS.length).toBeGreaterThanOrEqual(8));

  it.runIf(herdAvailable).each(MODELS)('%s: herd7 gives each property the LKMM mode\'s verdict and counts', async (file, unroll) => {
    for (const { name, test } of tests(file, unroll)) {
      const text = printed(test);
      expect(await herdOnText(text), `${name}\n${text}`).toEqual(counts(test));
    }
  }, 120_000);

  it('writes the test from the command line, naming what the verdict means', async () => {
    const r = await runCli(['litmus', 'export', 'models/classic/store-buffering.weft', '--variant', 'smp_mb']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('target both_missed: reached when herd7 says Sometimes or Always');
    expect(r.stdout).toMatch(/smp_mb\(\);/);
    const several = await runCli(['litmus', 'export', 'test/cases/lkmm/data-race.weft', '--property', 'nothing']);
    expect(several.code).toBe(2);
    expect(several.stderr).toContain('W2039');
  });
});
