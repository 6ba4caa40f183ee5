/**
 * The parallel search's state store in shared memory, and the part of a
 * level's work one thread does over it (explore/parallel.ts drives it;
 * each worker thread and the main thread hold one Expander).
 *
 * The table is open addressing, 3 words a slot: a tag (the hash's second
 * lane), a reference, and for a state new in this level its owner. A slot
 * is claimed with compareExchange 0 -> PENDING, then its vector and tag are
 * written and the reference published; a probe meeting PENDING waits until
 * it is published, and every match compares whole vectors, so the hash
 * decides speed, never the result. A reference > 0 is a state of an
 * earlier level (its final index + 1, its vector in the shared arena); one
 * <= -2 a state new in this level, in its creator's scratch arena.
 *
 * Which thread's discovery counts: thread w expands a contiguous range of
 * the level, ranges in thread order, so every discovery by w comes before
 * every discovery by w + 1 in the sequential search's order, and within a
 * thread discoveries come in order. The owner of a new state is the lowest
 * thread that discovered it (a compareExchange-min); each thread lists
 * (slot, parent, move, seq) when it creates a state or lowers its owner to
 * itself, keeps after the level only the entries it owns, and places them
 * at final indices given by the prefix sums of the kept counts: exactly
 * the sequential numbering, whatever the timing.
 */
import type { CompiledModel, Sink } from '../emit/contract.ts';
import { hash, secondLane } from './store.ts';

export const PENDING = -1;
/** A reference to a new state packs its creator below this many threads. */
export const MAX_THREADS = 64;
/** New states one thread may create in one level (so that a reference fits in 31 bits). */
export const MAX_CREATED = 2 ** 25;
/** Growable shared buffers reserve this much address space (no memory until grown). */
const MAX_BYTES = 2 ** 32;
/** The control array: the stop flag (a limit, Ctrl-C) the threads poll. */
export const STOP = 0;
/** Heads between two polls of the stop flag. */
export const POLL_EVERY = 1024;

export interface Buffers {
  readonly control: SharedArrayBuffer;
  readonly arena: SharedArrayBuffer;
  readonly parents: SharedArrayBuffer;
  readonly moves: SharedArrayBuffer;
  /** Per thread: the vectors it created in this level, and its entries (4 words each). */
  readonly scratch: readonly SharedArrayBuffer[];
  readonly entries: readonly SharedArrayBuffer[];
}

/** What a thread needs to know of the model besides its code. */
export interface Shape {
  readonly steps: number;
  readonly properties: number;
  /** The index of `ranges`, of the deadlock property, or -1. */
  readonly ranges: number;
  readonly deadlock: number;
  /** 1 for each invariant and reachable property (those check() evaluates). */
  readonly stateProperties: Uint8Array;
}

/**
 * A candidate finding, keyed by its place in the sequential order: the
 * state being expanded (`head`, for a state property the new state's
 * parent) and the emission number within its expansion (`seq`).
 */
export interface Event {
  readonly kind: 'found' | 'fault' | 'fail' | 'warn' | 'deadlock';
  readonly property: number;
  readonly head: number;
  readonly seq: number;
  /** The state: for found and fault the new state's final index, else the head. */
  readonly node: number;
  readonly instance: number;
  readonly step: number;
}

export const before = (a: Event, b: Event): number => a.head - b.head || a.seq - b.seq;

/** ES2024's growable SharedArrayBuffer (Node 20 has it; the TypeScript lib here predates it). */
interface Growable {
  readonly byteLength: number;
  readonly maxByteLength: number;
  grow(bytes: number): void;
}
type GrowableCtor = new (bytes: number, opts: { maxByteLength: number }) => SharedArrayBuffer;

export function newBuffers(threads: number): Buffers {
  const g = (): SharedArrayBuffer => new (SharedArrayBuffer as unknown as GrowableCtor)(0, { maxByteLength: MAX_BYTES });
  return {
    control: new SharedArrayBuffer(16),
    arena: g(), parents: g(), moves: g(),
    scratch: Array.from({ length: threads }, g),
    entries: Array.from({ length: threads }, g),
  };
}

/** Grows `b` to hold at least `bytes` (by doubling, so growing costs little in all). */
export function ensure(buffer: ArrayBufferLike, bytes: number): void {
  const b = buffer as unknown as Growable;
  if (b.byteLength >= bytes) return;
  if (bytes > b.maxByteLength) throw new Error(`internal error: the parallel store is limited to ${b.maxByteLength} bytes per array`);
  b.grow(Math.min(b.maxByteLength, Math.max(bytes, b.byteLength * 2, 1 << 16)));
}

