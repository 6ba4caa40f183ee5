/**
 * The tree store (`--store tree`, src/explore/treeStore.ts) against the
 * table store and against an oracle that shares no code with it (a Map of
 * vectors as strings, an array of parents). Every model we ship, in every
 * variant, and the benchmark models at small sizes must give the same
 * result with either store: verdicts, counts, depth, coverage and traces
 * (the JSON report without timings), also when --max-states cuts the
 * search short. What this cannot see: a difference that only shows beyond
 * the sizes checked here (the benchmark's runs compare counts at scale).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModel, parseModel } from '../src/pipeline.ts';
import type { Program } from '../src/lower/ir.ts';
import { check } from '../src/explore/engine.ts';
import { toJson } from '../src/report/json.ts';
import { TreeStore } from '../src/explore/treeStore.ts';
import { ParentLinks } from '../src/explore/parentLinks.ts';
import { programsOf } from './support/programs.ts';

function weftFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? weftFiles(p) : p.endsWith('.weft') ? [p] : [];
  });
}


/** The result as reported, without what differs from run to run (time, memory, the store's bytes). */
async function reported(p: Program, store: 'table' | 'tree', maxStates?: number): Promise<unknown> {
  const r = await check(p, 'compiled', maxStates === undefined ? {} : { maxStates }, { store });
  return { json: toJson(r, { stats: false }), states: r.stats.states, transitions: r.stats.transitions, depth: r.stats.depth, complete: r.complete };
}

async function sameWithBothStores(programs: readonly Program[], maxStates?: number): Promise<void> {
  expect(programs.length).toBeGreaterThan(0);
  for (const p of programs) {
    const table = await reported(p, 'table', maxStates);
    const tree = await reported(p, 'tree', maxStates);
    expect(tree, `${p.file.path} variant ${p.variant}`).toEqual(table);
  }
}

describe('the tree store gives the table store\'s results', () => {
  it('on every model under models/, every variant', async () => {
    await sameWithBothStores(weftFiles('models').flatMap((f) => programsOf(f, null)));
  }, 300_000);

  it('on the benchmark models at small sizes', async () => {
    await sameWithBothStores([
      ...programsOf('bench/models/philosophers.weft', null, { N: '6' }),
      ...programsOf('bench/models/filter.weft', null, { N: '3' }),
      ...programsOf('bench/models/gup-two-pinners.weft', null, { USERS: '1' }),
    ]);
  }, 120_000);

  it('with the first of several moves reaching a state as the trace\'s move', async () => {
    // Both instances, and the second step of each, lead from the initial state to the same state
    // (x = 1, every pc back at its loop's head): the trace takes the first in the search's order.
    const text = `model twice;
shared x: 0..2;
actor a[2] { loop { choose { set: x = 1; } or { again: x = 1; } } }
invariant never_set: x == 0;
`;
    const file = { path: 'twice.weft', text };
    const r = compileModel(file, parseModel(file).model!, { variant: null, defines: {} });
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
    await sameWithBothStores([r.program]);
    const tree = await check(r.program, 'compiled', {}, { store: 'tree' });
    const trace = tree.verdicts.find((v) => v.property === 'never_set')!.trace!;
    expect(trace.steps.map((s) => [s.instanceName, s.label])).toEqual([['a[0]', 'set']]);
  });

  it('when --max-states cuts the search short', async () => {
    const programs = [...programsOf('bench/models/philosophers.weft', null, { N: '5' }), ...programsOf('models/classic/peterson.weft', null)];
    for (const max of [1, 2, 37, 150]) await sameWithBothStores(programs, max);
    const r = await check(programs[0]!, 'compiled', { maxStates: 37 }, { store: 'tree' });
    expect([r.complete, r.reason, r.stats.states]).toEqual([false, 'max-states', 37]);
  }, 120_000);
});

/** A small deterministic generator (mulberry32), so that a failure repeats. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A breadth-first search over random vectors: each expanded state has a
 * few successors, most differing from it in a word or two (as a step
 * does), some anywhere. The oracle numbers states in a Map.
 */
