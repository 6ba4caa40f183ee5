/**
 * The liveness core (src/explore/liveness.ts) on hand-made graphs with
 * known answers (the textbook lock, Peterson's algorithm, each way a cycle
 * can be fair or not, finite runs), against a brute-force characterization
 * on thousands of random small graphs, and checkLasso on lassos that are
 * wrong in each way it must notice.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GraphBuilder,
  checkGraphLasso,
  searchLiveness,
  type Fairness,
  type Lasso,
  type LivenessProperty,
  type LivenessResult,
  type StateGraph,
} from '../src/explore/liveness.ts';

type Prop = LivenessProperty<readonly boolean[]>;

/** Breadth-first enumeration of a tiny model: `next(s, i)` lists instance i's successors of s. */
function enumerate<S>(init: S, k: number, next: (s: S, i: number) => S[]): { graph: StateGraph; states: S[] } {
  const states: S[] = [init];
  const ids = new Map([[JSON.stringify(init), 0]]);
  const edges: [number, number, number][] = [];
  for (let at = 0; at < states.length; at++) {
    for (let i = 0; i < k; i++) {
      for (const t of next(states[at] as S, i)) {
        const key = JSON.stringify(t);
        let id = ids.get(key);
        if (id === undefined) {
          id = states.length;
          ids.set(key, id);
          states.push(t);
        }
        edges.push([at, i, id]);
      }
    }
  }
  const b = new GraphBuilder(states.length, k);
  for (const [f, i, t] of edges) b.add(f, i, t);
  return { graph: b.build(), states };
}

/** The search, with every lasso it returns checked by checkLasso; the result, and the check's report when violated. */
function run(graph: StateGraph, fairness: readonly Fairness[], property: Prop, initial: readonly number[] = [0]): LivenessResult {
  const r = searchLiveness(graph, fairness, property, initial);
  if (r.verdict === 'violated') {
    const c = r.counterexample;
    const check = checkGraphLasso(graph, fairness, property, c.lasso, initial);
    expect(check, JSON.stringify(c.lasso)).toMatchObject({ ok: true, end: c.end, triggerAt: c.triggerAt });
    if (check.ok) expect(check.report).toEqual(c.report);
  }
  return r;
}

const path = (l: Lasso<number>): string =>
  [l.initial, ...l.stem.map((s) => `-${s.instance}->${s.to}`)].join('') + ' | ' + l.cycle.map((s) => `${s.from}-${s.instance}->${s.to}`).join(' ');

