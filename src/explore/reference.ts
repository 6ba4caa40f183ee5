/**
 * The reference explorer: breadth-first search over every interleaving of
 * the IR, executed by the reference semantics in evaluate.ts on immer
 * states. It is the oracle for the compiled engine, which must report the
 * same verdicts, the same numbers of states and transitions and traces of
 * the same length; so the order in which successors are generated is part
 * of the contract: instances in order, then the steps at the instance's pc
 * in `stepsAt` order, then each step's outcomes in order.
 */
import type { Program, Property } from '../lower/ir.ts';
import type { Span } from '../text/source.ts';
import { assertNever } from '../util.ts';
import { evaluateProperty, Fault, takeStep } from './evaluate.ts';
import { initialState, stateKey, type State } from './state.ts';
import { buildTrace, deadlockFailure, propertyText, type Move, type Trace, type TraceFailure } from './trace.ts';
import type { CheckResult, IncompleteReason, Limits, PropertyVerdict } from './verdict.ts';

export type { Limits } from './verdict.ts';

/** Limits and the clock are looked at once per this many expanded states. */
const CHECK_EVERY = 64;
/** Give the event loop (a SIGINT handler, a progress timer) a turn this often. */
const YIELD_MS = 50;

/** One stored state and how the search first reached it. */
interface Node {
  readonly state: State;
  /** -1 for the initial state. */
  readonly parent: number;
  readonly move: Move | null;
  readonly depth: number;
}

/** The first (shortest) evidence found for a property. */
type Finding =
  /** The state at `node` violates (or, for reachable, witnesses) the property. */
  | { readonly kind: 'state'; readonly node: number; readonly failure?: TraceFailure; readonly span?: Span }
  /** Taking `move` from the state at `node` fails. */
  | { readonly kind: 'step'; readonly node: number; readonly move: Move; readonly message: string; readonly span: Span };

export async function explore(program: Program, limits: Limits = {}): Promise<CheckResult> {
  const budget = new Budget(limits);
  const nodes: Node[] = [];
  const seen = new Map<string, number>();
  const findings: (Finding | undefined)[] = program.properties.map(() => undefined);
  /** Error outcomes name their property: `ranges`, `locking` or an assert's name. */
  const byName = new Map<string, number>();
  program.properties.forEach((p, i) => {
    if (p.kind === 'assert' || p.kind === 'ranges' || p.kind === 'locking') byName.set(p.name, i);
  });
  const deadlockIndex = program.properties.findIndex((p) => p.kind === 'deadlock');
  let transitions = 0;
  let depth = 0;

  /** Stores a new state and checks the state properties (invariants, reachable targets) on it. */
  const add = (state: State, key: string, parent: number, move: Move | null, d: number): void => {
    const index = nodes.length;
    nodes.push({ state, parent, move, depth: d });
    seen.set(key, index);
    if (d > depth) depth = d;
    checkState(program, state, index, findings, byName);
  };

  const initial = initialState(program);
  add(initial, stateKey(initial), -1, null, 0);

  let reason: IncompleteReason | null = null;
  let head = 0;
  search: while (head < nodes.length) {
    if (head % CHECK_EVERY === 0) {
      reason = await budget.check();
      if (reason) break;
    }
    const index = head++;
    const node = nodes[index]!;
    let enabled = false;
    for (let instance = 0; instance < program.instances.length; instance++) {
      const actor = program.actors[program.instances[instance]!.actor]!;
      for (const stepId of actor.stepsAt[node.state.pcs[instance]!] ?? []) {
        const outcomes = takeStep(program, node.state, instance, program.steps[stepId]!);
        // A step whose only outcome is a violation is enabled: the instance is not blocked, it fails.
        if (outcomes.length > 0) enabled = true;
        for (const outcome of outcomes) {
          if (outcome.kind === 'error') {
            const p = byName.get(outcome.property);
            if (p === undefined) throw new Error(`internal error: a step fails property '${outcome.property}', which the program does not declare`);
            findings[p] ??= { kind: 'step', node: index, move: { instance, stepId }, message: outcome.message, span: outcome.span };
            continue;
          }
          transitions++;
          const key = stateKey(outcome.state);
          if (seen.has(key)) continue;
          if (limits.maxStates !== undefined && nodes.length >= limits.maxStates) {
            reason = 'max-states';
            break search;
          }
          add(outcome.state, key, index, { instance, stepId }, node.depth + 1);
        }
      }
    }
    if (!enabled && deadlockIndex >= 0 && findings[deadlockIndex] === undefined && !finished(program, node.state)) {
      findings[deadlockIndex] = { kind: 'state', node: index, failure: deadlockFailure(program, node.state) };
    }
  }

  const complete = reason === null;
  const seconds = budget.seconds();
  const verdicts = program.properties.map((p, i) => verdictOf(program, p, findings[i], nodes, complete));
  return {
    program,
    complete,
    ...(reason ? { reason } : {}),
    verdicts,
    stats: {
      states: nodes.length,
      transitions,
      depth,
      seconds,
      statesPerSecond: seconds > 0 ? Math.round(nodes.length / seconds) : 0,
      peakMemoryBytes: budget.peakMemory(),
    },
  };
}

