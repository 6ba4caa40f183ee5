/**
 * Liveness verdicts from a complete search: each liveness property is
 * decided by searchLiveness on the recorded graph, with each instance's
 * fairness from its actor, and a counterexample becomes a trace through
 * the reference interpreter like any other (buildTrace re-checks it step
 * by step). Engine-independent: it sees the engine only through the graph,
 * the predicate values and the search tree's states.
 */
import type { Program, Property } from '../lower/ir.ts';
import { assertNever } from '../util.ts';
import { statementText } from './evaluate.ts';
import type { SearchTree } from './findings.ts';
import { liveSlots, type GraphRecorder } from './liveGraph.ts';
import { searchLiveness, type Counterexample, type CycleReport, type Fairness, type GraphStep, type LivenessProperty, type Predicate } from './liveness.ts';
import type { State } from './state.ts';
import { buildTrace, propertyText, type Move } from './trace.ts';
import type { LassoReport, PropertyVerdict } from './verdict.ts';

type Liveness = Extract<Property, { kind: 'liveness' }>;

/** Each instance's fairness, in instance order. */
export function instanceFairness(program: Program): Fairness[] {
  return program.instances.map((inst) => program.actors[inst.actor]!.fairness);
}

/** `verdicts` with every liveness property decided on the graph of a complete search of `stateCount` states. */
export function withLiveness(program: Program, verdicts: readonly PropertyVerdict[], rec: GraphRecorder, stateCount: number, tree: SearchTree): PropertyVerdict[] {
  const graph = rec.graph(stateCount, program.instances.length);
  const fairness = instanceFairness(program);
  const slots = liveSlots(program);
  return verdicts.map((v, i) => {
    const p = program.properties[i]!;
    if (p.kind !== 'liveness') return v;
    const slot = (which: 'p' | 'q'): Predicate => rec.predicate(slots.findIndex((s) => s.property === i && s.which === which));
    const property: LivenessProperty<Predicate> = p.form === 'leadsTo' ? { kind: 'leadsTo', p: slot('p'), q: slot('q') } : { kind: p.form, q: slot('q') };
    const result = searchLiveness(graph, fairness, property);
    switch (result.verdict) {
      case 'invalid': throw new Error(`internal error: the recorded state graph is malformed: ${result.problem}`);
      case 'holds': return { property: p.name, kind: p.kind, status: 'holds', span: p.span };
      case 'violated': return violation(program, p, rec, tree, result.counterexample);
      default: return assertNever(result);
    }
  });
}

function violation(program: Program, p: Liveness, rec: GraphRecorder, tree: SearchTree, cx: Counterexample): PropertyVerdict {
  const { lasso } = cx;
  const steps: readonly GraphStep[] = [...lasso.stem, ...lasso.cycle];
  const states: State[] = [tree.state(lasso.initial), ...steps.map((s) => tree.state(s.to))];
  // buildTrace checks that each move leads from one state of the lasso to the next.
  const moves: Move[] = steps.map((s) => ({ instance: s.instance, stepId: rec.stepOf(s.edge) }));
  const text = propertyText(program, p.span);
  const trace = buildTrace(program, states, moves, { message: text, span: p.span });
  const cycleStates = cx.end === 'terminal' ? [lasso.stem.length ? lasso.stem[lasso.stem.length - 1]!.to : lasso.initial] : lasso.cycle.map((s) => s.from);
  const report = lassoReport(program, lasso.stem.length, cx.end, cx.triggerAt, cx.report, cycleStates);
  return { property: p.name, kind: p.kind, status: 'violated', message: livenessMessage(program, p, report), trace, span: p.span, lasso: report };
}

/**
 * A lasso's report as verdicts carry it: instances by name, and
 * disabledAt as a run position. `cycleStates` are the states describeCycle
 * was given (the cycle's, or the one final state), in which its
 * disabledAt is found. Also what `weft replay` compares a proof's with.
 */
export function lassoReport<S>(program: Program, loopStart: number, end: 'cycle' | 'terminal', triggerAt: number, cycle: CycleReport<S>, cycleStates: readonly S[]): LassoReport {
  return {
    loopStart,
    end,
    triggerAt,
    starved: cycle.starved,
    instances: cycle.instances.map((r) => ({
      instance: r.instance,
      instanceName: program.instances[r.instance]!.name,
      fairness: r.fairness,
      moves: r.moves,
      enabledAt: r.enabledAt,
      positions: r.positions,
      respected: r.respected,
      disabledAt: r.disabledAt === null ? null : loopStart + cycleStates.indexOf(r.disabledAt),
    })),
  };
}

/** The run position as a reader counts it: `in the initial state`, `after step #3`. */
function positionText(position: number): string {
  return position === 0 ? 'in the initial state' : `after step #${position}`;
}

/** The verdict's message: from where Q never holds. */
export function livenessMessage(program: Program, p: Liveness, lasso: LassoReport): string {
  const q = statementText(program, p.qSpan);
  switch (p.form) {
    case 'eventually': return `${q} never holds on this run`;
    case 'alwaysEventually': return `${q} never holds again from ${lasso.triggerAt === 0 ? 'the initial state' : `the state after step #${lasso.triggerAt}`} on`;
    case 'leadsTo': return `${p.pSpan ? statementText(program, p.pSpan) : 'P'} holds ${positionText(lasso.triggerAt)}, and ${q} never holds then or later`;
    default: return assertNever(p.form);
  }
}
