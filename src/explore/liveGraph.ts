/**
 * What an explorer records for liveness properties while it searches: the
 * state graph (liveness/graph.ts's CSR form, built by appending, since
 * states are expanded in the order they are numbered) and the value of
 * each liveness predicate on each state. Only a program with liveness
 * properties records anything, so safety-only searches pay nothing.
 *
 * State numbers are the explorer's own (reference node index, compiled
 * store index); both engines number states and order successors the same
 * way, so they record the same graph.
 */
import type { Expr, Program } from '../lower/ir.ts';
import type { StateGraph } from './liveness.ts';

/** The predicates every engine evaluates on each state: for each liveness property in order, its P (leads-to only) and its Q. */
export interface LiveSlot {
  /** Index into program.properties. */
  readonly property: number;
  readonly which: 'p' | 'q';
  readonly expr: Expr;
}

export function liveSlots(program: Program): LiveSlot[] {
  const out: LiveSlot[] = [];
  program.properties.forEach((p, property) => {
    if (p.kind !== 'liveness') return;
    if (p.p) out.push({ property, which: 'p', expr: p.p });
    out.push({ property, which: 'q', expr: p.q });
  });
  return out;
}

/** A predicate value that faulted (a bad index): `ranges` is violated there, and the predicate counts as false. */
export const FAULTED = 2;

/** Whether a recorded predicate value (0, 1 or FAULTED) counts as true. */
export const liveTrue = (value: number): boolean => value === 1;

export class GraphRecorder {
  private offsets = new Int32Array(1024);
  private targets = new Int32Array(4096);
  private instances = new Uint16Array(4096);
  /** The step behind each transition, so that a counterexample's moves are read off, not searched for again. */
  private steps = new Int32Array(4096);
  private values: Uint8Array;
  private edges = 0;
  private expanded = 0;

  constructor(readonly slots: number) {
    this.values = new Uint8Array(1024 * Math.max(1, slots));
  }

  /** The state numbered `state` is expanded next: its transitions follow. States must come in order 0, 1, 2... */
  begin(state: number): void {
    if (state !== this.expanded) throw new Error(`internal error: state ${state} expanded out of order (expected ${this.expanded})`);
    if (state + 2 > this.offsets.length) this.offsets = grow(this.offsets, state + 2);
    this.offsets[state] = this.edges;
    this.expanded++;
  }

  /** A transition of the state being expanded, taken by `instance` with step `step`, to state `target`. */
  edge(instance: number, step: number, target: number): void {
    if (this.edges === this.targets.length) {
      this.targets = grow(this.targets, this.edges + 1);
      this.instances = grow(this.instances, this.edges + 1);
      this.steps = grow(this.steps, this.edges + 1);
    }
    this.targets[this.edges] = target;
    this.steps[this.edges] = step;
    this.instances[this.edges++] = instance;
  }

  /** The step id of transition `edge` (an index into the graph's targets). */
  stepOf(edge: number): number {
    return this.steps[edge]!;
  }

  /** The predicate values of state `state` (one byte a slot: 0, 1 or FAULTED). */
  setValues(state: number, values: ArrayLike<number>): void {
    const k = this.slots;
    if ((state + 1) * k > this.values.length) this.values = grow(this.values, (state + 1) * k);
    for (let j = 0; j < k; j++) this.values[state * k + j] = values[j]!;
  }

  /** Slot j's truth on each state: a fault counts as false. */
  predicate(j: number): (state: number) => boolean {
    const k = this.slots;
    const v = this.values;
    return (s) => liveTrue(v[s * k + j]!);
  }

  /** The graph of the `stateCount` states, every one expanded (a complete search). */
  graph(stateCount: number, instanceCount: number): StateGraph {
    if (this.expanded !== stateCount) throw new Error(`internal error: ${this.expanded} of ${stateCount} states expanded`);
    const offsets = this.offsets.slice(0, stateCount + 1);
    offsets[stateCount] = this.edges;
    return { stateCount, instanceCount, offsets, targets: this.targets.slice(0, this.edges), instances: this.instances.slice(0, this.edges) };
  }
}

function grow<T extends Int32Array | Uint16Array | Uint8Array>(a: T, atLeast: number): T {
  let n = a.length * 2;
  while (n < atLeast) n *= 2;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
