/**
 * The Promela export (src/export/promela.ts): golden files of the exported
 * text for small models, and, when SPIN is installed, a cross-check of
 * every model we ship or test, of every example in docs/language.md and of
 * at least 200 random models of test/generators.ts (a new seed each run,
 * printed in the test names): SPIN must store exactly as many states as
 * Weft's compiled engine (in each pan run: with the never claim and with
 * -DNOCLAIM), find exactly the properties Weft finds violated (reachable
 * targets: reached), and print no message that names no property; and on
 * each liveness property `pan -a [-f] -N NAME` must find an acceptance
 * cycle where Weft finds it violated (crosscheck.ts spinLivenessAgrees;
 * test/promela-liveness.test.ts has the liveness models). The
 * counting rule is equality, for every construct (docs/promela.md says why).
 * The compiled engine stands for Weft: test/agreement.test.ts ties it to the
 * reference interpreter on the same kinds of models.
 *
 * A random model is checked in one variant (a different one from model to
 * model; the agreement test runs every variant on both engines), the
 * shipped and test models in every variant.
 *
 * Every random model runs for each exporter: the one through lower/
 * (src/export/promela.ts) and, when test/oracle/promela/index.ts exists,
 * the one written from the checked AST, which sees a lowering bug that the
 * engines and the first exporter share (the shipped and test models go
 * through the AST oracle in test/oracle.test.ts). Each pan is compiled once per build
 * (with the claim, and -DNOCLAIM), by tcc, and again by gcc -O0 only when they
 * disagree (support/spin.ts checkQuickly), at most two checks at a time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diskFiles } from '../src/commands/support.ts';
import type { Program } from '../src/lower/ir.ts';
import { explore } from '../src/explore/reference.ts';
import type { CheckResult } from '../src/explore/verdict.ts';
import { buildPromela, exportPromela } from '../src/export/promela.ts';
import { promelaRefusals } from '../src/export/promelaRange.ts';
import { checkQuickly, checkWithSpin, parsePan, spinAvailable } from './support/spin.ts';
import { casesOf, compiledExplorers, exporters, limiter, spinAgrees, type Case } from './support/crosscheck.ts';
import { expectGolden } from './golden.ts';
import { randomModel } from './generators.ts';
import { programsOf } from './support/programs.ts';

function weftFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? weftFiles(p) : p.endsWith('.weft') ? [p] : [];
  });
}


function program(path: string, variant: string | null = null): Program {
  const p = programsOf(path, readFileSync(path, 'utf8')).find((x) => variant === null || x.variant === variant);
  if (!p) throw new Error(`${path} has no variant ${variant}`);
  return p;
}

describe('exportPromela', () => {
  const goldens: [string, string | null][] = [
    ['models/classic/peterson.weft', 'peterson'],
    ['test/cases/semantics/enums-structs.weft', null],
    ['test/cases/promela/faults.weft', null],
  ];
  for (const [path, variant] of goldens) {
    it(`writes ${path}${variant ? ` (${variant})` : ''} as in its golden file`, () => {
      const p = program(path, variant);
      const name = path.replace(/^.*\//, '').replace(/\.weft$/, '');
      expectGolden(`test/cases/promela/${name}.${p.variant}.pml`, exportPromela(p));
    });
  }

  it('is deterministic', () => {
    const p = program('test/cases/promela/constructs.weft');
    expect(exportPromela(p)).toBe(exportPromela(program('test/cases/promela/constructs.weft')));
  });

  it('names each property but deadlock by a flag, and needs a second pan only with a never claim', () => {
    const m = buildPromela(program('models/classic/peterson.weft', 'peterson'));
    expect([...m.flags]).toEqual([
      ['mutual_exclusion', 'invariant_mutual_exclusion'], ['both_waiting', 'reachable_both_waiting'],
      ['one_inside', 'reachable_one_inside'], ['ranges', 'builtin_ranges'], ['locking', 'builtin_locking'],
    ]);
    expect(m.hasClaim).toBe(true);
    expect(buildPromela(program('test/cases/semantics/relock.weft')).hasClaim).toBe(false);
  });

  it('renames what Promela or C would misread, and never writes `!!` (a channel send)', () => {
    const text = exportPromela(programsOf('keywords.weft', [
      'shared switch: bool;', 'shared len: 0..2;', 'shared _x: bool;',
      'actor run { await !!switch || !(len != 1); len = 1; _x = !_x; }',
      'invariant inv: !(!switch) -> len > 0;',
    ].join('\n'))[0]!);
    expect(text).toMatch(/^bool switch_1;/m);
    expect(text).toMatch(/^byte len_1;/m);
    expect(text).toMatch(/^bool u_x;/m);
    expect(text).toMatch(/proctype run_1\(\)/);
    // Comments quote the Weft source, which may say `!!`; the code must not.
    expect(text.replace(/\/\*[\s\S]*?\*\//g, '')).not.toMatch(/!!/);
  });
});

describe('pan output parsing', () => {
  it('reads the state count and the distinct messages', () => {
    // A deadlock in the initial state is reported at depth -1.
    const out = 'pan:1: assertion violated builtin_ranges (at depth 3)\npan:2: invalid end state (at depth -1)\n'
      + 'pan:3: assertion violated builtin_ranges (at depth 9)\nState-vector 32 byte, depth reached 3, errors: 3\n       42 states, stored\n';
    expect(parsePan(out)).toEqual({ states: 42, messages: ['assertion violated builtin_ranges', 'invalid end state'] });
  });

  it('refuses an output that is not a complete search', () => {
    expect(() => parsePan('error: max search depth too small\n 10 states, stored\n')).toThrow(/max search depth|refused/);
    expect(() => parsePan('error: proctype \'a\' state 4: has unconditional self-loop\n')).toThrow(/refused/);
    expect(() => parsePan('nothing\n')).toThrow(/no state count/);
  });
});

const haveSpin = await spinAvailable();
const NO_SPIN = 'SPIN cross-check skipped: spin (or gcc) is not on PATH; `bash scripts/install-peers.sh` installs it';

/** Random models checked against SPIN per run, at least; each is explored by Weft within this many states first. */
const RANDOM_MODELS = 200;
const RANDOM_MAX_STATES = 20_000;
/** Models sampled at most, so that a generator that stops producing checkable models fails instead of looping. */
const RANDOM_SAMPLED_MAX = 2_000;

