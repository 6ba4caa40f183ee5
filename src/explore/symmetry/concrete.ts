/**
 * Traces of a symmetry-reduced search, turned back into concrete
 * interleavings. The search stores one canonical state per orbit, with a
 * parent and a move taken from the parent's canonical form, so its path
 * is not a run of the model: the state it stores after a move is the
 * canonical form of the successor, not the successor itself.
 *
 * The concrete run follows the same path of orbits. Its first state is the
 * model's initial state; from the concrete state at a node's parent, the
 * first successor (in expansion order) whose canonical form is the node's
 * stored state is the concrete state at the node, and the move that made
 * it the concrete move. It exists: the parent's concrete state is in the
 * parent's orbit, and a permutation maps its moves onto the stored
 * parent's. The run is as long as the stored path, so a shortest trace
 * stays shortest; the reference interpreter re-checks every step of it
 * when it rebuilds the trace (explore/trace.ts).
 *
 * A move found at a stored state (a failing or warning step) names an
 * instance of the stored state; instanceIn() names the instance of the
 * concrete state that plays its part.
 */
import type { CompiledModel } from '../../emit/contract.ts';
import { firstSuccessor, type SearchStore } from '../stores.ts';
import type { Canonicaliser } from './canon.ts';

interface Node {
  readonly state: Uint32Array;
  readonly move: { readonly instance: number; readonly step: number } | null;
}

export class Concretiser {
  private readonly nodes = new Map<number, Node>();
  private readonly words: number;
  private readonly canonical: Uint32Array;
  private readonly target: Uint32Array;

  /** `canon` is this concretiser's own (its permutation is read after each use). */
  constructor(private readonly model: CompiledModel, private readonly canon: Canonicaliser, private readonly store: SearchStore) {
    this.words = model.bytes / 4;
    this.canonical = new Uint32Array(this.words);
    this.target = new Uint32Array(this.words);
  }

  /** The concrete state at `node`, as a byte vector. */
  state(node: number): Uint8Array {
    return new Uint8Array(this.node(node).state.buffer);
  }

  /** The concrete move from the parent's concrete state to `node`'s. */
  move(node: number): { instance: number; step: number } {
    const m = this.node(node).move;
    if (!m) throw new Error('internal error: the initial state has no move');
    return m;
  }

  /** The instance of `node`'s concrete state that is instance `instance` of its stored (canonical) state. */
  instanceIn(node: number, instance: number): number {
    const v = this.node(node).state;
    this.canon.canon(new Uint8Array(v.buffer), v, this.canonical);
    const perm = this.canon.lastPerm;
    for (let i = 0; i < perm.length; i++) if (perm[i] === instance) return i;
    throw new Error(`internal error: no instance maps to ${instance}`);
  }

  private node(index: number): Node {
    const path: number[] = [];
    let i = index;
    for (; i >= 0 && !this.nodes.has(i); i = this.store.parent(i)) path.push(i);
    for (let k = path.length - 1; k >= 0; k--) {
      const n = path[k]!;
      this.nodes.set(n, n === 0 ? this.initial() : this.successorOf(this.nodes.get(this.store.parent(n))!, n));
    }
    return this.nodes.get(index)!;
  }

  private initial(): Node {
    const state = new Uint32Array(this.words);
    this.model.init(new Uint8Array(state.buffer));
    return { state, move: null };
  }

  /** The first successor of `parent` whose canonical form is stored at `index`. */
  private successorOf(parent: Node, index: number): Node {
    const { words, canonical, target } = this;
    this.store.load(index, target);
    const found = firstSuccessor(this.model, parent.state, (v8, v32) => {
      this.canon.canon(v8, v32, canonical);
      for (let w = 0; w < words; w++) if (canonical[w] !== target[w]) return false;
      return true;
    });
    if (!found) throw new Error(`internal error: no successor of state ${this.store.parent(index)}'s concrete form is in the orbit of state ${index}`);
    return { state: found.state, move: { instance: found.instance, step: found.step } };
  }
}
