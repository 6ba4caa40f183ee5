/**
 * The compiled engine's state store: packed state vectors in large
 * typed-array chunks (no JavaScript object per state), an open-addressing
 * table of state indexes, and per state its parent index and the move that
 * reached it. States are numbered in the order they are added, which for a
 * breadth-first search is also the queue.
 *
 * The table costs 4 bytes a slot and is kept between a quarter and a half
 * full. States are keyed by a 64-bit hash of their vector in two 32-bit
 * lanes. With 2^k slots, the top k bits of the first lane pick the home
 * slot, and a slot holds the state's index + 1 in its low k bits (at most
 * 2^(k-1) states, so it fits) under the top 32 - k bits of the second
 * lane, a tag: a probe compares a stored vector only when the tags match,
 * so all but 1 in 2^(32-k) other states are passed over without touching
 * the arena. Every lookup compares whole vectors before it answers, so the
 * hash decides speed, never the result: a collision costs a comparison, it
 * cannot merge two states.
 */

/** States per chunk of the arena and of the parent/move arrays. */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
const INITIAL_BITS = 12;
/** 2^31 slots of 4 bytes: beyond that the index no longer fits beside a tag. */
const MAX_BITS = 31;

/** Moves are numbered densely; a model with fewer than 2^16 of them stores 2 bytes a state. */
export type MoveWidth = 2 | 4;

export class StateStore {
  /** 32-bit words per state. */
  readonly words: number;
  count = 0;
  private readonly arena: Uint32Array[] = [];
  private readonly parents: Int32Array[] = [];
  private readonly moves: (Uint16Array | Uint32Array)[] = [];
  private table = new Uint32Array(1 << INITIAL_BITS);
  /** log2 of the table's size. */
  private bits = INITIAL_BITS;
  /** Where the last unsuccessful lookup stopped, and the tagged entry it would hold. */
  private slot = -1;
  private tagged = 0;

  constructor(
    readonly bytes: number,
    private readonly moveWidth: MoveWidth = 4,
  ) {
    if (bytes % 4 !== 0) throw new Error('internal error: state vectors are whole words');
    this.words = bytes / 4;
  }

  /** The index of the state in `v`, or -1 (then insert() adds it). */
  lookup(v: Uint32Array): number {
    const h = hash(v, 0, this.words);
    const bits = this.bits;
    const table = this.table;
    const mask = table.length - 1;
    const indexMask = mask;
    const tag = lane2 & ~indexMask;
    let s = h >>> (32 - bits);
    for (;;) {
      const e = table[s]!;
      if (e === 0) {
        this.slot = s;
        this.tagged = tag;
        return -1;
      }
      if (((e ^ tag) & ~indexMask) === 0) {
        const index = (e & indexMask) - 1;
        if (this.equals(index, v)) return index;
      }
      s = (s + 1) & mask;
    }
  }

