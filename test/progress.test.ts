/**
 * The live progress line and the early --max-memory warning, as text
 * (drawing it on a terminal is log-update's business), and the snapshots
 * both engines hand to it.
 */
import { describe, expect, it } from 'vitest';
import { growthOf, memoryWarning, progressLine } from '../src/report/progress.ts';
import type { Progress } from '../src/explore/verdict.ts';
import { check } from '../src/explore/engine.ts';
import { compileSource } from '../src/pipeline.ts';

const MiB = 2 ** 20;

function snapshot(over: Partial<Progress> = {}): Progress {
  // Levels growing twofold: 1, 2, 4, ..., 512 complete, 300 of level 10 found so far.
  const levels = [...Array.from({ length: 10 }, (_, i) => 2 ** i), 300];
  const states = levels.reduce((a, b) => a + b, 0);
  return { states, transitions: 3 * states, queue: 812, level: 9, levels, seconds: 75, rssBytes: 100 * MiB, ...over };
}

describe('progress line', () => {
  it('shows distinct and generated states, queue, level with its growth, rate, memory and time', () => {
    expect(progressLine(snapshot({ maxMemoryBytes: 1024 * MiB }))).toBe(
      '1,323 distinct · 3,969 generated · queue 812 · level 9 (×2.00/level) · 18 states/s · 100 of 1,024 MiB · 1:15',
    );
  });

  it('gives no growth factor before three levels are complete', () => {
    expect(growthOf(snapshot({ level: 2, levels: [1, 70, 140, 20] }))).toBeNull();
    expect(progressLine(snapshot({ level: 2, levels: [1, 70, 140, 20], seconds: 3725 }))).toContain('level 2 · ');
    expect(progressLine(snapshot({ seconds: 3725 }))).toMatch(/ 1:02:05$/);
  });
});

describe('memory warning', () => {
  it('warns when the next two levels at the current growth pass --max-memory', () => {
    // 100 MiB for 1,323 states (79 KB each); levels 10 and 11 at 1,024 and 2,048 states make 4,095, about 310 MiB.
    const w = memoryWarning(snapshot({ maxMemoryBytes: 200 * MiB }));
    expect(w).toMatch(/^warning: the state space grows ×2\.00 per breadth-first level; .* levels 10 and 11 need about 310 MiB, more than --max-memory \(200 MiB\)/);
  });

  it('stays silent when they fit, when the frontier shrinks, or without a limit', () => {
    expect(memoryWarning(snapshot({ maxMemoryBytes: 400 * MiB }))).toBeNull();
    expect(memoryWarning(snapshot())).toBeNull();
    const shrinking = [1, 2, 4, 8, 16, 512, 256, 128, 64, 10];
    expect(memoryWarning(snapshot({ levels: shrinking, level: 8, maxMemoryBytes: 101 * MiB }))).toBeNull();
  });
});

describe('snapshots from the engines', () => {
  const source = `
model counters;
shared a: 0..40;
shared b: 0..40;
actor inc_a { while (true) { a = (a + 1) % 41; } }
actor inc_b { while (true) { b = (b + 1) % 41; } }
`;

  for (const engine of ['compiled', 'reference'] as const) {
    it(`${engine}: level sizes add up to the states stored, the last level still open`, async () => {
      const c = compileSource({ path: 'counters.weft', text: source }, { variant: null, defines: {} });
      if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join('\n'));
      const seen: Progress[] = [];
      const r = await check(c.program, engine, { onProgress: (p) => seen.push(p), progressIntervalMs: 0 });
      expect(r.stats.states).toBe(41 * 41);
      // The compiled engine looks every 1,024 expanded states, the reference one every 64.
      expect(seen.length).toBe(engine === 'compiled' ? 2 : 27);
      expect(seen.at(-1)!.level).toBeGreaterThan(10);
      for (const p of seen) {
        expect(p.levels.reduce((a, b) => a + b, 0)).toBe(p.states);
        expect(p.levels.length).toBe(p.level + 2);
      }
    });
  }
});
