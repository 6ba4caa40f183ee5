/**
 * The LKMM engine (src/explore/lkmm/) against herd7 7.57 with the kernel's
 * model: on each of the 50 kernel litmus tests of test/cases/litmus/herd/,
 * the same observation and the same counts of allowed executions with and
 * without the outcome (herd7-counts.txt, written by herd7), and herd7 run
 * live on a sample of them each time, so that the recorded counts are
 * herd7's. What this can miss: the tests' shapes (no SRCU; the plain
 * accesses and data races are in test/cases/litmus/plain/, below); the engine shares no code with herd7, only the
 * cat files it was translated from.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLitmus } from '../src/litmus/parse.ts';
import { checkLkmm } from '../src/explore/lkmm/check.ts';
import { executionView, forbiddingCycle, scCycle } from '../src/explore/lkmm/explain.ts';
import { findFix } from '../src/explore/lkmm/fix.ts';
import { herdAvailable, herdOnFile, recordedCounts } from './support/herd.ts';

const DIR = 'test/cases/litmus/herd';
const files = readdirSync(DIR).filter((f) => f.endsWith('.litmus')).sort();
const recorded = recordedCounts(readFileSync(`${DIR}/herd7-counts.txt`, 'utf8'));

function program(f: string) {
  const r = parseLitmus({ path: `${DIR}/${f}`, text: readFileSync(`${DIR}/${f}`, 'utf8') });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.program;
}

describe('the LKMM engine against herd7', () => {
  it('has herd7\'s counts for all 50 tests', () => {
    expect(files.length).toBe(50);
    for (const f of files) {
      const v = checkLkmm(program(f)).verdict;
      expect({ observation: v.observation, positive: v.positive, negative: v.negative, flags: v.flags }, f).toEqual(recorded.get(f));
    }
  });

  it('agrees with the verdicts of RESULTS.txt', () => {
    for (const line of readFileSync(`${DIR}/RESULTS.txt`, 'utf8').trim().split('\n')) {
      const [f, verdict] = line.split(' ');
      expect(checkLkmm(program(f!)).verdict.observation, f).toBe(verdict);
    }
  });

  it.runIf(herdAvailable)('and herd7, run now on a sample, gives the recorded counts', async () => {
    const seed = Date.now() % files.length;
    const sample = [0, 7, 13, 29, 41].map((k) => files[(seed + k) % files.length]!);
    for (const f of sample) expect(await herdOnFile(`${DIR}/${f}`), `${f} (seed ${seed})`).toEqual(recorded.get(f));
  }, 60_000);

  it('is installed where the suite runs (scripts/install-peers.sh builds herd7)', () => {
    expect(herdAvailable).toBe(true);
  });
});

describe('explanations', () => {
  it('shows store buffering\'s allowed outcome as a cycle of po and fre, forbidden by an smp_mb() on each side', () => {
    const p = program('C-SB+o-o+o-o.litmus');
    const run = checkLkmm(p);
    const cycle = scCycle(run.witness!.candidate, run.witness!.model)!;
    expect(cycle.edges.map((e) => e.relation)).toEqual(['po', 'fre', 'po', 'fre']);
    const fix = findFix(p, run.witness!.candidate.skeleton.events, cycle, (q) => checkLkmm(q).verdict.positive === 0);
    expect(fix?.map((f) => (f.kind === 'fence' ? f.fence : f.kind))).toEqual(['mb', 'mb']);
  });

  it('fixes message passing with a release and an acquire, and the fix is checked', () => {
    const p = program('MP+poonceonces.litmus');
    const run = checkLkmm(p);
    const cycle = scCycle(run.witness!.candidate, run.witness!.model)!;
    const fix = findFix(p, run.witness!.candidate.skeleton.events, cycle, (q) => checkLkmm(q).verdict.positive === 0)!;
    expect(fix.map((f) => f.kind)).toEqual(['release', 'acquire']);
  });

  it('names the cycle that forbids an outcome: pb for SB with smp_mb(), hb through prop for MP with barriers', () => {
    const sb = checkLkmm(program('SB+fencembonceonces.litmus'));
    expect(forbiddingCycle(sb.forbidden!.candidate, sb.forbidden!.model)!.edges.map((e) => e.relation)).toEqual(['pb', 'pb']);
    const mp = checkLkmm(program('MP+fencewmbonceonce+fencermbonceonce.litmus'));
    const c = forbiddingCycle(mp.forbidden!.candidate, mp.forbidden!.model)!;
    expect(c.check).toBe('happens-before');
    expect(c.edges.map((e) => e.relation).sort()).toEqual(['ppo', 'prop']);
    expect(c.edges.find((e) => e.relation === 'prop')!.via!.map((e) => e.relation)).toEqual(['fre', 'cumul-fence', 'rfe']);
    expect(executionView(mp.forbidden!.candidate).rf.length).toBeGreaterThan(0);
  });
});

/**
 * Tests written for Weft, with the plain accesses the kernel's 50 lack:
 * data races (herd's data-race flag) and mixed accesses, plain accesses
 * inside and outside locks, under release/acquire, RCU, atomics and
 * control dependencies. herd7-counts.txt is herd7's answer on each
 * (`WEFT_ACCEPT=1` writes it again from herd7); herd7 runs on all of them
 * each time, as they are small.
 */
describe('the LKMM engine against herd7 on plain accesses', () => {
  const PLAIN = 'test/cases/litmus/plain';
  const tests = readdirSync(PLAIN).filter((f) => f.endsWith('.litmus')).sort();
  const load = (f: string) => {
    const r = parseLitmus({ path: `${PLAIN}/${f}`, text: readFileSync(`${PLAIN}/${f}`, 'utf8') });
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
    return r.program;
  };
  const ours = (f: string) => { const v = checkLkmm(load(f)).verdict; return { observation: v.observation, positive: v.positive, negative: v.negative, flags: v.flags }; };

  it('has tests that race and tests that do not, and herd7\'s counts for each', () => {
    const counts = recordedCounts(readFileSync(`${PLAIN}/herd7-counts.txt`, 'utf8'));
    expect(tests.length).toBeGreaterThanOrEqual(15);
    expect([...counts.keys()].sort()).toEqual(tests);
    const racy = tests.filter((f) => counts.get(f)!.flags.includes('data-race'));
    expect(racy.length).toBeGreaterThan(3);
    expect(tests.length - racy.length).toBeGreaterThan(3);
    for (const f of tests) expect(ours(f), f).toEqual(counts.get(f));
  });

  it.runIf(herdAvailable)('and herd7, run now on every one, gives the recorded counts', async () => {
    const live = await Promise.all(tests.map(async (f) => [f, await herdOnFile(`${PLAIN}/${f}`)] as const));
    if (process.env.WEFT_ACCEPT) {
      writeFileSync(`${PLAIN}/herd7-counts.txt`, live.map(([f, h]) => `${f} ${h.observation} ${h.positive} ${h.negative}${h.flags.length ? ` flags ${h.flags.join(' ')}` : ''}\n`).join(''));
    }
    const counts = recordedCounts(readFileSync(`${PLAIN}/herd7-counts.txt`, 'utf8'));
    for (const [f, h] of live) expect(h, f).toEqual(counts.get(f));
  }, 60_000);
});
