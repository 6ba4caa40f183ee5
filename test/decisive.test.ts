/**
 * The two steps whose order decides a violation (report/decisive.ts), on
 * small models written for the purpose: a check-then-act race on an
 * invariant, a lost update caught by an assert, and cases with no pair.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../src/explore/engine.ts';
import { compileSource } from '../src/pipeline.ts';
import { decisiveSteps } from '../src/report/decisive.ts';
import { formatTrace } from '../src/report/text.ts';

/** A check-then-act race: reclaim checks the pin count, the pinner pins, reclaim frees the buffers. */
const RACE = `
model race;
struct Folio { pins: 0..1; buffers: bool; dirty: bool; }
shared folio: Folio = { pins: 0, buffers: true, dirty: false };
actor pinner { pin: folio.pins = 1; touch: folio.dirty = true; }
actor reclaim { check_unpinned: await folio.pins == 0; free_buffers: folio.buffers = false; }
invariant pinned_has_buffers: folio.pins > 0 -> folio.buffers;
`;

async function violation(text: string, property: string) {
  const c = compileSource({ path: 'case.weft', text }, { variant: null, defines: {} });
  if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join('\n'));
  const r = await check(c.program, 'reference', {});
  const v = r.verdicts.find((x) => x.property === property);
  if (!v || v.status !== 'violated') throw new Error(`${property} is not violated`);
  const d = decisiveSteps(c.program, v);
  const label = (i: number) => v.trace!.steps[i - 1]!.label;
  return d && { first: label(d.first), second: label(d.second), paths: d.paths, length: v.trace!.steps.length };
}

describe('decisive steps', () => {
  it('a check-then-act race on an invariant: the other actor write, then the violating write', async () => {
    const d = await violation(RACE, 'pinned_has_buffers');
    expect(d).toEqual({ first: 'pin', second: 'free_buffers', paths: ['folio.pins', 'folio.buffers'], length: 3 });
  });

  it('a lost update caught by an assert: the failing step, after the other thread store', async () => {
    const d = await violation(`
model lost;
shared counter: 0..2;
shared done: bool[2];
actor thread[2] {
  var reg: 0..2;
  load: reg = counter;
  store: atomic { counter = reg + 1; done[self] = true; }
}
actor checker {
  wait_all: await done[0] && done[1];
  sum_ok: assert(counter == 2, "an increment was lost");
}
`, 'sum_ok');
    expect(d).toMatchObject({ first: 'store', second: 'sum_ok', paths: ['counter'] });
  });

  it('none for a deadlock', async () => {
    const c = compileSource({ path: 'd.weft', text: `
model dl;
shared a: mutex;
shared b: mutex;
actor p { lock(a); lock(b); unlock(b); unlock(a); }
actor q { lock(b); lock(a); unlock(a); unlock(b); }
` }, { variant: null, defines: {} });
    if (!c.ok) throw new Error(c.diagnostics.map((x) => x.message).join('\n'));
    const r = await check(c.program, 'reference', {});
    const v = r.verdicts.find((x) => x.property === 'deadlock')!;
    expect(v.status).toBe('violated');
    expect(decisiveSteps(c.program, v)).toBeNull();
  });

  it('none when one actor alone breaks the property', async () => {
    const d = await violation(`
model alone;
shared x: 0..3;
shared y: 0..3;
actor a { x = 1; x = 2; }
actor b { y = 1; }
invariant x_small: x < 2;
`, 'x_small');
    expect(d).toBeNull();
  });
});

describe('text trace', () => {

  async function result() {
    const c = compileSource({ path: 'race.weft', text: RACE }, { variant: null, defines: {} });
    if (!c.ok) throw new Error('does not compile');
    const r = await check(c.program, 'reference', {});
    return { r, v: r.verdicts.find((x) => x.property === 'pinned_has_buffers')! };
  }

  it('groups steps by actor and marks the two that decide the violation', async () => {
    const { r, v } = await result();
    expect(formatTrace(r, v)).toBe(`invariant pinned_has_buffers violated after 3 steps:
  reclaim
    #1  check_unpinned  race.weft:6
        await folio.pins == 0 is true because folio.pins = 0
  pinner
  ▶ #2  pin             race.weft:5
        folio.pins: 0 -> 1
  reclaim
  ▶ #3  free_buffers    race.weft:6
        folio.buffers: true -> false
  ✗ invariant pinned_has_buffers: folio.pins > 0 -> folio.buffers   race.weft:7
  ▶ decided by the order of #2 (pinner pin)
    and #3 (reclaim free_buffers): folio.pins, folio.buffers`);
  });

  it('prints every variable after each step in the full style', async () => {
    const { r, v } = await result();
    const text = formatTrace(r, v, 'full');
    expect(text).toContain(`  initial state
        folio = {pins: 0, buffers: true, dirty: false}
  reclaim
    #1  check_unpinned  race.weft:6
        await folio.pins == 0 is true because folio.pins = 0
        folio = {pins: 0, buffers: true, dirty: false}`);
    expect(text).toContain(`  ▶ #3  free_buffers    race.weft:6
        folio = {pins: 1, buffers: false, dirty: false}`);
  });
});
