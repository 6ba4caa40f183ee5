/**
 * The compiled explorer's side of partial-order reduction: a Sink that
 * gathers what expanding one state produces (successors, failures,
 * warnings, in the generated code's order) instead of passing it on, then
 * hands on only the moves of the persistent set por/stubborn.ts chooses,
 * in the same order, or all of them when no smaller set is sound. The
 * search loop itself is unchanged: it sees fewer moves.
 */
import type { Program } from '../../lower/ir.ts';
import { readScalar, type Layout } from '../../emit/layout.ts';
import type { Sink } from '../../emit/contract.ts';
import { StubbornSets } from './stubborn.ts';

/** Where the search takes the moves that are passed on. */
export interface Moves {
  successor(instance: number, step: number, v32: Uint32Array, v: Uint8Array): void;
  failure(instance: number, step: number, property: number): void;
  warning(instance: number, step: number, property: number): void;
}

const EMIT = 0;
const FAIL = 1;
const WARN = 2;

export class Reducer {
  private readonly sets: StubbornSets;
  private readonly words: number;
  private readonly steps: number;
  // One state's gathered moves: kind, instance, step, property, and for successors their vectors.
  private kinds: number[] = [];
  private instances: number[] = [];
  private stepIds: number[] = [];
  private props: number[] = [];
  private vectors = new Uint32Array(1024);
  private count = 0;
  /** Per instance * steps + step: the expansion at which the step last moved (enabled there). */
  private readonly movedAt: Uint32Array;
  private expansion = 0;
  private readonly pcs: Int32Array;
  /** The instances that moved in the state being taken (kept to allocate nothing a state). */
  private readonly candidates: number[] = [];
  /** States expanded with a persistent set smaller than their enabled instances. */
  reduced = 0;

  constructor(
    program: Program,
    private readonly layout: Layout,
    bytes: number,
    private readonly moves: Moves,
    /** A scratch vector (both views) to pass a gathered successor on in. */
    private readonly out32: Uint32Array,
    private readonly out: Uint8Array,
  ) {
    this.sets = new StubbornSets(program, layout);
    this.words = bytes / 4;
    this.steps = program.steps.length;
    this.movedAt = new Uint32Array(program.instances.length * this.steps);
    this.pcs = new Int32Array(program.instances.length);
  }

  /** The Sink the generated expand() writes into while this reducer gathers: `base` lends its scratch vectors. */
  sink(base: Sink): Sink {
    return {
      bufs: base.bufs,
      bufs32: base.bufs32,
      cur32: base.cur32,
      emit: (instance, step, state) => {
        const v32 = base.bufs32[base.bufs.indexOf(state as Uint8Array<ArrayBuffer>)]!;
        const at = this.push(EMIT, instance, step, -1) * this.words;
        if (at + this.words > this.vectors.length) {
          const bigger = new Uint32Array(this.vectors.length * 2);
          bigger.set(this.vectors);
          this.vectors = bigger;
        }
        this.vectors.set(v32, at);
      },
      fail: (instance, step, property) => void this.push(FAIL, instance, step, property),
      warn: (instance, step, property) => void this.push(WARN, instance, step, property),
    };
  }

  /**
   * Passes on the gathered moves of state `cur`: a persistent set's when
   * one exists and each of its successors passes `onNextLevel` (the cycle
   * proviso), else all.
   */
  take(cur: Uint8Array, onNextLevel: (v32: Uint32Array) => boolean): void {
    const n = this.count;
    const expansion = ++this.expansion;
    const candidates = this.candidates;
    candidates.length = 0;
    for (let k = 0; k < n; k++) {
      const i = this.instances[k]!;
      this.movedAt[i * this.steps + this.stepIds[k]!] = expansion;
      if (candidates[candidates.length - 1] !== i && !candidates.includes(i)) candidates.push(i);
    }
    candidates.sort((a, b) => a - b);
    for (let i = 0; i < this.pcs.length; i++) {
      const pc = this.layout.pcs[i]!;
      this.pcs[i] = readScalar(cur, pc.offset, pc.scalar);
    }
    let set = this.sets.choose(this.pcs, (i, s) => this.movedAt[i * this.steps + s] === expansion, candidates);
    if (set) {
      for (let k = 0; k < n && set; k++) {
        if (this.kinds[k] === EMIT && set.includes(this.instances[k]!) && !onNextLevel(this.load(k))) set = null;
      }
    }
    if (set) this.reduced++;
    for (let k = 0; k < n; k++) {
      const i = this.instances[k]!;
      if (set && !set.includes(i)) continue;
      const step = this.stepIds[k]!;
      switch (this.kinds[k]) {
        case EMIT:
          this.moves.successor(i, step, this.load(k), this.out);
          break;
        case FAIL: this.moves.failure(i, step, this.props[k]!); break;
        case WARN: this.moves.warning(i, step, this.props[k]!); break;
      }
    }
    this.count = 0;
  }

  /** Copies gathered successor k into the scratch vector (no view is made: this runs once a successor). */
  private load(k: number): Uint32Array {
    const out = this.out32;
    const base = k * this.words;
    for (let w = 0; w < this.words; w++) out[w] = this.vectors[base + w]!;
    return out;
  }

  private push(kind: number, instance: number, step: number, property: number): number {
    const k = this.count++;
    this.kinds[k] = kind;
    this.instances[k] = instance;
    this.stepIds[k] = step;
    this.props[k] = property;
    return k;
  }
}
