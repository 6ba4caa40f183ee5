/**
 * The limits apply from the start of the run, not only from the start of
 * the search (issue 10): a run that spent its time before the search (in
 * the front end or the TypeScript compile) stops at the search's first
 * check. The clock is given, not waited for, so the test does not depend on
 * the machine's speed.
 */
import { describe, expect, it } from 'vitest';
import { Budget } from '../src/explore/budget.ts';
import { compileSource } from '../src/pipeline.ts';
import { check } from '../src/explore/engine.ts';

const none = () => ({ states: 0, transitions: 0, queue: 0, level: 0, levels: [] });
const MODEL = 'shared x: 0..3; actor a { x = 1; x = 2; } invariant small: x < 3;';

describe('the time limit', () => {
  it('counts from the run start it is given', async () => {
    expect(await new Budget({ timeLimitSeconds: 1, startedAt: performance.now() - 5000 }).check(0, none)).toBe('time-limit');
    expect(await new Budget({ timeLimitSeconds: 1 }).check(0, none)).toBeNull();
  });

  for (const engine of ['compiled', 'reference'] as const) {
    it(`ends a ${engine} search that the front end has already used up`, async () => {
      const c = compileSource({ path: 'budget.weft', text: MODEL }, { variant: null, defines: {} });
      if (!c.ok) throw new Error('the model does not check');
      const late = await check(c.program, engine, { timeLimitSeconds: 1, startedAt: performance.now() - 5000 });
      expect({ complete: late.complete, reason: late.reason }).toEqual({ complete: false, reason: 'time-limit' });
      const fresh = await check(c.program, engine, { timeLimitSeconds: 600 });
      expect(fresh.complete).toBe(true);
    });
  }
});
