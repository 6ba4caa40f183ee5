/**
 * `weft prove` and `weft replay` on models with liveness properties
 * (docs/proofs.md): the liveness semantics cases are proved and their
 * proofs replay, lassos and all; and each row of the table below tampers
 * with one of those proofs in one way and says which claim replay must
 * name as the first that fails, and what it must say was found instead.
 * The proofs are generated, not checked in: they are what `weft prove`
 * writes for the cases, in a temporary directory removed after the tests.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutations } from './support/mutate.ts';
import { main, proofsOf } from '../src/cli.ts';
import { takeStep } from '../src/explore/evaluate.ts';
import { initialState } from '../src/explore/state.ts';
import { buildTrace } from '../src/explore/trace.ts';
import type { CheckResult } from '../src/explore/verdict.ts';
import { compileSource } from '../src/pipeline.ts';
import { toJson } from '../src/report/json.ts';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => { out += `${s}\n`; }, err: (s) => { err += `${s}\n`; } });
  return { code, out, err };
}

type Json = Record<string, unknown>;
type State = { shared: Json; instances: Record<string, Json> };
type ItfState = Json & { '#meta': { index: number; step: Json | null }; actors: Record<string, Json> };
type Step = Json & { number: number; instance: string; stepId: number; label: string; file: string; changes: unknown[]; state: State };
type Trace = { length: number; initial: State; steps: Step[]; failure: Json | null; itf: { '#meta': Json; states: ItfState[]; loop?: number } };
type Instance = { instance: string; fairness: string; moves: number; enabledAt: number; positions: number; respected: string; disabledAt: number | null };
type Lasso = { loopStart: number; end: string; triggerAt: number; starved: unknown[]; instances: Instance[] };
type Verdict = { property: string; kind: string; status: string; message: string | null; file: string | null; line: number | null; column: number | null; trace: Trace | null; lasso?: Lasso | null };
type Proof = Json & { file: string; verdicts: Verdict[] };

const CASES = {
  weak: 'test/cases/semantics/liveness-lock-weak.weft', // a0_enters violated: a[1]'s cycle of 3 steps from the initial state, a[0] starved
  strong: 'test/cases/semantics/liveness-lock-strong.weft', // a0_enters holds
  none: 'test/cases/semantics/liveness-lock-none.weft', // a0_enters violated
  daemon: 'test/cases/semantics/liveness-daemon-blocks.weft', // flushed violated: a run that stops after 2 steps; flusher_runs holds
  leadsTo: 'test/cases/semantics/liveness-leads-to.weft', // slow_answers violated: 2 steps, then idler's skip for ever (triggerAt 1); answers holds
  always: 'test/cases/semantics/liveness-always-eventually.weft', // ticks violated: 2 steps, then counter's cycle of 2; counts holds
} as const;
type Case = keyof typeof CASES;

let dir: string;
let n = 0;
const texts = new Map<string, string>();
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weft-proof-live-'));
  const proved = await proofsOf(Object.values(CASES));
  expect(proved.rejected.map((r) => r.what)).toEqual([]);
  for (const f of proved.files) texts.set(f.path, f.text);
});
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

const stemOf = (c: Case): string => CASES[c].replace(/^.*\//, '').replace(/\.weft$/, '');
const base = (c: Case): Proof => JSON.parse(texts.get(`proofs/${stemOf(c)}.default.json`)!) as Proof;
const verdict = (p: Proof, property: string): Verdict => p.verdicts.find((v) => v.property === property)!;
const trace = (p: Proof, property: string): Trace => verdict(p, property).trace!;
const lasso = (p: Proof, property: string): Lasso => verdict(p, property).lasso!;

function renumber(t: Trace): void {
  t.steps.forEach((s, i) => { s.number = i + 1; });
  t.itf.states.forEach((s, i) => { s['#meta'].index = i; });
  t.length = t.steps.length;
}

/** Gives `to` the trace and lasso of `from`, as violated, with the ITF description `to` would have: only the counterexample is wrong. */
function moveLasso(p: Proof, from: string, to: string): void {
  const v = verdict(p, to);
  Object.assign(v, { status: 'violated', trace: structuredClone(trace(p, from)), lasso: structuredClone(lasso(p, from)) });
  v.trace!.itf['#meta'].description = `liveness ${to} violated`;
}

