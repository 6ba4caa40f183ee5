/**
 * The compiled engine's two state stores, behind one interface so that the
 * search loop (compiled.ts) is written once: `table` (store.ts, the
 * default: whole vectors, 4-byte parents and stored moves) and `tree`
 * (treeStore.ts: tree-compressed vectors, parents in a byte a state, moves
 * found again when a trace is rebuilt). Both number states in the order
 * they are added and give the same answers, so the choice changes memory
 * and speed, never a result.
 */
import type { CompiledModel, Sink } from '../emit/contract.ts';
import { StateStore, type MoveWidth } from './store.ts';
import { TreeStore } from './treeStore.ts';

export const STORES = ['table', 'tree'] as const;
export type StoreKind = (typeof STORES)[number];

export interface SearchStore {
  readonly count: number;
  /** The index of the state in `v`, or -1; insert() then adds it (nothing may be looked up in between). */
  lookup(v: Uint32Array): number;
  insert(v: Uint32Array, parent: number, move: number): number;
  load(index: number, out: Uint32Array): void;
  /** -1 for the initial state. */
  parent(index: number): number;
  /** The move stored for `index`, or -1 when the store keeps none (firstMoveTo finds it). */
  move(index: number): number;
  /** Bytes the store may allocate before it is asked again (after at most 2^16 insertions). */
  upcomingBytes(): number;
  /** Bytes the store holds. */
  memoryBytes(): number;
}

export function makeStore(kind: StoreKind, bytes: number, moveWidth: MoveWidth): SearchStore {
  switch (kind) {
    case 'table': return new StateStore(bytes, moveWidth);
    case 'tree': return new TreeStore(bytes);
  }
}

/**
 * The move that first reached state `index`, as the search found it: its
 * parent is expanded again and the first successor, in expansion order,
 * equal to the state is taken, as the search took the first emission of a
 * new state.
 */
export function firstMoveTo(model: CompiledModel, store: SearchStore, index: number): { instance: number; step: number } {
  const words = model.bytes / 4;
  const target = new Uint32Array(words);
  store.load(index, target);
  const parent = new Uint32Array(words);
  store.load(store.parent(index), parent);
  const found = firstSuccessor(model, parent, (_, v) => v.every((w, i) => w === target[i]));
  if (!found) throw new Error(`internal error: state ${index} is not a successor of its parent`);
  return found;
}

/**
 * The first successor of `parent`, in expansion order, that `matches`,
 * with the move that makes it (a copy of its vector), or null. Failures and
 * warnings of the expansion are ignored (the search recorded them already).
 */
export function firstSuccessor(model: CompiledModel, parent: Uint32Array, matches: (v: Uint8Array, v32: Uint32Array) => boolean): { instance: number; step: number; state: Uint32Array } | null {
  const words = model.bytes / 4;
  const cur32 = new Uint32Array(parent);
  const bufs32 = Array.from({ length: model.depth + 1 }, () => new Uint32Array(words));
  const bufs = bufs32.map((b) => new Uint8Array(b.buffer));
  let found: { instance: number; step: number; state: Uint32Array } | null = null;
  const sink: Sink = {
    bufs,
    bufs32,
    cur32,
    emit(instance: number, step: number, state: Uint8Array): void {
      if (found) return;
      const v = bufs32[bufs.indexOf(state as Uint8Array<ArrayBuffer>)]!;
      if (matches(state, v)) found = { instance, step, state: new Uint32Array(v) };
    },
    fail(): void {},
    warn(): void {},
  };
  model.expand(new Uint8Array(cur32.buffer), sink);
  return found;
}