/**
 * A view of all of `b` as it is now. Views that track a growable buffer's
 * length are about ten times slower to index in Node 20 than fixed ones,
 * so views are fixed and made again when the buffer has grown.
 */
export function u32(b: ArrayBufferLike): Uint32Array {
  return new Uint32Array(b, 0, b.byteLength >>> 2);
}
export function i32(b: ArrayBufferLike): Int32Array {
  return new Int32Array(b, 0, b.byteLength >>> 2);
}

export class Expander {
  private table: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private bits = 0;
  private readonly words: number;
  private readonly control: Int32Array;
  private arena: Uint32Array;
  private parents: Int32Array;
  private moves: Uint32Array;
  private readonly scratch: Uint32Array[];
  private mine: Uint32Array;
  private entries: Int32Array;
  private readonly bufs: Uint8Array[];
  private readonly bufs32: Uint32Array[];
  private readonly cur32: Uint32Array;
  private readonly cur: Uint8Array;
  private readonly sink: Sink;
  // This level's work.
  transitions = 0;
  coverage: Float64Array;
  events: Event[] = [];
  aborted = false;
  private created = 0;
  private listed = 0;
  private limit = 0;
  private todo: Uint8Array;
  private decided: Uint8Array;
  /** Targets with an event already, from steps and from new states (two streams, each in order). */
  private seenStep: Uint8Array;
  private seenState: Uint8Array;
  private head = 0;
  private seq = 0;
  /** With a cut (--max-states): count only up to this emission. */
  private cutHead = -1;
  private cutSeq = -1;

  private readonly buffers: Buffers;

  /** The arena and the parent and move arrays grow between rounds (the driver's grow()). */
  private refresh(): void {
    const b = this.buffers;
    if (this.arena.byteLength !== b.arena.byteLength) this.arena = u32(b.arena);
    if (this.parents.byteLength !== b.parents.byteLength) this.parents = i32(b.parents);
    if (this.moves.byteLength !== b.moves.byteLength) this.moves = u32(b.moves);
  }

  constructor(private readonly model: CompiledModel, buffers: Buffers, readonly id: number, private readonly shape: Shape) {
    this.words = model.bytes / 4;
    this.control = new Int32Array(buffers.control);
    this.buffers = buffers;
    this.arena = u32(buffers.arena);
    this.parents = i32(buffers.parents);
    this.moves = u32(buffers.moves);
    this.scratch = buffers.scratch.map(u32);
    this.mine = this.scratch[id]!;
    this.entries = i32(buffers.entries[id]!);
    this.bufs32 = Array.from({ length: model.depth + 1 }, () => new Uint32Array(this.words));
    this.bufs = this.bufs32.map((b) => new Uint8Array(b.buffer));
    this.cur32 = new Uint32Array(this.words);
    this.cur = new Uint8Array(this.cur32.buffer);
    this.coverage = new Float64Array(shape.steps);
    this.todo = new Uint8Array(shape.properties);
    this.decided = new Uint8Array(shape.properties);
    this.seenStep = new Uint8Array(shape.properties);
    this.seenState = new Uint8Array(shape.properties);
    const self = this;
    this.sink = {
      bufs: this.bufs,
      bufs32: this.bufs32,
      cur32: this.cur32,
      emit(instance, step, state) { self.emit(instance, step, state); },
      fail(instance, step, property) { self.stepEvent('fail', instance, step, property); },
      warn(instance, step, property) { self.stepEvent('warn', instance, step, property); },
    };
  }

  /** Starts a level: the table (replaced when it grew), the limit of new states, the decisions at the level's start. */
  begin(table: SharedArrayBuffer, limit: number, todo: Uint8Array, decided: Uint8Array): void {
    if ((this.table.buffer as ArrayBufferLike) !== table) {
      this.table = new Int32Array(table);
      this.bits = Math.log2(this.table.length / 3);
    }
    this.refresh();
    this.limit = Math.min(limit, MAX_CREATED);
    this.todo.set(todo);
    this.decided.set(decided);
    this.seenStep.fill(0);
    this.seenState.fill(0);
    this.transitions = 0;
    this.coverage.fill(0);
    this.events = [];
    this.aborted = false;
    this.created = 0;
    this.listed = 0;
    this.cutHead = -1;
  }

