/**
 * The compiled engine's state store: packed state vectors in large
 * typed-array chunks (no JavaScript object per state), an open-addressing
 * table of state indexes keyed by a 64-bit hash (two 32-bit lanes: one
 * picks the slot, the other is kept beside it to skip most comparisons),
 * and per state its parent index and the move that reached it. States are
 * numbered in the order they are added, which for a breadth-first search
 * is also the queue.
 */

/** States per chunk of the arena and of the parent/move arrays. */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
const INITIAL_SLOTS = 1 << 12;

export class StateStore {
  /** 32-bit words per state. */
  readonly words: number;
  count = 0;
  private readonly arena: Uint32Array[] = [];
  private readonly parents: Int32Array[] = [];
  private readonly moves: Uint32Array[] = [];
  /**
   * The hash table: slot s is table[2s] (state index + 1, 0 when empty) and
   * table[2s + 1] (the tag), side by side so that a probe touches one cache line.
   */
  private table = new Uint32Array(2 * INITIAL_SLOTS);
  private mask = INITIAL_SLOTS - 1;
  /** Where the last unsuccessful lookup stopped: insert() fills it. */
  private slot = -1;
  private h1 = 0;
  private tag = 0;

  constructor(readonly bytes: number) {
    if (bytes % 4 !== 0) throw new Error('internal error: state vectors are whole words');
    this.words = bytes / 4;
  }

  /** The index of the state in `v`, or -1 (then insert() adds it). */
  lookup(v: Uint32Array): number {
    this.hash(v, 0);
    const h2 = this.tag;
    const table = this.table;
    let s = this.h1 & this.mask;
    for (;;) {
      const e = table[2 * s]!;
      if (e === 0) {
        this.slot = s;
        return -1;
      }
      if (table[2 * s + 1] === h2 && this.equals(e - 1, v)) return e - 1;
      s = (s + 1) & this.mask;
    }
  }

  /** The two 32-bit lanes of a state's 64-bit hash: h1 picks the slot, the tag is kept beside it. */
  private hash(v: Uint32Array, base: number): void {
    const n = this.words;
    let h1 = 0x9747b28c ^ n;
    let h2 = 0x85ebca6b;
    for (let i = base; i < base + n; i++) {
      const w = v[i]!;
      let k = Math.imul(w, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      h1 ^= Math.imul(k, 0x1b873593);
      h1 = Math.imul((h1 << 13) | (h1 >>> 19), 5) + 0xe6546b64;
      h2 = Math.imul(h2 ^ w, 0x27d4eb2d);
      h2 ^= h2 >>> 15;
    }
    h1 = fmix(h1 ^ n);
    this.h1 = h1;
    this.tag = fmix(h2 + h1);
  }

  /** Adds the state last looked up (lookup() returned -1). */
  insert(v: Uint32Array, parent: number, move: number): number {
    const index = this.count++;
    const c = index >>> CHUNK_BITS;
    if (c === this.arena.length) {
      this.arena.push(new Uint32Array(CHUNK * this.words));
      this.parents.push(new Int32Array(CHUNK));
      this.moves.push(new Uint32Array(CHUNK));
    }
    // v is exactly one state long (the engine's scratch vectors are), so no view is made.
    this.arena[c]!.set(v, (index & MASK) * this.words);
    this.parents[c]![index & MASK] = parent;
    this.moves[c]![index & MASK] = move;
    this.table[2 * this.slot] = index + 1;
    this.table[2 * this.slot + 1] = this.tag;
    if (this.count * 2 > this.mask + 1) this.grow();
    return index;
  }

  /** Copies state `index` into `out`. */
  load(index: number, out: Uint32Array): void {
    const base = (index & MASK) * this.words;
    const chunk = this.arena[index >>> CHUNK_BITS]!;
    for (let i = 0; i < this.words; i++) out[i] = chunk[base + i]!;
  }

  parent(index: number): number {
    return this.parents[index >>> CHUNK_BITS]![index & MASK]!;
  }

  move(index: number): number {
    return this.moves[index >>> CHUNK_BITS]![index & MASK]!;
  }

  /** Bytes the store will allocate within the next CHUNK insertions (a chunk, maybe a bigger table). */
  upcomingBytes(): number {
    const chunk = CHUNK * (this.bytes + 8);
    const table = (this.count + CHUNK) * 2 > this.mask + 1 ? this.table.byteLength * 2 : 0;
    return chunk + table;
  }

  /** Bytes the stored states take: their vectors, parents and moves, and the table (chunks' unused tails left out). */
  memoryBytes(): number {
    return this.count * (this.bytes + 8) + this.table.byteLength;
  }

  private equals(index: number, v: Uint32Array): boolean {
    const base = (index & MASK) * this.words;
    const chunk = this.arena[index >>> CHUNK_BITS]!;
    for (let i = 0; i < this.words; i++) if (chunk[base + i] !== v[i]) return false;
    return true;
  }

  /**
   * Doubles the table and re-inserts every state. Hashes are recomputed
   * from the arena rather than stored (4 bytes a state saved), and no
   * comparison is needed: every state is distinct.
   */
  private grow(): void {
    const size = (this.mask + 1) * 2;
    const table = new Uint32Array(2 * size);
    const mask = size - 1;
    for (let i = 0; i < this.count; i++) {
      this.hash(this.arena[i >>> CHUNK_BITS]!, (i & MASK) * this.words);
      let s = this.h1 & mask;
      while (table[2 * s] !== 0) s = (s + 1) & mask;
      table[2 * s] = i + 1;
      table[2 * s + 1] = this.tag;
    }
    this.table = table;
    this.mask = mask;
  }
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