  /** Adds the state last looked up (lookup() returned -1). */
  insert(v: Uint32Array, parent: number, move: number): number {
    const index = this.count++;
    const c = index >>> CHUNK_BITS;
    if (c === this.arena.length) {
      this.arena.push(new Uint32Array(CHUNK * this.words));
      this.parents.push(new Int32Array(CHUNK));
      this.moves.push(this.moveWidth === 2 ? new Uint16Array(CHUNK) : new Uint32Array(CHUNK));
    }
    // v is exactly one state long (the engine's scratch vectors are), so no view is made.
    this.arena[c]!.set(v, (index & MASK) * this.words);
    this.parents[c]![index & MASK] = parent;
    this.moves[c]![index & MASK] = move;
    this.table[this.slot] = this.tagged | (index + 1);
    if (this.count * 2 > this.table.length) this.grow();
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

  /**
   * Bytes the store will allocate within the next CHUNK insertions: a
   * chunk, and maybe a table twice as big beside the old one with grow()'s
   * three scratch arrays.
   */
  upcomingBytes(): number {
    const chunk = CHUNK * (this.bytes + 4 + this.moveWidth);
    const grows = (this.count + CHUNK) * 2 > this.table.length;
    return chunk + (grows ? this.table.byteLength * 2 + 12 * (this.count + CHUNK) : 0);
  }

  /** Bytes the stored states take: their vectors, parents and moves, and the table (chunks' unused tails left out). */
  memoryBytes(): number {
    return this.count * (this.bytes + 4 + this.moveWidth) + this.table.byteLength;
  }

  private equals(index: number, v: Uint32Array): boolean {
    const base = (index & MASK) * this.words;
    const chunk = this.arena[index >>> CHUNK_BITS]!;
    for (let i = 0; i < this.words; i++) if (chunk[base + i] !== v[i]) return false;
    return true;
  }

  /**
   * Doubles the table. Hashes are not stored (4 bytes a state saved): they
   * are recomputed from the arena, and no comparison is needed since every
   * state is distinct.
   */
  private grow(): void {
    const bits = this.bits + 1;
    if (bits > MAX_BITS) throw new Error(`internal error: more than 2^${MAX_BITS - 1} states`);
    const n = this.count;
    const table = new Uint32Array(2 ** bits);
    const mask = table.length - 1;
    const homes = new Uint32Array(n);
    const entries = new Uint32Array(n);
    for (let c = 0, i = 0; i < n; c++) {
      const chunk = this.arena[c]!;
      const end = Math.min(n, i + CHUNK);
      for (let base = 0; i < end; i++, base += this.words) {
        homes[i] = hash(chunk, base, this.words) >>> (32 - bits);
        entries[i] = (lane2 & ~mask) | (i + 1);
      }
    }
    fillTable(table, homes, entries, n);
    this.table = table;
    this.bits = bits;
  }
}

/**
 * Writes `n` distinct entries into an empty `table` of 2^k slots, each by
 * linear probing from its home slot. Written in the order they come, the
 * entries would land at random, a cache miss each; they are first sorted
 * by the top bits of their homes (a counting sort that moves them into
 * one run per region of the table, few enough runs for their ends to stay
 * in cache), so that the table is then written region by region.
 */
export function fillTable(table: Uint32Array | Int32Array, homes: Uint32Array, entries: Uint32Array | Int32Array, n: number): void {
  const bits = Math.log2(table.length);
  const mask = table.length - 1;
  const shift = bits - Math.min(bits, 12);
  const starts = new Uint32Array((1 << (bits - shift)) + 1);
  for (let i = 0; i < n; i++) starts[(homes[i]! >>> shift) + 1]!++;
  for (let b = 1; b < starts.length; b++) starts[b]! += starts[b - 1]!;
  const sortedHomes = new Uint32Array(n);
  const sortedEntries = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const at = starts[homes[i]! >>> shift]!++;
    sortedHomes[at] = homes[i]!;
    sortedEntries[at] = entries[i]!;
  }
  for (let j = 0; j < n; j++) {
    let s = sortedHomes[j]!;
    while (table[s] !== 0) s = (s + 1) & mask;
    table[s] = sortedEntries[j]!;
  }
}

/** The second lane of the last hash() (kept here so that hashing allocates nothing). */
let lane2 = 0;

/** The second lane of the last hash(), for the parallel store (expander.ts), which hashes the same way. */
export const secondLane = (): number => lane2;

/**
 * A 64-bit hash of `n` words of `v` from `base`: MurmurHash3's 32-bit mix
 * as the first lane (returned), a multiply-xorshift lane seeded apart from
 * it as the second (left in `lane2`), each finished with fmix32.
 *
 * Every intermediate is kept a 32-bit integer (`| 0`, constants above 2^31
 * folded to their signed value): an addition left unwrapped makes V8 carry
 * a double through the loop, and the hash took 35 ns for 5 words instead
 * of 14. The values are the same either way, since every use wraps mod 2^32.
 * Both lanes are given as signed 32-bit integers too (the same bits; every
 * caller takes bits of them): as unsigned, half of them are above V8's
 * small integers and are boxed, and `lane2`, a variable of the module, was
 * boxed at every other call (measured: 55 to 65 ns a 4-word state in the
 * parallel rehash's hashing loop, 19 to 29 ns signed).
 */
export function hash(v: Uint32Array, base: number, n: number): number {
  let h = (0x9747b28c ^ n) | 0;
  let g = 0x85ebca6b | 0;
  const end = base + n;
  for (let i = base; i < end; i++) {
    const w = v[i]! | 0;
    let k = Math.imul(w, 0xcc9e2d51 | 0);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (Math.imul((h << 13) | (h >>> 19), 5) + (0xe6546b64 | 0)) | 0;
    g = Math.imul(g ^ w, 0x27d4eb2d);
    g ^= g >>> 15;
  }
  lane2 = fmix((g + h) | 0);
  return fmix(h ^ n);
}

/** MurmurHash3's finaliser, on and to a signed 32-bit integer. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b | 0);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35 | 0);
  return h ^ (h >>> 16);
}
