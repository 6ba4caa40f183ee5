/**
 * The compiled back end's front half: the packed layout, the generated
 * text (pinned as golden files for a few small models; `npm run accept`
 * rewrites them), its type-checking, and the compile cache.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../src/pipeline.ts';
import type { Program } from '../src/lower/ir.ts';
import { computeLayout, decodeState, encodeState } from '../src/emit/layout.ts';
import { emitTs } from '../src/emit/emitTs.ts';
import { GeneratedCodeError, compileTs } from '../src/emit/compileTs.ts';
import { cacheKey, loadModule } from '../src/emit/cache.ts';
import { initialState } from '../src/explore/state.ts';
import { expectGolden } from './golden.ts';

function program(path: string, text = readFileSync(path, 'utf8')): Program {
  const r = compileSource({ path, text }, { variant: null, defines: {} });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.program;
}

describe('layout', () => {
  it('gives each scalar the bytes its range needs and pads to whole words', () => {
    const p = program('t.weft', 'shared a: bool; shared b: 0..255; shared c: 0..256; shared d: -5..70000; shared m: mutex; actor t[3] { var i: 0..9; i = self; }');
    const l = computeLayout(p);
    expect(l.globals.map((g) => [g.offset, g.layout.size])).toEqual([[0, 1], [1, 1], [2, 2], [4, 4], [8, 1]]);
    expect(l.pcs.map((x) => x.offset)).toEqual([9, 10, 11]);
    expect(l.locals.map((x) => x[0]!.offset)).toEqual([12, 13, 14]);
    expect(l.bytes).toBe(16);
  });

  it('encodes and decodes states without loss', () => {
    const p = program('models/classic/filter3.weft');
    const l = computeLayout(p);
    const s = initialState(p);
    expect(decodeState(p, l, encodeState(l, s))).toEqual(s);
  });
});

describe('generated TypeScript', () => {
  const cases = readdirSync('test/cases/emit').filter((f) => f.endsWith('.weft')).sort();
  for (const name of cases) {
    it(`${name} (golden, and it type-checks)`, () => {
      const path = `test/cases/emit/${name}`;
      const p = program(path);
      const { text } = emitTs(p, computeLayout(p));
      expect(emitTs(p, computeLayout(p)).text).toBe(text); // deterministic
      expectGolden(path.replace(/\.weft$/, '.ts.txt'), text);
      expect(compileTs([{ name, text }]).get(name)).toMatch(/export function create/);
    });
  }

  it('a type error in generated code is an internal error naming the model line', () => {
    const p = program('test/cases/emit/lock-counter.weft');
    const emitted = emitTs(p, computeLayout(p));
    // The same length, so the emitter's map of where each step is still holds.
    const text = emitted.text.replace('k.emit(inst, 1, o);', 'k.emit(inst, 1, 0);');
    expect(() => compileTs([{ name: 'bad', text, steps: emitted.steps }])).toThrow(GeneratedCodeError);
    expect(() => compileTs([{ name: 'bad', text, steps: emitted.steps }])).toThrow(/test\/cases\/emit\/lock-counter\.weft:\d+ \(t: .*\) does not type-check: TS2345/);
  });
});

describe('compile cache', () => {
  it('compiles a model once; a second load comes from the cache, keyed by the generated text', async () => {
    const before = process.env.WEFT_CACHE_DIR;
    process.env.WEFT_CACHE_DIR = mkdtempSync(join(tmpdir(), 'weft-cache-'));
    try {
      const p = program('test/cases/emit/lock-counter.weft');
      const emitted = emitTs(p, computeLayout(p));
      const notes: string[] = [];
      const first = await loadModule(emitted, 'lock-counter', (n) => notes.push(n));
      const second = await loadModule(emitted, 'lock-counter', (n) => notes.push(n));
      expect([first.cached, second.cached, notes]).toEqual([false, true, []]);
      expect(cacheKey(`${emitted.text} `)).not.toBe(cacheKey(emitted.text));
    } finally {
      rmSync(process.env.WEFT_CACHE_DIR!, { recursive: true, force: true });
      if (before === undefined) delete process.env.WEFT_CACHE_DIR;
      else process.env.WEFT_CACHE_DIR = before;
    }
  });
});