  /** The initial state, as the one new state of level 0 (its parent -1). */
  root(): void {
    this.model.init(this.bufs[0]!);
    this.head = -1;
    this.seq = 0;
    this.insert(this.bufs32[0]!, 0, 0);
  }

  /** Expands heads [a, b) in order; false when stopped (the stop flag) or aborted (the table is too small). */
  expand(a: number, b: number): boolean {
    const { model, cur, cur32, words, arena, shape } = this;
    for (let h = a; h < b; h++) {
      if ((h - a) % POLL_EVERY === 0 && Atomics.load(this.control, STOP) !== 0) return false;
      const base = h * words;
      for (let i = 0; i < words; i++) cur32[i] = arena[base + i]!;
      this.head = h;
      this.seq = 0;
      const enabled = model.expand(cur, this.sink);
      if (this.aborted) return false;
      const d = shape.deadlock;
      if (!enabled && d >= 0 && !this.decided[d] && !this.seenStep[d] && !model.finished(cur)) {
        this.seenStep[d] = 1;
        this.events.push({ kind: 'deadlock', property: d, head: h, seq: Number.MAX_SAFE_INTEGER, node: h, instance: 0, step: 0 });
      }
    }
    return true;
  }

  /**
   * Counts the transitions and coverage of heads [a, cutHead] up to
   * emission cutSeq of cutHead inclusive: the sequential search's counts
   * when --max-states stops it there. No state is looked up.
   */
  countUpTo(a: number, cutHead: number, cutSeq: number): void {
    this.transitions = 0;
    this.coverage.fill(0);
    this.cutHead = cutHead;
    this.cutSeq = cutSeq;
    const { words, arena, cur32 } = this;
    for (let h = a; h <= cutHead; h++) {
      const base = h * words;
      for (let i = 0; i < words; i++) cur32[i] = arena[base + i]!;
      this.head = h;
      this.seq = 0;
      this.model.expand(this.cur, this.sink);
    }
    this.cutHead = -1;
  }

  private counting(): boolean {
    return this.cutHead < 0 || this.head < this.cutHead || this.seq <= this.cutSeq;
  }

  private emit(instance: number, step: number, state: Uint8Array): void {
    if (this.cutHead >= 0) {
      if (this.counting()) { this.transitions++; this.coverage[step]!++; }
      this.seq++;
      return;
    }
    this.transitions++;
    this.coverage[step]!++;
    const seq = this.seq++;
    if (this.aborted) return;
    this.insert(this.bufs32[this.bufs.indexOf(state as Uint8Array<ArrayBuffer>)]!, instance * this.shape.steps + step, seq);
  }

  private stepEvent(kind: 'fail' | 'warn', instance: number, step: number, property: number): void {
    if (this.cutHead >= 0) {
      if (kind === 'fail' && this.counting()) this.coverage[step]!++;
      this.seq++;
      return;
    }
    if (kind === 'fail') this.coverage[step]!++;
    const seq = this.seq++;
    if (this.decided[property] || this.seenStep[property]) return;
    this.seenStep[property] = 1;
    this.events.push({ kind, property, head: this.head, seq, node: this.head, instance, step });
  }

  private insert(v: Uint32Array, move: number, seq: number): void {
    const { table, words, id } = this;
    const h = hash(v, 0, words);
    const tag = secondLane() | 0;
    const mask = (1 << this.bits) - 1;
    let s = this.bits === 0 ? 0 : h >>> (32 - this.bits);
    for (;;) {
      const b = s * 3;
      let ref = Atomics.load(table, b + 1);
      if (ref === 0) {
        if (Atomics.compareExchange(table, b + 1, 0, PENDING) !== 0) continue;
        if (this.created >= this.limit) {
          // The table could overflow in this level: the driver grows it and does the level again.
          Atomics.store(table, b + 1, 0);
          this.aborted = true;
          return;
        }
        const i = this.created++;
        if ((i + 1) * words > this.mine.length) {
          ensure(this.mine.buffer, (i + 1) * words * 4);
          this.mine = this.scratch[id] = u32(this.buffers.scratch[id]!);
        }
        this.mine.set(v, i * words);
        table[b] = tag;
        table[b + 2] = id;
        Atomics.store(table, b + 1, -2 - (i * MAX_THREADS + id));
        this.list(s, move, seq);
        return;
      }
      while (ref === PENDING) ref = Atomics.load(table, b + 1);
      // Released by a thread that stopped (its level is done again): look at the slot anew.
      if (ref === 0) continue;
      if (table[b] === tag && this.equals(ref, v)) {
        if (ref < 0) this.lowerOwner(b, s, move, seq);
        return;
      }
      s = (s + 1) & mask;
    }
  }

