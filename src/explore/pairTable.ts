/**
 * A hash-consed table of pairs of 32-bit words, the building block of the
 * tree store (treeStore.ts): each distinct pair is kept once, under a dense
 * id (0, 1, 2... in the order of addition), and found again by its value.
 *
 * The pairs sit in small typed-array chunks (8 bytes a pair, no JavaScript
 * object per pair); an open-addressing index of 4-byte slots maps a pair
 * back to its id. The index is kept dense, between about 0.57 and 0.85
 * full, by growing it 1.5 times; its size need not be a power of two, as a
 * hash is reduced to a slot by multiplying (floor(h * size / 2^32)).
 * A slot holds id + 1 in its low bits under a tag, more bits of the hash:
 * a probe reads a stored pair only when the tags match. Every lookup
 * compares the pair itself before it answers, so the hash decides speed,
 * never the result: a collision costs a comparison, it cannot merge two
 * pairs.
 */

/** Pairs per chunk: small, so that a table with few pairs (a node near the leaves) holds little. */
const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
const INITIAL_SIZE = 1024;
const MAX_LOAD = 0.85;
const GROWTH = 1.5;
/** Ids and slots are 32-bit: beyond 2^31 pairs the index no longer fits. */
const MAX_PAIRS = 2 ** 31 - 1;

/** A 32-bit hash of a pair; replaceable so that tests can force collisions. */
export type PairHash = (a: number, b: number) => number;

export class PairTable {
  count = 0;
  private readonly chunks: Uint32Array[] = [];
  private slots: Uint32Array;
  /** Most pairs the index holds before it grows. */
  private maxCount: number;
  /** The bits of a slot above the id + 1 (the tag's). */
  private tagMask: number;
  /** Where the last unsuccessful find() stopped, and the tag of its pair. */
  private slot = -1;
  private tag = 0;

  constructor(private readonly hash: PairHash = hashPair) {
    this.slots = new Uint32Array(INITIAL_SIZE);
    this.maxCount = Math.floor(INITIAL_SIZE * MAX_LOAD);
    this.tagMask = tagMaskFor(this.maxCount);
  }

  /** The id of the pair (a, b), or -1 (then add() adds it). */
  find(a: number, b: number): number {
    const h = this.hash(a, b) >>> 0;
    const slots = this.slots;
    const size = slots.length;
    const tagMask = this.tagMask;
    const tag = (fmix(h ^ 0x5bd1e995) & tagMask) >>> 0;
    let s = Math.floor(h * size / 4294967296);
    for (;;) {
      const e = slots[s]!;
      if (e === 0) {
        this.slot = s;
        this.tag = tag;
        return -1;
      }
      if (((e & tagMask) >>> 0) === tag) {
        const id = (e & ~tagMask) - 1;
        const c = this.chunks[id >>> CHUNK_BITS]!;
        const o = (id & MASK) * 2;
        if (c[o] === a && c[o + 1] === b) return id;
      }
      if (++s === size) s = 0;
    }
  }

  /** Adds the pair last looked up by find() (which returned -1); returns its id. */
  add(a: number, b: number): number {
    const id = this.count;
    if (id >= MAX_PAIRS) throw new Error(`internal error: more than ${MAX_PAIRS} pairs in a state table`);
    const c = id >>> CHUNK_BITS;
    if (c === this.chunks.length) this.chunks.push(new Uint32Array(CHUNK * 2));
    const chunk = this.chunks[c]!;
    chunk[(id & MASK) * 2] = a;
    chunk[(id & MASK) * 2 + 1] = b;
    this.slots[this.slot] = (this.tag | (id + 1)) >>> 0;
    this.count = id + 1;
    if (this.count > this.maxCount) this.grow();
    return id;
  }

  findOrAdd(a: number, b: number): number {
    const id = this.find(a, b);
    return id >= 0 ? id : this.add(a, b);
  }

  left(id: number): number {
    return this.chunks[id >>> CHUNK_BITS]![(id & MASK) * 2]!;
  }

  right(id: number): number {
    return this.chunks[id >>> CHUNK_BITS]![(id & MASK) * 2 + 1]!;
  }

  /** Bytes held: the chunks allocated (the last one's unused tail included) and the index. */
  bytes(): number {
    return this.chunks.length * CHUNK * 8 + this.slots.byteLength;
  }

  /** Bytes allocated within the next `n` additions: chunks, and maybe a bigger index. */
  upcomingBytes(n: number): number {
    const chunks = Math.ceil(n / CHUNK) * CHUNK * 8;
    return chunks + (this.count + n > this.maxCount ? Math.ceil(this.slots.length * GROWTH) * 4 : 0);
  }

  /**
   * Grows the index 1.5 times. Hashes are not stored: they are recomputed
   * from the pairs, which are all distinct, so no comparison is needed. The
   * old index is dropped first: only the pairs are read.
   */
  private grow(): void {
    const size = Math.ceil(this.slots.length * GROWTH);
    this.slots = new Uint32Array(0);
    const slots = new Uint32Array(size);
    const maxCount = Math.floor(size * MAX_LOAD);
    const tagMask = tagMaskFor(maxCount);
    for (let id = 0; id < this.count; id++) {
      const chunk = this.chunks[id >>> CHUNK_BITS]!;
      const o = (id & MASK) * 2;
      const h = this.hash(chunk[o]!, chunk[o + 1]!) >>> 0;
      let s = Math.floor(h * size / 4294967296);
      while (slots[s] !== 0) if (++s === size) s = 0;
      slots[s] = ((fmix(h ^ 0x5bd1e995) & tagMask) | (id + 1)) >>> 0;
    }
    this.slots = slots;
    this.maxCount = maxCount;
    this.tagMask = tagMask;
  }
}

/** The slot bits left for a tag when the slot must hold ids + 1 up to `maxCount`. */
function tagMaskFor(maxCount: number): number {
  // add() writes id + 1 = maxCount + 1 before it grows the index.
  const idBits = 32 - Math.clz32(maxCount + 1);
  return idBits >= 32 ? 0 : (~0 << idBits) >>> 0;
}

/** MurmurHash3's 32-bit mix over the two words, finished with fmix32. */
export function hashPair(a: number, b: number): number {
  let h = 0x9747b28c;
  let k = Math.imul(a, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  k = Math.imul(b, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  return fmix(h ^ 8);
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
