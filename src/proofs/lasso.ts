/**
 * How `weft replay` checks a liveness counterexample, once its steps have
 * replayed (replay.ts: each one the model's, enabled, leading to the
 * stored state): the trace is a lasso, its stem and then its cycle, and
 * the proof's `lasso` says where the cycle starts and how it treats each
 * instance's fairness. checkLasso (explore/liveness/check.ts) decides,
 * on the replayed states compared by value and the model's transitions
 * and fairness as the engines define them (explore/transitions.ts), that
 * the run is a fair one that violates the property: the cycle closes (or
 * the run stops where no instance can move), it is fair to every instance,
 * and Q holds where the property forbids it nowhere. Then the proof's own
 * words must be what that run gives: its triggerAt (P holds there, for
 * leads-to, and Q at no state from there on), its fairness report
 * (describeCycle's), and the verdict's message.
 *
 * What this can miss: checkLasso and describeCycle are the code the tests
 * check the search's lassos with, so a mistake in them is shared with
 * those tests (test/liveness.test.ts checks them on hand-made graphs
 * against the definitions). Transitions and P, Q are the reference
 * interpreter's, which the compiled engine is compared against.
 */
import type { Expr, Program, Property } from '../lower/ir.ts';
import { checkLasso, type LivenessProperty, type Step } from '../explore/liveness.ts';
import { lassoReport, livenessMessage } from '../explore/liveVerdicts.ts';
import type { State } from '../explore/state.ts';
import { liveHolds } from '../explore/stateProperties.ts';
import { propertyText } from '../explore/trace.ts';
import { referenceWorld } from '../explore/transitions.ts';
import { lassoJson, stateJson } from '../report/json.ts';
import { lassoLength } from '../report/lasso.ts';
import { differenceAt, firstDifference, show } from './diff.ts';
import type { ProofLasso, ProofTrace } from './format.ts';
import type { EndOrError } from './replay.ts';

type Liveness = Extract<Property, { kind: 'liveness' }>;

/** `states` are the replayed ones: the initial state, then one per step of `t`. */
export function lassoEnd(program: Program, property: Liveness, lasso: ProofLasso | null | undefined, t: ProofTrace, states: readonly State[]): EndOrError {
  const no = (why: string): EndOrError => ({ ok: false, why });
  if (!lasso) return no(`${property.name} is a liveness property, and the proof stores no lasso for its trace`);
  const n = t.steps.length;
  const { loopStart } = lasso;
  if (lasso.end === 'terminal' && loopStart !== n) return no(`the lasso says the run stops (end terminal), but its loopStart ${loopStart} makes steps #${loopStart + 1}..#${n} a cycle`);
  if (lasso.end === 'cycle' && loopStart === n) return no(`the lasso says a cycle repeats (end cycle), but its loopStart ${loopStart} is the trace's length: the cycle has no step`);

  const run: Step<State>[] = t.steps.map((s, j) => ({ from: states[j]!, instance: program.instances.findIndex((x) => x.name === s.instance), to: states[j + 1]! }));
  const world = {
    ...referenceWorld(program),
    difference: (a: State, b: State): string => {
      const d = differenceAt(stateJson(program, a), stateJson(program, b));
      return d ? `${d.path}: ${show(d.a)}, not ${show(d.b)}` : 'they differ';
    },
  };
  const holds = (e: Expr) => (s: State): boolean => liveHolds(program, s, e);
  const checked: LivenessProperty<(s: State) => boolean> = property.form === 'leadsTo'
    ? { kind: 'leadsTo', p: holds(property.p ?? noP(property)), q: holds(property.q) }
    : { kind: property.form, q: holds(property.q) };
  const r = checkLasso(world, checked, { initial: states[0]!, stem: run.slice(0, loopStart), cycle: run.slice(loopStart), loopStart });
  const text = propertyText(program, property.span);
  if (!r.ok) return no(`the lasso is no fair run that violates ${text}: ${r.problem}`);

  const trigger = triggerProblem(lasso.triggerAt, r.triggerAt, states, checked);
  if (trigger) return no(`the lasso's triggerAt is ${lasso.triggerAt}, but ${trigger}`);
  const loop = lasso.end === 'terminal' ? [states[n]!] : run.slice(loopStart).map((s) => s.from);
  const report = lassoReport(program, loopStart, r.end, r.triggerAt, r.report, loop);
  const said = firstDifference(lasso.report, lassoJson(report), 'lasso');
  if (said) return no(`the lasso is a fair counterexample, but the proof's report of it is not its cycle's: ${said}`);
  const message = livenessMessage(program, property, report);
  return {
    ok: true,
    end: {
      end: `a fair counterexample, ${lassoLength(report, n).replace(/^by /, '')}: ${message}`,
      failure: { message: text, span: property.span },
      span: property.span,
      message,
      loop: lasso.end === 'cycle' ? loopStart : null,
    },
  };
}

/**
 * Why `claimed` is not the run's triggerAt (`found`, the first position
 * from which Q never holds again at which P holds, for leads-to), or null.
 * Both are positions of `states` (readProof keeps the claimed one there).
 */
function triggerProblem(claimed: number, found: number, states: readonly State[], property: LivenessProperty<(s: State) => boolean>): string | null {
  if (claimed === found) return null;
  if (property.kind === 'leadsTo' && !property.p(states[claimed]!)) return `P does not hold at run position ${claimed}`;
  const q = states.findIndex((s, k) => k >= claimed && property.q(s));
  if (q >= 0) return `Q holds at run position ${q}, ${q === claimed ? 'there' : 'after it'}`;
  return `the first run position from which Q never holds again${property.kind === 'leadsTo' ? ' and at which P holds' : ''} is ${found}`;
}

function noP(property: Liveness): never {
  throw new Error(`internal error: leads-to ${property.name} has no P`);
}