/** Two SPIN checks at a time: each compiles two pans in parallel, and gcc is the cost. */
const slot = limiter(2);

/** Weft's compiled engine on each case, all compiled in one TypeScript program; an engine that throws gives its error (a failing test, not a failing file). */
async function weftResults(cases: readonly Case[], maxStates?: number): Promise<(CheckResult | Error)[]> {
  const explorers = await compiledExplorers(cases.map((c) => c.program));
  const out: (CheckResult | Error)[] = [];
  for (const e of explorers) out.push(await e({ maxStates }).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))));
  return out;
}

function resultOf(r: CheckResult | Error, c: Case): CheckResult {
  if (r instanceof Error) throw new Error(`the compiled engine failed on ${c.file.path} (${c.program.variant}): ${r.message}\n${c.file.text}`);
  return r;
}

/**
 * The counts recorded in docs/promela.md's results table: each row's Weft
 * count must be the compiled engine's, and each SPIN count the Weft count
 * (which the cross-checks below establish for every pan run), so the table
 * stays true without running anything twice.
 */
function recordedCounts(): { model: string; variant: string; weft: number; spin: number[] }[] {
  const doc = readFileSync('docs/promela.md', 'utf8');
  const table = doc.slice(doc.indexOf('## Results'));
  const num = (t: string): number => Number(t.trim().replace(/,/g, ''));
  return [...table.matchAll(/^\| ([\w/-]+) \| (\w+) \| ([\d,]+) \| ([\d, /]+) \|$/gm)]
    .map((m) => ({ model: m[1]!, variant: m[2]!, weft: num(m[3]!), spin: m[4]!.split('/').map(num) }));
}

