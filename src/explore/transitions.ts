/**
 * What a transition of the model is, on the reference interpreter
 * (docs/language.md, "Runs"): an outcome of a step that is a state. A step
 * whose only outcome is a violation (a failed assert, a store out of
 * range, lock misuse) is no transition: that path ends there. An instance
 * is enabled, for liveness and fairness, when it has a transition.
 *
 * The reference explorer reads the state graph's edges off exactly these
 * (stepOutcomes, then isTransition on each outcome), and `weft replay`
 * checks a lasso's steps and its fairness against referenceWorld, which is
 * built on them; the compiled engine's generated expand() must give the
 * same edges (test/liveness-lang.test.ts compares the engines' verdicts and
 * lassos, and checks each lasso against referenceWorld).
 */
import type { Program } from '../lower/ir.ts';
import { instanceName, takeStep, type Outcome, type StateOutcome } from './evaluate.ts';
import type { LassoWorld } from './liveness.ts';
import { instanceFairness } from './liveVerdicts.ts';
import { initialState, stateKey, type State } from './state.ts';

export interface StepOutcomes {
  readonly stepId: number;
  /** None when the step is disabled (the guard is false). */
  readonly outcomes: readonly Outcome[];
}

/** Every step at the instance's pc, in `stepsAt` order, with its outcomes in order: the order the search generates successors in. */
export function stepOutcomes(program: Program, state: State, instance: number): StepOutcomes[] {
  const actor = program.actors[program.instances[instance]!.actor]!;
  return (actor.stepsAt[state.pcs[instance]!] ?? []).map((stepId) => ({ stepId, outcomes: takeStep(program, state, instance, program.steps[stepId]!) }));
}

/** An outcome is a transition when it is a state: a violation leads nowhere. */
export function isTransition(o: Outcome): o is StateOutcome {
  return o.kind === 'state';
}

/** The states `instance` can move to from `state`, in the search's order (repeats kept: two branches may agree). */
export function successorsOf(program: Program, state: State, instance: number): State[] {
  return stepOutcomes(program, state, instance).flatMap((s) => s.outcomes.filter(isTransition).map((o) => o.state));
}

/**
 * The model as checkLasso sees it, on states compared by value: each
 * instance's fairness from its actor, transitions as above. Every call
 * runs the interpreter again: a lasso has few states, and the checker
 * shares nothing with the search but this file and evaluate.ts.
 */
export function referenceWorld(program: Program): LassoWorld<State> {
  const initial = stateKey(initialState(program));
  return {
    fairness: instanceFairness(program),
    isInitial: (s) => stateKey(s) === initial,
    hasStep: (from, instance, to) => {
      const key = stateKey(to);
      return successorsOf(program, from, instance).some((t) => stateKey(t) === key);
    },
    enabled: (s, instance) => stepOutcomes(program, s, instance).some((x) => x.outcomes.some(isTransition)),
    same: (a, b) => stateKey(a) === stateKey(b),
    instanceName: (instance) => instanceName(program, instance),
  };
}
