/**
 * Building the parallel store's bigger table (parallel.ts's rehash) on
 * every thread. The sequential store does it alone with store.ts's
 * fillTable; here the work is split twice, and no two threads ever write
 * the same slot or read one another's:
 *
 * 1. sortSlice: each thread hashes its share of the states (by index) and
 *    sorts their entries by region of the table (the top bits of the home
 *    slot), a counting sort into its own part of one shared array; it
 *    records where each region's run starts.
 * 2. fillRegions: each thread takes a range of regions and writes every
 *    share's runs for them into the table, by linear probing from the home
 *    slot. A probe that would leave the range (the next thread's slots, or
 *    the table's end) is not taken: the entry is handed back, and the driver
 *    inserts those few afterwards, probing on as the table does.
 *
 * Linear probing finds an entry as long as no empty slot lies between its
 * home and where it sits, whatever the order entries went in: so the table
 * answers every lookup the sequential fill's would, though entries may sit
 * in other slots (which only the speed of a lookup depends on).
 */
import { hash, secondLane } from './store.ts';

/** Regions of the table (log2): a region's slots and its runs' ends stay in cache while it is filled. */
const REGION_BITS = 10;

export interface FillPlan {
  /** The table has 2^bits slots; it is split into 2^regionBits regions. */
  readonly bits: number;
  readonly regionBits: number;
  /** Threads, and the share of state indices each sorts: thread w has [cut[w], cut[w + 1]). */
  readonly cut: readonly number[];
}

export function fillPlan(bits: number, count: number, threads: number): FillPlan {
  return { bits, regionBits: Math.min(bits, REGION_BITS), cut: Array.from({ length: threads + 1 }, (_, w) => Math.floor((count * w) / threads)) };
}

/**
 * A thread's arrays for its share, kept from one rehash to the next: fresh
 * memory is slow to touch on these machines (a page fault each 4 KiB, and
 * in a virtual machine the host's too), and each rehash's share is bigger
 * than the last one's, so they are made twice as big as needed.
 */
export interface Scratch {
  homes: Uint32Array;
  entries: Int32Array;
}

/**
 * Thread w's share of step 1: the home slot and entry (tag above id + 1)
 * of each state at indices [cut[w], cut[w + 1]) (its vector at
 * order[i] * words in arena), counting-sorted by region into `sorted`
 * (pairs home, entry, at the share's own indices); `starts` gets, at
 * w * (regions + 1) + r, where the share's run for region r begins.
 */
export function sortSlice(plan: FillPlan, w: number, arena: Uint32Array, order: Uint32Array, words: number, sorted: Int32Array, starts: Uint32Array, scratch: Scratch): void {
  const a = plan.cut[w]!;
  const b = plan.cut[w + 1]!;
  const shift = plan.bits - plan.regionBits;
  const regions = 1 << plan.regionBits;
  const tagMask = ~(2 ** plan.bits - 1);
  if (scratch.homes.length < b - a) {
    scratch.homes = new Uint32Array(2 * (b - a));
    scratch.entries = new Int32Array(2 * (b - a));
  }
  const { homes, entries } = scratch;
  const at = new Uint32Array(regions + 1);
  for (let i = a; i < b; i++) {
    const id = order[i]!;
    const home = plan.bits === 0 ? 0 : hash(arena, id * words, words) >>> (32 - plan.bits);
    homes[i - a] = home;
    entries[i - a] = (secondLane() & tagMask) | (id + 1);
    at[(home >>> shift) + 1]!++;
  }
  at[0] = a;
  for (let r = 1; r <= regions; r++) at[r]! += at[r - 1]!;
  starts.set(at, w * (regions + 1));
  for (let i = 0; i < b - a; i++) {
    const home = homes[i]!;
    const to = 2 * at[home >>> shift]!++;
    sorted[to] = home;
    sorted[to + 1] = entries[i]!;
  }
}

/**
 * Thread w's share of the grown table set to 0, with step 1: the old
 * entries and the new part alike.
 * fresh memory costs a page fault each 4 KiB, and left to step 2 the
 * faults would all fall on the thread whose regions are the new part
 * (measured on the filter lock: the fill took as long on two threads as
 * on one, the worker faulting while the main thread waited). `sorted`'s
 * grown part cannot be shared out so: step 1 writes there while another
 * thread could still be clearing it.
 */
export function zeroShare(table: Int32Array, w: number, threads: number): void {
  table.fill(0, Math.floor((table.length * w) / threads), Math.floor((table.length * (w + 1)) / threads));
}

/**
 * Thread w's share of step 2: every share's runs for its regions written
 * into `table`; returns the entries whose probe would have left them, as
 * pairs home, entry.
 */
export function fillRegions(plan: FillPlan, w: number, table: Int32Array, sorted: Int32Array, starts: Uint32Array): number[] {
  const threads = plan.cut.length - 1;
  const regions = 1 << plan.regionBits;
  const shift = plan.bits - plan.regionBits;
  const r0 = Math.floor((regions * w) / threads);
  const r1 = Math.floor((regions * (w + 1)) / threads);
  const end = r1 << shift;
  const handed: number[] = [];
  // Region by region, every share's run for it: the writes stay within one region at a time.
  for (let r = r0; r < r1; r++) {
    for (let t = 0; t < threads; t++) {
      const base = t * (regions + 1) + r;
      for (let j = 2 * starts[base]!; j < 2 * starts[base + 1]!; j += 2) {
        let s = sorted[j]!;
        while (s < end && table[s] !== 0) s++;
        if (s === end) handed.push(sorted[j]!, sorted[j + 1]!);
        else table[s] = sorted[j + 1]!;
      }
    }
  }
  return handed;
}

/** The handed-back entries, inserted once every thread's regions are written, probing on past them and around the end. */
export function insertHanded(table: Int32Array, handed: readonly number[]): void {
  const mask = table.length - 1;
  for (let j = 0; j < handed.length; j += 2) {
    let s = handed[j]!;
    while (table[s] !== 0) s = (s + 1) & mask;
    table[s] = handed[j + 1]!;
  }
}