describe('the lock shared by a[2] (acquire: atomic { await !lock; lock = true; } cs: skip; release: lock = false;)', () => {
  // [lock, pc of a[0], pc of a[1]], pc 0: acquire, 1: cs, 2: release.
  type L = [number, number, number];
  const { graph, states } = enumerate<L>([0, 0, 0], 2, (s, i) => {
    const [lock, ...pc] = s;
    const set = (l: number, p: number): L => {
      const next = [...pc];
      next[i] = p;
      return [l, next[0] as number, next[1] as number];
    };
    switch (pc[i]) {
      case 0: return lock ? [] : [set(1, 1)];
      case 1: return [set(lock, 2)];
      default: return [set(0, 0)];
    }
  });
  const at = (pc: number) => states.map((s) => s[1] === pc);
  const enters: Prop = { kind: 'eventually', q: at(1) };
  const each = ['none', 'weak', 'strong'] as const;

  it('has the 5 states of the model', () => expect(graph.stateCount).toBe(5));

  it('eventually a[0]@cs: violated with no fairness, a[0] starved at the start, a[1] looping', () => {
    const r = run(graph, ['none', 'none'], enters);
    expect(r.verdict).toBe('violated');
    if (r.verdict !== 'violated') return;
    expect(r.counterexample.lasso.stem).toEqual([]);
    expect(r.counterexample.lasso.cycle.map((s) => s.instance)).toEqual([1, 1, 1]);
    expect(r.counterexample.report.starved).toEqual([0]);
    expect(r.counterexample.report.instances.map((i) => i.respected)).toEqual(['unconstrained', 'unconstrained']);
  });

  it('eventually a[0]@cs: violated with weak fairness, a[0] enabled only intermittently', () => {
    const r = run(graph, ['weak', 'weak'], enters);
    expect(r.verdict).toBe('violated');
    if (r.verdict !== 'violated') return;
    const [a0, a1] = r.counterexample.report.instances;
    expect(a0).toMatchObject({ respected: 'disabled-somewhere', moves: 0, enabledAt: 1, positions: 3 });
    expect(states[a0?.disabledAt as number]?.[0]).toBe(1);
    expect(a1).toMatchObject({ respected: 'moves', moves: 3 });
    expect(r.counterexample.report.starved).toEqual([0]);
  });

  it('eventually a[0]@cs: holds with strong fairness', () => {
    expect(run(graph, ['strong', 'strong'], enters).verdict).toBe('holds');
    // Strong fairness for a[0] alone is enough; for a[1] alone it is not.
    expect(run(graph, ['strong', 'none'], enters).verdict).toBe('holds');
    expect(run(graph, ['none', 'strong'], enters).verdict).toBe('violated');
  });

  it('a[0]@acquire ~> a[0]@cs and always eventually a[0]@cs: the same verdicts', () => {
    const leads: Prop = { kind: 'leadsTo', p: at(0), q: at(1) };
    const often: Prop = { kind: 'alwaysEventually', q: at(1) };
    for (const p of [leads, often]) {
      expect(each.map((f) => run(graph, [f, f], p).verdict)).toEqual(['violated', 'violated', 'holds']);
    }
  });

  it('eventually a[1]@release: violated without fairness only', () => {
    const p: Prop = { kind: 'eventually', q: states.map((s) => s[2] === 2) };
    expect(each.map((f) => run(graph, [f, f], p).verdict)).toEqual(['violated', 'violated', 'holds']);
  });
});

describe("Peterson's algorithm for two", () => {
  // [flag0, flag1, turn, pc0, pc1]; pc 0: flag[i] = true, 1: turn = 1-i, 2: await (!flag[1-i] || turn == i), 3: cs, 4: flag[i] = false.
  type P = [number, number, number, number, number];
  const { graph, states } = enumerate<P>([0, 0, 0, 0, 0], 2, (s, i) => {
    const next = [...s] as P;
    const pc = 3 + i;
    switch (s[pc]) {
      case 0: next[i] = 1; break;
      case 1: next[2] = 1 - i; break;
      case 2: if (s[1 - i] && s[2] !== i) return []; break;
      case 3: break;
      default: next[i] = 0; next[pc] = -1; break;
    }
    next[pc]++;
    return [next];
  });
  const waiting = states.map((s) => s[3] === 2);
  const inCs = states.map((s) => s[3] === 3);

  it('is mutually exclusive (a sanity check of the enumerator)', () => {
    expect(states.some((s) => s[3] === 3 && s[4] === 3)).toBe(false);
  });

  it('eventually a[0]@cs: violated without fairness (a[1] runs for ever, a[0] never announces itself), holds with weak fairness for a[0]', () => {
    const p: Prop = { kind: 'eventually', q: inCs };
    const r = run(graph, ['none', 'none'], p);
    expect(r.verdict).toBe('violated');
    if (r.verdict !== 'violated') return;
    expect(r.counterexample.report.starved).toEqual([0]);
    expect(r.counterexample.lasso.cycle.every((s) => states[s.from]?.[3] === 0)).toBe(true);
    expect(run(graph, ['weak', 'weak'], p).verdict).toBe('holds');
    expect(run(graph, ['weak', 'none'], p).verdict).toBe('holds');
    expect(run(graph, ['none', 'strong'], p).verdict).toBe('violated');
  });

  it('a[0] waiting ~> a[0] in cs holds even without fairness: a[1] soon blocks at its await, so a[0] is the one to move', () => {
    const p: Prop = { kind: 'leadsTo', p: waiting, q: inCs };
    expect(run(graph, ['none', 'none'], p).verdict).toBe('holds');
  });

  it('a[0] not yet announced ~> a[0] in cs: the counterexample starts its suffix where a[0] is at its first step', () => {
    const r = run(graph, ['none', 'weak'], { kind: 'leadsTo', p: states.map((s) => s[3] === 0), q: inCs });
    if (r.verdict !== 'violated') throw new Error('expected a violation');
    const c = r.counterexample;
    const runStates = [c.lasso.initial, ...c.lasso.stem.map((s) => s.to)];
    expect(states[runStates[c.triggerAt] as number]?.[3]).toBe(0);
  });
});

