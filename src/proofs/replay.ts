/**
 * `weft replay PROOF`: re-executes every trace stored in a proof on the
 * reference interpreter (explore/evaluate.ts), independently of the search
 * that found it, so that a counterexample is a certificate anyone can
 * check. From the model's initial state, each stored step must be the
 * model's step (its label, call path and source position), be enabled for
 * the instance named (the instance is at it and its guard is true), and
 * lead to exactly the stored state (in ITF and in the JSON form) with the
 * stored changes, having read what the proof says it read (its condition
 * and reads). No state before the last may show an invariant's
 * violation or a target (a search's trace ends at the first). The end must
 * show the property: an invariant false in
 * the last state, a reachable target true, an assert, range or lock failure
 * raised by the last step (or a range fault evaluating a property in the
 * last state), a warning recorded by the last step on the way to the stored
 * state (or to its failure) and by no step before it, a deadlock with no step enabled and an actor unfinished, a
 * liveness violation a fair lasso on which Q never holds where it must
 * (lasso.ts); and what the proof says about the end (the failure, the verdict's
 * position, the ITF header) must be what Weft reports for it. The first
 * step that does not replay is named, with what differed.
 */
import type { Program, Property } from '../lower/ir.ts';
import { evaluateProperty, Fault, instanceName, takeStep, type ErrorOutcome, type StateOutcome, type Warned } from '../explore/evaluate.ts';
import { stepOutcomes } from '../explore/transitions.ts';
import { initialState, type State } from '../explore/state.ts';
import { finished } from '../explore/stateProperties.ts';
import { changesOf, deadlockFailure, propertyText, readsOf, type TraceFailure } from '../explore/trace.ts';
import { itfHead, itfState, itfStep, type ItfState } from '../report/itf.ts';
import { failureJson, location, stateJson, stepReadsJson } from '../report/json.ts';
import { lineCol, type Span } from '../text/source.ts';
import { assertNever } from '../util.ts';
import { firstDifference } from './diff.ts';
import type { ProofStep, ProofTrace, ProofVerdict } from './format.ts';
import { lassoEnd } from './lasso.ts';

export type ReplayOutcome =
  /** `end` says how the last state shows the property. */
  | { readonly ok: true; readonly end: string }
  | { readonly ok: false; readonly why: string };

const reject = (why: string): ReplayOutcome => ({ ok: false, why });