describe('SPIN agrees with Weft on states and verdicts', async () => {
  if (!haveSpin) {
    it.skip(NO_SPIN, () => {});
    return;
  }
  const { exporters: exps, notice } = await exporters();
  if (notice) console.log(`promela.test.ts: ${notice}`);
  const files = [...weftFiles('models'), ...weftFiles('test/cases/semantics'), ...weftFiles('test/cases/promela')];
  const doc = readFileSync('docs/language.md', 'utf8');
  const examples = [...doc.matchAll(/```weft\n([\s\S]*?)```/g)].flatMap((m, i) => casesOf(`docs/language.md#${i}`, m[1]!));
  // A file reads the files it imports from disk, as weft check does (the flagship is in parts under models/gup/).
  const all = [...files.flatMap((f) => casesOf(f, readFileSync(f, 'utf8'), diskFiles())), ...examples];
  // Where SPIN's 32-bit int would differ from Weft's arithmetic the export refuses (W3020): those are not compared.
  const fixed = all.filter((c) => promelaRefusals(c.program).length === 0);
  const fixedWeft = await weftResults(fixed);

  it('has models to check', () => {
    expect(files.length).toBeGreaterThan(15);
    expect(examples.length).toBeGreaterThan(15);
  });

  it('finds the `ranges` violation of an invariant Weft has already found violated, as SPIN does', async () => {
    // The never claim has no memory and evaluates every property in every
    // state; Weft keeps evaluating a decided invariant while `ranges` is
    // open, so the bad index xs[3] in a later state is a `ranges` violation
    // on both sides (it used to be a difference: Weft stopped evaluating it).
    const p = programsOf('decided.weft', 'shared xs: 0..2[3];\nshared i: 0..3;\nactor a { xs[0] = 2; i = 3; }\ninvariant small: xs[i] < 2;\n')[0]!;
    const weft = await explore(p);
    expect(weft.verdicts.filter((v) => v.status === 'violated').map((v) => v.property).sort()).toEqual(['ranges', 'small']);
    const dir = await mkdtemp(join(tmpdir(), 'weft-spin-'));
    try {
      const spin = await checkWithSpin(buildPromela(p), { dir, optimise: '-O0' });
      expect(spin.runs.map((r) => r.states)).toEqual([weft.stats.states, weft.stats.states]);
      expect(spin.found).toEqual(['ranges', 'small']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 0);

  it('answers with gcc\'s pan where tcc\'s disagrees (tcc 0.9.27 misreads this guard as false)', async () => {
    // gcc: the guard holds (f is 0), so r takes three more steps: 6 states. A tcc pan that misreads
    // it stores 4; checkQuickly must then build again with gcc and answer 6.
    const text = [
      'byte f = 0; short w = -1; byte x = 1; byte r;',
      'active proctype a() {',
      '  if',
      '  :: (w != 0) && !(3 <= f * (((2 > x / w) -> 0 : 0) -> 2 : 3)) -> r = 1; r = 2; r = 3',
      '  :: else -> skip',
      '  fi',
      '}',
    ].join('\n');
    const dir = await mkdtemp(join(tmpdir(), 'weft-spin-'));
    try {
      const spin = await checkQuickly({ text, flags: new Map(), hasClaim: false }, { dir, hashBits: 10 }, (r) => r.runs.every((x) => x.states === 6));
      expect(spin.runs.map((r) => r.states)).toEqual([6]);
      const gcc = await checkWithSpin({ text, flags: new Map(), hasClaim: false }, { dir, optimise: '-O0', hashBits: 10 });
      expect(gcc.runs.map((r) => r.states)).toEqual([6]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 0);

  it('refuses exactly the test models whose values or intermediates may leave 32 bits', () => {
    // Fairness pan cannot give is no refusal: the liveness properties are left out (test/promela-liveness.test.ts).
    const refused = all.filter((c) => promelaRefusals(c.program).length > 0 && !c.file.path.startsWith('docs/')).map((c) => c.file.path);
    expect([...new Set(refused)]).toEqual([
      'test/cases/semantics/arith-edges.weft', 'test/cases/semantics/overflow-compiled.weft', 'test/cases/semantics/overflow-intermediate.weft',
      'test/cases/semantics/overflow-negative.weft', 'test/cases/semantics/overflow-pick.weft', 'test/cases/semantics/overflow-product.weft',
      'test/cases/semantics/overflow-quantifier.weft', 'test/cases/semantics/overflow-quotient.weft',
    ]);
  });

  it('has the counts docs/promela.md records', () => {
    const rows = recordedCounts();
    expect(rows.length).toBeGreaterThan(15);
    for (const row of rows) {
      const i = fixed.findIndex((c) => c.file.path.replace(/^(models|test\/cases)\//, '').replace(/\.weft$/, '') === row.model && c.program.variant === row.variant);
      expect(i, `${row.model} (${row.variant}) is in the table but not among the checked models`).toBeGreaterThanOrEqual(0);
      const states = resultOf(fixedWeft[i]!, fixed[i]!).stats.states;
      expect([row.weft, ...row.spin], `docs/promela.md, ${row.model} (${row.variant})`).toEqual([states, ...row.spin.map(() => states)]);
    }
  });

  // Liveness verdicts not compared because the export leaves them out (fairness pan cannot give): counted, and printed at the end.
  const omitted = { fixed: 0, fixedVariants: 0, random: 0, randomVariants: 0 };

  // The shipped and test models go through the export of lower/ here; test/oracle.test.ts runs the
  // same sets (and test/cases/oracle) through the AST oracle, so they are not run twice.
  fixed.forEach((c, i) => {
    for (const [name, exporter] of [...exps].filter(([n]) => n === 'lowered')) {
      it.concurrent(`${c.file.path} (${c.program.variant}) [${name}]`, async () => {
        const weft = resultOf(fixedWeft[i]!, c);
        expect(weft.complete).toBe(true);
        const outcome = await slot(() => spinAgrees(c, weft, exporter));
        // The shipped and test models are all within SPIN's 32-bit int: none may be refused.
        expect(outcome, `${c.file.path}:\n${c.file.text}`).toEqual({ kind: 'agrees', omitted: expect.any(Array) });
        if (outcome.kind === 'agrees' && outcome.omitted.length) {
          omitted.fixed += outcome.omitted.length;
          omitted.fixedVariants++;
        }
      }, 0);
    }
  });

  // Random models: sampled until RANDOM_MODELS of them have been checked by SPIN (an
  // exporter may refuse some, e.g. arithmetic beyond 32 bits; those are counted apart).
  const seed = Date.now() % 2 ** 31;
  const random: { c: Case; weft: CheckResult; index: number }[] = [];
  const skipped = { tooBig: 0, illTyped: 0, refused: new Map<string, number>() };
  const crashes: { title: string; text: string; error: string }[] = [];
  const models = new Set<number>();
  const texts = fc.sample(randomModel({ illTyped: false }), { numRuns: RANDOM_SAMPLED_MAX, seed });
  for (let start = 0; start < texts.length && models.size < RANDOM_MODELS; start += 100) {
    const batch: { c: Case; index: number }[] = [];
    for (let index = start; index < start + 100 && index < texts.length; index++) {
      try {
        const cs = casesOf(`random-${seed}-${index}.weft`, texts[index]!);
        if (cs.length === 0) skipped.illTyped++;
        // One variant a model, a different one each model (the agreement test runs every
        // variant on both engines; each pan build is this file's cost).
        for (let k = 0; k < cs.length; k++) batch.push({ c: cs[(index + k) % cs.length]!, index });
      } catch (e) {
        crashes.push({ title: `random model ${index} (seed ${seed}) goes through the front end`, text: texts[index]!, error: e instanceof Error ? e.message : String(e) });
      }
    }
    const results = await weftResults(batch.map((b) => b.c), RANDOM_MAX_STATES);
    batch.forEach((b, i) => {
      if (models.has(b.index) || models.size >= RANDOM_MODELS) return;
      const result = results[i]!;
      if (result instanceof Error) {
        crashes.push({ title: `${b.c.file.path} (${b.c.program.variant}, seed ${seed}) explores on the compiled engine`, text: b.c.file.text, error: result.message });
        return;
      }
      if (!result.complete) { skipped.tooBig++; return; }
      // A case counts as checked if some exporter takes it; the refusals of each are counted.
      let taken = false;
      for (const [name, exporter] of exps) {
        const e = exporter(b.c);
        if (e.ok) taken = true;
        else skipped.refused.set(`${name}: ${e.reason}`, (skipped.refused.get(`${name}: ${e.reason}`) ?? 0) + 1);
      }
      if (!taken) return;
      random.push({ c: b.c, weft: result, index: b.index });
      models.add(b.index);
    });
  }

  it(`checks at least ${RANDOM_MODELS} random models (seed ${seed})`, () => {
    const refused = [...skipped.refused].map(([r, n]) => `${n} × ${r}`);
    console.log(`promela.test.ts: seed ${seed}: ${models.size} random models (${random.length} variants) checked against SPIN; skipped: ${skipped.illTyped} ill-typed, ${skipped.tooBig} variants over ${RANDOM_MAX_STATES} states, ${refused.length ? refused.join('; ') : 'none refused by an exporter'}`);
    expect(models.size).toBeGreaterThanOrEqual(RANDOM_MODELS);
  });

  for (const k of crashes) {
    it(k.title, () => {
      throw new Error(`${k.error}\n${k.text}`);
    });
  }

  for (const r of random) {
    for (const [name, exporter] of exps) {
      it.concurrent(`${r.c.file.path} (${r.c.program.variant}, seed ${seed}) [${name}]`, async () => {
        const outcome = await slot(() => spinAgrees(r.c, r.weft, exporter));
        if (outcome.kind === 'refused') return;
        expect(outcome, `${r.c.file.path} (${r.c.program.variant}):\n${r.c.file.text}`).toEqual({ kind: 'agrees', omitted: expect.any(Array) });
        if (outcome.kind === 'agrees' && outcome.omitted.length) {
          omitted.random += outcome.omitted.length;
          omitted.randomVariants++;
        }
      }, 0);
    }
  }

  // Not concurrent: vitest runs it after the concurrent tests above have finished.
  it('says which liveness verdicts it did not compare', () => {
    console.log(`promela.test.ts: liveness verdicts not compared, left out of the export (fairness pan cannot give): ${omitted.fixed} in ${omitted.fixedVariants} variants of the shipped and test models, ${omitted.random} in ${omitted.randomVariants} exports of random variants, by either exporter (seed ${seed})`);
  });
});