describe('hand-made graphs', () => {
  const graph = (n: number, k: number, edges: [number, number, number][]): StateGraph => {
    const b = new GraphBuilder(n, k);
    for (const [f, i, t] of edges) b.add(f, i, t);
    return b.build();
  };
  const only = (n: number, ...states: number[]): boolean[] => Array.from({ length: n }, (_, s) => states.includes(s));

  it('a spinner beside a one-step actor: weak fairness lets the step happen', () => {
    // a[0]: loop skip; a[1]: done = true.
    const g = graph(2, 2, [[0, 0, 0], [0, 1, 1], [1, 0, 1]]);
    const p: Prop = { kind: 'eventually', q: only(2, 1) };
    const r = run(g, ['none', 'none'], p);
    expect(r.verdict === 'violated' && path(r.counterexample.lasso)).toBe('0 | 0-0->0');
    expect(run(g, ['weak', 'none'], p).verdict).toBe('violated');
    expect(run(g, ['none', 'weak'], p).verdict).toBe('holds');
    expect(run(g, ['none', 'strong'], p).verdict).toBe('holds');
  });

  it('a run that stops (deadlock) violates eventually under any fairness, with an empty cycle', () => {
    const g = graph(3, 1, [[0, 0, 1], [1, 0, 2]]);
    for (const f of ['none', 'weak', 'strong'] as const) {
      const r = run(g, [f], { kind: 'eventually', q: only(3) });
      expect(r.verdict).toBe('violated');
      if (r.verdict !== 'violated') continue;
      expect(r.counterexample).toMatchObject({ end: 'terminal', lasso: { cycle: [], loopStart: 2 } });
      expect(r.counterexample.report.instances[0]?.respected).toBe(f === 'none' ? 'unconstrained' : 'disabled-throughout');
    }
    // A state with transitions only into Q is not an end: the run must go on into Q.
    expect(run(g, ['none'], { kind: 'eventually', q: only(3, 2) }).verdict).toBe('holds');
  });

  it('eventually holds when Q holds initially, always eventually does not', () => {
    const g = graph(2, 1, [[0, 0, 1], [1, 0, 1]]);
    expect(run(g, ['strong'], { kind: 'eventually', q: only(2, 0) }).verdict).toBe('holds');
    const r = run(g, ['strong'], { kind: 'alwaysEventually', q: only(2, 0) });
    expect(r.verdict === 'violated' && [path(r.counterexample.lasso), r.counterexample.triggerAt]).toEqual(['0-0->1 | 1-0->1', 1]);
  });

  it('the stem of a leads-to counterexample may pass through Q before P', () => {
    // 0 (Q) -> 1 (P) -> 2 -> 2 by instance 0; 1 and 2 -> 3 (Q) by instance 1.
    const g = graph(4, 2, [[0, 0, 1], [1, 0, 2], [1, 1, 3], [2, 0, 2], [2, 1, 3], [3, 0, 3]]);
    const p: Prop = { kind: 'leadsTo', p: only(4, 1), q: only(4, 0, 3) };
    expect(run(g, ['weak', 'weak'], p).verdict).toBe('holds');
    const r = run(g, ['weak', 'none'], p);
    expect(r.verdict === 'violated' && [path(r.counterexample.lasso), r.counterexample.triggerAt]).toEqual(['0-0->1-0->2 | 2-0->2', 1]);
    expect(run(g, ['weak', 'weak'], { kind: 'eventually', q: only(4, 0, 3) }).verdict).toBe('holds');
  });

  it('a P state from which Q cannot be avoided does not end the search: the stem goes on through Q to a later P', () => {
    // 0 (P) -> 1 (Q) -> 2 (P) -> 2; the suffix from 0 meets Q, the one from 2 does not.
    const g = graph(3, 1, [[0, 0, 1], [1, 0, 2], [2, 0, 2]]);
    for (const p of [{ kind: 'leadsTo', p: only(3, 0, 2), q: only(3, 1) }, { kind: 'alwaysEventually', q: only(3, 1) }] as Prop[]) {
      const r = run(g, ['strong'], p);
      expect(r.verdict === 'violated' && [path(r.counterexample.lasso), r.counterexample.triggerAt]).toEqual(['0-0->1-0->2 | 2-0->2', 2]);
    }
    expect(run(g, ['strong'], { kind: 'leadsTo', p: only(3, 0), q: only(3, 1) }).verdict).toBe('holds');
  });

  it('weak fairness: an instance enabled throughout that never moves rules a cycle out; disabled once, it does not', () => {
    // Cycle 0 <-> 1 by instance 0; instance 1 leaves for Q (state 2) from both, or from 0 only.
    const both = graph(3, 2, [[0, 0, 1], [0, 1, 2], [1, 0, 0], [1, 1, 2], [2, 0, 2]]);
    const once = graph(3, 2, [[0, 0, 1], [0, 1, 2], [1, 0, 0], [2, 0, 2]]);
    const p: Prop = { kind: 'eventually', q: only(3, 2) };
    expect(run(both, ['none', 'weak'], p).verdict).toBe('holds');
    const r = run(once, ['none', 'weak'], p);
    expect(r.verdict === 'violated' && r.counterexample.report.instances[1]).toMatchObject({ respected: 'disabled-somewhere', disabledAt: 1 });
    expect(run(once, ['none', 'strong'], p).verdict).toBe('holds');
  });

  it('strong fairness: the refinement removes the states where a starved instance is enabled, and finds the fair part left', () => {
    // {0, 1} by instance 0; instance 1 enabled at 0 only (to Q); 1 has a self-loop.
    const g = graph(3, 2, [[0, 0, 1], [0, 1, 2], [1, 0, 0], [1, 0, 1], [2, 0, 2]]);
    const r = run(g, ['none', 'strong'], { kind: 'eventually', q: only(3, 2) });
    expect(r.verdict === 'violated' && path(r.counterexample.lasso)).toBe('0-0->1 | 1-0->1');
    expect(r.verdict === 'violated' && r.counterexample.report.instances[1]?.respected).toBe('disabled-throughout');
    expect(r.verdict === 'violated' && r.stats.refinements).toBe(1);
    // Without the self-loop nothing fair is left.
    const h = graph(3, 2, [[0, 0, 1], [0, 1, 2], [1, 0, 0], [2, 0, 2]]);
    expect(run(h, ['none', 'strong'], { kind: 'eventually', q: only(3, 2) }).verdict).toBe('holds');
  });

  it('nested refinement: two strong instances removed one after the other', () => {
    // A ring 0->1->2->3->0 by instance 0, chords 1->3 and 3->1 by 0; instance 1 enabled at 0 (to Q = 4), instance 2 at 2 (to Q).
    const g = graph(5, 3, [[0, 0, 1], [1, 0, 2], [2, 0, 3], [3, 0, 0], [1, 0, 3], [3, 0, 1], [0, 1, 4], [2, 2, 4], [4, 0, 4]]);
    const r = run(g, ['weak', 'strong', 'strong'], { kind: 'eventually', q: only(5, 4) });
    expect(r.verdict === 'violated' && path(r.counterexample.lasso)).toBe('0-0->1 | 1-0->3 3-0->1');
    // A weak instance needs moves or a state where it is disabled on the cycle: here it builds one through both.
    const w = run(g, ['weak', 'weak', 'weak'], { kind: 'eventually', q: only(5, 4) });
    expect(w.verdict === 'violated' && path(w.counterexample.lasso)).toBe('0 | 0-0->1 1-0->3 3-0->0');
  });

  it('the cycle takes a move of every instance that must move', () => {
    // One SCC {0, 1, 2}: instance 0 cycles 0->1->2->0, instance 1 has only 2->2, instance 2 has only 1->0; all enabled everywhere? No: 1 at 2 only, 2 at 1 only.
    const g = graph(3, 3, [[0, 0, 1], [1, 0, 2], [2, 0, 0], [2, 1, 2], [1, 2, 0]]);
    const r = run(g, ['strong', 'strong', 'strong'], { kind: 'eventually', q: only(3) });
    expect(r.verdict).toBe('violated');
    if (r.verdict !== 'violated') return;
    const moved = new Set(r.counterexample.lasso.cycle.map((s) => s.instance));
    expect([...moved].sort()).toEqual([0, 1, 2]);
    expect(r.counterexample.report.starved).toEqual([]);
  });

  it('several initial states: the first in the given order with a shortest counterexample gives the stem', () => {
    const g = graph(4, 1, [[0, 0, 1], [1, 0, 1], [2, 0, 3], [3, 0, 3]]);
    const show = (r: LivenessResult) => r.verdict === 'violated' && path(r.counterexample.lasso);
    expect(show(run(g, ['weak'], { kind: 'eventually', q: only(4) }, [0, 2]))).toBe('0-0->1 | 1-0->1');
    expect(show(run(g, ['weak'], { kind: 'eventually', q: only(4) }, [2, 0]))).toBe('2-0->3 | 3-0->3');
    // An initial state where Q holds starts no counterexample to eventually.
    expect(show(run(g, ['weak'], { kind: 'eventually', q: only(4, 0) }, [0, 2]))).toBe('2-0->3 | 3-0->3');
  });

  it('survives a ring of 300,000 states (no recursion)', () => {
    const n = 300_000;
    const b = new GraphBuilder(n, 1);
    for (let s = 0; s < n; s++) b.add(s, 0, (s + 1) % n);
    const r = searchLiveness(b.build(), ['strong'], { kind: 'eventually', q: () => false });
    expect(r.verdict === 'violated' && r.counterexample.lasso.cycle.length).toBe(n);
  });

  it('reports bad input as a value', () => {
    const g = graph(2, 1, [[0, 0, 1]]);
    expect(searchLiveness(g, [], { kind: 'eventually', q: [] })).toEqual({ verdict: 'invalid', problem: '0 fairness entries for 1 instances' });
    expect(searchLiveness(g, ['weak'], { kind: 'eventually', q: [] }, [2]).verdict).toBe('invalid');
    const broken = { ...g, targets: Int32Array.from([5]) };
    expect(searchLiveness(broken, ['weak'], { kind: 'eventually', q: [] })).toEqual({ verdict: 'invalid', problem: 'transition 0 goes to 5, outside 0..1' });
  });
});

