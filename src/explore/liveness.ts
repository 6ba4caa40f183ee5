/**
 * Liveness under fairness on an explicit state graph: the engine-independent
 * core. The engines build the graph (states numbered 0..n-1, transitions
 * labelled with the actor instance that takes them); this decides leads-to,
 * eventually and always-eventually on its fair runs and returns a
 * counterexample as a lasso.
 *
 * Definitions, exactly as decided here and checked by checkLasso:
 *
 * - An instance is enabled at a state when it has a transition from it.
 *   A state is terminal when no instance is enabled (a deadlock, or every
 *   actor has ended).
 * - A run is a maximal path from an initial state: infinite, or finite and
 *   ending at a terminal state. A finite run is fair (nothing is enabled at
 *   its end, so no fairness is owed).
 * - An infinite run is fair when every instance with weak fairness that is
 *   enabled at every position from some point on moves infinitely often
 *   (equivalently: it moves infinitely often or is disabled infinitely
 *   often), and every instance with strong fairness that is enabled at
 *   infinitely many positions moves infinitely often. Instances without
 *   fairness ('none') are owed nothing.
 * - `eventually Q` is violated when some fair run has Q at no position.
 * - `P ~> Q` is violated when some fair run has a position where P holds
 *   and Q holds neither there nor at any later position.
 * - `always eventually Q` is violated when some fair run has a position from
 *   which Q never holds again (it is `true ~> Q`).
 *
 * A counterexample is a lasso: a stem (a path from an initial state) and a
 * cycle (a closed path from the stem's last state, repeated for ever), or
 * an empty cycle when the run stops at a terminal state. A repeated cycle
 * is a fair run exactly when, for each weak instance, it moves in the cycle
 * or is disabled at some state of it, and for each strong instance, it
 * moves in the cycle or is disabled at every state of it. Every violation
 * has such a lasso: the states and transitions an infinite fair run takes
 * infinitely often form a strongly connected set meeting those conditions,
 * and any set that meets them carries a fair cycle through all of it.
 *
 * The search (liveness/search.ts) finds a shortest stem to a state of a
 * fair strongly connected set of not-Q states (liveness/components.ts:
 * Tarjan with the Emerson-Lei refinement for strong fairness) or to a
 * terminal not-Q state, then a short fair cycle through it
 * (liveness/cycle.ts). It is deterministic: the same graph, fairness and
 * property give the same lasso. Memory is a few typed arrays of n entries.
 */
export type { Fairness } from './liveness/fairness.ts';
export { GraphBuilder, graphProblem, type GraphStep, type Predicate, type StateGraph } from './liveness/graph.ts';
export {
  checkLasso,
  describeCycle,
  type CycleReport,
  type InstanceOnCycle,
  type Lasso,
  type LassoCheck,
  type LassoWorld,
  type LivenessProperty,
  type Respect,
  type Step,
} from './liveness/check.ts';
export { graphWorld, searchLiveness, type Counterexample, type LivenessResult, type SearchStats } from './liveness/search.ts';

import type { Fairness } from './liveness/fairness.ts';
import { predicateBytes, type Predicate, type StateGraph } from './liveness/graph.ts';
import { checkLasso, type Lasso, type LassoCheck, type LivenessProperty } from './liveness/check.ts';
import { graphWorld } from './liveness/search.ts';

/** checkLasso on a StateGraph, with the property's predicates in any Predicate form. */
export function checkGraphLasso(
  g: StateGraph,
  fairness: readonly Fairness[],
  property: LivenessProperty<Predicate>,
  lasso: Lasso<number>,
  initial: readonly number[] = [0],
): LassoCheck<number> {
  const bytes = (p: Predicate): ((s: number) => boolean) => {
    const b = predicateBytes(p, g.stateCount);
    return (s) => b[s] === 1;
  };
  const fns: LivenessProperty<(s: number) => boolean> =
    property.kind === 'leadsTo' ? { kind: 'leadsTo', p: bytes(property.p), q: bytes(property.q) } : { kind: property.kind, q: bytes(property.q) };
  return checkLasso(graphWorld(g, fairness, initial), fns, lasso);
}
