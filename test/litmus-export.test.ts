/**
 * `weft litmus export` (litmus/print.ts) and herd7 on Weft models. The
 * claims: printing a parsed litmus test and parsing it again keeps its
 * meaning (the 50 kernel tests keep herd7's counts, and the text is a
 * fixed point); herd7 reads what is printed (a sample each run) and gives
 * the same counts; hand-built programs (names that are no identifier or a
 * keyword, filter, forall and ~exists, plain accesses, the operators
 * herd7's C lacks) come out as text herd7 agrees with, and what it cannot
 * say is refused; every primitive of the parser's table prints as one that
 * parses back to the same instructions; and for every model with `expect
 * ... under lkmm` lines, each variant's property, exported, gets from
 * herd7 itself the verdict and the counts the LKMM mode gives it. The last
 * is the mode's cross-check against its oracle on Weft models: it shares
 * with herd7 only the .cat files the engine was translated from; what it
 * can miss is what the export and the mode share, the translation of the
 * model into a memory program (explore/lkmm/fromModel.ts), which
 * test/lkmm-model.test.ts checks from the other side (litmus tests
 * imported as models keep herd7's counts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLitmus } from '../src/litmus/parse.ts';
import { printLitmus } from '../src/litmus/print.ts';
import { checkLkmm } from '../src/explore/lkmm/check.ts';
import { parseModel, variantNames } from '../src/pipeline.ts';
import { lkmmVariant } from '../src/commands/lkmm.ts';
import type { MemInstr, MemProgram } from '../src/explore/lkmm/program.ts';
import { hasValue, primitive, primitiveNames, type Primitive } from '../src/litmus/primitives.ts';
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

function printed(p: MemProgram, comment = ''): string {
  const r = printLitmus(p, comment);
  if (!r.ok) throw new Error(`${p.name}: ${r.why}`);
  return r.text;
}

const counts = (p: MemProgram) => {
  const v = checkLkmm(p).verdict;
  return { observation: v.observation, positive: v.positive, negative: v.negative, flags: v.flags };
};

/** A program's instructions and clauses without the spans, which a reparse moves. */
const shape = (p: MemProgram) => {
  const locations = [...p.locations].sort((a, b) => a.name.localeCompare(b.name));
  return JSON.parse(JSON.stringify({ ...p, locations, source: null, span: null, name: null }, (k, v) => (k === 'span' ? undefined : v instanceof Map ? [...v] : v)));
};

/** Printed, parsed back: the same instructions, herd7's counts on the original, and (with herd7) herd7's own answer on the text. */
async function roundTrip(p: MemProgram, comment = ''): Promise<string> {
  const text = printed(p, comment);
  expect(counts(parsed('printed', text)), text).toEqual(counts(p));
  if (herdAvailable) expect(await herdOnText(text), text).toEqual(counts(p));
  return text;
}

