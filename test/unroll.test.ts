/**
 * Compile-time repetition (check/unroll.ts): a model with `for` must be the
 * model with the copies written out by hand, step for step. Each pair below
 * is compared twice: as IR (every step's pcs, guard and effect; spans and
 * the rendered statement texts aside, since the copies keep the text of the
 * body), and by a search (states, transitions, verdicts and the lengths of
 * their traces). The filter lock with `for` is compared with the
 * hand-unrolled models/classic/filter3.weft for N = 3 and with
 * bench/models/filter.weft for N = 4. What this cannot see: a hand-written
 * twin that is wrong in the same way as the unrolling (the twins are short
 * enough to read), and the AST oracle (test/oracle/promela) reads the
 * checked, already unrolled AST, so it cannot see a bug here either.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../src/pipeline.ts';
import type { Program } from '../src/lower/ir.ts';
import { explore } from '../src/explore/reference.ts';
import { familyOf, indexedName, namedBy } from '../src/syntax/families.ts';
import { MAX_UNROLLED } from '../src/check/limits.ts';

function program(text: string, variant: string | null = null, defines: Record<string, string> = {}, path = 't.weft'): Program {
  const r = compileSource({ path, text }, { variant, defines });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return r.program;
}

/** The steps and properties, without where they were written or what they are called. */
function shape(p: Program): string {
  const drop = new Set(['span', 'label', 'pSpan', 'qSpan', 'name', 'message', 'file']);
  return JSON.stringify({ steps: p.steps, properties: p.properties, actors: p.actors.map((a) => ({ ...a, span: null })) }, (k, v) => (drop.has(k) ? undefined : v));
}

async function outcome(p: Program): Promise<unknown> {
  const r = await explore(p);
  return {
    states: r.stats.states, transitions: r.stats.transitions, depth: r.stats.depth,
    verdicts: r.verdicts.map((v) => `${v.kind} ${v.status} ${v.trace?.steps.length ?? '-'}`),
  };
}

async function expectTwins(withFor: string, byHand: string): Promise<void> {
  const a = program(withFor);
  const b = program(byHand);
  expect(shape(a)).toBe(shape(b));
  expect(await outcome(a)).toEqual(await outcome(b));
}

const prelude = 'const N = 3;\nshared xs: bool[N];\nshared x: 0..3;\nshared n: 0..9;\n';

describe('for is its copies written out', () => {
  it('statements, one copy per value, in order', async () => {
    await expectTwins(
      `${prelude}actor a { for i in 0..N-1 { xs[i] = true; x = i; } }`,
      `${prelude}actor a { xs[0] = true; x = 0; xs[1] = true; x = 1; xs[2] = true; x = 2; }`,
    );
  });

  it('an unrolled atomic body is one step', async () => {
    await expectTwins(
      `${prelude}actor a[2] { atomic { for i in 0..N-1 { xs[i] = !xs[i]; } } }`,
      `${prelude}actor a[2] { atomic { xs[0] = !xs[0]; xs[1] = !xs[1]; xs[2] = !xs[2]; } }`,
    );
  });

  it('nested, with bounds that read the outer variable, and conditions on it fixed (no step)', async () => {
    await expectTwins(
      `${prelude}actor a { for i in 0..N-1 { for j in i+1..N-1 { if (i == 0) n += 1; else if (xs[j]) n += 2; } } }`,
      `${prelude}actor a { n += 1; n += 1; if (xs[2]) n += 2; }`,
    );
  });

  it('an empty range is nothing, also as a choose branch', async () => {
    await expectTwins(
      `${prelude}actor a { for i in 2..1 { x = 3; } choose { for i in 0..0 { x = i + 1; } } or { for i in 1..0 { skip; } } }`,
      `${prelude}actor a { choose { { x = 1; } } or { } }`,
    );
  });

  it('a label in the body is repeated: a position covers every copy', async () => {
    const body = '\nreachable second: a@set && xs[0];\nexpect default: reached second;\n';
    await expectTwins(
      `${prelude}actor a { for i in 0..1 { set: xs[i] = true; } }${body}`,
      `${prelude}actor a { set: xs[0] = true; set: xs[1] = true; }${body}`,
    );
  });

  it('inside fns, with a run-time loop in the body', async () => {
    await expectTwins(
      `${prelude}fn fill(v: bool) { for i in 0..N-1 { while (x < i) { if (xs[i]) break; x += 1; } xs[i] = v; } }\nactor a { fill(true); }\nactor b { fill(false); }`,
      `${prelude}fn fill(v: bool) { while (x < 0) { if (xs[0]) break; x += 1; } xs[0] = v; while (x < 1) { if (xs[1]) break; x += 1; } xs[1] = v; while (x < 2) { if (xs[2]) break; x += 1; } xs[2] = v; }\nactor a { fill(true); }\nactor b { fill(false); }`,
    );
  });

  it('properties over instances, named with their indexes', async () => {
    const actor = 'actor w[N] { done: xs[self] = true; }\n';
    const a = program(`${prelude}${actor}for i in 0..N-1 { invariant set[i]: w[i]@done -> !xs[i]; reachable all[i]: xs[i]; }\nexpect default: reached all;\n`);
    const b = program(`${prelude}${actor}invariant s0: w[0]@done -> !xs[0]; reachable a0: xs[0];\ninvariant s1: w[1]@done -> !xs[1]; reachable a1: xs[1];\ninvariant s2: w[2]@done -> !xs[2]; reachable a2: xs[2];\nexpect default: reached a0, a1, a2;\n`);
    expect(shape(a)).toBe(shape(b));
    expect(a.properties.map((p) => p.name).slice(0, 6)).toEqual(['set[0]', 'all[0]', 'set[1]', 'all[1]', 'set[2]', 'all[2]']);
    expect(await outcome(a)).toEqual(await outcome(b));
  });

  it('x++ and --x are x += 1 and x -= 1', async () => {
    await expectTwins(`${prelude}actor a { x++; ++n; x--; --n; }`, `${prelude}actor a { x += 1; n += 1; x -= 1; n -= 1; }`);
  });
});