/**
 * The run of `moves` (instance, step id) from the model's initial state, as
 * a proof stores it (its length, initial state, steps and ITF states), made
 * by the reference interpreter: the first state outcome of each step.
 */
function crafted(c: Case, moves: readonly (readonly [string, number])[]): Pick<Trace, 'length' | 'initial' | 'steps'> & { itf: Trace['itf'] } {
  const compiled = compileSource({ path: CASES[c], text: readFileSync(CASES[c], 'utf8') }, { variant: null, defines: {} });
  if (!compiled.ok) throw new Error(`${CASES[c]} does not compile`);
  const program = compiled.program;
  const states = [initialState(program)];
  const ms = moves.map(([name, stepId]) => ({ instance: program.instances.findIndex((i) => i.name === name), stepId }));
  for (const m of ms) {
    const next = takeStep(program, states.at(-1)!, m.instance, program.steps[m.stepId]!).find((o) => o.kind === 'state');
    if (!next || next.kind !== 'state') throw new Error(`step ${m.stepId} does not move`);
    states.push(next.state);
  }
  const t = buildTrace(program, states, ms);
  const result: CheckResult = {
    program,
    complete: true,
    verdicts: [{ property: 'ticks', kind: 'liveness', status: 'violated', trace: t }],
    stats: { states: 1, transitions: 0, depth: 0, seconds: 0, statesPerSecond: 0, peakMemoryBytes: 0, storeBytes: null },
    coverage: [],
  };
  const json = (toJson(result).verdicts as unknown as Verdict[])[0]!.trace!;
  return { length: json.length, initial: json.initial, steps: json.steps, itf: json.itf };
}

/** a[0] and a[1] exchanged in a state of the lock model, in the JSON form and in ITF. */
function swapped<T extends State | ItfState>(s: T): T {
  const c = structuredClone(s);
  const map = ('actors' in c ? c.actors : (c as State).instances) as Record<string, Json>;
  [map['a[0]'], map['a[1]']] = [map['a[1]']!, map['a[0]']!];
  return c;
}

async function replay(proof: Proof, flags: string[] = []): Promise<{ code: number; out: string; err: string; path: string }> {
  const path = join(dir, `proof-${n++}.json`);
  writeFileSync(path, JSON.stringify(proof));
  const r = await run(['replay', ...flags, path]);
  expect(r.err).not.toMatch(/\n\s+at .*:\d+:\d+/); // never a stack trace
  return { ...r, path };
}

