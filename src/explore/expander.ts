/**
 * The part of a level's work one thread does over the shared store
 * (sharedStore.ts says how the store works and why the result is the
 * sequential search's): each worker thread and the main thread hold one
 * Expander, which explore/parallel.ts drives round by round.
 */
import type { CompiledModel, Sink } from '../emit/contract.ts';
import { ABORTED, BLOCK, chunking, CLAIMER, DONE, i32, LISTED, NEXT_CHUNK, NEXT_ID, POLL_EVERY, STOP, TAKEN, u32, u8, type Buffers, type Event, type Shape } from './sharedStore.ts';
import { hash, secondLane } from './store.ts';
import { sortSlice, type FillPlan, type Scratch } from './tableFill.ts';

/**
 * Successors looked up together. A lookup is two cache misses, mostly (the
 * home slot, then the vector a matching tag points to), and one after the
 * other they cost a memory round trip each; a batch first touches every
 * slot, then every candidate vector, so that the misses overlap, and then
 * looks each successor up in order (measured: a tenth off the filter
 * lock's time on two threads).
 */
const BATCH = 64;

export class Expander {
  private table: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private bits = 0;
  private readonly words: number;
  private readonly control: Int32Array;
  /** By chunk: entries listed, entries lower chunks took, the claiming thread (sharedStore.ts's LISTED...). */
  private readonly chunks: Int32Array;
  private arena: Uint32Array = new Uint32Array(0);
  private owner: Uint8Array = new Uint8Array(0);
  private flags: Uint8Array = new Uint8Array(0);
  private order: Uint32Array = new Uint32Array(0);
  private parents: Int32Array = new Int32Array(0);
  private moves: Uint32Array = new Uint32Array(0);
  /** This thread's entries this level, 4 words each (id, parent, move, seq). */
  private entries = new Int32Array(4 * 1024);
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
  /** The level's heads and chunks; the chunks this thread claimed, in order, with where each one's entries start. */
  private levelStart = 0;
  private levelEnd = 0;
  private chunkSize = 1;
  private chunkCount = 1;
  private chunk = 0;
  private claimed: number[] = [];
  private claimStart: number[] = [];
  private limit = 0;
  /** New states the level may keep (a --max-states cut), and whether this thread has placed its chunks' ones. */
  private keep = Infinity;
  private placed = false;
  /** The level's first id: ids from here on are states new in this level. */
  private first = 0;
  /** This thread's block of ids, and an id whose vector was written but lost its slot's race (used next). */
  private nextId = 0;
  private blockEnd = 0;
  private spare = -1;
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