describe('checkLasso rejects', () => {
  // 0 -> 1 -> 2 -> 1 by instance 0; instance 1 at 1 only, to 3 (Q); 2 -> 4 terminal by instance 1.
  const b = new GraphBuilder(5, 2);
  for (const [f, i, t] of [[0, 0, 1], [1, 0, 2], [2, 0, 1], [1, 1, 3], [3, 0, 3], [2, 1, 4]] as const) b.add(f, i, t);
  const g = b.build();
  const q = [false, false, false, true, false];
  const ev: Prop = { kind: 'eventually', q };
  const good: Lasso<number> = { initial: 0, stem: [{ from: 0, instance: 0, to: 1 }], cycle: [{ from: 1, instance: 0, to: 2 }, { from: 2, instance: 0, to: 1 }], loopStart: 1 };
  const check = (l: Lasso<number>, p: Prop = ev, fairness: Fairness[] = ['weak', 'none']) => checkGraphLasso(g, fairness, p, l);

  it('nothing wrong in the lasso it starts from', () => expect(check(good).ok).toBe(true));

  it.each([
    ['a run that starts elsewhere', { ...good, initial: 1, stem: [] , loopStart: 0 }, 'initial'],
    ['a wrong loopStart', { ...good, loopStart: 0 }, 'loopStart'],
    ['a step that is not a transition', { ...good, cycle: [{ from: 1, instance: 1, to: 2 }, { from: 2, instance: 0, to: 1 }] }, 'not a transition'],
    ['a step from elsewhere', { ...good, cycle: [{ from: 2, instance: 0, to: 1 }, { from: 1, instance: 0, to: 2 }] }, 'does not start'],
    ['a cycle that does not close', { ...good, cycle: [{ from: 1, instance: 0, to: 2 }] }, 'does not end where it starts'],
    ['a stop where something is enabled', { ...good, cycle: [] }, 'can still move'],
    ['an unknown instance', { ...good, stem: [{ from: 0, instance: 7, to: 1 }] }, 'instance 7'],
  ] as const)('%s', (_, lasso, problem) => {
    const r = check(lasso as Lasso<number>);
    expect(r.ok ? '' : r.problem).toContain(problem);
  });

  it('a cycle unfair to a strong instance enabled on it', () => {
    const r = check(good, ev, ['weak', 'strong']);
    expect(r.ok ? '' : r.problem).toContain('unfair to instance 1');
  });

  it('Q on the cycle, on the stem, or no P before a Q-free suffix', () => {
    const intoQ: Lasso<number> = { initial: 0, stem: [{ from: 0, instance: 0, to: 1 }, { from: 1, instance: 1, to: 3 }], cycle: [{ from: 3, instance: 0, to: 3 }], loopStart: 2 };
    expect(check(intoQ, ev)).toMatchObject({ ok: false });
    const qAtStart = [true, false, false, false, false];
    expect(check(good, { kind: 'eventually', q: qAtStart })).toMatchObject({ ok: false, problem: 'Q holds at run position 0' });
    expect(check(good, { kind: 'alwaysEventually', q: qAtStart })).toMatchObject({ ok: true, triggerAt: 1 });
    expect(check(good, { kind: 'leadsTo', p: [true, false, false, false, false], q: qAtStart })).toMatchObject({ ok: false });
    // P holds only on the cycle, at run position 2: it comes round for ever.
    expect(check(good, { kind: 'leadsTo', p: [false, false, true, false, false], q: qAtStart })).toMatchObject({ ok: true, triggerAt: 2 });
  });
});