describe('weft prove and weft replay on liveness properties', () => {
  for (const c of Object.keys(CASES) as Case[]) {
    it(`proves ${CASES[c]}, and the proof replays, every lasso checked`, async () => {
      const p = base(c);
      const r = await replay(p);
      expect(r.code, r.out + r.err).toBe(0);
      expect(r.out).toMatch(/^every claim checks \(\d+ traces? replays?; the counts, the verdicts and the coverage are a fresh search's\)$/m);
      for (const v of p.verdicts.filter((x) => x.kind === 'liveness')) {
        expect(v.lasso === null, v.property).toBe(v.status === 'holds');
        if (v.status === 'violated') expect(r.out).toMatch(new RegExp(`^  ✓ liveness ${v.property} violated: \\d+ steps? replayed; a fair counterexample, `, 'm'));
      }
    });
  }

  it('writes the lasso in the proof, and the text trace of each liveness violation', () => {
    const weak = lasso(base('weak'), 'a0_enters');
    expect(weak).toMatchObject({ loopStart: 0, end: 'cycle', triggerAt: 0, starved: ['a[0]'] });
    expect(trace(base('weak'), 'a0_enters').itf.loop).toBe(0);
    expect(lasso(base('daemon'), 'flushed')).toMatchObject({ loopStart: 2, end: 'terminal' });
    expect(trace(base('daemon'), 'flushed').itf).not.toHaveProperty('loop');
    const txt = texts.get('proofs/liveness-lock-weak.default.a0_enters.txt')!;
    expect(txt).toMatch(/^liveness a0_enters violated by a cycle of 3 steps from the initial state:\n  -- from here steps #1\.\.#3 repeat for ever --\n/);
    expect(txt).toContain('    starved: a[0]\n');
    expect(texts.get('proofs/liveness-daemon-blocks.default.flushed.txt')).toContain('  -- the run stops here: no instance can move --\n');
    expect(texts.has('proofs/liveness-daemon-blocks.default.flusher_runs.txt')).toBe(false);
  });

  it('the lassos are what weft check reports', async () => {
    const r = await run(['check', CASES.leadsTo, '--json']);
    const checked = (JSON.parse(r.out) as { results: Proof[] }).results[0]!;
    expect(verdict(checked, 'slow_answers').lasso).toEqual(lasso(base('leadsTo'), 'slow_answers'));
  });

  it('--traces-only checks the lassos and names the liveness holds among the claims it leaves unchecked', async () => {
    const r = await replay(base('daemon'), ['--traces-only']);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain('  ✓ liveness flushed violated: 2 steps replayed; a fair counterexample, a run that stops after 2 steps: done never holds on this run\n');
    expect(r.out).toContain('  not checked (--traces-only, no fresh search): that the search is complete; the counts (4 states, 4 transitions, depth 2); '
      + 'the verdicts without a trace (liveness flusher_runs holds, builtin deadlock holds, builtin ranges holds, builtin locking holds); '
      + 'that each trace is a shortest one; that each lasso is the one the search finds; the coverage\n');
    // A valid lasso that is not the search's (the cycle gone round twice) passes --traces-only, and only the search refutes it.
    const twice = base('weak');
    goRoundTwice(twice);
    expect((await replay(twice, ['--traces-only'])).code).toBe(0);
    expect((await replay(twice)).code).toBe(1);
  });
});

/** lock-weak's lasso with the cycle's 3 steps in the stem once: a fair counterexample still, not the search's. */
function goRoundTwice(p: Proof): void {
  const t = trace(p, 'a0_enters');
  t.steps.push(...structuredClone(t.steps));
  t.itf.states.push(...structuredClone(t.itf.states.slice(1)));
  renumber(t);
  t.itf.loop = 3;
  const l = lasso(p, 'a0_enters');
  l.loopStart = 3;
  l.instances[0]!.disabledAt = 4;
}

interface Row {
  readonly what: string;
  readonly base: Case;
  readonly tamper: (p: Proof) => void;
  /** The first claim that fails, as `rejected: FILE: the claim ... fails` names it. */
  readonly claim: string;
  /** What the ✗ line says was found. */
  readonly found: string;
}

const A0 = 'liveness a0_enters violated';
const rows: Row[] = [
  // The run is no fair run that violates the property.
  {
    what: 'a cycle that does not close (its last step left out)',
    base: 'weak',
    tamper: (p) => { const t = trace(p, 'a0_enters'); t.steps.pop(); t.itf.states.pop(); renumber(t); },
    claim: A0,
    found: 'the lasso is no fair run that violates eventually a[0]@cs: the cycle does not end where it starts: the state after step #2 is not the one at run position 0 (shared.lock: true, not false)',
  },
  {
    what: 'loopStart moved back a step',
    base: 'always',
    tamper: (p) => { lasso(p, 'ticks').loopStart = 1; trace(p, 'ticks').itf.loop = 1; },
    claim: 'liveness ticks violated',
    found: 'the cycle does not end where it starts: the state after step #4 is not the one at run position 1 (instances.ticker.pc: 2, not 0)',
  },
  {
    what: 'a cycle unfair to a weakly fair instance enabled throughout it (the idler loops while the server could answer)',
    base: 'leadsTo',
    tamper: (p) => {
      // client's step, then idler's skip (a self-loop) for ever at the state after it: the server is enabled there.
      const t = trace(p, 'slow_answers');
      const skip = t.steps[2]!;
      t.steps = [t.steps[0]!, { ...skip, state: structuredClone(t.steps[0]!.state) }];
      t.itf.states = [t.itf.states[0]!, t.itf.states[1]!, { ...structuredClone(t.itf.states[1]!), '#meta': t.itf.states[3]!['#meta'] }];
      renumber(t);
      t.itf.loop = 1;
      lasso(p, 'slow_answers').loopStart = 1;
    },
    claim: 'liveness slow_answers violated',
    found: 'the lasso is no fair run that violates slow_pending ~> slow_answered: the cycle is unfair to server (weak fairness): enabled at 1 of 1 positions, never moves',
  },
  {
    what: 'a weak instance\'s lasso against strong fairness: fairness is the model\'s, not the proof\'s',
    base: 'strong',
    tamper: (p) => {
      const weak = structuredClone(verdict(base('weak'), 'a0_enters'));
      const text = JSON.stringify(weak).replaceAll(CASES.weak, CASES.strong);
      Object.assign(verdict(p, 'a0_enters'), JSON.parse(text));
    },
    claim: A0,
    found: 'the cycle is unfair to a[0] (strong fairness): enabled at 1 of 3 positions, never moves',
  },
  {
    what: 'Q holds on the cycle (always eventually count == 1, given the ticks lasso)',
    base: 'always',
    tamper: (p) => moveLasso(p, 'ticks', 'counts'),
    claim: 'liveness counts violated',
    found: 'the lasso is no fair run that violates always eventually count == 1: Q holds on the repeated part (at run position 3)',
  },
  {
    what: 'Q holds where the run stops (eventually started, given the flushed run)',
    base: 'daemon',
    tamper: (p) => moveLasso(p, 'flushed', 'flusher_runs'),
    claim: 'liveness flusher_runs violated',
    found: 'the lasso is no fair run that violates eventually started: Q holds where the run stops (at run position 2)',
  },
  {
    what: 'Q holds on the stem of an eventually (a[0] goes through its critical section first)',
    base: 'weak',
    tamper: (p) => {
      const t = trace(p, 'a0_enters');
      const mine = t.steps.map((s) => ({ ...structuredClone(s), instance: 'a[0]', state: swapped(s.state) }));
      const itf = t.itf.states.slice(1).map((s) => { const c = swapped(s); (c['#meta'].step as Json).instance = 'a[0]'; return c; });
      t.steps = [...mine, ...t.steps];
      t.itf.states = [t.itf.states[0]!, ...itf, ...t.itf.states.slice(1)];
      renumber(t);
      t.itf.loop = 3;
      Object.assign(lasso(p, 'a0_enters'), { loopStart: 3 });
      lasso(p, 'a0_enters').instances[0]!.disabledAt = 4;
    },
    claim: A0,
    found: 'the lasso is no fair run that violates eventually a[0]@cs: Q holds at run position 1',
  },
  // Where P holds, for leads-to.
  {
    what: 'triggerAt moved to where P does not hold',
    base: 'leadsTo',
    tamper: (p) => { lasso(p, 'slow_answers').triggerAt = 0; },
    claim: 'liveness slow_answers violated',
    found: 'the lasso\'s triggerAt is 0, but P does not hold at run position 0',
  },
  {
    what: 'triggerAt moved later (P holds there too, but it is not the first such position)',
    base: 'leadsTo',
    tamper: (p) => { lasso(p, 'slow_answers').triggerAt = 2; },
    claim: 'liveness slow_answers violated',
    found: 'the lasso\'s triggerAt is 2, but the first run position from which Q never holds again and at which P holds is 1',
  },
  {
    what: 'triggerAt before a state where Q holds (always eventually)',
    base: 'always',
    tamper: (p) => {
      // The ticker ticks on and off before the stopper stops it: tick holds at positions 2 and 3, the suffix without it starts at 4.
      const t = trace(p, 'ticks');
      Object.assign(t, crafted('always', [['ticker', 0], ['ticker', 2], ['ticker', 0], ['ticker', 2], ['stopper', 3], ['ticker', 1], ['counter', 4], ['counter', 4]]));
      t.itf.loop = 6;
      lasso(p, 'ticks').loopStart = 6;
    },
    claim: 'liveness ticks violated',
    found: 'the lasso\'s triggerAt is 0, but Q holds at run position 2, after it',
  },
  // The end of the run.
  {
    what: 'a run that stops, claimed to cycle',
    base: 'daemon',
    tamper: (p) => { lasso(p, 'flushed').end = 'cycle'; trace(p, 'flushed').itf.loop = 2; },
    claim: 'liveness flushed violated',
    found: 'the lasso says a cycle repeats (end cycle), but its loopStart 2 is the trace\'s length: the cycle has no step',
  },
  {
    what: 'a cycle claimed to be a run that stops',
    base: 'weak',
    tamper: (p) => { lasso(p, 'a0_enters').end = 'terminal'; delete trace(p, 'a0_enters').itf.loop; },
    claim: A0,
    found: 'the lasso says the run stops (end terminal), but its loopStart 0 makes steps #1..#3 a cycle',
  },
  {
    what: 'a run claimed to stop where an instance can still move (the cycle\'s steps as a stem)',
    base: 'weak',
    tamper: (p) => { Object.assign(lasso(p, 'a0_enters'), { end: 'terminal', loopStart: 3 }); delete trace(p, 'a0_enters').itf.loop; },
    claim: A0,
    found: 'the lasso is no fair run that violates eventually a[0]@cs: the run stops where a[0] can still move',
  },
  {
    what: 'a run that stops, cut short before its end',
    base: 'daemon',
    tamper: (p) => { const t = trace(p, 'flushed'); t.steps.pop(); t.itf.states.pop(); renumber(t); lasso(p, 'flushed').loopStart = 1; },
    claim: 'liveness flushed violated',
    found: 'the run stops where flusher can still move',
  },
  // The report of the cycle.
  {
    what: 'a wrong starved list',
    base: 'weak',
    tamper: (p) => { lasso(p, 'a0_enters').starved = []; },
    claim: A0,
    found: 'the lasso is a fair counterexample, but the proof\'s report of it is not its cycle\'s: lasso.starved[0]: the proof has nothing, the model gives "a[0]"',
  },
  {
    what: 'an instance starved that moves',
    base: 'leadsTo',
    tamper: (p) => { lasso(p, 'slow_answers').starved.push('idler'); },
    claim: 'liveness slow_answers violated',
    found: 'lasso.starved[1]: the proof has "idler", the model gives nothing',
  },
  {
    what: 'a wrong fairness in the report',
    base: 'weak',
    tamper: (p) => { lasso(p, 'a0_enters').instances[0]!.fairness = 'none'; },
    claim: A0,
    found: 'lasso.instances[0].fairness: the proof has "none", the model gives "weak"',
  },
  {
    what: 'a wrong respected',
    base: 'weak',
    tamper: (p) => { lasso(p, 'a0_enters').instances[0]!.respected = 'disabled-throughout'; },
    claim: A0,
    found: 'lasso.instances[0].respected: the proof has "disabled-throughout", the model gives "disabled-somewhere"',
  },
  {
    what: 'a wrong move count',
    base: 'always',
    tamper: (p) => { lasso(p, 'ticks').instances[2]!.moves = 1; },
    claim: 'liveness ticks violated',
    found: 'lasso.instances[2].moves: the proof has 1, the model gives 2',
  },
  {
    what: 'a wrong enabledAt',
    base: 'leadsTo',
    tamper: (p) => { lasso(p, 'slow_answers').instances[2]!.enabledAt = 0; },
    claim: 'liveness slow_answers violated',
    found: 'lasso.instances[2].enabledAt: the proof has 0, the model gives 1',
  },
  {
    what: 'a wrong disabledAt',
    base: 'weak',
    tamper: (p) => { lasso(p, 'a0_enters').instances[0]!.disabledAt = 2; },
    claim: A0,
    found: 'lasso.instances[0].disabledAt: the proof has 2, the model gives 1',
  },
  // What the proof says about the end, beside the lasso.
  {
    what: 'the verdict\'s message changed',
    base: 'weak',
    tamper: (p) => { verdict(p, 'a0_enters').message = 'a[0]@cs holds in the end'; },
    claim: A0,
    found: 'the trace replays, but verdict.message: the proof has "a[0]@cs holds in the end", the model gives "a[0]@cs never holds on this run"',
  },
  {
    what: 'the ITF loop left out',
    base: 'weak',
    tamper: (p) => { delete trace(p, 'a0_enters').itf.loop; },
    claim: A0,
    found: 'the trace replays, but itf.loop: the proof has nothing, the model gives 0',
  },
  {
    what: 'an ITF loop on a run that stops',
    base: 'daemon',
    tamper: (p) => { trace(p, 'flushed').itf.loop = 0; },
    claim: 'liveness flushed violated',
    found: 'the trace replays, but itf.loop: the proof has 0, the model gives nothing',
  },
  // Consistency: a lasso exactly where a liveness counterexample is.
  {
    what: 'a liveness violation without its lasso (null)',
    base: 'weak',
    tamper: (p) => { verdict(p, 'a0_enters').lasso = null; },
    claim: A0,
    found: 'a liveness counterexample is a lasso, and the proof says nowhere where its cycle starts',
  },
  {
    what: 'a liveness verdict without the lasso field',
    base: 'strong',
    tamper: (p) => { delete verdict(p, 'a0_enters').lasso; },
    claim: 'liveness a0_enters holds',
    found: 'a liveness verdict has one: its counterexample\'s shape, or null when it holds',
  },
  {
    what: 'a liveness holds with a lasso',
    base: 'daemon',
    tamper: (p) => { verdict(p, 'flusher_runs').lasso = structuredClone(lasso(p, 'flushed')); },
    claim: 'liveness flusher_runs holds',
    found: 'a holds verdict has no counterexample (lasso null)',
  },
  {
    what: 'an invariant with a lasso',
    base: 'weak',
    tamper: (p) => { verdict(p, 'cs_has_lock').lasso = null; },
    claim: 'invariant cs_has_lock holds',
    found: 'only a liveness counterexample is a lasso',
  },
  // What only a search can refute.
  {
    what: 'a liveness violation removed (violated changed to holds)',
    base: 'weak',
    tamper: (p) => { Object.assign(verdict(p, 'a0_enters'), { status: 'holds', message: null, trace: null, lasso: null }); },
    claim: 'liveness a0_enters holds',
    found: 'a fresh search finds it violated (a trace of 3 steps)',
  },
  {
    what: 'a fair counterexample that is not the search\'s (the cycle gone round twice)',
    base: 'weak',
    tamper: goRoundTwice,
    claim: A0,
    found: 'lasso.loopStart: the proof has 3, a fresh search gives 0',
  },
];

describe('weft replay rejects a tampered liveness proof, naming the claim', () => {
  it('each row tampers differently', () => {
    const all = rows.map((row) => { const p = base(row.base); row.tamper(p); return JSON.stringify(p); });
    expect(new Set(all).size).toBe(rows.length);
  });

  for (const row of rows) {
    it(`rejects ${row.what}: the first claim that fails is ${row.claim}`, async () => {
      const proof = base(row.base);
      row.tamper(proof);
      const r = await replay(proof);
      expect(r.code, r.out + r.err).toBe(1);
      const lines = r.out.trimEnd().split('\n');
      expect(lines.at(-1)).toBe(`rejected: ${r.path}: the claim ${row.claim} fails`);
      const failed = lines.at(-2)!;
      expect(failed.startsWith(`  ✗ ${row.claim}: the proof claims `), failed).toBe(true);
      expect(failed).toContain(row.found);
      expect(lines.filter((l) => l.startsWith('  ✗'))).toHaveLength(1);
    });
  }

  it('a lasso of the wrong shape is no proof: exit 2, the field named', async () => {
    const malformed = async (change: (l: Lasso, t: Trace) => void): Promise<{ code: number; err: string }> => {
      const p = base('weak');
      change(lasso(p, 'a0_enters'), trace(p, 'a0_enters'));
      return replay(p);
    };
    const at = 'is not a Weft proof: verdicts[1].lasso (a0_enters)';
    expect(await malformed((l) => { l.loopStart = 4; })).toMatchObject({ code: 2, err: expect.stringContaining(`${at}.loopStart is 4, not a run position of the trace (0..3)`) });
    expect(await malformed((l) => { l.loopStart = -1; })).toMatchObject({ code: 2, err: expect.stringContaining(`${at}.loopStart is -1, not a run position`) });
    expect(await malformed((l) => { (l as Json).loopStart = '0'; })).toMatchObject({ code: 2, err: expect.stringContaining(`${at}.loopStart is not a whole number`) });
    expect(await malformed((l) => { l.end = 'spiral'; })).toMatchObject({ code: 2, err: expect.stringContaining(`${at}.end is neither "cycle" nor "terminal"`) });
    expect(await malformed((l) => { l.triggerAt = 99; })).toMatchObject({ code: 2, err: expect.stringContaining(`${at}.triggerAt is 99, not a run position`) });
    expect(await malformed((l) => { l.starved = [0]; })).toMatchObject({ code: 2, err: expect.stringContaining(`${at}.starved[0] is not a string`) });
    expect(await malformed((l) => { l.instances[1]!.respected = 'mostly'; })).toMatchObject({ code: 2, err: expect.stringContaining(`${at}.instances[1].respected is not one of moves, disabled-somewhere`) });
    expect(await malformed((l) => { l.instances[0]!.fairness = 'fair'; })).toMatchObject({ code: 2, err: expect.stringContaining(`${at}.instances[0].fairness is not none, weak or strong`) });
    expect(await malformed((l) => { l.instances[0]!.disabledAt = 7; })).toMatchObject({ code: 2, err: expect.stringContaining(`${at}.instances[0].disabledAt is 7, not a run position`) });
    expect(await malformed((l) => { l.instances[0]!.moves = -2; })).toMatchObject({ code: 2, err: expect.stringContaining(`${at}.instances[0].moves is negative`) });
    expect(await malformed((l) => { (l as Json).instances = {}; })).toMatchObject({ code: 2, err: expect.stringContaining(`${at}.instances is not an array`) });
    // Positions are the trace's: one step fewer, and the stem's end is past it.
    expect(await malformed((l, t) => { Object.assign(l, { loopStart: 3, end: 'terminal' }); t.steps.pop(); })).toMatchObject({ code: 2, err: expect.stringContaining(`${at}.loopStart is 3, not a run position of the trace (0..2)`) });
  });

  it('never crashes on a mutated liveness proof: every mutation checks, is rejected, or is malformed', async () => {
    const original = base('leadsTo') as unknown;
    const values = [null, 0, -1, 1, 2, 3, 1.5, '', 'idler', 'cycle', 'terminal', 'weak', true, [], {}, { '#bigint': '1' }];
    const codes = await mutations(original, ['verdicts'], values, { seed: 11, rounds: 80 }, async (proof, path) => {
      const r = await replay(proof as Proof);
      expect([0, 1, 2], `${path.join('.')}: ${r.out}${r.err}`).toContain(r.code);
      return r.code;
    });
    expect(codes).toContain(1);
    expect(codes).toContain(2);
  });
});
