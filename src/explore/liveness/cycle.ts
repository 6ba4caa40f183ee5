/**
 * A fair cycle through a fair component, from and back to a given state of
 * it. The cycle is built greedily by breadth-first searches inside the
 * component: from where it has got to, to the nearest place that meets one
 * of the conditions still open, until none is, then back to the start.
 * The conditions, one an instance:
 * - a weak instance enabled at every state of the component takes one of
 *   its transitions (the component is fair, so one is inside it);
 * - a weak instance disabled at some state of it takes a transition or
 *   passes such a state, whichever comes first;
 * - a strong instance enabled at some state of it takes a transition (if
 *   it is enabled nowhere in the component it is disabled throughout);
 * - an instance without fairness asks nothing.
 * Each search stops at its nearest candidate, in the graph's transition
 * order, so the cycle is deterministic and short (not always the shortest:
 * that is an NP-hard covering problem).
 */
import { NONE, STRONG, WEAK } from './fairness.ts';
import { stepOf, type GraphStep, type StateGraph } from './graph.ts';

const OPEN_NONE = 0;
/** Must take a transition. */
const OPEN_MOVE = 1;
/** Must take a transition or pass a state where it is disabled. */
const OPEN_MOVE_OR_DISABLED = 2;

export function fairCycle(g: StateGraph, fairness: Uint8Array, component: Int32Array, entry: number): GraphStep[] {
  const { offsets, targets, instances } = g;
  const k = g.instanceCount;
  const id = component[entry];
  const inside = (s: number): boolean => component[s] === id;
  const search = new Bfs(g, inside);

  // What the component offers, per instance.
  const members = search.reachable(entry);
  const enabledCount = new Int32Array(k);
  const seen = new Int32Array(k).fill(-1);
  for (const v of members) {
    for (let e = offsets[v]; e < offsets[v + 1]; e++) {
      const i = instances[e];
      if (seen[i] !== v) {
        seen[i] = v;
        enabledCount[i]++;
      }
    }
  }
  const open = new Uint8Array(k);
  let openCount = 0;
  for (let i = 0; i < k; i++) {
    const f = fairness[i];
    if (f === NONE || enabledCount[i] === 0) continue;
    if (f === WEAK) open[i] = enabledCount[i] === members.length ? OPEN_MOVE : OPEN_MOVE_OR_DISABLED;
    else if (f === STRONG) open[i] = OPEN_MOVE;
    if (open[i] !== OPEN_NONE) openCount++;
  }

  const enabledHere = new Int32Array(k).fill(-1);
  const markEnabled = (v: number): void => {
    for (let e = offsets[v]; e < offsets[v + 1]; e++) enabledHere[instances[e]] = v;
  };
  const passState = (v: number): void => {
    markEnabled(v);
    for (let i = 0; i < k; i++) {
      if (open[i] === OPEN_MOVE_OR_DISABLED && enabledHere[i] !== v) {
        open[i] = OPEN_NONE;
        openCount--;
      }
    }
  };
  const takeStep = (step: GraphStep): void => {
    if (open[step.instance] !== OPEN_NONE) {
      open[step.instance] = OPEN_NONE;
      openCount--;
    }
    passState(step.to);
  };

  const cycle: GraphStep[] = [];
  let at = entry;
  passState(entry);
  while (openCount > 0) {
    const path = search.pathTo(at, (v) => {
      markEnabled(v);
      for (let i = 0; i < k; i++) if (open[i] === OPEN_MOVE_OR_DISABLED && enabledHere[i] !== v) return -1;
      for (let e = offsets[v]; e < offsets[v + 1]; e++) if (open[instances[e]] !== OPEN_NONE && inside(targets[e])) return e;
      return null;
    });
    for (const step of path) {
      cycle.push(step);
      takeStep(step);
    }
    at = path.length > 0 ? path[path.length - 1].to : at;
  }
  if (cycle.length === 0 || at !== entry) {
    const back = search.pathTo(at, (v) => {
      for (let e = offsets[v]; e < offsets[v + 1]; e++) if (targets[e] === entry) return e;
      return null;
    });
    // Not push(...back): a cycle can be longer than the engine's argument limit.
    for (const step of back) cycle.push(step);
  }
  return cycle;
}

/** Breadth-first searches restricted to one set of states, sharing their arrays. */
class Bfs {
  private readonly queue: Int32Array;
  private readonly via: Int32Array;
  private readonly parent: Int32Array;
  private readonly visited: Int32Array;
  private round = 0;

  constructor(
    private readonly g: StateGraph,
    private readonly inside: (s: number) => boolean,
  ) {
    const n = g.stateCount;
    this.queue = new Int32Array(n);
    this.via = new Int32Array(n);
    this.parent = new Int32Array(n);
    this.visited = new Int32Array(n).fill(-1);
  }

  /** The states reachable from `start` inside the set, in breadth-first order. */
  reachable(start: number): Int32Array {
    const size = this.run(start, () => null).size;
    return this.queue.slice(0, size);
  }

  /**
   * The shortest path from `start` to the first state (in breadth-first
   * order) that `goal` accepts: goal returns -1 to end the path there, an
   * edge index to end it with that transition (which must stay inside),
   * or null to go on. The goal is always reached: every caller searches a
   * strongly connected set for something it holds.
   */
  pathTo(start: number, goal: (v: number) => number | null): GraphStep[] {
    const found = this.run(start, goal);
    if (found.state < 0) throw new Error('internal error: a fair component lacks what made it fair');
    const path: GraphStep[] = [];
    if (found.edge >= 0) path.push(stepOf(this.g, found.state, found.edge));
    for (let v = found.state; v !== start; v = this.parent[v]) path.push(stepOf(this.g, this.parent[v], this.via[v]));
    return path.reverse();
  }

  private run(start: number, goal: (v: number) => number | null): { size: number; state: number; edge: number } {
    const { offsets, targets } = this.g;
    const round = ++this.round;
    const { queue, visited } = this;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    visited[start] = round;
    while (head < tail) {
      const v = queue[head++];
      const hit = goal(v);
      if (hit !== null) return { size: tail, state: v, edge: hit };
      for (let e = offsets[v]; e < offsets[v + 1]; e++) {
        const t = targets[e];
        if (visited[t] === round || !this.inside(t)) continue;
        visited[t] = round;
        this.parent[t] = v;
        this.via[t] = e;
        queue[tail++] = t;
      }
    }
    return { size: tail, state: -1, edge: -1 };
  }
}
