/**
 * The search for a fair counterexample (see ../liveness.ts for the
 * definitions it decides).
 *
 * 1. A breadth-first search of a two-layer product from the initial
 *    states: layer 0 is "before the trigger" (any state, any transition;
 *    leads-to and always-eventually only), layer 1 is "the trigger has
 *    happened, Q must never hold again" (not-Q states, transitions between
 *    them). A trigger state (P and not Q; not Q for always-eventually) is
 *    entered in both layers at once, at the same distance. For
 *    `eventually` the search starts in layer 1 (the trigger is the start)
 *    and has no layer 0.
 * 2. The fair components (components.ts) of the states reached in layer 1.
 * 3. The first layer-1 node in breadth-first order that is in a fair
 *    component or is terminal (no transitions at all) ends the stem: the
 *    stem is a shortest path to any state from which a fair not-Q run can
 *    go on for ever, or stop. Its fair cycle is built by cycle.ts.
 * Everything runs in the graph's transition order and the initial states'
 * order, so the same graph gives the same lasso.
 */
import { fairComponents } from './components.ts';
import { fairCycle } from './cycle.ts';
import { fairnessCodes, type Fairness } from './fairness.ts';
import { graphProblem, predicateBytes, stepOf, type GraphStep, type Predicate, type StateGraph } from './graph.ts';
import { describeCycle, type CycleReport, type Lasso, type LassoWorld, type LivenessProperty } from './check.ts';
import { assertNever } from '../../util.ts';

export interface Counterexample {
  readonly lasso: Lasso<number, GraphStep>;
  /** 'terminal': a finite run ending where nothing is enabled (the cycle is empty). */
  readonly end: 'cycle' | 'terminal';
  /** The run position from which Q never holds again: where P held for leads-to, 0 for eventually. */
  readonly triggerAt: number;
  readonly report: CycleReport<number>;
}

export interface SearchStats {
  /** States reached in layer 1 (not-Q after the trigger): the part searched for fair components. */
  readonly regionStates: number;
  readonly components: number;
  readonly refinements: number;
}

export type LivenessResult =
  | { readonly verdict: 'holds'; readonly stats: SearchStats }
  | { readonly verdict: 'violated'; readonly counterexample: Counterexample; readonly stats: SearchStats }
  | { readonly verdict: 'invalid'; readonly problem: string };

