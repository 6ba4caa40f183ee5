/**
 * `weft replay PROOF`: re-executes every trace stored in a proof on the
 * reference interpreter, independently of the search that found it. From
 * the initial state, each stored step must be enabled (the named instance
 * is at a pc where the step is, and the step has an outcome) and must lead
 * to exactly the stored state (compared in ITF, the proof's own form); the
 * end must show the violation: an invariant false in the last state, a
 * reachable target true, an assert, range or lock failure raised by the
 * last step, a deadlock with no step enabled and an actor unfinished. The
 * first step that does not replay is reported, by number and label.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Program } from '../lower/ir.ts';
import { evaluateProperty, takeStep } from '../explore/evaluate.ts';
import { initialState, type State } from '../explore/state.ts';
import { finished } from '../explore/stateProperties.ts';
import { itfState } from '../report/itf.ts';

export interface StoredStep {
  readonly number: number;
  readonly instance: string;
  readonly stepId: number;
  readonly label: string;
  readonly failed: boolean;
}

export interface StoredTrace {
  readonly property: string;
  readonly status: string;
  readonly steps: readonly StoredStep[];
  /** ITF states: the initial one, then one per step. */
  readonly states: readonly unknown[];
}

export type ReplayOutcome = { readonly ok: true } | { readonly ok: false; readonly step: number | null; readonly why: string };

export function replayTrace(program: Program, t: StoredTrace): ReplayOutcome {
  const property = program.properties.find((p) => p.name === t.property);
  if (!property) return { ok: false, step: null, why: `the model has no property ${t.property}` };
  let state: State = initialState(program);
  if (!same(program, state, t.states[0], null)) return { ok: false, step: 0, why: 'the stored initial state is not the model\'s' };
  for (const s of t.steps) {
    const where = `step #${s.number} (${s.instance} ${s.label})`;
    const instance = program.instances.findIndex((i) => i.name === s.instance);
    if (instance < 0) return { ok: false, step: s.number, why: `${where}: the model has no instance ${s.instance}` };
    const step = program.steps[s.stepId];
    if (!step || step.actor !== program.instances[instance]!.actor || step.label !== s.label) return { ok: false, step: s.number, why: `${where}: the model has no such step for ${s.instance}` };
    if (state.pcs[instance] !== step.pc) return { ok: false, step: s.number, why: `${where}: not enabled, ${s.instance} is not at this step` };
    const outcomes = takeStep(program, state, instance, step);
    if (outcomes.length === 0) return { ok: false, step: s.number, why: `${where}: not enabled, its guard is false` };
    if (s.failed) {
      const last = s.number === t.steps.length;
      const fails = outcomes.some((o) => o.kind === 'error' && o.property === t.property);
      if (!last || !fails) return { ok: false, step: s.number, why: `${where}: does not fail ${t.property} here` };
      return { ok: true };
    }
    const next = outcomes.find((o) => o.kind === 'state' && same(program, o.state, t.states[s.number], s));
    if (!next || next.kind !== 'state') return { ok: false, step: s.number, why: `${where}: enabled, but none of its outcomes is the stored state` };
    state = next.state;
  }
  const last = t.steps.length;
  switch (property.kind) {
    case 'invariant':
      return evaluateProperty(program, state, property.expr) === false ? { ok: true } : { ok: false, step: last, why: `the invariant ${t.property} holds in the last state` };
    case 'reachable':
      return evaluateProperty(program, state, property.expr) === true ? { ok: true } : { ok: false, step: last, why: `the target ${t.property} is not reached in the last state` };
    case 'deadlock': {
      const enabled = program.instances.some((_, i) => (program.actors[program.instances[i]!.actor]!.stepsAt[state.pcs[i]!] ?? []).some((id) => takeStep(program, state, i, program.steps[id]!).length > 0));
      if (enabled) return { ok: false, step: last, why: 'a step is still enabled in the last state: no deadlock' };
      return finished(program, state) ? { ok: false, step: last, why: 'every actor has finished: no deadlock' } : { ok: true };
    }
    case 'assert':
    case 'ranges':
    case 'locking':
      return { ok: false, step: last, why: `the last step does not fail ${t.property}` };
  }
}

/** The stored ITF state, with the step that led to it, against the replayed one. */
function same(program: Program, state: State, stored: unknown, step: StoredStep | null): boolean {
  if (stored === undefined) return false;
  const index = step?.number ?? 0;
  const meta = (stored as { '#meta'?: { step?: unknown } })['#meta'];
  const replayed = itfState(program, state, index, (meta?.step ?? null) as never);
  return isDeepStrictEqual(JSON.parse(JSON.stringify(replayed)), stored);
}