/** A random small graph with a property, fairness and initial states. */
const smallCase = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 3 }))
  .chain(([n, k]) =>
    fc.record({
      n: fc.constant(n),
      k: fc.constant(k),
      edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(k - 1), fc.nat(n - 1)), { maxLength: 3 * n }),
      fairness: fc.array(fc.constantFrom<Fairness>('none', 'weak', 'strong'), { minLength: k, maxLength: k }),
      // Q holds at about a third of the states, so that both verdicts are common.
      q: fc.array(fc.nat(2).map((v) => v === 0), { minLength: n, maxLength: n }),
      p: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      kind: fc.constantFrom('eventually', 'leadsTo', 'alwaysEventually'),
      initial: fc.uniqueArray(fc.nat(n - 1), { minLength: 1, maxLength: 2 }),
    }),
  );
type SmallCase = typeof smallCase extends fc.Arbitrary<infer T> ? T : never;

/**
 * The answer straight from the definitions, by enumeration: the sets of
 * states an infinite fair run can visit infinitely often are the nonempty
 * not-Q subsets S whose induced subgraph is strongly connected and has a
 * transition, in which each weak instance moves or is disabled at some
 * state, and each strong instance moves or is disabled at every state (a
 * cycle through all of S's transitions realizes them); a finite run ends at
 * a terminal state. Returns the length of the shortest stem to such an end,
 * found by exact-length path sets, or null when the property holds.
 */
