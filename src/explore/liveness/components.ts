/**
 * The fair components of a region of the state graph (the not-Q states the
 * search can reach): maximal sets of states that an infinite fair run can
 * stay in for ever, visiting each state and taking each transition inside
 * infinitely often.
 *
 * A strongly connected component C of the region, with at least one
 * transition inside it (more than one state, or a self-loop), is examined
 * with enabledness taken from the whole graph (an instance is enabled where
 * the model lets it move, wherever that leads):
 * - a weak instance enabled at every state of C that never moves inside C
 *   rules C out, and every part of C with it (it is enabled throughout any
 *   part too, and moves in none): C is dropped;
 * - otherwise, a strong instance enabled at some state of C that never
 *   moves inside C cannot be enabled on a fair cycle in C, which must then
 *   avoid the states where it is enabled: those states are removed and the
 *   strongly connected components of the rest are examined in turn (the
 *   Emerson-Lei refinement for Streett conditions). A removed instance is
 *   never enabled in what remains, so the refinement is at most as deep as
 *   there are strong instances;
 * - otherwise C is fair: a cycle through all its transitions is a fair run.
 *
 * Tarjan's algorithm runs with explicit stacks (graphs have millions of
 * states and long paths; recursion would overflow) on typed arrays of n
 * entries each, allocated once and reused by every refinement round.
 */
import { STRONG, WEAK } from './fairness.ts';
import type { StateGraph } from './graph.ts';

export interface FairComponents {
  /**
   * The last component each state was placed in (-1: never, outside the
   * region). A fair state's entry is final, so the states of its fair
   * component are exactly those with the same entry.
   */
  readonly component: Int32Array;
  /** 1 where the state belongs to a fair component. */
  readonly fair: Uint8Array;
  /** Strongly connected components found, over all rounds. */
  readonly components: number;
  /** Components split because a strong instance was enabled in them but never moved. */
  readonly refinements: number;
}

/** The fair components among the states of `region` (in the order Tarjan's search starts from them). */
export function fairComponents(g: StateGraph, fairness: Uint8Array, region: Int32Array): FairComponents {
  const n = g.stateCount;
  const k = g.instanceCount;
  const { offsets, targets, instances } = g;
  // The part of the graph the current round examines: part[s] === round.
  const part = new Int32Array(n).fill(-1);
  const index = new Int32Array(n);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  const component = new Int32Array(n).fill(-1);
  const fair = new Uint8Array(n);
  // Per instance, reset lazily per component (touchedIn) so a component costs its own size, not k.
  const touchedIn = new Int32Array(k).fill(-1);
  const touched = new Int32Array(k);
  const seenAt = new Int32Array(k).fill(-1);
  const enabledCount = new Int32Array(k);
  const moves = new Uint8Array(k);
  const bad = new Int32Array(k).fill(-1);
  let stamp = 0;
  let components = 0;
  let refinements = 0;
  const work: Int32Array[] = [region];

  /** Examines the component stack[from..to). */
  function examine(from: number, to: number): void {
    const id = components++;
    const size = to - from;
    for (let j = from; j < to; j++) component[stack[j]] = id;
    if (size === 1 && !hasSelfLoop(g, stack[from])) return;
    let count = 0;
    for (let j = from; j < to; j++) {
      const v = stack[j];
      stamp++;
      for (let e = offsets[v], end = offsets[v + 1]; e < end; e++) {
        const i = instances[e];
        if (touchedIn[i] !== id) {
          touchedIn[i] = id;
          enabledCount[i] = 0;
          moves[i] = 0;
          touched[count++] = i;
        }
        if (seenAt[i] !== stamp) {
          seenAt[i] = stamp;
          enabledCount[i]++;
        }
        if (component[targets[e]] === id) moves[i] = 1;
      }
    }
    let strongBad = false;
    for (let t = 0; t < count; t++) {
      const i = touched[t];
      if (moves[i]) continue;
      if (fairness[i] === WEAK && enabledCount[i] === size) return;
      if (fairness[i] === STRONG) {
        bad[i] = id;
        strongBad = true;
      }
    }
    if (!strongBad) {
      for (let j = from; j < to; j++) fair[stack[j]] = 1;
      return;
    }
    refinements++;
    const rest: number[] = [];
    for (let j = from; j < to; j++) {
      const v = stack[j];
      let keep = true;
      for (let e = offsets[v], end = offsets[v + 1]; e < end && keep; e++) keep = bad[instances[e]] !== id;
      if (keep) rest.push(v);
    }
    if (rest.length > 0) work.push(Int32Array.from(rest));
  }

  for (let round = 0; work.length > 0; round++) {
    const roots = work.pop() as Int32Array;
    for (const s of roots) {
      part[s] = round;
      index[s] = -1;
    }
    let counter = 0;
    let sp = 0;
    for (const root of roots) {
      if (index[root] !== -1) continue;
      index[root] = low[root] = counter++;
      stack[sp++] = root;
      onStack[root] = 1;
      callNode[0] = root;
      callEdge[0] = offsets[root];
      let depth = 1;
      while (depth > 0) {
        const v = callNode[depth - 1];
        const e = callEdge[depth - 1];
        if (e < offsets[v + 1]) {
          callEdge[depth - 1] = e + 1;
          const w = targets[e];
          if (part[w] !== round) continue;
          if (index[w] === -1) {
            index[w] = low[w] = counter++;
            stack[sp++] = w;
            onStack[w] = 1;
            callNode[depth] = w;
            callEdge[depth] = offsets[w];
            depth++;
          } else if (onStack[w] === 1 && index[w] < low[v]) {
            low[v] = index[w];
          }
          continue;
        }
        depth--;
        if (low[v] === index[v]) {
          let j = sp;
          do {
            j--;
            onStack[stack[j]] = 0;
          } while (stack[j] !== v);
          examine(j, sp);
          sp = j;
        }
        if (depth > 0) {
          const u = callNode[depth - 1];
          if (low[v] < low[u]) low[u] = low[v];
        }
      }
    }
  }
  return { component, fair, components, refinements };
}

function hasSelfLoop(g: StateGraph, v: number): boolean {
  for (let e = g.offsets[v], end = g.offsets[v + 1]; e < end; e++) if (g.targets[e] === v) return true;
  return false;
}