export function replayTrace(program: Program, v: ProofVerdict, t: ProofTrace): ReplayOutcome {
  const property = program.properties.find((p) => p.name === v.property);
  if (!property) return reject(`the model has no property ${v.property}`);
  if (property.kind !== v.kind) return reject(`${v.property} is a ${property.kind} in the model, the proof says ${v.kind}`);
  const wanted = property.kind === 'reachable' ? 'reached' : 'violated';
  if (v.status !== wanted) return reject(`the proof says ${v.status}, but only a ${wanted} ${property.kind} has a trace`);

  let state = initialState(program);
  const initial = stateDifference(program, state, t, 0, null);
  if (initial) return reject(`the initial state is not the model's: ${initial}`);
  const states: State[] = [state];
  let failure: ErrorOutcome | null = null;
  let warned: readonly Warned[] = [];
  for (const [i, s] of t.steps.entries()) {
    // A search stops a trace at the first state that shows the property: a longer one claims a path the search did not find.
    const early = shownAt(program, property, state);
    if (early) return reject(`${early} in ${i === 0 ? 'the initial state' : `the state after step #${i}`}, before the end: the trace goes on past it`);
    const r = replayStep(program, state, v, t, s, i + 1);
    if (!r.ok) return reject(`step #${i + 1} (${s.instance} ${s.label}): ${r.why}`);
    // As for a state, a search stops a warning's trace at the first step that records it.
    warned = r.warnings;
    if (i + 1 < t.steps.length && warned.some((w) => w.property === property.name)) {
      return reject(`step #${i + 1} (${s.instance} ${s.label}) warns ${property.name} already, before the end: the trace goes on past it`);
    }
    if (r.kind === 'failed') {
      failure = r.failure;
      break;
    }
    state = r.state;
    states.push(state);
  }
  if (t.length !== t.steps.length) return reject(`the trace says it has ${t.length} steps, but it stores ${t.steps.length}`);
  if (t.states.length !== t.steps.length + 1) return reject(`the trace stores ${t.states.length} ITF states for ${t.steps.length} steps (one more than the steps: the initial state first)`);
  const end = property.kind === 'liveness'
    ? lassoEnd(program, property, v.lasso, t, states)
    : endOf(program, property, state, failure, warned, t.steps.length === 0 ? 'the initial state' : 'the last state');
  if (!end.ok) return end;
  // What the proof says about the end, beside the states: the failure, where the verdict points, the ITF header (and loop).
  const { loop } = end.end;
  const said = firstDifference(t.failure, end.end.failure ? failureJson(program, end.end.failure) : null, 'failure')
    ?? firstDifference(v.where, { message: end.end.message, ...location(program, end.end.span) }, 'verdict')
    ?? firstDifference(t.itfHead, { ...itfHead(program, `${property.kind} ${property.name} ${wanted}`), ...(loop === null ? {} : { loop }) }, 'itf');
  return said ? reject(`the trace replays, but ${said}`) : { ok: true, end: end.end.end };
}

/** A replayed step, with the warnings its outcome recorded. */
type StepOutcome =
  | { readonly ok: true; readonly kind: 'state'; readonly state: State; readonly warnings: readonly Warned[] }
  | { readonly ok: true; readonly kind: 'failed'; readonly failure: ErrorOutcome; readonly warnings: readonly Warned[] }
  | { readonly ok: false; readonly why: string };

function replayStep(program: Program, state: State, v: ProofVerdict, t: ProofTrace, s: ProofStep, n: number): StepOutcome {
  const fail = (why: string): StepOutcome => ({ ok: false, why });
  if (s.number !== n) return fail(`it is numbered #${s.number}, at position ${n}`);
  const instance = program.instances.findIndex((x) => x.name === s.instance);
  if (instance < 0) return fail(`the model has no instance ${s.instance}`);
  const step = program.steps[s.stepId];
  const actor = program.instances[instance]!.actor;
  if (!step || step.actor !== actor) return fail(`${s.instance} has no step with id ${s.stepId}`);
  const { path, line, col } = lineCol(program.file, step.span.start);
  const identity = firstDifference(
    { label: s.label, callPath: s.callPath, file: s.file, line: s.line, column: s.column },
    { label: step.label, callPath: step.callPath, file: path, line, column: col },
  );
  if (identity) return fail(`it is not the model's step ${s.stepId}: ${identity}`);
  if (state.pcs[instance] !== step.pc) return fail(`not enabled: ${s.instance} is not at this step, it is ${whereIs(program, state, instance)}`);
  const outcomes = takeStep(program, state, instance, step, { reads: true });
  if (outcomes.length === 0) return fail('not enabled: its guard is false in the state before it');
  // What the proof says the step tested and read must be what it reads replayed: the values are the state before it's.
  const readDifference = (o: ErrorOutcome | StateOutcome): string | null =>
    firstDifference({ condition: s.condition, reads: s.reads }, stepReadsJson(readsOf(program, { instance, stepId: s.stepId }, o)));
  const meta = itfStep(program, s.instance, s.label, s.file, s.line, s.failed);

  if (s.failed) {
    if (n !== t.steps.length) return fail('it is marked as failing, but steps follow it');
    // A warning's trace ends failed when the step that warns then fails: the error outcome carries the warning.
    const error = outcomes.find((o): o is ErrorOutcome => o.kind === 'error' && (o.property === v.property || (o.warnings ?? []).some((w) => w.property === v.property)));
    if (!error) return fail(`it does not fail ${v.property} here`);
    // A failing step has no successor: the proof stores the state it was taken from.
    const d = stateDifference(program, state, t, n, meta);
    if (d) return fail(`the state stored with it differs: ${d}`);
    const read = readDifference(error);
    return read ? fail(`what it read differs: ${read}`) : { ok: true, kind: 'failed', failure: error, warnings: error.warnings ?? [] };
  }
  const successors = outcomes.flatMap((o) => (o.kind === 'state' ? [o] : []));
  if (successors.length === 0) return fail(`it only fails here (${(outcomes[0] as ErrorOutcome).message}), but the proof does not mark it failed`);
  const matching = successors.filter((o) => stateDifference(program, o.state, t, n, meta) === null);
  // Two outcomes may reach the stored state; at a warning's end, the one that warns is the trace's.
  const warns = (o: (typeof matching)[number]): boolean => (o.warnings ?? []).some((w) => w.property === v.property);
  const next = (n === t.steps.length ? matching.find(warns) : undefined) ?? matching[0];
  if (!next) {
    const d = stateDifference(program, successors[0]!.state, t, n, meta)!;
    return fail(successors.length === 1 ? `the state after it differs: ${d}` : `none of its ${successors.length} outcomes is the stored state; the first differs: ${d}`);
  }
  const changes = firstDifference(s.changes, changesOf(program, state, next.state, next.patches), 'changes');
  if (changes) return fail(`its changed variables differ: ${changes}`);
  const read = readDifference(next);
  if (read) return fail(`what it read differs: ${read}`);
  return { ok: true, kind: 'state', state: next.state, warnings: next.warnings ?? [] };
}

/** How a replayed trace ends: what `weft check` would report for it, to compare with what the proof stores. */
export interface End {
  /** How the last state shows the property, for the report. */
  readonly end: string;
  readonly failure: TraceFailure | null;
  /** The verdict's position: the property, or the statement that failed. */
  readonly span: Span | undefined;
  /** The verdict's message: the failure's, but for a liveness violation (from where Q never holds). */
  readonly message: string | null;
  /** ITF's `loop`: where a lasso's cycle starts; null for every other trace. */
  readonly loop: number | null;
}

export type EndOrError = { readonly ok: true; readonly end: End } | { readonly ok: false; readonly why: string };

/** The end must show the property, by its kind, as explore/findings.ts decides it. */
function endOf(program: Program, property: Property, state: State, failed: ErrorOutcome | null, warned: readonly Warned[], last: string): EndOrError {
  const no = (why: string): EndOrError => ({ ok: false, why });
  const ok = (end: string, failure: TraceFailure | null, span: Span | undefined): EndOrError => ({ ok: true, end: { end, failure, span, message: failure?.message ?? null, loop: null } });
  const stepFailure = (f: ErrorOutcome): EndOrError => ok(`the last step fails it: ${f.message}`, { message: f.message, span: f.span }, f.span);
  switch (property.kind) {
    case 'invariant':
    case 'reachable': {
      if (failed) return no(`the last step fails (${failed.message}), but a ${property.kind} is shown by a state`);
      const value = evaluate(program, state, property);
      if (value.kind === 'fault') return no(`evaluating ${property.name} in ${last} faults: ${value.message}`);
      if (property.kind === 'reachable') return value.value === true ? ok(`the target holds in ${last}`, null, property.span) : no(`the target ${property.name} does not hold in ${last}`);
      if (value.value !== false) return no(`the invariant ${property.name} holds in ${last}`);
      return ok(`the invariant is false in ${last}`, { message: propertyText(program, property.span), span: property.span }, property.span);
    }
    case 'deadlock': {
      if (failed) return no(`the last step fails (${failed.message}): that is no deadlock`);
      // As the explorers decide a deadlock: a step that only fails is enabled (the instance is not blocked, it fails).
      const enabled = program.instances.findIndex((_, i) => stepOutcomes(program, state, i).some((x) => x.outcomes.length > 0));
      if (enabled >= 0) return no(`no deadlock: ${instanceName(program, enabled)} can still move in ${last}`);
      if (finished(program, state)) return no(`no deadlock: every actor has finished in ${last}`);
      const failure = deadlockFailure(program, state);
      return ok(`a deadlock: ${failure.message}`, failure, undefined);
    }
    case 'ranges':
      return failed ? stepFailure(failed) : rangeFaultIn(program, state, last);
    case 'assert':
    case 'locking':
      return failed && failed.property === property.name ? stepFailure(failed) : no(`the last step does not fail ${property.name}`);
    case 'warning': {
      // The first warning of the property the last step records, as explore/trace.ts warningTrace shows it.
      const w = warned.find((x) => x.property === property.name);
      if (!w) return no(`the last step records no warning of ${property.name}`);
      return ok(`the last step warns: ${w.message}`, { message: w.message, span: w.span }, w.span);
    }
    case 'liveness':
      throw new Error('internal error: a lasso is checked by lassoEnd');
    default:
      return assertNever(property);
  }
}

/**
 * A `ranges` violation found in a state: evaluating an invariant or a
 * target there faults. As explore/stateProperties.ts records it: the first
 * such property in the program's order.
 */
function rangeFaultIn(program: Program, state: State, last: string): EndOrError {
  for (const p of program.properties) {
    if (p.kind !== 'invariant' && p.kind !== 'reachable') continue;
    const value = evaluate(program, state, p);
    if (value.kind !== 'fault') continue;
    const message = `${value.message} (in ${p.kind} ${p.name})`;
    return { ok: true, end: { end: `evaluating ${p.name} in ${last} faults: ${message}`, failure: { message, span: value.span }, span: value.span, message, loop: null } };
  }
  return { ok: false, why: `no step fails ranges, and no property faults in ${last}` };
}

type Evaluated = { readonly kind: 'value'; readonly value: unknown } | { readonly kind: 'fault'; readonly message: string; readonly span: Span };

function evaluate(program: Program, state: State, p: Extract<Property, { kind: 'invariant' | 'reachable' }>): Evaluated {
  try {
    return { kind: 'value', value: evaluateProperty(program, state, p.expr) };
  } catch (e) {
    if (e instanceof Fault) return { kind: 'fault', message: e.message, span: e.span };
    throw e;
  }
}

/** Does `state` already show an invariant's violation or a target? Says how, or null (a fault is left to the end's check). */
function shownAt(program: Program, property: Property, state: State): string | null {
  if (property.kind !== 'invariant' && property.kind !== 'reachable') return null;
  const value = evaluate(program, state, property);
  if (value.kind !== 'value') return null;
  if (property.kind === 'invariant') return value.value === false ? `the invariant ${property.name} is false already` : null;
  return value.value === true ? `the target ${property.name} holds already` : null;
}

/** Where an instance is, for "not at this step": `at folio_trylock`, or `finished`. */
function whereIs(program: Program, state: State, instance: number): string {
  const actor = program.actors[program.instances[instance]!.actor]!;
  const pc = state.pcs[instance]!;
  if (pc === actor.endPc) return 'finished';
  const labels = (actor.stepsAt[pc] ?? []).map((id) => program.steps[id]!.label);
  return `at ${[...new Set(labels)].join(' / ') || `pc ${pc}`}`;
}

/**
 * The stored state number `n` (ITF, and the JSON form beside it) against a
 * replayed one; null when both are equal. `meta` is the step that led
 * there, which the ITF state records.
 */
function stateDifference(program: Program, state: State, t: ProofTrace, n: number, meta: ItfState['#meta']['step']): string | null {
  const itf = t.states[n];
  if (itf === undefined) return `the proof stores no ITF state #${n}`;
  const d = firstDifference(itf, JSON.parse(JSON.stringify(itfState(program, state, n, meta))) as unknown);
  if (d) return `${d} (ITF state #${n})`;
  const json = n === 0 ? t.initial : t.steps[n - 1]!.state;
  const j = firstDifference(json, stateJson(program, state));
  return j ? `${j} (${n === 0 ? 'initial' : `steps[${n - 1}].state`})` : null;
}
