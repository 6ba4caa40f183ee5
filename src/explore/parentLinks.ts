/**
 * Parent links in about one byte a state, for a breadth-first search that
 * numbers states in the order it adds them: the children of state p are
 * added while p is expanded, after those of p - 1, so the parent index
 * never decreases as the child index grows. It is enough to keep how many
 * states each expansion added (a byte; 255 means "see `many`", a map for
 * the rare state with more) and, every K states, the index of the first
 * state added by the expansions from there on: parent(i) is then a binary
 * search over those checkpoints and a scan of at most K bytes.
 */

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
const K_BITS = 7;
const K = 1 << K_BITS;
/** What a Map entry is counted as (a hash table entry of a key, a value and a link, with its share of buckets). */
const MAP_ENTRY_BYTES = 32;

export class ParentLinks {
  /** Per state, the states its expansion added (255: at least 255, the number in `many`). */
  private readonly added: Uint8Array[] = [];
  private readonly many = new Map<number, number>();
  /** checkpoints[c]: the index of the first state whose parent is c * K or later. */
  private checkpoints = new Uint32Array(1024);
  private known = 0;
  /** The parent of the last state added. */
  private last = -1;

  /** State `index` (the next one: 0, 1, 2...) was added while expanding `parent` (-1 for the initial state). */
  add(index: number, parent: number): void {
    const c = index >>> CHUNK_BITS;
    if (c === this.added.length) this.added.push(new Uint8Array(CHUNK));
    if (parent < 0) return;
    if (parent < this.last) throw new Error('internal error: parent links need a breadth-first order');
    // The expansions before each checkpoint passed since the last parent are over: their children end here.
    for (let b = this.known * K; b <= parent; b += K) this.setCheckpoint(this.known++, index);
    this.last = parent;
    const chunk = this.added[parent >>> CHUNK_BITS]!;
    const n = chunk[parent & MASK]!;
    if (n < 254) chunk[parent & MASK] = n + 1;
    else if (n === 254) { chunk[parent & MASK] = 255; this.many.set(parent, 255); }
    else this.many.set(parent, this.many.get(parent)! + 1);
  }

  /** The parent of state `index` (-1 for the initial state); `index` must have been added. */
  parent(index: number): number {
    if (index === 0) return -1;
    // The last checkpoint at or before `index` (checkpoint 0 is 1, the first child of state 0).
    let lo = 0;
    let hi = this.known - 1;
    while (lo < hi) {
      const m = (lo + hi + 1) >>> 1;
      if (this.checkpoints[m]! <= index) lo = m; else hi = m - 1;
    }
    let p = lo * K;
    let first = this.checkpoints[lo]!;
    for (;;) {
      const n = this.addedBy(p);
      if (first + n > index) return p;
      first += n;
      p++;
    }
  }

  bytes(): number {
    return this.added.length * CHUNK + this.checkpoints.byteLength + this.many.size * MAP_ENTRY_BYTES;
  }

  /** Bytes allocated within the next `n` additions. */
  upcomingBytes(n: number): number {
    const grows = this.known + Math.ceil(n / K) + 1 > this.checkpoints.length;
    return Math.ceil(n / CHUNK) * CHUNK + (grows ? this.checkpoints.byteLength * 2 : 0);
  }

  private addedBy(p: number): number {
    const n = this.added[p >>> CHUNK_BITS]![p & MASK]!;
    return n === 255 ? this.many.get(p)! : n;
  }

  private setCheckpoint(c: number, index: number): void {
    if (c === this.checkpoints.length) {
      const bigger = new Uint32Array(this.checkpoints.length * 2);
      bigger.set(this.checkpoints);
      this.checkpoints = bigger;
    }
    this.checkpoints[c] = index;
  }
}