function bruteForce(c: SmallCase): number | null {
  const { n, k, edges, fairness, q } = c;
  const trigger = (s: number): boolean => !q[s] && (c.kind !== 'leadsTo' || (c.p[s] as boolean));
  const enabled = (s: number, i: number): boolean => edges.some(([f, j]) => f === s && j === i);
  const ends = new Set<number>();
  for (let s = 0; s < n; s++) if (!q[s] && !edges.some(([f]) => f === s)) ends.add(s);
  for (let mask = 1; mask < 1 << n; mask++) {
    const S = [...Array(n).keys()].filter((s) => mask & (1 << s));
    if (S.some((s) => q[s])) continue;
    const inner = edges.filter(([f, , t]) => mask & (1 << f) && mask & (1 << t));
    if (inner.length === 0) continue;
    const reach = (from: number, forward: boolean): Set<number> => {
      const seen = new Set([from]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const [f, , t] of inner) {
          const [a, b] = forward ? [f, t] : [t, f];
          if (seen.has(a) && !seen.has(b)) seen.add(b), (grew = true);
        }
      }
      return seen;
    };
    if (reach(S[0] as number, true).size !== S.length || reach(S[0] as number, false).size !== S.length) continue;
    const fair = [...Array(k).keys()].every((i) => {
      const moves = inner.some(([, j]) => j === i);
      const enabledAt = S.filter((s) => enabled(s, i)).length;
      switch (fairness[i]) {
        case 'weak': return moves || enabledAt < S.length;
        case 'strong': return moves || enabledAt === 0;
        default: return true;
      }
    });
    if (fair) S.forEach((s) => ends.add(s));
  }
  // Pairs "state, whether the Q-free suffix has begun" reachable in exactly L steps.
  const key = (s: number, on: boolean): string => `${s}/${on}`;
  let layer = new Set<string>();
  for (const s of c.initial) {
    if (c.kind !== 'eventually') layer.add(key(s, false));
    if (trigger(s)) layer.add(key(s, true));
  }
  for (let L = 0; L <= 2 * n; L++) {
    if ([...ends].some((s) => layer.has(key(s, true)))) return L;
    const next = new Set<string>();
    for (const [f, , t] of edges) {
      if (layer.has(key(f, false))) {
        next.add(key(t, false));
        if (trigger(t)) next.add(key(t, true));
      }
      if (layer.has(key(f, true)) && !q[t]) next.add(key(t, true));
    }
    layer = next;
  }
  return null;
}

