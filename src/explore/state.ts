/**
 * The state the reference explorer works on: plain, frozen data shared
 * structurally between successive states (immer), so that a state can be
 * kept for every node of the search and keyed by its JSON text.
 */
import { enablePatches, freeze } from 'immer';
import type { Program } from '../lower/ir.ts';
import type { Value } from '../check/types.ts';

// Patches tell traces which variables a step wrote; enabling them is global and idempotent.
enablePatches();

export interface State {
  /** One per `shared` variable, in declaration order. */
  readonly globals: readonly Value[];
  /** One per actor instance. */
  readonly pcs: readonly number[];
  /** Per instance, one per `var` of its actor. */
  readonly locals: readonly (readonly Value[])[];
}

/** Every instance at pc 0, every variable at its initial value. */
export function initialState(program: Program): State {
  const state: State = {
    globals: program.globals.map((g) => g.init),
    pcs: program.instances.map(() => 0),
    locals: program.instances.map((inst) => program.actors[inst.actor]!.locals.map((l) => l.init)),
  };
  // Deep-freeze so the initial state is as immutable as every state immer produces from it.
  return freeze(state, true);
}

/**
 * A canonical key: equal states have equal keys. Values are numbers,
 * booleans and arrays only, so JSON text is canonical.
 */
export function stateKey(state: State): string {
  return JSON.stringify([state.globals, state.pcs, state.locals]);
}
