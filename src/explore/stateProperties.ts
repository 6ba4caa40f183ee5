/**
 * The state properties of the reference explorer: invariants and reachable
 * targets evaluated on each new state, the liveness predicates recorded on
 * it, and the end-of-run test for deadlock.
 */
import type { Expr, Program } from '../lower/ir.ts';
import { evaluateProperty, Fault } from './evaluate.ts';
import type { Finding } from './findings.ts';
import type { State } from './state.ts';
import { propertyText } from './trace.ts';
import { FAULTED, liveTrue, type LiveSlot } from './liveGraph.ts';

/**
 * Evaluates every undecided invariant and reachable target in a new state,
 * and the decided ones too while `ranges` is undecided: a fault while
 * evaluating any of them (a bad index) is a `ranges` violation at that
 * state, whether or not the property was decided before, so the verdict of
 * `ranges` does not depend on the order in which others were decided. The
 * property itself gets no evidence from a state where it faults.
 */
export function checkState(program: Program, state: State, node: number, findings: (Finding | undefined)[], byName: ReadonlyMap<string, number>): void {
  const r = byName.get('ranges');
  // A decided property is still evaluated while `ranges` is open: a fault in it at a later state is a ranges violation all the same.
  const rangesOpen = r !== undefined && findings[r] === undefined;
  for (let i = 0; i < program.properties.length; i++) {
    const p = program.properties[i]!;
    if ((findings[i] !== undefined && !rangesOpen) || (p.kind !== 'invariant' && p.kind !== 'reachable')) continue;
    let value;
    try {
      value = evaluateProperty(program, state, p.expr);
    } catch (e) {
      if (!(e instanceof Fault)) throw e;
      if (r !== undefined) findings[r] ??= { kind: 'state', node, failure: { message: `${e.message} (in ${p.kind} ${p.name})`, span: e.span }, span: e.span };
      continue;
    }
    if (findings[i] !== undefined) continue;   // decided at a shallower state: that trace is the shortest
    if (p.kind === 'invariant' && value === false) {
      findings[i] = { kind: 'state', node, failure: { message: propertyText(program, p.span), span: p.span }, span: p.span };
    } else if (p.kind === 'reachable' && value === true) {
      findings[i] = { kind: 'state', node, span: p.span };
    }
  }
}

/** Has every non-daemon instance reached its actor's end? Then a state with nothing enabled is a valid end. */
export function finished(program: Program, state: State): boolean {
  return program.instances.every((inst, i) => {
    const actor = program.actors[inst.actor]!;
    return actor.daemon || state.pcs[i] === actor.endPc;
  });
}


/**
 * The liveness predicates (liveGraph.ts's slots) on a new state, into
 * `out`: 1 or 0, or FAULTED when evaluating one faults, which is a
 * `ranges` violation at that state as for an invariant.
 */
export function checkLivePredicates(program: Program, state: State, node: number, slots: readonly LiveSlot[], out: Uint8Array, findings: (Finding | undefined)[], byName: ReadonlyMap<string, number>): void {
  const r = byName.get('ranges');
  slots.forEach((slot, j) => {
    try {
      out[j] = evaluateProperty(program, state, slot.expr) === true ? 1 : 0;
    } catch (e) {
      if (!(e instanceof Fault)) throw e;
      out[j] = FAULTED;
      if (r !== undefined) findings[r] ??= liveFault(program, slot, node, e);
    }
  });
}

/**
 * A liveness predicate's truth in a state, as the search takes it from the
 * values above (liveGraph.ts's predicate): a fault counts as false. For
 * `weft replay`, which evaluates P and Q on replayed states.
 */
export function liveHolds(program: Program, state: State, expr: Expr): boolean {
  const out = new Uint8Array(1);
  checkLivePredicates(program, state, 0, [{ property: -1, which: 'q', expr }], out, [], new Map());
  return liveTrue(out[0]!);
}

/** The `ranges` finding of a fault in a liveness predicate, worded by the reference interpreter for both engines. */
export function liveFault(program: Program, slot: LiveSlot, node: number, e: Fault): Finding {
  return { kind: 'state', node, failure: { message: `${e.message} (in liveness ${program.properties[slot.property]!.name})`, span: e.span }, span: e.span };
}