function randomSearch(words: number, states: number, seed: number, hash?: (a: number, b: number) => number, sample?: number): TreeStore {
  const rnd = random(seed);
  const store = new TreeStore(words * 4, hash, sample);
  const index = new Map<string, number>();
  const vectors: Uint32Array[] = [];
  const parents: number[] = [];
  const key = (v: Uint32Array): string => v.join(',');
  const add = (v: Uint32Array, parent: number): void => {
    expect(store.lookup(v)).toBe(index.get(key(v)) ?? -1);
    if (index.has(key(v))) return;
    expect(store.insert(v, parent, 0)).toBe(vectors.length);
    index.set(key(v), vectors.length);
    vectors.push(v.slice());
    parents.push(parent);
  };
  // Small values so that vectors and their parts repeat; now and then a full 32-bit word.
  const word = (): number => (rnd() < 0.05 ? Math.floor(rnd() * 2 ** 32) : Math.floor(rnd() * 6));
  add(Uint32Array.from({ length: words }, word), -1);
  const cur = new Uint32Array(words);
  const fresh = (): Uint32Array => {
    const v = Uint32Array.from({ length: words }, word);
    if (sample !== undefined && words > 1) v[1] = v[0]!;
    return v;
  };
  for (let head = 0; vectors.length < states; head++) {
    // The queue ran dry: a state found from the last one expanded, so that the search goes on.
    if (head === vectors.length) { add(fresh(), head - 1); head--; continue; }
    store.load(head, cur);
    expect(Array.from(cur)).toEqual(Array.from(vectors[head]!));
    const n = Math.floor(rnd() * 4);
    for (let s = 0; s < n; s++) {
      const v = rnd() < 0.1 ? fresh() : cur.slice();
      for (let c = Math.floor(rnd() * 3); c > 0; c--) v[Math.floor(rnd() * words)] = word();
      // With a sample, words 0 and 1 vary together: a split that keeps them in one half takes fewer nodes.
      if (sample !== undefined) v[1] = v[0]!;
      add(v, head);
    }
  }
  expect(store.count).toBe(vectors.length);
  expect(store.count).toBeGreaterThanOrEqual(states);
  // Every state found again after the search, from the last state loaded and from a random one.
  const out = new Uint32Array(words);
  for (let i = 0; i < vectors.length; i++) {
    expect(store.parent(i)).toBe(parents[i]);
    store.load(Math.floor(rnd() * vectors.length), out);
    expect(store.lookup(vectors[i]!)).toBe(i);
    store.load(i, out);
    expect(Array.from(out)).toEqual(Array.from(vectors[i]!));
  }
  expect(store.memoryBytes()).toBeGreaterThan(0);
  return store;
}

describe('the tree store against a Map', () => {
  for (const words of [1, 2, 3, 7, 8, 9]) {
    // 6000 distinct states: the root's index (1024 slots at first) grows several times.
    it(`${words}-word vectors`, () => randomSearch(words, 6000, words));
  }
  for (const words of [3, 5, 8, 9]) {
    // The shape chosen from the first 700 states, which are stored again under it, mid-search.
    it(`${words}-word vectors, reshaped after 700 states`, () => {
      const store = randomSearch(words, 4000, 50 + words, undefined, 700);
      // The interleaved order (0, 1, 2...) would put words 0 and 1 in two halves.
      const left = store.leaves.filter((_, i) => i % 2 === 0);
      expect(left.includes(0)).toBe(left.includes(1));
    });
  }
  it('with every pair hashing alike (each lookup compares along one long cluster)', () => {
    for (const words of [1, 3, 8]) randomSearch(words, 1500, 100 + words, () => 0);
  });
  it('with a hash of few values (collisions with distinct tags and ids)', () => {
    randomSearch(9, 3000, 7, (a, b) => (a ^ b) & 3);
  });
});

describe('parent links', () => {
  it('recover each parent, across checkpoints, states without children and expansions adding 255 or more', () => {
    const links = new ParentLinks();
    const parents: number[] = [-1];
    links.add(0, -1);
    const rnd = random(3);
    // Children per expansion: mostly 0 to 3, some long runs of 0, some 254, 255, 256 and 700.
    const big = [254, 255, 256, 700];
    for (let p = 0; parents.length < 20_000; p++) {
      const r = rnd();
      const n = r < 0.02 ? big[Math.floor(rnd() * big.length)]! : r < 0.05 ? 0 : Math.floor(rnd() * 4);
      for (let c = 0; c < n; c++) { links.add(parents.length, p); parents.push(p); }
      if (r > 0.99) p += 300; // states that are never expanded before the next parent
    }
    for (let i = 0; i < parents.length; i++) expect(links.parent(i)).toBe(parents[i]);
  });

  it('refuse an order that is not breadth-first', () => {
    const links = new ParentLinks();
    links.add(0, -1);
    links.add(1, 0);
    links.add(2, 1);
    expect(() => links.add(3, 0)).toThrow(/breadth-first/);
  });
});