/**
 * Evaluates every undecided invariant and reachable target in a new state.
 * A fault while evaluating one (a bad index) is a `ranges` violation at
 * that state; the property itself gets no evidence from the state.
 */
function checkState(program: Program, state: State, node: number, findings: (Finding | undefined)[], byName: ReadonlyMap<string, number>): void {
  for (let i = 0; i < program.properties.length; i++) {
    const p = program.properties[i]!;
    if (findings[i] !== undefined || (p.kind !== 'invariant' && p.kind !== 'reachable')) continue;
    let value;
    try {
      value = evaluateProperty(program, state, p.expr);
    } catch (e) {
      if (!(e instanceof Fault)) throw e;
      const r = byName.get('ranges');
      if (r !== undefined) findings[r] ??= { kind: 'state', node, failure: { message: `${e.message} (in ${p.kind} ${p.name})`, span: e.span }, span: e.span };
      continue;
    }
    if (p.kind === 'invariant' && value === false) {
      findings[i] = { kind: 'state', node, failure: { message: propertyText(program, p.span), span: p.span }, span: p.span };
    } else if (p.kind === 'reachable' && value === true) {
      findings[i] = { kind: 'state', node, span: p.span };
    }
  }
}

/** Has every non-daemon instance reached its actor's end? Then a state with nothing enabled is a valid end. */
function finished(program: Program, state: State): boolean {
  return program.instances.every((inst, i) => {
    const actor = program.actors[inst.actor]!;
    return actor.daemon || state.pcs[i] === actor.endPc;
  });
}

function verdictOf(program: Program, p: Property, finding: Finding | undefined, nodes: readonly Node[], complete: boolean): PropertyVerdict {
  const base = { property: p.name, kind: p.kind };
  const declared = 'span' in p ? { span: p.span } : {};
  if (!finding) {
    if (!complete) return { ...base, status: 'unknown', ...declared };
    return { ...base, status: p.kind === 'reachable' ? 'unreachable' : 'holds', ...declared };
  }
  const status = p.kind === 'reachable' ? 'reached' : 'violated';
  switch (finding.kind) {
    case 'state': {
      const trace = traceTo(program, nodes, finding.node, finding.failure);
      const span = finding.span ?? ('span' in p ? p.span : undefined);
      return {
        ...base,
        status,
        ...(finding.failure ? { message: finding.failure.message } : {}),
        trace,
        ...(span ? { span } : {}),
      };
    }
    case 'step': {
      const trace = traceTo(program, nodes, finding.node, { message: finding.message, span: finding.span }, finding.move);
      return { ...base, status, message: finding.message, trace, span: finding.span };
    }
    default:
      return assertNever(finding);
  }
}

/** The trace from the initial state to `node` by parent links, optionally with a failing last move. */
function traceTo(program: Program, nodes: readonly Node[], node: number, failure?: TraceFailure, failedMove?: Move): Trace {
  const path: Node[] = [];
  for (let i = node; i >= 0; i = nodes[i]!.parent) path.push(nodes[i]!);
  path.reverse();
  const moves = path.slice(1).map((n) => n.move!);
  return buildTrace(program, path.map((n) => n.state), moves, failure, failedMove);
}

/** The limits of one search, the clock and the memory high-water mark. */
class Budget {
  private readonly start = performance.now();
  private lastYield = this.start;
  private peak = process.memoryUsage.rss();

  constructor(private readonly limits: Limits) {}

  /** Samples memory, yields to the event loop when due, and says which limit (if any) is hit. */
  async check(): Promise<IncompleteReason | null> {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    if (performance.now() - this.lastYield >= YIELD_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.lastYield = performance.now();
    }
    if (this.limits.signal?.aborted) return 'interrupted';
    const t = this.limits.timeLimitSeconds;
    if (t !== undefined && this.seconds() >= t) return 'time-limit';
    return null;
  }

  seconds(): number {
    return (performance.now() - this.start) / 1000;
  }

  peakMemory(): number {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    return this.peak;
  }
}