  private equals(ref: number, v: Uint32Array): boolean {
    let arr: Uint32Array;
    let base: number;
    if (ref > 0) {
      arr = this.arena;
      base = (ref - 1) * this.words;
    } else {
      const x = -2 - ref;
      const w = x % MAX_THREADS;
      base = Math.floor(x / MAX_THREADS) * this.words;
      arr = this.scratch[w]!;
      // Grown by its thread before it published the reference: the view is made again.
      if (base + this.words > arr.length) arr = this.scratch[w] = u32(this.buffers.scratch[w]!);
    }
    for (let i = 0; i < this.words; i++) if (arr[base + i] !== v[i]) return false;
    return true;
  }

  private lowerOwner(b: number, s: number, move: number, seq: number): void {
    const { table, id } = this;
    for (;;) {
      const o = Atomics.load(table, b + 2);
      if (o <= id) return;
      if (Atomics.compareExchange(table, b + 2, o, id) === o) {
        this.list(s, move, seq);
        return;
      }
    }
  }

  private list(slot: number, move: number, seq: number): void {
    const n = this.listed++;
    if ((n + 1) * 4 > this.entries.length) {
      ensure(this.entries.buffer, (n + 1) * 16);
      this.entries = i32(this.buffers.entries[this.id]!);
    }
    const e = this.entries;
    e[4 * n] = slot;
    e[4 * n + 1] = this.head;
    e[4 * n + 2] = move;
    e[4 * n + 3] = seq;
  }

  /** Undoes this level's claims (every slot this thread created is in its list): the table is as before the level. */
  rollback(): void {
    const { table, entries } = this;
    for (let j = 0; j < this.listed; j++) {
      const b = entries[4 * j]! * 3;
      table[b] = 0;
      table[b + 1] = 0;
      table[b + 2] = 0;
    }
    this.listed = 0;
  }

  /** After every thread's expansion: keeps the entries this thread owns, in order; returns how many. */
  own(): number {
    const { table, entries, id } = this;
    let k = 0;
    for (let j = 0; j < this.listed; j++) {
      if (table[entries[4 * j]! * 3 + 2] !== id) continue;
      if (k !== j) for (let x = 0; x < 4; x++) entries[4 * k + x] = entries[4 * j + x]!;
      k++;
    }
    this.listed = k;
    return k;
  }

  /** The parent and seq of kept entry j (for the driver's --max-states cut). */
  entryKey(j: number): { head: number; seq: number } {
    return { head: this.entries[4 * j + 1]!, seq: this.entries[4 * j + 3]! };
  }

  /**
   * Places the first `n` kept entries at final indices base, base + 1...:
   * vector, parent and move, the slot's reference rewritten; and evaluates
   * the state properties there (the arena has grown to hold them).
   */
  place(base: number, n: number): void {
    this.refresh();
    const { table, entries, words, arena, cur32 } = this;
    for (let j = 0; j < n; j++) {
      const slot = entries[4 * j]!;
      const index = base + j;
      const x = -2 - table[slot * 3 + 1]!;
      const from = Math.floor(x / MAX_THREADS) * words;
      let src = this.scratch[x % MAX_THREADS]!;
      if (from + words > src.length) src = this.scratch[x % MAX_THREADS] = u32(this.buffers.scratch[x % MAX_THREADS]!);
      for (let i = 0; i < words; i++) arena[index * words + i] = cur32[i] = src[from + i]!;
      this.parents[index] = entries[4 * j + 1]!;
      this.moves[index] = entries[4 * j + 2]!;
      table[slot * 3 + 1] = index + 1;
      this.placed = index;
      this.head = entries[4 * j + 1]!;
      this.seq = entries[4 * j + 3]!;
      this.model.check(this.cur, this.todo, this.found);
    }
  }

  /** check()'s found(i) at the state just placed: an event unless its target is decided or has one from an earlier state. */
  private readonly found = (i: number): void => {
    const fault = i < 0;
    const target = fault ? this.shape.ranges : i;
    if (fault && (target < 0 || !this.shape.stateProperties[-1 - i])) return;
    if (this.decided[target] || this.seenState[target]) return;
    this.seenState[target] = 1;
    this.events.push({ kind: fault ? 'fault' : 'found', property: fault ? -1 - i : i, head: this.head, seq: this.seq, node: this.placed, instance: 0, step: 0 });
  };
  private placed = 0;
}