describe('printing a litmus test', () => {
  it('keeps herd7\'s counts for all 50 kernel tests, and prints its own output back unchanged', () => {
    expect(files.length).toBe(50);
    for (const f of files) {
      const text = printed(parsed(f, readFileSync(`${DIR}/${f}`, 'utf8')));
      expect(counts(parsed(`${f} printed`, text)), f).toEqual(recorded.get(f));
      expect(printed(parsed(`${f} printed`, text)), f).toBe(text);
    }
  });

  it.runIf(herdAvailable)('gives text herd7 reads, with the same answer (a sample)', async () => {
    const seed = Date.now() % files.length;
    for (const k of [0, 7, 13, 29, 41]) {
      const f = files[(seed + k) % files.length]!;
      expect(await herdOnText(printed(parsed(f, readFileSync(`${DIR}/${f}`, 'utf8')))), `${f} (seed ${seed})`).toEqual(recorded.get(f));
    }
  }, 60_000);

  it('renames what is no C identifier, or is one of C\'s or herd\'s words, the condition with it', async () => {
    const p = parsed('t', 'C t\n{ x=1; }\nP0(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*x); r1 = r0 + 1; WRITE_ONCE(*y, r1); }\nP1(int *y) { int r0; r0 = READ_ONCE(*y); }\nexists (0:r0=1 /\\ 1:r0=2)\n');
    const names: Record<string, string> = { x: 'exists', y: 'P1', r0: 'int', r1: 'r-1' };
    const rename = <T>(v: T): T => JSON.parse(JSON.stringify(v, (k, x) => ((k === 'reg' || k === 'name' || k === 'loc') && typeof x === 'string' && names[x] ? names[x] : x)));
    const renamed: MemProgram = {
      ...p, name: 't*) (* x', locations: rename(p.locations), condition: rename(p.condition),
      threads: p.threads.map((t) => ({ ...t, body: rename(t.body) })),
    };
    const text = await roundTrip(renamed);
    expect(text.split('\n')[0]).toBe('C t______x');
    expect(text).not.toMatch(/\bint (int|P1|exists);|\*exists\b|r-1/);
    expect(text).toMatch(/0:int_=1 \/\\ 1:int_=2/);
    expect(counts(renamed)).toEqual(counts(p));
  }, 30_000);

  it('keeps a comment from ending early, and the name to the header line', async () => {
    const p = parsed('t', 'C t\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1)\n');
    const text = await roundTrip({ ...p, name: 'a b\n{ x=2; }' }, 'ends here *) P0(int *x) { } (* \u0007');
    expect(text.split('\n').slice(0, 4)).toEqual(['C a_b___x_2___', '', '(* ends here * ) P0(int *x) ? ? ( * ? *)', '']);
  }, 30_000);

  it('prints filter clauses, forall and ~exists, plain accesses, locations [...] and register initial values', async () => {
    const tests = [
      'C f\n{ y=3; 0:r2=5; 1:r3=y; }\nP0(int *x, int *y) { int r0; int r2; r0 = *y; *x = r2; }\nP1(int *x, int *y) { int r1; int *r3; r1 = READ_ONCE(*x); *r3 = -1; }\nlocations [x; 1:r1;]\nfilter (1:r1=5 \\/ 1:r1=0)\nexists (0:r0=-1 /\\ y=-1)\n',
      'C g\n{}\nP0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 1); }\nP1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); smp_rmb(); r1 = READ_ONCE(*x); }\nforall (~(1:r0=1 /\\ 1:r1=0))\n',
      'C h\n{}\nP0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); }\nP1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }\n~exists (0:r0=0 /\\ 1:r0=0)\n',
    ];
    const texts = await Promise.all(tests.map((t) => roundTrip(parsed('t', t))));
    expect(texts[0]).toMatch(/^\{ y=3; 0:r2=5; 1:r3=y; \}$/m);
    expect(texts[0]).toContain('\tr0 = *y;\n\t*x = r2;\n');
    expect(texts[0]).toContain('\t*r3 = (-1);\n');
    expect(texts[0]).toContain('locations [x; 1:r1;]\nfilter ((1:r1=5 \\/ 1:r1=0))\nexists ((0:r0=-1 /\\ y=-1))\n');
    expect(texts[1]).toContain('forall (~((1:r0=1 /\\ 1:r1=0)))');
    expect(texts[2]).toContain('~exists ((0:r0=0 /\\ 1:r0=0))');
  }, 30_000);

  it('writes !, unary -, %, && and || with what herd7\'s C has, an empty thread and an empty then as herd7 reads them', async () => {
    const text = await roundTrip(parsed('t', `C e
{ x=-7; }
P0(int *x, int *y) {
  int r0; int r1; int r2;
  r0 = READ_ONCE(*x);
  r1 = (!r0 && -r0 != -1) || r0 % 3 == -1;
  r2 = -(r0 / 2) * 3 - -2;
  if (r1) { } else { WRITE_ONCE(*y, r2); }
  if (r2) { }
}
P1() { }
P2(int *x) { WRITE_ONCE(*x, 8); }
exists (0:r1=1 \\/ y=11)
`));
    expect(text).not.toMatch(/!(?!=)|%|&&|\|\||\(-r|\{\n\s*\}/);
    expect(text).toContain('P1()\n{\n\tint r0;\n}');
  }, 30_000);

  it('refuses, in one line, what herd7\'s C cannot say', () => {
    const p = parsed('t', 'C t\n{}\nP0(int *x, spinlock_t *l) { int r0; r0 = READ_ONCE(*x); spin_lock(l); }\nexists (0:r0=0)\n');
    const load = p.threads[0]!.body[0] as MemInstr & { kind: 'load' };
    const refused: [MemProgram, RegExp][] = [
      [{ ...p, threads: [] }, /no threads/],
      [{ ...p, locations: p.locations.map((l) => (l.lock ? { ...l, init: 1 } : l)) }, /starts held/],
      [{ ...p, threads: [{ ...p.threads[0]!, body: [{ ...load, loc: { kind: 'binary', op: '+', left: { kind: 'reg', reg: 'r0' }, right: { kind: 'const', value: 1 } } }] }] }, /computed address/],
      [{ ...p, threads: [{ ...p.threads[0]!, body: [{ kind: 'rmw', reg: 'r0', loc: load.loc, op: 'add', operands: [{ kind: 'const', value: 1 }], mode: 'once', result: 'none', span: load.span }] }] }, /gives no value/],
      [{ ...p, threads: [{ ...p.threads[0]!, body: [{ kind: 'rmw', reg: 'r0', loc: load.loc, op: 'and', operands: [{ kind: 'const', value: 1 }], mode: 'mb', result: 'old', span: load.span }] }] }, /no kernel primitive/],
      [{ ...p, condition: { kind: 'eq', left: { kind: 'reg', thread: 3, reg: 'r0' }, right: 0 } }, /no thread/],
    ];
    for (const [q, why] of refused) {
      const r = printLitmus(q);
      expect(r.ok).toBe(false);
      if (!r.ok) { expect(r.why).toMatch(why); expect(r.why).not.toContain('\n'); }
    }
  });
});

/** A one-thread test calling a primitive of the parser's table, beside a thread that writes x and y, so that reads have a choice. */
function oneLiner(name: string, prim: Primitive): string {
  const call = (args: string[]) => `${name}(${args.join(', ')})`;
  const stmt = ((): string => {
    switch (prim.kind) {
      case 'load': return `r0 = ${call([prim.loc === 'access' ? '*x' : 'x'])}`;
      case 'store': return call([prim.loc === 'access' ? '*x' : 'x', '2']);
      case 'fence': return `r0 = READ_ONCE(*y); ${call([])}; r1 = READ_ONCE(*x)`;
      case 'lock': case 'trylock': case 'islocked': return `${prim.kind === 'lock' ? '' : 'r0 = '}${call(['l'])}; r1 = READ_ONCE(*x)`;
      case 'unlock': return `spin_lock(l); r1 = READ_ONCE(*x); ${call(['l'])}`;
      case 'rmw': {
        const args = Array.from({ length: prim.arity }, (_, k) => (k === prim.loc ? 'x' : String(k + 1)));
        return hasValue(prim) ? `r0 = ${call(args)}; r1 = READ_ONCE(*y)` : `${call(args)}; r1 = READ_ONCE(*y)`;
      }
    }
  })();
  const params = ['int *x', ...(stmt.includes('*y') ? ['int *y'] : []), ...(stmt.includes('(l)') ? ['spinlock_t *l'] : [])];
  return `C ${name}\n{ x=1; }\nP0(${params.join(', ')}) { int r0; int r1; ${stmt}; }\nP1(int *x, int *y) { WRITE_ONCE(*y, 1); smp_mb(); WRITE_ONCE(*x, 3); }\nexists (0:r0=1 /\\ 0:r1=0)\n`;
}

describe('every primitive the parser knows, printed and parsed back', () => {
  const table = primitiveNames.map((name) => [name, oneLiner(name, primitive(name)!)] as const);

  it('has the whole table', () => expect(table.length).toBeGreaterThanOrEqual(80));

  it.each(table)('%s: the same instructions', (name, text) => {
    const p = parsed(name, text);
    const again = parsed(`${name} printed`, printed(p));
    expect(shape(again), printed(p)).toEqual(shape(p));
    expect(printed(again)).toBe(printed(p));
  });

  it('a value-giving primitive as a statement keeps no register, and herd7 reads it', async () => {
    const p = parsed('t', 'C t\n{}\nP0(int *x) { xchg(x, 2); atomic_dec_and_test(x); cmpxchg_relaxed(x, 1, 3); }\nexists (x=1)\n');
    const text = await roundTrip(p);
    expect(text).toContain('\t(void)xchg(x, 2);\n\t(void)atomic_sub_return(1, x);\n\t(void)cmpxchg_relaxed(x, 1, 3);\n');
    expect(shape(parsed('again', text))).toEqual(shape(p));
  }, 30_000);

  it('a Weft model\'s zero and negative results in any mode, as the _return form compared with 0', async () => {
    const p = parsed('t', 'C t\n{ x=1; }\nP0(int *x) { int r0; int r1; r0 = atomic_sub_return_relaxed(1, x); r1 = atomic_add_return(-3, x); }\nexists (x=-3)\n');
    const [a, b] = p.threads[0]!.body as [MemInstr & { kind: 'rmw' }, MemInstr & { kind: 'rmw' }];
    const q: MemProgram = { ...p, threads: [{ ...p.threads[0]!, body: [{ ...a, result: 'zero' }, { ...b, result: 'negative' }] }], condition: { kind: 'and', left: { kind: 'eq', left: { kind: 'reg', thread: 0, reg: 'r0' }, right: 1 }, right: { kind: 'eq', left: { kind: 'reg', thread: 0, reg: 'r1' }, right: 1 } } };
    expect(counts(q).observation).toBe('Always');
    const text = await roundTrip(q);
    expect(text).toContain('\tr0 = (atomic_sub_return_relaxed(1, x) == 0);\n\tr1 = (atomic_add_return((-3), x) < 0);\n');
  }, 30_000);

  it.runIf(herdAvailable)('herd7 reads each printed test and agrees', async () => {
    const texts = table.map(([name, text]) => [name, printed(parsed(name, text))] as const);
    for (let k = 0; k < texts.length; k += 8) {
      await Promise.all(texts.slice(k, k + 8).map(async ([name, text]) => expect(await herdOnText(text), `${name}\n${text}`).toEqual(counts(parsed(name, text)))));
    }
  }, 120_000);
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
