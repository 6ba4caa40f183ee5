/**
 * `weft replay` checks every claim of a proof (docs/proofs.md#weft-replay).
 * Each row of the table below tampers with a real proof from proofs/ in one
 * way and says which claim replay must name as the first that fails, and
 * what it must say was found instead; the untampered proofs check, and
 * `--traces-only` says which claims it leaves unchecked. Tampered proofs
 * are written to one temporary directory, removed after the tests, and the
 * real binary, run with TMPDIR pointed at an empty directory, must leave it
 * empty.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutations } from './support/mutate.ts';
import { main } from '../src/cli.ts';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => { out += `${s}\n`; }, err: (s) => { err += `${s}\n`; } });
  return { code, out, err };
}

type Json = Record<string, unknown>;
type Step = Json & { number: number; instance: string; stepId: number; label: string; line: number; failed: boolean; changes: unknown[]; state: { shared: Json } };
type Trace = { length: number; initial: { shared: Json }; steps: Step[]; failure: Json | null; itf: { '#meta': Json; states: Json[] } };
type Verdict = { property: string; kind: string; status: string; message: string | null; line: number | null; trace: Trace | null };
type Proof = Json & { weft: string; engine: string; modelHash: string; model: string; variant: string; schema: number; options: Json; complete: boolean; reason: string | null; stats: Json & { states: number; transitions: number; depth: number }; verdicts: Verdict[]; coverage: (Json & { fired: number })[] };

// Real proofs, kept fresh by test/proofs.test.ts. Between them: an invariant violated, targets reached and
// unreachable, an assert failing in its last step, a deadlock found and one that holds, and the flagship.
const BASES = {
  peterson: 'proofs/classic-peterson.turn_first.json', // mutual_exclusion violated (6); both_waiting (4), one_inside (3) reached
  petersonFixed: 'proofs/classic-peterson.peterson.json', // mutual_exclusion holds
  increment: 'proofs/classic-increment3.plain.json', // lost_one (6), lost_two (6) reached; assert sum_ok violated (8), its step 8 fails
  atomic: 'proofs/classic-increment3.atomic_inc.json', // lost_one, lost_two unreachable
  philosophers: 'proofs/classic-philosophers5.left_first.json', // deadlock violated (5)
  ordered: 'proofs/classic-philosophers5.ordered.json', // deadlock holds
  flagship: 'proofs/gup-writeback.m4_wait_for_pins.json', // deadlock violated (19), liveness violated, the rest holds or reached: 4,087 states
  refcount: 'proofs/classic-refcount.unlocked.json', // warning get_ref violated (4): its step 4 warns and goes on; no_use_after_free (8) passes through it
} as const;
type Base = keyof typeof BASES;

const base = (name: Base): Proof => JSON.parse(readFileSync(BASES[name], 'utf8')) as Proof;
const verdict = (p: Proof, property: string): Verdict => p.verdicts.find((v) => v.property === property)!;
const trace = (p: Proof, property: string): Trace => verdict(p, property).trace!;

/** Numbers steps and ITF states again after an edit, so that only the edit itself can be wrong. */
function renumber(t: Trace): void {
  t.steps.forEach((s, i) => { s.number = i + 1; });
  t.itf.states.forEach((s, i) => { (s['#meta'] as { index: number }).index = i; });
  t.length = t.steps.length;
}

/** Removes step `n` (1-based) and the state after it, numbered again: a consistent, shorter trace. */
function removeStep(t: Trace, n: number): void {
  t.steps.splice(n - 1, 1);
  t.itf.states.splice(n, 1);
  renumber(t);
}

/** Gives `to` the trace of `from`, with the ITF description `to` would have: only the trace is wrong. */
function moveTrace(p: Proof, from: string, to: string): void {
  const v = verdict(p, to);
  v.trace = structuredClone(trace(p, from));
  v.trace.itf['#meta'].description = `${v.kind} ${v.property} ${v.status}`;
}

interface Row {
  readonly what: string;
  readonly base: Base;
  readonly tamper: (p: Proof) => void;
  /** The first claim that fails, as `rejected: FILE: the claim ... fails` names it. */
  readonly claim: string;
  /** What the ✗ line says was found. */
  readonly found: string | RegExp;
}

