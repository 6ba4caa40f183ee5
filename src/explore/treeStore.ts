/**
 * The compressed state store (`--store tree`): tree compression as in
 * LTSmin (Laarman, van de Pol, Weber, "Parallel recursive state compression
 * for free", SPIN 2011). A state vector of W words is split by a binary
 * tree; every internal node is a pair (left, right) kept once in a table
 * of its own (pairTable.ts), a leaf is a word of the vector, and a state is
 * its root pair. A node's words split into those at its even and at its
 * odd positions, so that each half holds parts of every array; the root's
 * halves are chosen once, from the first states (reshape()), and the tree
 * stays fixed from then on. Successors differ from the state being expanded
 * in few words, so a new state usually adds a root and a node or two, and
 * finding a state looks up only the nodes on the paths to the words that
 * changed (the others are reused from the reference: the state last
 * loaded).
 *
 * The root table's ids are the state indexes: states are numbered in the
 * order they are added, the breadth-first queue, as in StateStore. Parents
 * are not stored as indexes: a BFS adds the children of state p before
 * those of p + 1, so the parent index does not decrease with the child
 * index, and it is recovered from how many states each expansion added
 * (one byte a state, parentLinks.ts). Moves are not stored at all: the
 * explorer recomputes the move that reached a state by expanding its
 * parent again (compiled.ts).
 */
import { PairTable, hashPair, type PairHash } from './pairTable.ts';
import { ParentLinks } from './parentLinks.ts';
import type { SearchStore } from './stores.ts';

/** Insertions the explorer may make between two budget checks (as StateStore's CHUNK). */
const AHEAD = 1 << 16;
/** States stored when the tree's shape is chosen (reshape()). */
const SAMPLE = 1 << 16;
/** Root splits tried at most (every split of up to 9 words). */
const MAX_SPLITS = 70;

export class TreeStore implements SearchStore {
  readonly words: number;
  /** Internal nodes in post-order (children before parents), the root last. */
  private readonly nodes: number;
  /**
   * The children of internal node k: a leaf is encoded as -1 - (its word's
   * index), an internal node by its number.
   */
  private leftOf: Int32Array;
  private rightOf: Int32Array;
  /** One table per internal node; the root's (the last) is indexed by state. */
  private tables: PairTable[];
  private readonly links = new ParentLinks();
  /** The state last loaded, its words and the ids of its nodes: successors are looked up against it. */
  private readonly refWords: Uint32Array;
  private readonly refIds: Int32Array;
  private hasRef = false;
  /** The ids of the nodes of the vector being looked up, and whether each equals the reference's. */
  private readonly ids: Int32Array;
  private readonly same: Uint8Array;
  /** The root pair of the last lookup, for insert(). */
  private rootLeft = 0;
  private rootRight = 0;

  /**
   * `order` lists the words as the tree's leaves: the root's halves are
   * the words at its even and at its odd positions, and so on down.
   * Once `sample` states are stored, the store picks the root's halves
   * that take the fewest nodes on those states (reshape()).
   */
  constructor(readonly bytes: number, private readonly hash: PairHash = hashPair, private readonly sample = SAMPLE, private order: readonly number[] = []) {
    if (bytes % 4 !== 0 || bytes === 0) throw new Error('internal error: state vectors are whole words');
    this.words = bytes / 4;
    if (this.order.length === 0) this.order = Array.from({ length: this.words }, (_, i) => i);
    const shape = shapeOf(this.order);
    this.nodes = shape.left.length;
    this.leftOf = shape.left;
    this.rightOf = shape.right;
    this.tables = Array.from({ length: this.nodes }, () => new PairTable(hash));
    this.refWords = new Uint32Array(this.words + 1);
    this.refIds = new Int32Array(this.nodes);
    this.ids = new Int32Array(this.nodes);
    this.same = new Uint8Array(this.nodes);
  }

  get count(): number {
    return this.tables[this.nodes - 1]!.count;
  }

  /** The index of the state in `v`, or -1 (then insert() adds it). Adds the nodes below the root that are new. */
  lookup(v: Uint32Array): number {
    const ids = this.ids;
    const same = this.same;
    const ref = this.refWords;
    const refIds = this.refIds;
    const hasRef = this.hasRef;
    const root = this.nodes - 1;
    let l = 0;
    let r = 0;
    let unchanged = false;
    for (let k = 0; k <= root; k++) {
      const lc = this.leftOf[k]!;
      const rc = this.rightOf[k]!;
      let sameL: boolean;
      let sameR: boolean;
      // Word index `words` is past the vector: it reads as 0 (the one-word tree's constant right leaf).
      if (lc < 0) { const w = -1 - lc; l = w < this.words ? v[w]! : 0; sameL = hasRef && l === ref[w]; } else { l = ids[lc]!; sameL = same[lc] === 1; }
      if (rc < 0) { const w = -1 - rc; r = w < this.words ? v[w]! : 0; sameR = hasRef && r === ref[w]; } else { r = ids[rc]!; sameR = same[rc] === 1; }
      unchanged = sameL && sameR;
      if (k === root) break;
      same[k] = unchanged ? 1 : 0;
      ids[k] = unchanged ? refIds[k]! : this.tables[k]!.findOrAdd(l, r);
    }
    this.rootLeft = l;
    this.rootRight = r;
    return unchanged ? refIds[root]! : this.tables[root]!.find(l, r);
  }

  /** Adds the state last looked up (lookup() returned -1), reached from `parent` (-1 for the initial state). */
  insert(_v: Uint32Array, parent: number, _move: number): number {
    const index = this.tables[this.nodes - 1]!.add(this.rootLeft, this.rootRight);
    this.links.add(index, parent);
    if (index + 1 === this.sample) this.reshape();
    return index;
  }