  constructor(private readonly model: CompiledModel, private readonly buffers: Buffers, readonly id: number, private readonly shape: Shape) {
    this.words = model.bytes / 4;
    this.control = new Int32Array(buffers.control);
    this.chunks = new Int32Array(buffers.chunks);
    this.bufs32 = Array.from({ length: model.depth + 1 }, () => new Uint32Array(this.words));
    this.bufs = this.bufs32.map((b) => new Uint8Array(b.buffer));
    this.cur32 = new Uint32Array(this.words);
    this.cur = new Uint8Array(this.cur32.buffer);
    this.probe32 = new Uint32Array(this.words);
    this.probe = new Uint8Array(this.probe32.buffer);
    this.batchVectors = new Uint32Array(BATCH * this.words);
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

  /** The shared arrays grow between rounds (the driver's grow()): views are made again when they have. */
  private refresh(): void {
    const b = this.buffers;
    if (this.arena.byteLength !== b.arena.byteLength) this.arena = u32(b.arena);
    if (this.owner.byteLength !== b.owner.byteLength) this.owner = u8(b.owner);
    if (this.flags.byteLength !== b.flags.byteLength) this.flags = u8(b.flags);
    if (this.order.byteLength !== b.order.byteLength) this.order = u32(b.order);
    if (this.parents.byteLength !== b.parents.byteLength) this.parents = i32(b.parents);
    if (this.moves.byteLength !== b.moves.byteLength) this.moves = u32(b.moves);
  }

  /**
   * Starts a level: the table (replaced when it grew), the level's first
   * id, how many states this thread may create (the driver has grown the
   * arrays for every thread's limit and block, by id and by index), how
   * many new states the level may keep, the decisions so far.
   */
  begin(table: SharedArrayBuffer, first: number, limit: number, keep: number, heads: { a: number; b: number; least: number }, todo: Uint8Array, decided: Uint8Array): void {
    // The table grows in place between levels: a view of it as it is now.
    if ((this.table.buffer as ArrayBufferLike) !== table || this.table.byteLength !== table.byteLength) {
      this.table = i32(table);
      this.bits = Math.log2(this.table.length);
    }
    this.refresh();
    this.first = first;
    this.limit = limit;
    this.keep = keep;
    this.placed = false;
    this.levelStart = heads.a;
    this.levelEnd = heads.b;
    ({ chunks: this.chunkCount, size: this.chunkSize } = chunking(heads.b - heads.a, heads.least));
    this.chunk = 0;
    this.claimed = [];
    this.claimStart = [];
    this.nextId = this.blockEnd = 0;
    this.spare = -1;
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
    this.batched = 0;
    this.cutHead = -1;
  }

  /** The initial state, as the one new state of level 0 (its parent -1). */
  root(): void {
    this.model.init(this.bufs[0]!);
    this.head = -1;
    this.seq = 0;
    this.insert(this.bufs32[0]!, 0, 0);
  }

  /** Copies the vector of the state at index `h` into cur32. */
  private load(h: number): void {
    const { words, arena, cur32 } = this;
    const base = this.order[h]! * words;
    for (let i = 0; i < words; i++) cur32[i] = arena[base + i]!;
  }

  /** Claims the next chunk of the level: its heads [a, b), or null when every chunk is taken. */
  claim(): { a: number; b: number } | null {
    const c = Atomics.add(this.control, NEXT_CHUNK, 1);
    if (c >= this.chunkCount) return null;
    this.chunk = c;
    this.claimed.push(c);
    this.claimStart.push(this.listed);
    this.chunks[CLAIMER + c] = this.id;
    const a = this.levelStart + c * this.chunkSize;
    return { a, b: Math.min(this.levelEnd, a + this.chunkSize) };
  }

  /** A worker's share of a level: chunks claimed and expanded until none is left, or until it stops or gives up (as expand()). */
  expandClaimed(): void {
    for (let r = this.claim(); r; r = this.claim()) if (!this.expand(r.a, r.b)) return;
  }

  /** Where the entries of the x-th chunk this thread claimed end (the next one's start, or the list's end). */
  private chunkEnd(x: number): number {
    return x + 1 < this.claimed.length ? this.claimStart[x + 1]! : this.listed;
  }

  /**
   * A thread's end of the expand round: publishes its chunks' listed
   * counts (and that it gave up, if it did), then counts itself done. Once
   * every thread is, the kept counts are final (owners are).
   */
  arrive(): void {
    const { claimed, claimStart, chunks } = this;
    for (let x = 0; x < claimed.length; x++) {
      chunks[LISTED + claimed[x]!] = this.chunkEnd(x) - claimStart[x]!;
    }
    if (this.aborted) Atomics.store(this.control, ABORTED, 1);
    Atomics.add(this.control, DONE, 1);
    Atomics.notify(this.control, DONE);
  }

  /** Whether the level's `threads` have all arrived. */
  allArrived(threads: number): boolean {
    return Atomics.load(this.control, DONE) >= threads;
  }

  /** Whether some thread gave up on the level (after allArrived: the driver does it again, bigger). */
  levelAborted(): boolean {
    return Atomics.load(this.control, ABORTED) !== 0;
  }

  /**
   * A worker's end of a level: arrives, waits for the other threads, and
   * places (with no message between: a round trip a level fewer). It waits
   * in Atomics.wait, a worker's to block on, and stops waiting when the
   * search stops (the driver sets the flag before it ends the workers).
   */
  finish(threads: number): void {
    this.arrive();
    for (;;) {
      const done = Atomics.load(this.control, DONE);
      if (done >= threads || Atomics.load(this.control, STOP) !== 0) break;
      Atomics.wait(this.control, DONE, done, 10);
    }
    if (Atomics.load(this.control, STOP) === 0 && !this.levelAborted()) this.place();
  }

  /** Expands heads [a, b) of the chunk last claimed, in order; false when stopped (the stop flag) or aborted (the table is too small). */
  expand(a: number, b: number): boolean {
    const { model, cur, shape } = this;
    for (let h = a; h < b; h++) {
      if ((h - a) % POLL_EVERY === 0 && Atomics.load(this.control, STOP) !== 0) return false;
      this.load(h);
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
    this.flush();
    return !this.aborted;
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
    for (let h = a; h <= cutHead; h++) {
      this.load(h);
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
    const v = state === this.bufs[0] ? this.bufs32[0]! : this.bufs32[this.bufs.indexOf(state as Uint8Array<ArrayBuffer>)]!;
    this.push(v, instance * this.shape.steps + step, seq);
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

  /** A fresh id with the vector at `v[at..]` written at it (the spare one, if a race left one), or -1 when this thread's limit is reached. */
  private fresh(v: Uint32Array, at: number): number {
    let id = this.spare;
    if (id < 0) {
      if (this.created >= this.limit) return -1;
      if (this.nextId === this.blockEnd) {
        this.nextId = Atomics.add(this.control, NEXT_ID, BLOCK);
        this.blockEnd = this.nextId + BLOCK;
      }
      id = this.nextId++;
      this.created++;
      this.spare = id;
    }
    // A loop: arena.set(v.subarray(...), ...) is a call into the runtime, twice as slow for a few words.
    const { arena, words, probe32 } = this;
    const base = id * words;
    for (let i = 0; i < words; i++) {
      const x = v[at + i]!;
      arena[base + i] = x;
      probe32[i] = x;
    }
    this.owner[id] = this.chunk;
    // The state properties are evaluated here, where the vector is in cache, and only flagged: place() evaluates
    // them again, where they become events, only at a state whose flag is set. The two evaluations agree, as
    // both see the same vector and the level's todo (it changes only between levels).
    this.hit = 0;
    this.model.check(this.probe, this.todo, this.onHit);
    this.flags[id] = this.hit;
    return id;
  }
  /** Where fresh() evaluates the state properties, and whether check() called found() there. */
  private readonly probe32: Uint32Array;
  private readonly probe: Uint8Array;
  private hit = 0;
  private readonly onHit = (): void => { this.hit = 1; };

  private insert(v: Uint32Array, move: number, seq: number): void {
    const h = hash(v, 0, this.words);
    this.insertAt(v, 0, h >>> (32 - this.bits), secondLane() & ~((1 << this.bits) - 1), move, seq);
  }

  /** Looks up the vector at `v[at..]` from slot `home`, and inserts it if it is new. */
  private insertAt(v: Uint32Array, at: number, home: number, tag: number, move: number, seq: number): void {
    const { table } = this;
    const mask = (1 << this.bits) - 1;
    let s = home;
    for (;;) {
      // A plain read: Atomics.load is not inlined in Node 20 and costs tens of nanoseconds a probe. See below
      // for why what it reads is safe to act on.
      let e = table[s]!;
      if (e === 0) {
        const id = this.fresh(v, at);
        if (id < 0) {
          // The table could overflow in this level: the driver grows it and does the level again.
          this.aborted = true;
          return;
        }
        e = Atomics.compareExchange(table, s, 0, tag | (id + 1));
        if (e === 0) {
          this.spare = -1;
          this.list(id, move, seq);
          return;
        }
        // Lost the race for the slot: `e` is the winner's entry, read atomically (the vector stays at the spare id).
      }
      if (((e ^ tag) & ~mask) === 0) {
        const id = (e & mask) - 1;
        // An entry of an earlier level was written before the round began (the driver's messages order it);
        // one of this level is read again atomically, which orders its vector's writes before the comparison.
        // A slot once set does not change in a level, so the read gives the same entry.
        if (id >= this.first) Atomics.load(table, s);
        if (this.equals(id, v, at)) {
          if (id >= this.first) this.lowerOwner(id, move, seq);
          return;
        }
      }
      s = (s + 1) & mask;
    }
  }

  private equals(id: number, v: Uint32Array, at: number): boolean {
    const { arena, words } = this;
    const base = id * words;
    for (let i = 0; i < words; i++) if (arena[base + i] !== v[at + i]) return false;
    return true;
  }

  private lowerOwner(id: number, move: number, seq: number): void {
    const { owner } = this;
    // Owners only go down, so a plain read that is out of date is too high, never too low: it can only
    // send the thread on to the compareExchange, which answers exactly.
    let o = owner[id]!;
    for (;;) {
      if (o <= this.chunk) return;
      const was = Atomics.compareExchange(owner, id, o, this.chunk);
      if (was === o) {
        // Chunk o lists the state too, and no longer keeps it (rare: only chunks expanded at the same time race).
        Atomics.add(this.chunks, TAKEN + o, 1);
        this.list(id, move, seq);
        return;
      }
      o = was;
    }
  }

  private list(id: number, move: number, seq: number): void {
    const n = this.listed++;
    if ((n + 1) * 4 > this.entries.length) {
      const e = new Int32Array(this.entries.length * 2);
      e.set(this.entries);
      this.entries = e;
    }
    const e = this.entries;
    e[4 * n] = id;
    e[4 * n + 1] = this.head;
    e[4 * n + 2] = move;
    e[4 * n + 3] = seq;
  }

  /** This thread's share of sorting the states by region of a bigger table (tableFill.ts), its id its share's number. */
  private readonly scratch: Scratch = { homes: new Uint32Array(0), entries: new Int32Array(0) };
  sortSlice(plan: FillPlan, sorted: Int32Array, starts: Uint32Array): void {
    this.refresh();
    sortSlice(plan, this.id, this.arena, this.order, this.words, sorted, starts, this.scratch);
  }

  /** Forgets this level's entries (the driver clears the table's new slots and resets the id counter). */
  rollback(): void {
    this.listed = 0;
  }

  /** The entries each chunk of the level keeps (once every thread has arrived). */
  keptCounts(): Int32Array {
    const kept = new Int32Array(this.chunkCount);
    for (let c = 0; c < kept.length; c++) kept[c] = this.chunks[LISTED + c]! - this.chunks[TAKEN + c]!;
    return kept;
  }

  /** The thread that claimed chunk c this level. */
  claimer(c: number): number {
    return this.chunks[CLAIMER + c]!;
  }

  /** The parent and seq of entry j kept by chunk c, claimed by this thread (for the driver's --max-states cut). */
  entryKey(c: number, j: number): { head: number; seq: number } {
    const x = this.claimed.indexOf(c);
    const end = this.chunkEnd(x);
    for (let at = this.claimStart[x]!, k = 0; at < end; at++) {
      if (this.owner[this.entries[4 * at]!] !== c) continue;
      if (k++ === j) return { head: this.entries[4 * at + 1]!, seq: this.entries[4 * at + 3]! };
    }
    throw new Error(`internal error: chunk ${c} keeps no entry ${j}`);
  }

  /**
   * After every thread has arrived (owners and kept counts are final):
   * places the entries each claimed chunk c still owns, in order, at the
   * indices from the level's end plus the kept counts of the chunks before
   * c, those within the level's `keep`: id, parent and move; and evaluates
   * the state properties there at the states fresh() flagged. Once a
   * level.
   */
  place(): void {
    if (this.placed) return;
    this.placed = true;
    this.refresh();
    const { entries, flags, owner, claimed, claimStart } = this;
    const kept = this.keptCounts();
    const bases = new Float64Array(kept.length);
    for (let c = 1; c < kept.length; c++) bases[c] = bases[c - 1]! + kept[c - 1]!;
    const end = this.levelEnd + Math.min(this.keep, bases[kept.length - 1]! + kept[kept.length - 1]!);
    for (let x = 0; x < claimed.length; x++) {
      const c = claimed[x]!;
      const base = this.levelEnd + bases[c]!;
      const last = this.chunkEnd(x);
      let index = base;
      for (let j = claimStart[x]!; j < last; j++) {
        const e = 4 * j;
        const id = entries[e]!;
        if (owner[id] !== c) continue;
        const at = index++;
        if (at >= end) continue;
        this.order[at] = id;
        this.parents[at] = entries[e + 1]!;
        this.moves[at] = entries[e + 2]!;
        if (flags[id] === 0) continue;
        this.load(at);
        this.placedAt = at;
        this.head = entries[e + 1]!;
        this.seq = entries[e + 3]!;
        this.model.check(this.cur, this.todo, this.found);
      }
      // The kept counts (listed less taken) and the owners are two accounts of the same thing.
      if (index - base !== kept[c]) throw new Error(`internal error: chunk ${c} owns ${index - base} states but counts ${kept[c]}`);
    }
  }

  /** check()'s found(i) at the state just placed: an event unless its target is decided or has one from an earlier state. */
  private readonly found = (i: number): void => {
    const fault = i < 0;
    const target = fault ? this.shape.ranges : i;
    if (fault && (target < 0 || !this.shape.stateProperties[-1 - i])) return;
    if (this.decided[target] || this.seenState[target]) return;
    this.seenState[target] = 1;
    this.events.push({ kind: fault ? 'fault' : 'found', property: fault ? -1 - i : i, head: this.head, seq: this.seq, node: this.placedAt, instance: 0, step: 0 });
  };
  private placedAt = 0;

  // The batch (BATCH says why): successors emitted and not yet looked up, each with its
  // vector, home slot, tag, move, emission number and head.
  private batched = 0;
  private batchVectors = new Uint32Array(0);
  private readonly batchHomes = new Uint32Array(BATCH);
  private readonly batchTags = new Int32Array(BATCH);
  private readonly batchMoves = new Int32Array(BATCH);
  private readonly batchSeqs = new Int32Array(BATCH);
  private readonly batchHeads = new Int32Array(BATCH);
  /** What the touches read, kept so that the compiler cannot drop them. */
  private touched = 0;

  private push(v: Uint32Array, move: number, seq: number): void {
    const { words } = this;
    const n = this.batched++;
    const base = n * words;
    for (let i = 0; i < words; i++) this.batchVectors[base + i] = v[i]!;
    const h = hash(v, 0, words);
    this.batchHomes[n] = h >>> (32 - this.bits);
    this.batchTags[n] = secondLane() & ~((1 << this.bits) - 1);
    this.batchMoves[n] = move;
    this.batchSeqs[n] = seq;
    this.batchHeads[n] = this.head;
    if (this.batched === BATCH) this.flush();
  }

  /**
   * Looks the batch up, in emission order. The touches are plain reads of
   * slots other threads may be writing: whatever they read is thrown away
   * (insertAt reads every slot it acts on again), and the ids they follow
   * are below the ids the driver has made room for.
   */
  private flush(): void {
    const n = this.batched;
    if (n === 0) return;
    const { table, arena, owner, words, first, batchHomes, batchTags, batchVectors } = this;
    const mask = (1 << this.bits) - 1;
    let touched = 0;
    for (let i = 0; i < n; i++) touched ^= table[batchHomes[i]!]!;
    for (let i = 0; i < n; i++) {
      const e = table[batchHomes[i]!]!;
      if (e !== 0 && ((e ^ batchTags[i]!) & ~mask) === 0) {
        const id = (e & mask) - 1;
        touched ^= arena[id * words]!;
        // A state of this level found again: lowerOwner will read its owner, another miss.
        if (id >= first) touched ^= owner[id]!;
      }
    }
    this.touched ^= touched;
    const head = this.head;
    for (let i = 0; i < n && !this.aborted; i++) {
      this.head = this.batchHeads[i]!;
      this.insertAt(batchVectors, i * words, batchHomes[i]!, batchTags[i]!, this.batchMoves[i]!, this.batchSeqs[i]!);
    }
    this.head = head;
    this.batched = 0;
  }
}