const rows: Row[] = [
  // Verdicts changed, with or without their traces: a fresh search or the consistency rules refute them.
  { what: 'violated changed to holds, its trace removed', base: 'peterson', tamper: (p) => { Object.assign(verdict(p, 'mutual_exclusion'), { status: 'holds', trace: null }); }, claim: 'invariant mutual_exclusion holds', found: 'a fresh search finds it violated (a trace of 6 steps)' },
  { what: 'violated changed to holds, its trace kept', base: 'peterson', tamper: (p) => { verdict(p, 'mutual_exclusion').status = 'holds'; }, claim: 'invariant mutual_exclusion holds', found: 'a holds verdict has no trace' },
  { what: 'a violation\'s trace removed', base: 'peterson', tamper: (p) => { verdict(p, 'mutual_exclusion').trace = null; }, claim: 'invariant mutual_exclusion violated', found: 'a violated verdict is certified by its trace, and the proof stores none' },
  { what: 'reached changed to unreachable, its trace removed', base: 'peterson', tamper: (p) => { Object.assign(verdict(p, 'both_waiting'), { status: 'unreachable', trace: null }); }, claim: 'reachable both_waiting unreachable', found: 'a fresh search finds it reached (a trace of 4 steps)' },
  { what: 'reached changed to unreachable, its trace kept', base: 'peterson', tamper: (p) => { verdict(p, 'both_waiting').status = 'unreachable'; }, claim: 'reachable both_waiting unreachable', found: 'an unreachable verdict has no trace' },
  { what: 'unreachable changed to reached, without a trace', base: 'atomic', tamper: (p) => { verdict(p, 'lost_one').status = 'reached'; }, claim: 'reachable lost_one reached', found: 'a reached verdict is certified by its trace, and the proof stores none' },
  { what: 'holds changed to violated, without a trace', base: 'petersonFixed', tamper: (p) => { verdict(p, 'mutual_exclusion').status = 'violated'; }, claim: 'invariant mutual_exclusion violated', found: 'the proof stores none' },
  { what: 'holds changed to violated, with another variant\'s trace', base: 'petersonFixed', tamper: (p) => { Object.assign(verdict(p, 'mutual_exclusion'), { status: 'violated', trace: trace(base('peterson'), 'mutual_exclusion') }); }, claim: 'invariant mutual_exclusion violated', found: /it does not replay: step #\d+ \(proc\[\d\] \w+\): / },
  { what: 'a deadlock claimed, with another variant\'s deadlock', base: 'ordered', tamper: (p) => { Object.assign(verdict(p, 'deadlock'), { status: 'violated', trace: trace(base('philosophers'), 'deadlock') }); }, claim: 'builtin deadlock violated', found: 'step #5 (philosopher[4] take_first): not enabled: its guard is false in the state before it' },
  { what: 'a deadlock removed (violated changed to holds)', base: 'philosophers', tamper: (p) => { Object.assign(verdict(p, 'deadlock'), { status: 'holds', trace: null, message: null, line: null, file: null, column: null }); }, claim: 'builtin deadlock holds', found: 'a fresh search finds it violated (a trace of 5 steps)' },
  { what: 'a verdict of a status its kind does not have (invariant reached)', base: 'peterson', tamper: (p) => { verdict(p, 'mutual_exclusion').status = 'reached'; }, claim: 'invariant mutual_exclusion reached', found: 'an invariant is holds or violated' },
  { what: 'a verdict of a status its kind does not have (reachable holds)', base: 'atomic', tamper: (p) => { verdict(p, 'lost_one').status = 'holds'; }, claim: 'reachable lost_one holds', found: 'a reachable is reached or unreachable' },
  { what: 'a verdict made unknown', base: 'peterson', tamper: (p) => { verdict(p, 'deadlock').status = 'unknown'; }, claim: 'builtin deadlock unknown', found: 'a complete search decides every property' },
  { what: 'a verdict\'s kind changed', base: 'peterson', tamper: (p) => { verdict(p, 'mutual_exclusion').kind = 'reachable'; }, claim: 'invariant mutual_exclusion violated', found: 'the model declares it as an invariant' },
  // The set of verdicts.
  { what: 'a verdict deleted (holds)', base: 'peterson', tamper: (p) => { p.verdicts = p.verdicts.filter((v) => v.property !== 'deadlock'); }, claim: 'builtin deadlock', found: 'the model declares builtin deadlock, and a proof has a verdict for every property' },
  { what: 'a verdict deleted (violated, with its trace)', base: 'peterson', tamper: (p) => { p.verdicts = p.verdicts.filter((v) => v.property !== 'mutual_exclusion'); }, claim: 'invariant mutual_exclusion', found: 'a proof has a verdict for every property' },
  { what: 'a property renamed', base: 'peterson', tamper: (p) => { verdict(p, 'mutual_exclusion').property = 'mutex'; }, claim: 'invariant mutex violated', found: 'models/classic/peterson.weft has no property mutex' },
  { what: 'an extra property', base: 'peterson', tamper: (p) => { p.verdicts.push({ ...verdict(p, 'deadlock'), property: 'liveness', kind: 'invariant' }); }, claim: 'invariant liveness holds', found: 'has no property liveness' },
  { what: 'a verdict given twice', base: 'peterson', tamper: (p) => { p.verdicts.push({ ...verdict(p, 'ranges'), status: 'violated' }); }, claim: 'builtin ranges violated', found: 'verdicts[6] is ranges\'s already: one verdict per property' },
  { what: 'where a verdict points changed', base: 'peterson', tamper: (p) => { verdict(p, 'deadlock').message = 'no deadlock'; }, claim: 'builtin deadlock holds', found: 'verdict.message: the proof has "no deadlock", a fresh search gives null' },
  // The counts and the search.
  { what: 'the state count changed', base: 'peterson', tamper: (p) => { p.stats.states = 33; }, claim: 'states', found: 'a fresh search gives 32' },
  { what: 'the transition count changed', base: 'peterson', tamper: (p) => { p.stats.transitions = 59; }, claim: 'transitions', found: 'a fresh search gives 60' },
  { what: 'the depth changed', base: 'peterson', tamper: (p) => { p.stats.depth = 8; }, claim: 'depth', found: 'a fresh search gives 7' },
  { what: 'no states at all', base: 'peterson', tamper: (p) => { p.stats.states = 0; }, claim: 'states', found: 'a search stores at least the initial state' },
  { what: 'a depth no search of so few states has', base: 'peterson', tamper: (p) => { p.stats.depth = 32; }, claim: 'depth', found: 'the depth is between 0 and one less than the states (31)' },
  { what: 'fewer transitions than states reached', base: 'peterson', tamper: (p) => { p.stats.transitions = 30; }, claim: 'transitions', found: 'at least 31' },
  { what: 'a time recorded', base: 'peterson', tamper: (p) => { p.stats.seconds = 0.5; }, claim: 'stats.seconds', found: 'a proof records no times or memory figures' },
  { what: 'complete flipped to false', base: 'peterson', tamper: (p) => { Object.assign(p, { complete: false, reason: 'max-states' }); }, claim: 'complete', found: '`weft prove` writes only searches that ran to the end' },
  { what: 'a complete search with a reason to stop', base: 'peterson', tamper: (p) => { p.reason = 'time-limit'; }, claim: 'reason', found: 'a complete search has no reason to stop (null)' },
  { what: 'coverage changed', base: 'peterson', tamper: (p) => { p.coverage[2]!.fired += 1; }, claim: 'coverage', found: /coverage\[2\]\.fired: the proof has \d+, a fresh search gives \d+/ },
  { what: 'a step left out of the coverage', base: 'peterson', tamper: (p) => { p.coverage.pop(); }, claim: 'coverage', found: /coverage\[\d+\]: the proof has nothing, a fresh search gives / },
  // What the proof is of.
  { what: 'an option changed', base: 'peterson', tamper: (p) => { p.options.turn_first = false; }, claim: 'options', found: 'options.turn_first: the proof has false, the model gives true' },
  { what: 'an option added', base: 'peterson', tamper: (p) => { p.options.fast = true; }, claim: 'options', found: 'options.fast: the proof has true, the model gives nothing' },
  { what: 'the variant changed to another the model declares', base: 'peterson', tamper: (p) => { p.variant = 'peterson'; }, claim: 'options', found: 'options.turn_first: the proof has true, the model gives false' },
  { what: 'a variant the model does not declare', base: 'peterson', tamper: (p) => { p.variant = 'fast'; }, claim: 'variant', found: 'models/classic/peterson.weft declares only peterson, peterson_unfair, turn_first' },
  { what: 'the model\'s name changed', base: 'peterson', tamper: (p) => { p.model = 'dekker'; }, claim: 'model', found: 'models/classic/peterson.weft is model peterson' },
  { what: 'the JSON schema changed', base: 'peterson', tamper: (p) => { p.schema = 2; }, claim: 'schema', found: 'this Weft writes schema 1' },
  // Traces: each step, the states, the end.
  { what: 'a step given to another instance', base: 'peterson', tamper: (p) => { trace(p, 'mutual_exclusion').steps[4]!.instance = 'proc[1]'; }, claim: 'invariant mutual_exclusion violated', found: 'step #5 (proc[1] announce): not enabled: proc[1] is not at this step, it is at release' },
  { what: 'a step\'s id changed', base: 'peterson', tamper: (p) => { trace(p, 'mutual_exclusion').steps[0]!.stepId = 1; }, claim: 'invariant mutual_exclusion violated', found: 'step #1 (proc[0] yield): it is not the model\'s step 1: label: the proof has "yield", the model gives "announce"' },
  { what: 'a step\'s label changed', base: 'peterson', tamper: (p) => { trace(p, 'mutual_exclusion').steps[0]!.label = 'enter'; }, claim: 'invariant mutual_exclusion violated', found: 'it is not the model\'s step 0: label: the proof has "enter", the model gives "yield"' },
  { what: 'a step\'s line changed', base: 'peterson', tamper: (p) => { trace(p, 'mutual_exclusion').steps[1]!.line += 1; }, claim: 'invariant mutual_exclusion violated', found: /step #2 \(proc\[1\] yield\): it is not the model's step \d+: line: the proof has \d+, the model gives 42/ },
  { what: 'a state value changed in ITF only (ITF and state disagree)', base: 'peterson', tamper: (p) => { (trace(p, 'mutual_exclusion').itf.states[3]!.flag as boolean[])[1] = false; }, claim: 'invariant mutual_exclusion violated', found: 'step #3 (proc[1] announce): the state after it differs: flag[1]: the proof has false, the model gives true (ITF state #3)' },
  { what: 'a state value changed in the JSON state only (ITF and state disagree)', base: 'peterson', tamper: (p) => { trace(p, 'mutual_exclusion').steps[3]!.state.shared.in_cs = 2; }, claim: 'invariant mutual_exclusion violated', found: 'step #4 (proc[1] enter): the state after it differs: shared.in_cs: the proof has 2, the model gives 1 (steps[3].state)' },
  { what: 'the initial state changed', base: 'peterson', tamper: (p) => { trace(p, 'one_inside').initial.shared.turn = 1; }, claim: 'reachable one_inside reached', found: 'the initial state is not the model\'s: shared.turn: the proof has 1, the model gives 0 (initial)' },
  { what: 'a step\'s changed variables', base: 'peterson', tamper: (p) => { trace(p, 'mutual_exclusion').steps[1]!.changes = []; }, claim: 'invariant mutual_exclusion violated', found: /step #2 \(proc\[1\] yield\): its changed variables differ: changes\[0\]: the proof has nothing/ },
  // What a step read (docs/json.md#step): the values are the state's before it, and replay reads them again.
  { what: 'a value a step read changed', base: 'increment', tamper: (p) => { (trace(p, 'sum_ok').steps[2]!.reads as Json[])[0]!.value = '0'; }, claim: 'assert sum_ok violated', found: 'step #3 (thread[1] load): what it read differs: reads[0].value: the proof has "0", the model gives "1"' },
  { what: 'a read left out', base: 'increment', tamper: (p) => { trace(p, 'sum_ok').steps[0]!.reads = []; }, claim: 'assert sum_ok violated', found: 'step #1 (thread[0] load): what it read differs: reads[0]: the proof has nothing, the model gives {"path":"counter","value":"0"}' },
  { what: 'the failing step\'s read changed', base: 'increment', tamper: (p) => { (trace(p, 'sum_ok').steps[7]!.reads as Json[])[0]!.value = '3'; }, claim: 'assert sum_ok violated', found: 'step #8 (checker sum_ok): what it read differs: reads[0].value: the proof has "3", the model gives "2"' },
  { what: 'a condition\'s outcome flipped', base: 'peterson', tamper: (p) => { (trace(p, 'mutual_exclusion').steps[5]!.condition as Json).holds = false; }, claim: 'invariant mutual_exclusion violated', found: 'step #6 (proc[0] enter): what it read differs: condition.holds: the proof has false, the model gives true' },
  { what: 'a condition claimed for a step that tests none', base: 'peterson', tamper: (p) => { trace(p, 'mutual_exclusion').steps[0]!.condition = { text: 'if (true)', holds: true, reads: [] }; }, claim: 'invariant mutual_exclusion violated', found: /step #1 \(proc\[0\] yield\): what it read differs: condition: the proof has \{.*\}, the model gives null/ },
  { what: 'a step removed, the rest numbered again', base: 'peterson', tamper: (p) => removeStep(trace(p, 'mutual_exclusion'), 2), claim: 'invariant mutual_exclusion violated', found: 'step #2 (proc[1] announce): not enabled: proc[1] is not at this step, it is at yield' },
  { what: 'a step removed, the numbers left as they were', base: 'peterson', tamper: (p) => { trace(p, 'mutual_exclusion').steps.splice(1, 1); }, claim: 'invariant mutual_exclusion violated', found: 'step #2 (proc[1] announce): it is numbered #3, at position 2' },
  { what: 'a step duplicated', base: 'peterson', tamper: (p) => { const t = trace(p, 'mutual_exclusion'); t.steps.splice(1, 0, structuredClone(t.steps[0]!)); t.itf.states.splice(1, 0, structuredClone(t.itf.states[1]!)); renumber(t); }, claim: 'invariant mutual_exclusion violated', found: 'step #2 (proc[0] yield): not enabled: proc[0] is not at this step, it is at announce' },
  { what: 'two steps swapped', base: 'peterson', tamper: (p) => { const t = trace(p, 'mutual_exclusion'); [t.steps[0], t.steps[1]] = [t.steps[1]!, t.steps[0]!]; [t.itf.states[1], t.itf.states[2]] = [t.itf.states[2]!, t.itf.states[1]!]; renumber(t); }, claim: 'invariant mutual_exclusion violated', found: /step #1 \(proc\[1\] yield\): the state after it differs: / },
  { what: 'the trace truncated: its end does not violate', base: 'peterson', tamper: (p) => removeStep(trace(p, 'mutual_exclusion'), 6), claim: 'invariant mutual_exclusion violated', found: 'it does not replay: the invariant mutual_exclusion holds in the last state' },
  { what: 'a deadlock trace truncated: something can still move', base: 'philosophers', tamper: (p) => { const t = trace(p, 'deadlock'); removeStep(t, t.steps.length); }, claim: 'builtin deadlock violated', found: /no deadlock: philosopher\[\d\] can still move in the last state/ },
  {
    what: 'the trace extended past the target reached',
    base: 'increment',
    // lost_one's six steps begin sum_ok's trace: give lost_one sum_ok's seventh step too.
    tamper: (p) => { const t = trace(p, 'lost_one'); const s = trace(p, 'sum_ok'); t.steps.push(s.steps[6]!); t.itf.states.push(s.itf.states[7]!); renumber(t); },
    claim: 'reachable lost_one reached',
    found: 'the target lost_one holds already in the state after step #6, before the end: the trace goes on past it',
  },
  { what: 'the stored length changed', base: 'peterson', tamper: (p) => { trace(p, 'one_inside').length = 4; }, claim: 'reachable one_inside reached', found: 'the trace says it has 4 steps, but it stores 3' },
  { what: 'an ITF state left out', base: 'peterson', tamper: (p) => { trace(p, 'one_inside').itf.states.pop(); }, claim: 'reachable one_inside reached', found: 'step #3 (proc[0] enter): the state after it differs: the proof stores no ITF state #3' },
  { what: 'a violation\'s trace replaced by another property\'s', base: 'increment', tamper: (p) => moveTrace(p, 'lost_one', 'sum_ok'), claim: 'assert sum_ok violated', found: 'it does not replay: the last step does not fail sum_ok' },
  { what: 'a failing step that is not the last', base: 'increment', tamper: (p) => { trace(p, 'sum_ok').steps[0]!.failed = true; }, claim: 'assert sum_ok violated', found: 'step #1 (thread[0] load): it is marked as failing, but steps follow it' },
  { what: 'the failing step unmarked', base: 'increment', tamper: (p) => { trace(p, 'sum_ok').steps.at(-1)!.failed = false; }, claim: 'assert sum_ok violated', found: 'step #8 (checker sum_ok): it only fails here (an increment was lost), but the proof does not mark it failed' },
  { what: 'the failure\'s message changed', base: 'increment', tamper: (p) => { trace(p, 'sum_ok').failure!.message = 'all is well'; }, claim: 'assert sum_ok violated', found: 'the trace replays, but failure.message: the proof has "all is well", the model gives "an increment was lost"' },
  { what: 'a violated verdict\'s line changed', base: 'peterson', tamper: (p) => { verdict(p, 'mutual_exclusion').line = 1; }, claim: 'invariant mutual_exclusion violated', found: 'the trace replays, but verdict.line: the proof has 1, the model gives 55' },
  { what: 'the ITF description changed', base: 'peterson', tamper: (p) => { trace(p, 'both_waiting').itf['#meta'].description = 'reachable both_waiting unreachable'; }, claim: 'reachable both_waiting reached', found: 'the trace replays, but itf.#meta.description: the proof has "reachable both_waiting unreachable"' },
  // Warnings: the trace ends at the step that warns, which goes on (it has changes and a state after it).
  { what: 'a warning\'s trace cut before the step that warns', base: 'refcount', tamper: (p) => removeStep(trace(p, 'get_ref'), 4), claim: 'warning get_ref violated', found: 'it does not replay: the last step records no warning of get_ref' },
  {
    what: 'a warning\'s trace extended past the step that warns',
    base: 'refcount',
    // no_use_after_free's eight steps pass through get_ref's fourth: give get_ref the rest of them.
    tamper: (p) => { const t = trace(p, 'get_ref'); const u = trace(p, 'no_use_after_free'); t.steps.push(...u.steps.slice(4)); t.itf.states.push(...u.itf.states.slice(5)); renumber(t); },
    claim: 'warning get_ref violated',
    found: 'step #4 (lookup get_ref) warns get_ref already, before the end: the trace goes on past it',
  },
  { what: 'the step that warns marked failed', base: 'refcount', tamper: (p) => { trace(p, 'get_ref').steps[3]!.failed = true; }, claim: 'warning get_ref violated', found: 'step #4 (lookup get_ref): it does not fail get_ref here' },
  { what: 'a warning\'s message changed', base: 'refcount', tamper: (p) => { trace(p, 'get_ref').failure!.message = 'refcount_t: all is well'; }, claim: 'warning get_ref violated', found: 'the trace replays, but failure.message: the proof has "refcount_t: all is well", the model gives "refcount_t: addition on 0; use-after-free (obj.refs)"' },
  { what: 'a warning removed (violated changed to holds)', base: 'refcount', tamper: (p) => { Object.assign(verdict(p, 'get_ref'), { status: 'holds', trace: null, message: null, file: null, line: null, column: null }); }, claim: 'warning get_ref holds', found: 'a fresh search finds it violated (a trace of 4 steps)' },
  // The flagship, once: a deadlock found by a 20-step trace claimed not to exist; only a search of 3,336 states refutes it.
  { what: 'the flagship: a deadlock removed', base: 'flagship', tamper: (p) => { Object.assign(verdict(p, 'deadlock'), { status: 'holds', trace: null, message: null, file: null, line: null, column: null }); }, claim: 'builtin deadlock holds', found: 'a fresh search finds it violated (a trace of 19 steps)' },
];

let dir: string;
let n = 0;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'weft-proof-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

async function replay(text: string, flags: string[] = []): Promise<{ code: number; out: string; err: string; path: string }> {
  const path = join(dir, `proof-${n++}.json`);
  writeFileSync(path, text);
  const r = await run(['replay', ...flags, path]);
  expect(r.err).not.toMatch(/\n\s+at .*:\d+:\d+/); // never a stack trace
  return { ...r, path };
}

describe('weft replay checks every claim of a proof', () => {
  for (const name of Object.keys(BASES) as Base[]) {
    it(`the untampered proof checks: ${BASES[name]}`, async () => {
      const r = await replay(readFileSync(BASES[name], 'utf8'));
      expect(r.code, r.out + r.err).toBe(0);
      expect(r.out).toMatch(/^every claim checks \(\d+ traces? replays?; the counts, the verdicts and the coverage are a fresh search's\)$/m);
    });
  }

  it('a proof that says the reference engine searched checks by a search of the reference engine', async () => {
    const p = base('peterson');
    p.engine = 'reference';
    const r = await replay(JSON.stringify(p));
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain('  ✓ a fresh search (reference engine, complete): 32 states, 60 transitions, depth 7,');
  });

  it('Ctrl-C during the fresh search: exit 3, nothing decided', async () => {
    const path = join(dir, `proof-${n++}.json`);
    writeFileSync(path, readFileSync(BASES.philosophers, 'utf8'));
    const controller = new AbortController();
    controller.abort();
    let out = '';
    let err = '';
    const code = await main(['replay', path], { out: (s) => { out += `${s}\n`; }, err: (s) => { err += `${s}\n`; } }, controller.signal);
    expect(code, out + err).toBe(3);
    expect(out).toContain('  ✓ builtin deadlock violated: 5 steps replayed');
    expect(out).not.toContain('every claim checks');
    expect(err).toBe('weft: the fresh search of models/classic/philosophers5.weft, variant left_first, was interrupted; the claims it checks are not decided\n');
  });

  it('the table has at least 32 kinds of tampering, each different', () => {
    expect(rows.length).toBeGreaterThanOrEqual(32);
    const texts = rows.map((row) => { const p = base(row.base); row.tamper(p); return JSON.stringify(p); });
    expect(new Set(texts).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.what)).size).toBe(rows.length);
  });

  for (const row of rows) {
    it(`rejects ${row.what}: the first claim that fails is ${row.claim}`, async () => {
      const proof = base(row.base);
      row.tamper(proof);
      const r = await replay(JSON.stringify(proof));
      expect(r.code, r.out + r.err).toBe(1);
      const lines = r.out.trimEnd().split('\n');
      expect(lines.at(-1)).toBe(`rejected: ${r.path}: the claim ${row.claim} fails`);
      const failed = lines.at(-2)!;
      expect(failed.startsWith(`  ✗ ${row.claim}: the proof claims `), failed).toBe(true);
      if (typeof row.found === 'string') expect(failed).toContain(row.found);
      else expect(failed).toMatch(row.found);
      expect(lines.filter((l) => l.startsWith('  ✗'))).toHaveLength(1);
    });
  }

  it('docs/proofs.md shows what weft replay prints for classic-peterson.turn_first', async () => {
    const doc = readFileSync('docs/proofs.md', 'utf8');
    const shown = /\$ npx weft replay (proofs\/classic-peterson\.turn_first\.json)\n([^`]*)```/.exec(doc);
    expect(shown, 'docs/proofs.md has no replay example').not.toBeNull();
    const r = await run(['replay', shown![1]!]);
    expect(r.out, 'docs/proofs.md: the replay example differs from `npx weft replay proofs/classic-peterson.turn_first.json`; paste the current one').toBe(shown![2]);
  });

  it('--traces-only replays the traces, checks consistency, and says what it did not check', async () => {
    const counted = base('peterson');
    counted.stats.states = 33; // only a fresh search refutes this
    const r = await replay(JSON.stringify(counted), ['--traces-only']);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain('  ✓ invariant mutual_exclusion violated: 6 steps replayed; the invariant is false in the last state');
    expect(r.out).toContain('  not checked (--traces-only, no fresh search): that the search is complete; the counts (33 states, 60 transitions, depth 7); '
      + 'the verdicts without a trace (liveness p0_enters holds, liveness p1_enters holds, builtin deadlock holds, builtin ranges holds, builtin locking holds); that each trace is a shortest one; the coverage\n');
    expect(r.out).toMatch(/^the traces check \(3 traces replay, the verdicts consistent\); the claims above were not checked$/m);
    expect(r.out).not.toContain('fresh search (');
    // What it does check, it still rejects.
    const tampered = base('peterson');
    verdict(tampered, 'mutual_exclusion').trace = null;
    const t = await replay(JSON.stringify(tampered), ['--traces-only']);
    expect(t.code).toBe(1);
    expect(t.out).toContain('the claim invariant mutual_exclusion violated fails');
  });

  it('prints a proof\'s text with its control characters escaped', async () => {
    const named = base('peterson');
    verdict(named, 'deadlock').property = 'dead\u001b[2J\nlock';
    const r = await replay(JSON.stringify(named));
    expect(r.code).toBe(1);
    expect(r.out).toContain('  ✗ deadlock dead\\x1b[2J\\x0alock holds: the proof claims a verdict for dead\\x1b[2J\\x0alock, but');
    const malformed = base('peterson');
    (trace(malformed, 'mutual_exclusion') as Json).length = 'six';
    (verdict(malformed, 'mutual_exclusion') as Json).property = 'mutual\u0007';
    const m = await replay(JSON.stringify(malformed));
    expect(m).toMatchObject({ code: 2, err: expect.stringContaining('verdicts[0].trace (mutual\\x07).length is not a whole number') });
    for (const text of [r.out, r.err, m.out, m.err]) expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it('a malformed file, a stale proof or a missing model: a diagnostic and exit code 2', async () => {
    const malformed = async (change: (p: Proof) => void): Promise<{ code: number; err: string }> => {
      const p = base('peterson');
      change(p);
      return replay(JSON.stringify(p));
    };
    expect(await replay('{"proof": 1,')).toMatchObject({ code: 2, err: expect.stringMatching(/^weft: error: .*proof-\d+\.json is not JSON: /) });
    expect(await replay('{"results": []}')).toMatchObject({ code: 2, err: expect.stringMatching(/is not a Weft proof: no "proof": 1 field/) });
    expect(await malformed((p) => { (trace(p, 'mutual_exclusion').steps[3] as Json).instance = 7; })).toMatchObject({ code: 2, err: expect.stringMatching(/is not a Weft proof: verdicts\[0\]\.trace \(mutual_exclusion\)\.steps\[3\]\.instance is not a string/) });
    expect(await malformed((p) => { p.engine = 'quantum'; })).toMatchObject({ code: 2, err: expect.stringMatching(/is not a Weft proof: engine is not one of Weft's engines \(compiled, reference\)/) });
    expect(await malformed((p) => { p.weft = 'latest\u001b[2J'; })).toMatchObject({ code: 2, err: expect.stringMatching(/is not a Weft proof: weft is not a version \(such as 0\.1\.0\)/) });
    expect(await malformed((p) => { p.stats.states = 1.5; })).toMatchObject({ code: 2, err: expect.stringMatching(/is not a Weft proof: stats\.states is not a whole number/) });
    expect(await malformed((p) => { delete (p as Json).coverage; })).toMatchObject({ code: 2, err: expect.stringMatching(/is not a Weft proof: coverage is not an array/) });
    expect(await malformed((p) => { p.modelHash = '0'.repeat(64); })).toMatchObject({ code: 2, err: expect.stringMatching(/models\/classic\/peterson\.weft has changed since .* was written \(its sha256 differs\): run `npx weft prove models\/classic\/peterson\.weft`/) });
    expect(await malformed((p) => { p.file = 'models/no-such-model.weft'; })).toMatchObject({ code: 2, err: expect.stringMatching(/proves models\/no-such-model\.weft, which does not exist/) });
  });

  it('never crashes on a mutated proof: every mutation checks (a value set to what it was), is rejected, or is malformed', async () => {
    const original = JSON.parse(readFileSync(BASES.philosophers, 'utf8')) as unknown;
    const values = [null, 0, -1, 1.5, 99_999, '', 'philosopher[1]', true, false, [], {}, { '#bigint': '1' }];
    const codes = await mutations(original, [], values, { seed: 7, rounds: 120 }, async (proof, path) => {
      const r = await replay(JSON.stringify(proof));
      expect([0, 1, 2], `${path.join('.')}: ${r.out}${r.err}`).toContain(r.code);
      return r.code;
    });
    expect(codes).toContain(1);
    expect(codes).toContain(2);
  });
});

describe('weft prove and weft replay leave nothing in the temporary directory', () => {
  // The real binary, in a directory of its own with one model, TMPDIR pointed at an empty directory: prove writes
  // proofs/ there, replay checks them (a fresh search with the compiled engine, as the proof records), a tampered
  // proof is rejected, and the temporary directory is still empty after each.
  it('proves, replays and rejects with TMPDIR empty before and after', () => {
    const root = mkdtempSync(join(tmpdir(), 'weft-proof-'));
    try {
      const tmp = join(root, 'tmp');
      const work = join(root, 'work');
      mkdirSync(tmp);
      mkdirSync(join(work, 'models'), { recursive: true });
      cpSync('models/classic/peterson.weft', join(work, 'models', 'peterson.weft'));
      const weft = (...args: string[]): { status: number | null; stdout: string; stderr: string } =>
        // tsx, which runs bin/weft.js from the sources, keeps a compile cache of its own in the temporary directory: off here.
        spawnSync(process.execPath, [resolve('bin/weft.js'), ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp, TSX_DISABLE_CACHE: '1' } });
      const proved = weft('prove', 'models/peterson.weft');
      expect(proved.status, proved.stderr).toBe(0);
      expect(readdirSync(tmp)).toEqual([]);
      const replayed = weft('replay', 'proofs/peterson.turn_first.json');
      expect(replayed.status, replayed.stdout + replayed.stderr).toBe(0);
      expect(readdirSync(tmp)).toEqual([]);
      const proof = JSON.parse(readFileSync(join(work, 'proofs/peterson.turn_first.json'), 'utf8')) as Proof;
      proof.stats.states += 1;
      writeFileSync(join(work, 'proofs/tampered.json'), JSON.stringify(proof));
      const rejected = weft('replay', 'proofs/tampered.json');
      expect(rejected.status, rejected.stdout + rejected.stderr).toBe(1);
      const stale = weft('replay', 'proofs/no-such-proof.json');
      expect(stale.status).toBe(2);
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