  /**
   * Picks the root's halves: the split of the words whose nodes are fewest
   * on the states stored so far (the first `sample` of the search), among
   * every split into halves (up to MAX_SPLITS of them; the present order
   * first, kept on a tie), and stores the states again under it. Which
   * words vary together depends on the model (an array whose values follow
   * from another's, as a philosopher's forks from the program counters):
   * a split that puts them apart makes one half nearly as varied as the
   * states, and its nodes cost nearly as much as the roots. The states keep
   * their indexes, since they are added again in the same order.
   */
  private reshape(): void {
    const n = this.count;
    const w = this.words;
    if (w < 3) return;
    const states = new Uint32Array(n * w);
    for (let i = 0; i < n; i++) this.load(i, states.subarray(i * w, (i + 1) * w));
    let best = this.order;
    let bestCost = nodesFor(this.order, states, w, this.hash);
    for (const order of splits(w).slice(0, MAX_SPLITS)) {
      const cost = nodesFor(order, states, w, this.hash);
      if (cost < bestCost) { best = order; bestCost = cost; }
    }
    this.hasRef = false;
    if (best === this.order) return;
    this.order = best;
    const shape = shapeOf(best);
    this.leftOf = shape.left;
    this.rightOf = shape.right;
    this.tables = Array.from({ length: this.nodes }, () => new PairTable(this.hash));
    for (let i = 0; i < n; i++) {
      if (this.lookup(states.subarray(i * w, (i + 1) * w)) !== -1) throw new Error('internal error: a state twice in the tree store');
      this.tables[this.nodes - 1]!.add(this.rootLeft, this.rootRight);
    }
  }

  /** Copies state `index` into `out`, which becomes the reference for the next lookups. */
  load(index: number, out: Uint32Array): void {
    const ids = this.refIds;
    const ref = this.refWords;
    ids[this.nodes - 1] = index;
    for (let k = this.nodes - 1; k >= 0; k--) {
      const t = this.tables[k]!;
      const id = ids[k]!;
      const l = t.left(id);
      const r = t.right(id);
      const lc = this.leftOf[k]!;
      const rc = this.rightOf[k]!;
      if (lc < 0) ref[-1 - lc] = l; else ids[lc] = l;
      if (rc < 0) ref[-1 - rc] = r; else ids[rc] = r;
    }
    for (let i = 0; i < this.words; i++) out[i] = ref[i]!;
    this.hasRef = true;
  }

  /** The words in the order of the tree's leaves (the root's left half at even positions). */
  get leaves(): readonly number[] {
    return this.order;
  }

  /** The nodes stored below the roots (for reshape()). */
  nodesBelowRoot(): number {
    let n = 0;
    for (let k = 0; k < this.nodes - 1; k++) n += this.tables[k]!.count;
    return n;
  }

  parent(index: number): number {
    return this.links.parent(index);
  }

  /** Moves are not stored: -1, and the explorer finds the move again by expanding the parent. */
  move(_index: number): number {
    return -1;
  }

  upcomingBytes(): number {
    let n = this.links.upcomingBytes(AHEAD);
    for (const t of this.tables) n += t.upcomingBytes(AHEAD);
    return n;
  }

  /** Everything held: every node table with its index, the root table (the states), the parent links. */
  memoryBytes(): number {
    let n = this.links.bytes();
    for (const t of this.tables) n += t.bytes();
    return n;
  }
}

/** The tree over `order`: a list of one word is a leaf; a longer one splits into the words at its even and at its odd positions. */
function shapeOf(order: readonly number[]): { left: Int32Array; right: Int32Array } {
  const left: number[] = [];
  const right: number[] = [];
  const build = (list: readonly number[]): number => {
    if (list.length === 1) return -1 - list[0]!;
    const l = build(list.filter((_, i) => i % 2 === 0));
    const r = build(list.filter((_, i) => i % 2 === 1));
    left.push(l);
    right.push(r);
    return left.length - 1;
  };
  // One word: the root pairs it with a word past the vector, which reads as 0.
  if (order.length === 1) { left.push(-1 - order[0]!); right.push(-2); } else build(order);
  return { left: Int32Array.from(left), right: Int32Array.from(right) };
}

/**
 * Every split of `w` words into a left half of ceil(w / 2) words and the
 * rest, as orders (the left half at even positions); for an even `w`, only
 * those with word 0 on the left (the others mirror them).
 */
function splits(w: number): number[][] {
  const half = Math.ceil(w / 2);
  const out: number[][] = [];
  const pick = (from: number, chosen: number[]): void => {
    if (chosen.length === half) {
      const rest = Array.from({ length: w }, (_, i) => i).filter((i) => !chosen.includes(i));
      out.push(Array.from({ length: w }, (_, j) => (j % 2 === 0 ? chosen[j >> 1]! : rest[j >> 1]!)));
      return;
    }
    for (let i = from; i < w && out.length <= MAX_SPLITS; i++) pick(i + 1, [...chosen, i]);
  };
  if (w % 2 === 0) pick(1, [0]); else pick(0, []);
  return out;
}

/** The nodes below the root that the `states` (n vectors of `w` words, flat) take in the tree over `order`. */
function nodesFor(order: readonly number[], states: Uint32Array, w: number, hash: PairHash): number {
  const trial = new TreeStore(w * 4, hash, Infinity, order);
  for (let i = 0; i * w < states.length; i++) {
    const v = states.subarray(i * w, (i + 1) * w);
    if (trial.lookup(v) === -1) trial.insert(v, -1, 0);
  }
  return trial.nodesBelowRoot();
}
