/**
 * Checking a lasso against the definitions, independently of how it was
 * found: what `weft replay` runs on a certificate, and what the tests run
 * on every lasso the search returns. It sees the model only through
 * LassoWorld, so it works on the numbered states of a StateGraph as well
 * as on states a replay re-executes.
 */
import type { Fairness } from './fairness.ts';
import { assertNever } from '../../util.ts';

/** The model as the checker sees it. */
export interface LassoWorld<S> {
  /** Per instance; its length is the number of instances. */
  readonly fairness: readonly Fairness[];
  isInitial(s: S): boolean;
  /** Whether `instance` has a transition from `from` to `to`. */
  hasStep(from: S, instance: number, to: S): boolean;
  /** Whether `instance` has a transition from `s` at all. */
  enabled(s: S, instance: number): boolean;
  same(a: S, b: S): boolean;
  /** How a problem names an instance (default: `instance 3`). */
  instanceName?(instance: number): string;
  /** What differs between two states that are not the same, for a problem (default: nothing said). */
  difference?(a: S, b: S): string;
}

export interface Step<S> {
  readonly from: S;
  readonly instance: number;
  readonly to: S;
}

/**
 * A run: from `initial`, the stem's steps, then the cycle's steps repeated
 * for ever; or, when the cycle is empty, a finite run that stops after the
 * stem at a terminal state. loopStart is the index, in the run's states
 * (initial = 0), of the state the cycle starts from: always stem.length.
 */
export interface Lasso<S, T extends Step<S> = Step<S>> {
  readonly initial: S;
  readonly stem: readonly T[];
  readonly cycle: readonly T[];
  readonly loopStart: number;
}

export type LivenessProperty<P> =
  | { readonly kind: 'eventually'; readonly q: P }
  | { readonly kind: 'leadsTo'; readonly p: P; readonly q: P }
  | { readonly kind: 'alwaysEventually'; readonly q: P };

/**
 * How the lasso's repeated part treats an instance's fairness:
 * 'moves' (it moves in the cycle), 'disabled-somewhere' (weak: disabled at
 * some state of the cycle, disabledAt names the first), 'disabled-throughout'
 * (disabled at every state of the cycle, or the run ends), 'unconstrained'
 * (no fairness), 'violated' (the cycle is not fair to it).
 */
export type Respect = 'moves' | 'disabled-somewhere' | 'disabled-throughout' | 'unconstrained' | 'violated';

export interface InstanceOnCycle<S> {
  readonly instance: number;
  readonly fairness: Fairness;
  /** Its transitions in the cycle. */
  readonly moves: number;
  /** Positions of the cycle where it is enabled, of `positions`. */
  readonly enabledAt: number;
  readonly positions: number;
  readonly respected: Respect;
  /** For 'disabled-somewhere': the first cycle state where it is disabled. */
  readonly disabledAt: S | null;
}

export interface CycleReport<S> {
  /** Instances enabled somewhere on the repeated part that never move in it, whatever their fairness. */
  readonly starved: readonly number[];
  readonly instances: readonly InstanceOnCycle<S>[];
  readonly fair: boolean;
}

/**
 * The fairness report of a repeated part: `states` are the cycle's states
 * (each step's `from`), or the one final state of a finite run (no steps).
 */
export function describeCycle<S>(world: LassoWorld<S>, states: readonly S[], steps: readonly Step<S>[]): CycleReport<S> {
  const instances = world.fairness.map((fairness, instance): InstanceOnCycle<S> => {
    const moves = steps.filter((s) => s.instance === instance).length;
    const disabled = states.filter((s) => !world.enabled(s, instance));
    const enabledAt = states.length - disabled.length;
    const respected = respect(fairness, moves, enabledAt, states.length);
    return { instance, fairness, moves, enabledAt, positions: states.length, respected, disabledAt: respected === 'disabled-somewhere' ? disabled[0] as S : null };
  });
  return {
    starved: instances.filter((i) => i.enabledAt > 0 && i.moves === 0).map((i) => i.instance),
    instances,
    fair: instances.every((i) => i.respected !== 'violated'),
  };
}

function respect(fairness: Fairness, moves: number, enabledAt: number, positions: number): Respect {
  switch (fairness) {
    case 'none': return 'unconstrained';
    case 'weak': return moves > 0 ? 'moves' : enabledAt === 0 ? 'disabled-throughout' : enabledAt < positions ? 'disabled-somewhere' : 'violated';
    case 'strong': return moves > 0 ? 'moves' : enabledAt === 0 ? 'disabled-throughout' : 'violated';
    default: return assertNever(fairness);
  }
}

