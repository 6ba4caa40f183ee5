/**
 * The reference explorer: breadth-first search over every interleaving of
 * the IR, executed by the reference semantics in evaluate.ts on immer
 * states. It is the oracle for the compiled engine, which must report the
 * same verdicts, the same numbers of states and transitions and traces of
 * the same length; so the order in which successors are generated is part
 * of the contract: instances in order, then the steps at the instance's pc
 * in `stepsAt` order, then each step's outcomes in order.
 */
import type { Program } from '../lower/ir.ts';
import { Budget } from './budget.ts';
import { verdictsOf, type Finding, type SearchTree } from './findings.ts';
import { initialState, stateKey, type State } from './state.ts';
import { checkLivePredicates, checkState, finished } from './stateProperties.ts';
import { GraphRecorder, liveSlots } from './liveGraph.ts';
import { withLiveness } from './liveVerdicts.ts';
import { isTransition, stepOutcomes } from './transitions.ts';
import { deadlockFailure, type Move } from './trace.ts';
import type { CheckResult, IncompleteReason, Limits } from './verdict.ts';

export type { Limits } from './verdict.ts';

/** Limits and the clock are looked at once per this many expanded states. */
const CHECK_EVERY = 64;

/** One stored state and how the search first reached it. */
interface Node {
  readonly state: State;
  /** -1 for the initial state. */
  readonly parent: number;
  readonly move: Move | null;
  readonly depth: number;
}

export async function explore(program: Program, limits: Limits = {}): Promise<CheckResult> {
  const budget = new Budget(limits);
  const nodes: Node[] = [];
  const seen = new Map<string, number>();
  const findings: (Finding | undefined)[] = program.properties.map(() => undefined);
  /** Error outcomes name their property: `ranges`, `locking` or an assert's name. */
  const byName = new Map<string, number>();
  program.properties.forEach((p, i) => {
    if (p.kind === 'assert' || p.kind === 'warning' || p.kind === 'ranges' || p.kind === 'locking') byName.set(p.name, i);
  });
  const deadlockIndex = program.properties.findIndex((p) => p.kind === 'deadlock');
  let transitions = 0;
  let depth = 0;
  const coverage: number[] = program.steps.map(() => 0);
  const levels: number[] = [];
  // The state graph, only when some property needs it.
  const slots = liveSlots(program);
  const rec = slots.length ? new GraphRecorder(slots.length) : null;
  const values = new Uint8Array(slots.length);

  /** Stores a new state and checks the state properties (invariants, reachable targets) on it. */
  const add = (state: State, key: string, parent: number, move: Move | null, d: number): void => {
    const index = nodes.length;
    nodes.push({ state, parent, move, depth: d });
    seen.set(key, index);
    if (d > depth) depth = d;
    levels[d] = (levels[d] ?? 0) + 1;
    checkState(program, state, index, findings, byName);
    if (rec) {
      checkLivePredicates(program, state, index, slots, values, findings, byName);
      rec.setValues(index, values);
    }
  };

  const initial = initialState(program);
  add(initial, stateKey(initial), -1, null, 0);

  let reason: IncompleteReason | null = null;
  let head = 0;
  search: while (head < nodes.length) {
    if (head % CHECK_EVERY === 0) {
      const level = nodes[head]!.depth;
      reason = await budget.check(0, () => ({ states: nodes.length, transitions, queue: nodes.length - head, level, levels: Array.from({ length: level + 2 }, (_, i) => levels[i] ?? 0) }));
      if (reason) break;
    }
    const index = head++;
    const node = nodes[index]!;
    rec?.begin(index);
    let enabled = false;
    for (let instance = 0; instance < program.instances.length; instance++) {
      for (const { stepId, outcomes } of stepOutcomes(program, node.state, instance)) {
        // For deadlock, a step whose only outcome is a violation is enabled: the instance is not blocked, it fails.
        if (outcomes.length > 0) enabled = true;
        coverage[stepId]! += outcomes.length;
        for (const outcome of outcomes) {
          // A warning is a violation that does not end the path: the outcome goes on below.
          for (const w of outcome.warnings ?? []) {
            const p = byName.get(w.property);
            if (p === undefined) throw new Error(`internal error: a step warns property '${w.property}', which the program does not declare`);
            findings[p] ??= { kind: 'warning', node: index, move: { instance, stepId } };
          }
          // Not a transition (transitions.ts): it ends the path with a violation, and the state graph gets no edge.
          if (!isTransition(outcome)) {
            const p = byName.get(outcome.property);
            if (p === undefined) throw new Error(`internal error: a step fails property '${outcome.property}', which the program does not declare`);
            findings[p] ??= { kind: 'step', node: index, move: { instance, stepId }, message: outcome.message, span: outcome.span };
            continue;
          }
          transitions++;
          const key = stateKey(outcome.state);
          const old = seen.get(key);
          if (old !== undefined) {
            rec?.edge(instance, stepId, old);
            continue;
          }
          if (limits.maxStates !== undefined && nodes.length >= limits.maxStates) {
            reason = 'max-states';
            break search;
          }
          add(outcome.state, key, index, { instance, stepId }, node.depth + 1);
          rec?.edge(instance, stepId, nodes.length - 1);
        }
      }
    }
    if (!enabled && deadlockIndex >= 0 && findings[deadlockIndex] === undefined && !finished(program, node.state)) {
      findings[deadlockIndex] = { kind: 'state', node: index, failure: deadlockFailure(program, node.state) };
    }
  }

  const complete = reason === null;
  const seconds = budget.seconds();
  const tree: SearchTree = { state: (i) => nodes[i]!.state, parent: (i) => nodes[i]!.parent, move: (i) => nodes[i]!.move };
  const safety = verdictsOf(program, findings, tree, complete);
  const verdicts = rec && complete ? withLiveness(program, safety, rec, nodes.length, tree) : safety;
  return {
    program,
    complete,
    ...(reason ? { reason } : {}),
    verdicts,
    coverage,
    stats: {
      states: nodes.length,
      transitions,
      depth,
      seconds,
      statesPerSecond: seconds > 0 ? Math.round(nodes.length / seconds) : 0,
      peakMemoryBytes: budget.peakMemory(),
      storeBytes: null,
    },
  };
}

