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
  private slots = new Uint32Array(INITIAL_SLOTS);
  private tags = new Uint32Array(INITIAL_SLOTS);
  private mask = INITIAL_SLOTS - 1;
  /** Where the last unsuccessful lookup stopped: insert() fills it. */
  private slot = -1;
  private tag = 0;

  constructor(readonly bytes: number) {
    if (bytes % 4 !== 0) throw new Error('internal error: state vectors are whole words');
    this.words = bytes / 4;
  }

  /** The index of the state in `v`, or -1 (then insert() adds it). */
  lookup(v: Uint32Array): number {
    const n = this.words;
    let h1 = 0x9747b28c ^ n;
    let h2 = 0x85ebca6b;
    for (let i = 0; i < n; i++) {
      let k = Math.imul(v[i]!, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      h1 ^= Math.imul(k, 0x1b873593);
      h1 = Math.imul((h1 << 13) | (h1 >>> 19), 5) + 0xe6546b64;
      h2 = Math.imul(h2 ^ v[i]!, 0x27d4eb2d);
      h2 ^= h2 >>> 15;
    }
    h1 = fmix(h1 ^ n);
    h2 = fmix(h2 + h1);
    const slots = this.slots;
    const tags = this.tags;
    let s = h1 & this.mask;
    for (;;) {
      const e = slots[s]!;
      if (e === 0) {
        this.slot = s;
        this.tag = h2;
        return -1;
      }
      if (tags[s] === h2 && this.equals(e - 1, v)) return e - 1;
      s = (s + 1) & this.mask;
    }
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
    this.slots[this.slot] = index + 1;
    this.tags[this.slot] = this.tag;
    if (this.count * 2 > this.slots.length) this.grow();
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
    const table = (this.count + CHUNK) * 2 > this.slots.length ? this.slots.byteLength * 4 : 0;
    return chunk + table;
  }

  /** Bytes held by the arena, the parent and move arrays and the table. */
  memoryBytes(): number {
    return this.arena.length * CHUNK * (this.bytes + 8) + this.slots.byteLength + this.tags.byteLength;
  }

  private equals(index: number, v: Uint32Array): boolean {
    const base = (index & MASK) * this.words;
    const chunk = this.arena[index >>> CHUNK_BITS]!;
    for (let i = 0; i < this.words; i++) if (chunk[base + i] !== v[i]) return false;
    return true;
  }

  /** Doubles the table and re-inserts every state (hashes are recomputed, not stored). */
  private grow(): void {
    const size = this.slots.length * 2;
    this.slots = new Uint32Array(size);
    this.tags = new Uint32Array(size);
    this.mask = size - 1;
    const v = new Uint32Array(this.words);
    for (let i = 0; i < this.count; i++) {
      this.load(i, v);
      if (this.lookup(v) !== -1) throw new Error('internal error: a state is stored twice');
      this.slots[this.slot] = i + 1;
      this.tags[this.slot] = this.tag;
    }
  }
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