/** Decides `property` on the fair runs of `g` from `initial` (state 0 by default). */
export function searchLiveness(
  g: StateGraph,
  fairness: readonly Fairness[],
  property: LivenessProperty<Predicate>,
  initial: readonly number[] = [0],
): LivenessResult {
  const problem = graphProblem(g) ?? inputProblem(g, fairness, initial);
  if (problem !== null) return { verdict: 'invalid', problem };
  const n = g.stateCount;
  const { offsets, targets } = g;
  const q = predicateBytes(property.q, n);
  const trigger = triggerBytes(property, q, n);

  // 1. The product's nodes: s (layer 0) and n + s (layer 1). via: the edge that reached a node, -1 at a start, -2 unreached.
  const via = new Int32Array(2 * n).fill(-2);
  const parent = new Int32Array(2 * n);
  const queue = new Int32Array(2 * n);
  let tail = 0;
  const enter = (node: number, from: number, edge: number): void => {
    if (via[node] !== -2) return;
    via[node] = edge;
    parent[node] = from;
    queue[tail++] = node;
  };
  // A trigger state is entered in both layers: the suffix may begin there, or at a later trigger after Q held again.
  const arrive = (t: number, from: number, edge: number): void => {
    if (trigger[t]) enter(n + t, from, edge);
    enter(t, from, edge);
  };
  for (const s of initial) {
    if (property.kind === 'eventually') {
      if (trigger[s]) enter(n + s, -1, -1);
    } else {
      arrive(s, -1, -1);
    }
  }
  for (let head = 0; head < tail; head++) {
    const node = queue[head];
    const later = node >= n;
    const s = later ? node - n : node;
    for (let e = offsets[s]; e < offsets[s + 1]; e++) {
      const t = targets[e];
      if (later) {
        if (!q[t]) enter(n + t, node, e);
      } else {
        arrive(t, node, e);
      }
    }
  }

  // 2. Fair components of layer 1.
  let regionSize = 0;
  for (let j = 0; j < tail; j++) if (queue[j] >= n) regionSize++;
  const region = new Int32Array(regionSize);
  for (let j = 0, r = 0; j < tail; j++) if (queue[j] >= n) region[r++] = queue[j] - n;
  const codes = fairnessCodes(fairness);
  const found = fairComponents(g, codes, region);
  const stats: SearchStats = { regionStates: regionSize, components: found.components, refinements: found.refinements };

  // 3. The first layer-1 node that can go on fairly for ever, or stop.
  let goal = -1;
  for (let j = 0; j < tail && goal < 0; j++) {
    const node = queue[j];
    if (node < n) continue;
    const s = node - n;
    if (found.fair[s] === 1 || offsets[s] === offsets[s + 1]) goal = node;
  }
  if (goal < 0) return { verdict: 'holds', stats };

  const path: number[] = [];
  for (let node = goal; node >= 0; node = parent[node]) path.push(node);
  path.reverse();
  const stateOf = (node: number): number => (node >= n ? node - n : node);
  const stem = path.slice(1).map((node, j) => stepOf(g, stateOf(path[j]), via[node]));
  const entry = stateOf(goal);
  const terminal = offsets[entry] === offsets[entry + 1];
  const cycle = terminal ? [] : fairCycle(g, codes, found.component, entry);
  const world = graphWorld(g, fairness, initial);
  const report = describeCycle(world, terminal ? [entry] : cycle.map((s) => s.from), cycle);
  const lasso: Lasso<number, GraphStep> = { initial: stateOf(path[0]), stem, cycle, loopStart: stem.length };
  // The earliest position the stem could have begun its suffix at: a trigger from which Q never holds again (at least the one the search used).
  let triggerAt = path.length;
  while (triggerAt > 0 && !q[stateOf(path[triggerAt - 1])]) triggerAt--;
  while (!trigger[stateOf(path[triggerAt])]) triggerAt++;
  return { verdict: 'violated', counterexample: { lasso, end: terminal ? 'terminal' : 'cycle', triggerAt, report }, stats };
}

function inputProblem(g: StateGraph, fairness: readonly Fairness[], initial: readonly number[]): string | null {
  if (fairness.length !== g.instanceCount) return `${fairness.length} fairness entries for ${g.instanceCount} instances`;
  const bad = initial.find((s) => !Number.isInteger(s) || s < 0 || s >= g.stateCount);
  if (bad !== undefined) return `initial state ${bad} is not one of 0..${g.stateCount - 1}`;
  return null;
}

/** Where the run may start its not-Q suffix: P and not Q (leads-to), not Q (always eventually, and eventually at the start). */
function triggerBytes(property: LivenessProperty<Predicate>, q: Uint8Array, n: number): Uint8Array {
  switch (property.kind) {
    case 'eventually':
    case 'alwaysEventually':
      return q.map((v) => (v ? 0 : 1));
    case 'leadsTo': {
      const p = predicateBytes(property.p, n);
      return p.map((v, s) => (v && !q[s] ? 1 : 0));
    }
    default:
      return assertNever(property);
  }
}

/** A StateGraph as checkLasso sees it. */
export function graphWorld(g: StateGraph, fairness: readonly Fairness[], initial: readonly number[] = [0]): LassoWorld<number> {
  const { offsets, targets, instances } = g;
  const starts = new Set(initial);
  return {
    fairness,
    isInitial: (s) => starts.has(s),
    hasStep: (from, instance, to) => {
      if (!(from >= 0 && from < g.stateCount)) return false;
      for (let e = offsets[from]; e < offsets[from + 1]; e++) if (instances[e] === instance && targets[e] === to) return true;
      return false;
    },
    enabled: (s, instance) => {
      for (let e = offsets[s]; e < offsets[s + 1]; e++) if (instances[e] === instance) return true;
      return false;
    },
    same: (a, b) => a === b,
  };
}
