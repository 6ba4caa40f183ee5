/**
 * The IR contract the explorers rely on, checked on models written in the
 * language: dense program counters, the end pc has no step, labels and
 * call paths for traces, options folded per variant.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../src/pipeline.ts';
import type { Program } from '../src/lower/ir.ts';

function lowerText(text: string, variant: string | null = null, defines: Record<string, string> = {}): Program {
  const r = compileSource({ path: 't.weft', text }, { variant, defines });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return r.program;
}

const steps = (p: Program, actor = 0) => p.steps.filter((s) => s.actor === actor).map((s) => `${s.pc}->${s.next} ${s.label} [${s.callPath.join(' › ')}]`);

describe('lowering', () => {
  it('keeps call paths and labels through inlined fns', () => {
    const p = lowerText(`
      shared pte: 0..2;
      shared dirty: bool;
      fn folio_mkclean() { wrprotect: pte = 1; }
      fn folio_clear_dirty_for_io() { folio_mkclean(); dirty = false; }
      actor writeback { folio_clear_dirty_for_io(); done: skip; }
    `);
    expect(steps(p)).toEqual([
      '0->1 wrprotect [writeback › folio_clear_dirty_for_io › folio_mkclean]',
      '1->2 dirty = false [writeback › folio_clear_dirty_for_io]',
      '2->3 done [writeback]',
    ]);
    expect(p.actors[0]!.endPc).toBe(3);
  });

  it('a label on a call names the steps of the fn that have no label of their own', () => {
    const p = lowerText(`
      shared dirty: bool;
      shared warned: bool;
      fn ext4_dirty_folio() { if (!dirty) { warned = true; } mark: dirty = true; }
      actor pinner { folio_mark_dirty: ext4_dirty_folio(); }
    `);
    expect(steps(p).map((s) => s.replace(/^\S+ /, ''))).toEqual([
      'folio_mark_dirty [pinner › ext4_dirty_folio]',
      'folio_mark_dirty [pinner › ext4_dirty_folio]',
      'folio_mark_dirty [pinner › ext4_dirty_folio]',
      'mark [pinner › ext4_dirty_folio]',
    ]);
  });

  it('a label names the steps inside its statement that have none of their own', () => {
    const p = lowerText(`
      shared b: bool;
      actor reclaim { release: if (b) { b = false; } else { skip; } }
    `);
    expect(steps(p)).toEqual(['0->1 release [reclaim]', '0->2 release [reclaim]', '1->3 release [reclaim]', '2->3 release [reclaim]']);
  });

  it('program counters are dense and the end has no step', () => {
    const p = lowerText(`
      shared n: 0..3;
      actor a { loop { if (n == 3) break; choose { n += 1; } or { while (n < 2) { n += 1; } } } }
    `);
    const a = p.actors[0]!;
    const used = new Set(p.steps.flatMap((s) => [s.pc, s.next]));
    for (let pc = 0; pc < a.pcCount; pc++) expect(used.has(pc) || pc === a.endPc).toBe(true);
    expect(a.stepsAt[a.endPc]).toEqual([]);
    expect(a.stepsAt.flat().sort((x, y) => x - y)).toEqual(p.steps.map((s) => s.id));
    // The branch that starts with a loop enters through a skip step labelled choose.
    expect(p.steps.some((s) => s.label === 'choose')).toBe(true);
  });

  it('folds options per variant and -D; a constant condition takes no step', () => {
    const text = `
      option fixed: bool = false;
      shared x: 0..2;
      actor a { if (fixed) { x = 1; } else { x = 2; } }
      variant broken {}
      variant patched { fixed = true; }
    `;
    const broken = lowerText(text, 'broken');
    const patched = lowerText(text, 'patched');
    const forced = lowerText(text, 'broken', { fixed: 'true' });
    expect(broken.options).toEqual({ fixed: false });
    expect(patched.options).toEqual({ fixed: true });
    expect(forced.options).toEqual({ fixed: true });
    expect(steps(broken)).toEqual(['0->1 x = 2 [a]']);
    expect(steps(patched)).toEqual(['0->1 x = 1 [a]']);
    expect(steps(forced)).toEqual(['0->1 x = 1 [a]']);
  });

  it('a choose branch under a constant if that starts with a loop still gets its skip', () => {
    const p = lowerText(`
      option on: bool = true;
      shared n: 0..3;
      actor a { choose { if (on) { while (n < 2) { n += 1; } } } or { n = 3; } }
    `);
    expect(p.steps.filter((s) => s.label === 'choose')).toHaveLength(1);
  });

  it('actor arrays make one instance each, named with their index', () => {
    const p = lowerText('const N = 3; shared x: 0..3; actor cpu[N] { x = self; } daemon flusher { skip; }');
    expect(p.instances.map((i) => i.name)).toEqual(['cpu[0]', 'cpu[1]', 'cpu[2]', 'flusher']);
    expect(p.actors.map((a) => a.daemon)).toEqual([false, true]);
  });

  it('arguments are passed by reference', () => {
    const p = lowerText(`
      shared a: 0..3;
      shared b: 0..3;
      fn bump(n: 0..3) { n += 1; }
      actor t { bump(a); bump(b); }
    `);
    const targets = p.steps.map((s) => s.effect[0]!.kind === 'assign' ? JSON.stringify(s.effect[0]!.target) : '');
    expect(targets).toEqual(['{"kind":"global","index":0}', '{"kind":"global","index":1}']);
  });
});
