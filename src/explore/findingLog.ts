/**
 * The compiled engines' findings, in one place: what each event the search
 * reports (a state property found or faulting at a state, a step failing
 * or warning, a deadlock) does to the first evidence of each property. The
 * first event decides a property; later ones are dropped. The sequential
 * engine (compiled.ts) feeds events as they happen; the parallel one
 * (parallel.ts) feeds each level's events sorted by their place in the
 * sequential search's order, so both decide the same way. Messages are
 * worded by the reference interpreter from the decoded state.
 *
 * `todo` (the state properties the generated check() still evaluates)
 * only saves work: a property leaves it once it is decided and `ranges`
 * is too, when evaluating it can change nothing any more. A superset of
 * it, as a parallel level evaluates with the `todo` of the level's start,
 * decides the same.
 */
import type { Program } from '../lower/ir.ts';
import { evaluateProperty, Fault, takeStep } from './evaluate.ts';
import type { Finding } from './findings.ts';
import type { LiveSlot } from './liveGraph.ts';
import type { State } from './state.ts';
import { liveFault } from './stateProperties.ts';
import { deadlockFailure, propertyText } from './trace.ts';

export class FindingLog {
  readonly findings: (Finding | undefined)[];
  readonly todo: Uint8Array;
  /** The index of property `ranges`, or -1. */
  readonly ranges: number;
  /** The index of the deadlock property, or -1. */
  readonly deadlock: number;

  constructor(private readonly program: Program, private readonly decode: (node: number) => State) {
    this.findings = program.properties.map(() => undefined);
    this.ranges = program.properties.findIndex((p) => p.name === 'ranges');
    this.deadlock = program.properties.findIndex((p) => p.kind === 'deadlock');
    this.todo = new Uint8Array(program.properties.length);
    program.properties.forEach((p, i) => { if (p.kind === 'invariant' || p.kind === 'reachable') this.todo[i] = 1; });
  }

  decided(i: number): boolean {
    return this.findings[i] !== undefined;
  }

  /** The generated check() called found(i) at state `node`: evidence for property i, or (i < 0) a fault evaluating property -1 - i. */
  found(i: number, node: number): void {
    const { program, findings, ranges } = this;
    if (i >= 0) {
      // Decided at a shallower state already: that trace is the shortest. It stays in `todo` while `ranges` is open (below).
      if (findings[i] !== undefined) return;
      if (ranges < 0 || findings[ranges] !== undefined) this.todo[i] = 0;
      const p = program.properties[i]!;
      if (p.kind === 'invariant') findings[i] = { kind: 'state', node, failure: { message: propertyText(program, p.span), span: p.span }, span: p.span };
      else if (p.kind === 'reachable') findings[i] = { kind: 'state', node, span: p.span };
      return;
    }
    if (ranges < 0 || findings[ranges] !== undefined) return;
    const p = program.properties[-1 - i]!;
    if (p.kind !== 'invariant' && p.kind !== 'reachable') return;
    // The reference interpreter words the fault, from the decoded state.
    try {
      evaluateProperty(program, this.decode(node), p.expr);
    } catch (e) {
      if (!(e instanceof Fault)) throw e;
      findings[ranges] = { kind: 'state', node, failure: { message: `${e.message} (in ${p.kind} ${p.name})`, span: e.span }, span: e.span };
      this.rangesDecided();
      return;
    }
    throw new Error(`internal error: ${p.kind} ${p.name} faults in compiled code but not in the reference interpreter`);
  }

  /** A liveness predicate faulted at state `node`: a `ranges` violation there. */
  liveFault(slot: LiveSlot, node: number): void {
    const { program, findings, ranges } = this;
    if (ranges < 0 || findings[ranges] !== undefined) return;
    try {
      evaluateProperty(program, this.decode(node), slot.expr);
    } catch (e) {
      if (!(e instanceof Fault)) throw e;
      findings[ranges] = liveFault(program, slot, node, e);
      this.rangesDecided();
      return;
    }
    throw new Error(`internal error: a liveness predicate of ${program.properties[slot.property]!.name} faults in compiled code but not in the reference interpreter`);
  }

  /** Taking `step` by `instance` from state `node` fails `property`. */
  fail(property: number, node: number, instance: number, step: number): void {
    const { program, findings } = this;
    if (findings[property] !== undefined) return;
    // The reference interpreter words the failure: the first error outcome of this step for this property.
    const name = program.properties[property]!.name;
    const outcome = takeStep(program, this.decode(node), instance, program.steps[step]!).find((o) => o.kind === 'error' && o.property === name);
    if (!outcome || outcome.kind !== 'error') throw new Error(`internal error: step ${step} fails ${name} in compiled code but not in the reference interpreter`);
    findings[property] = { kind: 'step', node, move: { instance, stepId: step }, message: outcome.message, span: outcome.span };
  }

  /**
   * Taking `step` from state `node` records a warning of `property`: the
   * trace (explore/trace.ts warningTrace) re-takes the step on the
   * reference interpreter, which must record it too.
   */
  warn(property: number, node: number, instance: number, step: number): void {
    if (this.findings[property] !== undefined) return;
    this.findings[property] = { kind: 'warning', node, move: { instance, stepId: step } };
  }

  /** State `node` has no enabled step and is not finished (the caller asked model.finished()). */
  deadlocked(node: number): void {
    if (this.deadlock < 0 || this.findings[this.deadlock] !== undefined) return;
    this.findings[this.deadlock] = { kind: 'state', node, failure: deadlockFailure(this.program, this.decode(node)) };
  }

  /** `ranges` is decided: the properties decided before it need not be evaluated any more. */
  private rangesDecided(): void {
    this.findings.forEach((f, j) => { if (f !== undefined) this.todo[j] = 0; });
  }
}