export type LassoCheck<S> =
  | { readonly ok: true; readonly report: CycleReport<S>; readonly end: 'cycle' | 'terminal'; readonly triggerAt: number }
  | { readonly ok: false; readonly problem: string };

/**
 * Whether `lasso` is a fair run of `world` that violates `property`:
 * it starts at an initial state, every step is a transition and starts
 * where the previous one ended, the cycle closes (or the run ends at a
 * state where nothing is enabled), the repeated part is fair to every
 * instance, and Q never holds where the property forbids it: anywhere
 * (eventually), on the repeated part (always eventually), or at and after
 * a position where P holds (leads-to; triggerAt is the first such position).
 */
export function checkLasso<S>(world: LassoWorld<S>, property: LivenessProperty<(s: S) => boolean>, lasso: Lasso<S>): LassoCheck<S> {
  const fail = (problem: string): LassoCheck<S> => ({ ok: false, problem });
  const k = world.fairness.length;
  const name = (i: number): string => world.instanceName?.(i) ?? `instance ${i}`;
  if (!world.isInitial(lasso.initial)) return fail('the run does not start at an initial state');
  if (lasso.loopStart !== lasso.stem.length) return fail(`loopStart is ${lasso.loopStart}, not the stem's length ${lasso.stem.length}`);
  const run = [...lasso.stem, ...lasso.cycle];
  const states: S[] = [lasso.initial];
  for (const [j, step] of run.entries()) {
    if (!Number.isInteger(step.instance) || step.instance < 0 || step.instance >= k) return fail(`step #${j + 1} names instance ${step.instance}, not one of 0..${k - 1}`);
    if (!world.same(step.from, states[j] as S)) return fail(`step #${j + 1} does not start where the run is`);
    if (!world.hasStep(step.from, step.instance, step.to)) return fail(`step #${j + 1} is not a transition of ${name(step.instance)}`);
    states.push(step.to);
  }
  const end = states[lasso.stem.length] as S;
  const terminal = lasso.cycle.length === 0;
  const last = states[states.length - 1] as S;
  if (!terminal && !world.same(last, end)) {
    const why = world.difference?.(last, end);
    return fail(`the cycle does not end where it starts: the state after step #${run.length} is not the one at run position ${lasso.stem.length}${why ? ` (${why})` : ''}`);
  }
  if (terminal) {
    const still = world.fairness.findIndex((_, i) => world.enabled(end, i));
    if (still >= 0) return fail(`the run stops where ${name(still)} can still move`);
  }
  const loop = terminal ? [end] : lasso.cycle.map((s) => s.from);
  const report = describeCycle(world, loop, lasso.cycle);
  const unfair = report.instances.find((i) => i.respected === 'violated');
  if (unfair) return fail(`the cycle is unfair to ${name(unfair.instance)} (${unfair.fairness} fairness): enabled at ${unfair.enabledAt} of ${unfair.positions} positions, never moves`);

  const q = property.q;
  const loopQ = loop.findIndex(q);
  if (loopQ >= 0) return fail(terminal ? `Q holds where the run stops (at run position ${lasso.stem.length})` : `Q holds on the repeated part (at run position ${lasso.stem.length + loopQ})`);
  const stemStates = states.slice(0, lasso.stem.length + 1);
  // The first position from which Q never holds again.
  let free = stemStates.length;
  while (free > 0 && !q(stemStates[free - 1] as S)) free--;
  switch (property.kind) {
    case 'eventually':
      if (free > 0) return fail(`Q holds at run position ${free - 1}`);
      return { ok: true, report, end: terminal ? 'terminal' : 'cycle', triggerAt: 0 };
    case 'alwaysEventually':
      return { ok: true, report, end: terminal ? 'terminal' : 'cycle', triggerAt: free };
    case 'leadsTo': {
      // On the stem from `free` on, or anywhere on the repeated part (it comes round again).
      const onStem = stemStates.slice(free).findIndex(property.p);
      const onLoop = loop.findIndex(property.p);
      if (onStem < 0 && onLoop < 0) return fail('P never holds at a position after which Q never holds');
      return { ok: true, report, end: terminal ? 'terminal' : 'cycle', triggerAt: onStem >= 0 ? free + onStem : lasso.stem.length + onLoop };
    }
    default:
      return assertNever(property);
  }
}
