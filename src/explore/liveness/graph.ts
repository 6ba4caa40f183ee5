/**
 * The explicit state graph the liveness search runs on, in compressed
 * sparse row form: the transitions of state s are the indexes
 * offsets[s] .. offsets[s+1]-1 of `targets` (the state reached) and
 * `instances` (the actor instance that moves). Typed arrays because the
 * graphs of real models have millions of states: a JavaScript object per
 * state or per transition would cost ten times the memory.
 */

export interface StateGraph {
  readonly stateCount: number;
  /** Instances are numbered 0 .. instanceCount-1. */
  readonly instanceCount: number;
  /** stateCount + 1 entries, nondecreasing, offsets[0] = 0, offsets[stateCount] = transitions. */
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly instances: Uint16Array;
}

/** A state predicate: one entry per state (true/nonzero: holds), or a function of the state number. */
export type Predicate = ArrayLike<boolean | number> | ((state: number) => boolean);

/** The predicate as one byte a state: read once, so the search never calls back into the caller. */
export function predicateBytes(p: Predicate, stateCount: number): Uint8Array {
  const out = new Uint8Array(stateCount);
  if (typeof p === 'function') {
    for (let s = 0; s < stateCount; s++) out[s] = p(s) ? 1 : 0;
  } else {
    for (let s = 0; s < stateCount; s++) out[s] = p[s] ? 1 : 0;
  }
  return out;
}

/** What is wrong with the graph's shape, or null. Checked once, so the search can trust every index. */
export function graphProblem(g: StateGraph): string | null {
  const { stateCount: n, offsets, targets, instances } = g;
  if (!Number.isInteger(n) || n < 0) return `state count ${n} is not a natural number`;
  if (offsets.length !== n + 1) return `offsets has ${offsets.length} entries, not ${n + 1}`;
  if (offsets[0] !== 0) return 'offsets[0] is not 0';
  if (targets.length !== instances.length) return 'targets and instances differ in length';
  if (offsets[n] !== targets.length) return `offsets[${n}] is not the number of transitions`;
  for (let s = 0; s < n; s++) if (offsets[s + 1] < offsets[s]) return `offsets decrease at state ${s}`;
  for (let e = 0; e < targets.length; e++) {
    const t = targets[e];
    if (t < 0 || t >= n) return `transition ${e} goes to ${t}, outside 0..${n - 1}`;
    if (instances[e] >= g.instanceCount) return `transition ${e} is taken by instance ${instances[e]}, outside 0..${g.instanceCount - 1}`;
  }
  return null;
}

/** A transition as the search gives it back: the edge index names which of several equal-looking transitions it is. */
export interface GraphStep {
  readonly from: number;
  readonly instance: number;
  readonly to: number;
  /** Index into targets/instances. */
  readonly edge: number;
}

export function stepOf(g: StateGraph, from: number, edge: number): GraphStep {
  return { from, instance: g.instances[edge], to: g.targets[edge], edge };
}

/**
 * Builds a StateGraph from transitions given in any order (tests and small
 * tools). Transitions keep their relative order within a state, which is
 * the order the search tries them in.
 */
export class GraphBuilder {
  private readonly from: number[] = [];
  private readonly to: number[] = [];
  private readonly inst: number[] = [];

  constructor(
    readonly stateCount: number,
    readonly instanceCount: number,
  ) {}

  add(from: number, instance: number, to: number): this {
    this.from.push(from);
    this.inst.push(instance);
    this.to.push(to);
    return this;
  }

  build(): StateGraph {
    const n = this.stateCount;
    const m = this.from.length;
    const offsets = new Int32Array(n + 1);
    for (const f of this.from) offsets[f + 1]++;
    for (let s = 0; s < n; s++) offsets[s + 1] += offsets[s];
    const fill = offsets.slice(0, n);
    const targets = new Int32Array(m);
    const instances = new Uint16Array(m);
    for (let e = 0; e < m; e++) {
      const at = fill[this.from[e]]++;
      targets[at] = this.to[e];
      instances[at] = this.inst[e];
    }
    return { stateCount: n, instanceCount: this.instanceCount, offsets, targets, instances };
  }
}
