/**
 * The parallel store's table built in shares (explore/tableFill.ts) against
 * the sequential store's fillTable on the same entries. Linear probing
 * fills the same set of slots whatever order the entries go in, so the
 * occupied slots must be exactly fillTable's, every entry must be there
 * once, and each must be reachable from its home slot with no empty slot
 * between (what a lookup needs). Homes are crowded into few regions so
 * that many probes run past a share's last region and are handed back,
 * and past the table's end.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillTable, hash, secondLane } from '../src/explore/store.ts';
import { fillPlan, fillRegions, insertHanded, sortSlice, type Scratch } from '../src/explore/tableFill.ts';

const WORDS = 2;

describe('tableFill', () => {
  it('fills the slots fillTable fills, every entry reachable from its home, for any number of threads', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 12, max: 14 }),
        fc.integer({ min: 1, max: 5 }),
        fc.double({ min: 0.05, max: 0.5, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.boolean(),
        (bits, threads, load, seed, crowd) => {
          const count = Math.floor(load * 2 ** bits);
          // Vectors by id; the index order is a shuffle of the ids, as the parallel store's `order` is.
          const arena = new Uint32Array(count * WORDS);
          let x = seed | 1;
          const rnd = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
          for (let i = 0; i < count; i++) {
            // Crowded: the second word alone varies, among few values, so homes cluster less evenly.
            arena[i * WORDS] = crowd ? 7 : rnd();
            arena[i * WORDS + 1] = crowd ? i : rnd();
          }
          const order = Uint32Array.from({ length: count }, (_, i) => i);
          for (let i = count - 1; i > 0; i--) {
            const j = rnd() % (i + 1);
            [order[i], order[j]] = [order[j]!, order[i]!];
          }
          const plan = fillPlan(bits, count, threads);
          const sorted = new Int32Array(2 * count);
          const starts = new Uint32Array(threads * ((1 << plan.regionBits) + 1));
          for (let w = 0; w < threads; w++) {
            const scratch: Scratch = { homes: new Uint32Array(0), entries: new Int32Array(0) };
            sortSlice(plan, w, arena, order, WORDS, sorted, starts, scratch);
          }
          const table = new Int32Array(2 ** bits);
          const handed: number[] = [];
          for (let w = 0; w < threads; w++) handed.push(...fillRegions(plan, w, table, sorted, starts));
          insertHanded(table, handed);

          // The sequential fill of the same entries.
          const homes = new Uint32Array(count);
          const entries = new Int32Array(count);
          const mask = 2 ** bits - 1;
          for (let i = 0; i < count; i++) {
            homes[i] = hash(arena, order[i]! * WORDS, WORDS) >>> (32 - bits);
            entries[i] = (secondLane() & ~mask) | (order[i]! + 1);
          }
          const reference = new Int32Array(2 ** bits);
          fillTable(reference, homes, entries, count);
          for (let s = 0; s < table.length; s++) expect(table[s] !== 0).toBe(reference[s] !== 0);

          const at = new Map<number, number>();
          table.forEach((e, s) => { if (e !== 0) at.set(e, s); });
          expect(at.size).toBe(count);
          for (let i = 0; i < count; i++) {
            const s = at.get(entries[i]!);
            expect(s).toBeDefined();
            for (let p = homes[i]!; p !== s; p = (p + 1) & mask) expect(table[p]).not.toBe(0);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