describe('the filter lock with for', () => {
  const withFor = readFileSync('test/cases/semantics/filter-for.weft', 'utf8');
  const forN = (n: number): string => withFor.replace(/^const N = 3;$/m, `const N = ${n};`);

  it('is filter3 for N = 3: the same IR and the same verdicts', async () => {
    for (const variant of ['filter', 'filter_unfair']) {
      const a = program(forN(3), variant);
      const b = program(readFileSync('models/classic/filter3.weft', 'utf8'), variant);
      expect(shape(a)).toBe(shape(b));
      const [ra, rb] = [await explore(a), await explore(b)];
      expect(ra.stats.states).toBe(465);
      expect(ra.stats.states).toBe(rb.stats.states);
      expect(ra.stats.transitions).toBe(rb.stats.transitions);
      // enters[i] is filter3's p<i>_enters.
      const rename = (name: string): string => name.replace(/^p(\d)_enters$/, 'enters[$1]');
      expect(ra.verdicts.map((v) => [v.property, v.status, v.trace?.steps.length])).toEqual(rb.verdicts.map((v) => [rename(v.property), v.status, v.trace?.steps.length]));
    }
  });

  it('is bench/models/filter.weft for N = 4', async () => {
    const a = program(forN(4), 'filter');
    const b = program(readFileSync('bench/models/filter.weft', 'utf8'), null, { N: '4' });
    const [ra, rb] = [await explore(a), await explore(b)];
    expect(ra.stats.states).toBe(9820);
    expect(ra.stats.states).toBe(rb.stats.states);
    expect(ra.stats.transitions).toBe(rb.stats.transitions);
    const status = (r: typeof ra, name: string) => r.verdicts.find((v) => v.property === name)?.status;
    for (const name of ['mutual_exclusion', 'crowded', 'two_at_top', 'deadlock']) expect(status(ra, name)).toBe(status(rb, name));
    expect(ra.verdicts.filter((v) => v.kind === 'liveness').map((v) => `${v.property} ${v.status}`)).toEqual([0, 1, 2, 3].map((i) => `enters[${i}] holds`));
  });
});

describe('the limit on copies', () => {
  it(`${MAX_UNROLLED} copies are made, one more is W3051 (before any is)`, () => {
    const at = (n: number): string => `shared x: 0..3;\nactor a { for i in 1..${n} { x = 1; } }\n`;
    expect(program(at(MAX_UNROLLED)).steps.length).toBe(MAX_UNROLLED);
    const over = compileSource({ path: 't.weft', text: at(MAX_UNROLLED + 1) }, { variant: null, defines: {} });
    expect(over.ok ? [] : over.diagnostics.map((d) => d.code)).toEqual(['W3051']);
    // An empty body still counts one for each copy: a range of 2^31 values is refused, not looped over.
    const empty = compileSource({ path: 't.weft', text: 'actor a { for i in 0..2147483647 { } }\n' }, { variant: null, defines: {} });
    expect(empty.ok ? [] : empty.diagnostics.map((d) => d.code)).toEqual(['W3051']);
  });
});

describe('families of properties', () => {
  it('a name stands for itself and its indexed copies, never for a longer index', () => {
    const names = ['enters[0]', 'enters[1]', 'enters[10]', 'pair[1][0]', 'pair[1][1]', 'pair[10][0]', 'inv'];
    expect(namedBy('enters', names)).toEqual(['enters[0]', 'enters[1]', 'enters[10]']);
    expect(namedBy('enters[1]', names)).toEqual(['enters[1]']);
    expect(namedBy('pair[1]', names)).toEqual(['pair[1][0]', 'pair[1][1]']);
    expect(namedBy('inv', names)).toEqual(['inv']);
    expect(namedBy('in', names)).toEqual([]);
    expect(indexedName('pair', [1, -2])).toBe('pair[1][-2]');
    expect(familyOf('pair[1][0]')).toBe('pair');
  });

  it('how many copies may depend on the variant; an expect line names those of its own', () => {
    const text = `option N: 1..3 = 2;
shared xs: bool[3];
actor a { for i in 0..N-1 { xs[i] = true; } }
for i in 0..N-1 { reachable set[i]: xs[i]; }
for i in 0..N-3 { invariant never[i]: true; }
variant two {}
variant three { N = 3; }
expect two: reached set;
expect three: reached set[2];
expect three: holds never;
`;
    expect(program(text, 'two').properties.map((p) => p.name).slice(0, 3)).toEqual(['set[0]', 'set[1]', 'deadlock']);
    expect(program(text, 'three').properties.map((p) => p.name).slice(0, 4)).toEqual(['set[0]', 'set[1]', 'set[2]', 'never[0]']);
    const wrong = compileSource({ path: 't.weft', text: text.replace('set[2];', 'set[3];') }, { variant: 'three', defines: {} });
    expect(wrong.ok ? [] : wrong.diagnostics.map((d) => d.code)).toEqual(['W2006']);
  });
});