function propertyOf(c: SmallCase): Prop {
  return c.kind === 'leadsTo' ? { kind: 'leadsTo', p: c.p, q: c.q } : { kind: c.kind as 'eventually' | 'alwaysEventually', q: c.q };
}

function graphOf(c: SmallCase): StateGraph {
  const b = new GraphBuilder(c.n, c.k);
  for (const [f, i, t] of c.edges) b.add(f, i, t);
  return b.build();
}

describe('random small graphs against the definitions', () => {
  it('agrees with brute force on 10,000 graphs, with a valid, shortest-stem lasso for every violation', () => {
    const seen = { holds: 0, cycle: 0, terminal: 0, refined: 0, starved: 0 };
    fc.assert(
      fc.property(smallCase, (c) => {
        const graph = graphOf(c);
        const r = run(graph, c.fairness, propertyOf(c), c.initial);
        const stem = bruteForce(c);
        if (r.verdict === 'invalid') return false;
        if (r.stats.refinements > 0) seen.refined++;
        if (r.verdict === 'holds') {
          seen.holds++;
          expect(stem).toBeNull();
        } else {
          seen[r.counterexample.end]++;
          if (r.counterexample.report.starved.length > 0) seen.starved++;
          expect(r.counterexample.lasso.stem.length).toBe(stem);
        }
        return true;
      }),
      { numRuns: 10_000 },
    );
    // Every kind of answer came up often enough for the agreement to mean something.
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(100);
  });

  it('is deterministic: the same graph, rebuilt, gives the same answer, also with predicates as functions', () => {
    fc.assert(
      fc.property(smallCase, (c) => {
        const p = propertyOf(c);
        const a = searchLiveness(graphOf(c), c.fairness, p, c.initial);
        const b = searchLiveness(graphOf(c), c.fairness, p, c.initial);
        const fn = (v: readonly boolean[]) => (s: number) => v[s] as boolean;
        const viaFns = searchLiveness(graphOf(c), c.fairness, p.kind === 'leadsTo' ? { kind: 'leadsTo', p: fn(p.p), q: fn(p.q) } : { kind: p.kind, q: fn(p.q) }, c.initial);
        expect(b).toEqual(a);
        expect(viaFns).toEqual(a);
      }),
      { numRuns: 1000 },
    );
  });
});
