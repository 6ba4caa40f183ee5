/**
 * The compiled engine's state store against a Map of the same vectors:
 * every state added once is found again under its index, across several
 * doublings of the table (which re-file every state), and a state never
 * added is not found. The vectors are drawn from a small alphabet so that
 * many share hash-table neighbourhoods and tags.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StateStore, hash, secondLane } from '../src/explore/store.ts';

function key(v: Uint32Array): string {
  return Array.from(v).join(',');
}

describe('StateStore', () => {
  it('finds every state it stored, and only those, across table growth', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 3000 }),
        fc.constantFrom<2 | 4>(2, 4),
        (words, raw, moveWidth) => {
          const store = new StateStore(words * 4, moveWidth);
          const model = new Map<string, number>();
          const v = new Uint32Array(words);
          raw.forEach((r, n) => {
            for (let i = 0; i < words; i++) v[i] = r[i % r.length]! * (i + 1) + (i === 0 ? n % 7 : 0);
            const k = key(v);
            const found = store.lookup(v);
            expect(found).toBe(model.get(k) ?? -1);
            if (found === -1) {
              const index = store.insert(v, model.size - 1, n % 60000);
              expect(index).toBe(model.size);
              model.set(k, index);
            }
          });
          expect(store.count).toBe(model.size);
          const out = new Uint32Array(words);
          for (const [k, index] of model) {
            store.load(index, out);
            expect(key(out)).toBe(k);
            out.set(k.split(',').map(Number));
            expect(store.lookup(out)).toBe(index);
            expect(store.parent(index)).toBe(index - 1);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps 2^20 distinct states through eight doublings', () => {
    const store = new StateStore(8, 2);
    const v = new Uint32Array(2);
    let wrong = 0;
    for (let i = 0; i < 1 << 20; i++) {
      v[0] = i & 0xff;
      v[1] = i >>> 8;
      if (store.lookup(v) !== -1) wrong++;
      store.insert(v, i - 1, i & 0xffff);
    }
    expect(wrong).toBe(0);
    for (const i of [0, 1, 255, 256, 65535, 65536, (1 << 20) - 1]) {
      v[0] = i & 0xff;
      v[1] = i >>> 8;
      expect(store.lookup(v)).toBe(i);
      expect(store.move(i)).toBe(i & 0xffff);
    }
    // Two words of 4 bytes, a 4-byte parent, a 2-byte move and 2^21 slots of 4 bytes.
    expect(store.memoryBytes()).toBe((1 << 20) * 14 + (1 << 21) * 4);
  });

  // hash() keeps every intermediate and both lanes signed 32-bit integers for speed (store.ts says why); this is
  // the formula as written first, with unsigned intermediates and no `| 0`, whose bits it must give on every input.
  it('hashes as the plain MurmurHash3 formula does, both lanes', () => {
    const fm = (h: number): number => {
      h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
      return (h ^ (h >>> 16)) >>> 0;
    };
    const reference = (v: Uint32Array, base: number, n: number): [number, number] => {
      let h = 0x9747b28c ^ n;
      let g = 0x85ebca6b;
      for (let i = base; i < base + n; i++) {
        const w = v[i]!;
        let k = Math.imul(w, 0xcc9e2d51);
        k = (k << 15) | (k >>> 17);
        h ^= Math.imul(k, 0x1b873593);
        h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
        g = Math.imul(g ^ w, 0x27d4eb2d);
        g ^= g >>> 15;
      }
      return [fm(h ^ n), fm(g + h)];
    };
    const word = fc.oneof(fc.constant(0), fc.constant(0xffffffff), fc.integer({ min: 0, max: 0xffffffff }));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 20 }), fc.nat(3), (words, base) => {
        const v = Uint32Array.from([...Array<number>(base).fill(7), ...words]);
        const first = hash(v, base, words.length);
        expect([first >>> 0, secondLane() >>> 0]).toEqual(reference(v, base, words.length));
      }),
      { numRuns: 5000 },
    );
  });
});
