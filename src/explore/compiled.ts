/**
 * The compiled explorer: breadth-first search over a model compiled to
 * step functions (emit/), with states packed in a state store (stores.ts). It must
 * agree with the reference explorer exactly: same successor order, so the
 * same state numbering, the same first evidence per property, the same
 * verdicts, counts and traces. Traces and messages are rebuilt by the
 * reference interpreter from the stored path (explore/findings.ts), which
 * also re-checks that every step of a compiled trace is a real step.
 */
import type { Program } from '../lower/ir.ts';
import type { CompiledModel, Sink } from '../emit/contract.ts';
import { decodeState, type Layout } from '../emit/layout.ts';
import { Budget } from './budget.ts';
import { verdictsOf, type SearchTree } from './findings.ts';
import { FindingLog } from './findingLog.ts';
import type { State } from './state.ts';
import { firstMoveTo, makeStore, type StoreKind } from './stores.ts';
import type { Move } from './trace.ts';
import type { CheckResult, IncompleteReason, Limits, PropertyVerdict } from './verdict.ts';
import { FAULTED, GraphRecorder, liveSlots } from './liveGraph.ts';
import { withLiveness } from './liveVerdicts.ts';
import { Reducer } from './por/reduce.ts';
import { Canonicaliser } from './symmetry/canon.ts';
import { Concretiser } from './symmetry/concrete.ts';

/** Limits and the clock are looked at once per this many expanded states. */
const CHECK_EVERY = 1024;

export interface SearchOptions {
  /** The state store (stores.ts; default `table`). */
  readonly store?: StoreKind;
  /** Partial-order reduction (por/): safety verdicts as the full search's, fewer states. */
  readonly por?: boolean;
  /**
   * Symmetry reduction (symmetry/): states stored up to a permutation of
   * each symmetric actor's instances. Not with --por, nor with liveness
   * properties (engine.ts turns it off there).
   */
  readonly symmetry?: boolean;
}

export async function exploreCompiled(program: Program, layout: Layout, model: CompiledModel, limits: Limits = {}, opts: SearchOptions = {}): Promise<CheckResult> {
  // A move is stored as instance * steps + step: 2 bytes a state for most models.
  const steps = program.steps.length;
  const moveCount = program.instances.length * steps;
  if (moveCount > 2 ** 32) throw new Error(`internal error: ${program.instances.length} instances of ${steps} steps are too many for the compiled engine`);
  const budget = new Budget(limits);
  const store = makeStore(opts.store ?? 'table', model.bytes, moveCount <= 1 << 16 ? 2 : 4);
  const words = model.bytes / 4;
  const cur32 = new Uint32Array(words);
  const cur = new Uint8Array(cur32.buffer);
  const bufs32 = Array.from({ length: model.depth + 1 }, () => new Uint32Array(words));
  const bufs = bufs32.map((b) => new Uint8Array(b.buffer));
  const slots = liveSlots(program);
  // Under symmetry, successors are stored in canonical form, and findings and traces are read from concrete states.
  const sym = opts.symmetry && program.symmetry.length && !opts.por && !slots.length ? new Canonicaliser(program, layout) : null;
  const conc = sym ? new Concretiser(model, new Canonicaliser(program, layout), store) : null;
  const canon32 = new Uint32Array(words);
  const canon = new Uint8Array(canon32.buffer);
  const decode = (i: number): State => {
    if (conc) return decodeState(program, layout, conc.state(i));
    const v = new Uint32Array(words);
    store.load(i, v);
    return decodeState(program, layout, new Uint8Array(v.buffer));
  };

  const log = new FindingLog(program, decode);
  const { findings, todo } = log;

  let transitions = 0;
  const coverage = new Float64Array(steps);
  /** Distinct states first found at each level (the last still growing). */
  const levels: number[] = [1];
  let head = 0;
  let level = 0;
  let levelEnd = 1;
  let depth = 0;
  let reason: IncompleteReason | null = null;
  let added = -1;

  /** Called by the generated check(): evidence for property i at the state just added, or a fault evaluating it. */
  const found = (i: number): void => log.found(i, added);

  // The state graph, only when some property needs it (liveGraph.ts).
  const rec = slots.length && !opts.por ? new GraphRecorder(slots.length) : null;
  const values = new Uint8Array(slots.length);
  /** A liveness predicate faulted at the state just added: a `ranges` violation there, worded by the reference interpreter. */
  const liveFaults = (): void => {
    for (let j = 0; j < slots.length; j++) if (values[j] === FAULTED) log.liveFault(slots[j]!, added);
  };

  const add = (v32: Uint32Array, v: Uint8Array, parent: number, move: number, d: number): void => {
    added = store.insert(v32, parent, move);
    if (d > depth) depth = d;
    model.check(v, todo, found);
    // Under --por the graph is not kept, but a liveness predicate that faults is still a `ranges` violation.
    if (slots.length) {
      model.live(v, values);
      if (values.includes(FAULTED)) liveFaults();
      rec?.setValues(added, values);
    }
  };

  /** A successor `v32`/`v` of state `head` by `step` of `instance`. */
  const successor = (instance: number, step: number, v32: Uint32Array, v: Uint8Array): void => {
    if (reason) return;
    transitions++;
    coverage[step]!++;
    if (sym) {
      sym.canon(v, v32, canon32);
      v32 = canon32;
      v = canon;
    }
    const old = store.lookup(v32);
    if (old !== -1) {
      rec?.edge(instance, step, old);
      return;
    }
    if (limits.maxStates !== undefined && store.count >= limits.maxStates) {
      reason = 'max-states';
      return;
    }
    add(v32, v, head, instance * steps + step, level + 1);
    rec?.edge(instance, step, added);
  };
  const failure = (instance: number, step: number, property: number): void => {
    if (reason) return;
    coverage[step]!++;
    if (!log.decided(property)) log.fail(property, head, conc ? conc.instanceIn(head, instance) : instance, step);
  };
  const warning = (instance: number, step: number, property: number): void => {
    if (!reason && !log.decided(property)) log.warn(property, head, conc ? conc.instanceIn(head, instance) : instance, step);
  };

  const sink: Sink = {
    bufs,
    bufs32,
    cur32,
    emit(instance: number, step: number, state: Uint8Array): void {
      successor(instance, step, bufs32[bufs.indexOf(state as Uint8Array<ArrayBuffer>)]!, state);
    },
    fail: failure,
    warn: warning,
  };
  // With --por, a state's moves are gathered first and only a persistent set's are taken (por/reduce.ts).
  const reducer = opts.por ? new Reducer(program, layout, model.bytes, { successor, failure, warning }, bufs32[0]!, bufs[0]!) : null;
  const expander: Sink = reducer ? reducer.sink(sink) : sink;

  model.init(bufs[0]!);
  if (sym) {
    sym.canon(bufs[0]!, bufs32[0]!, canon32);
    bufs32[0]!.set(canon32);
  }
  store.lookup(bufs32[0]!);
  add(bufs32[0]!, bufs[0]!, -1, 0, 0);

  while (head < store.count) {
    if (head % CHECK_EVERY === 0) {
      reason = await budget.check(store.upcomingBytes(), () => ({ states: store.count, transitions, queue: store.count - head, level, levels: [...levels, store.count - levelEnd] }));
      if (reason) break;
    }
    if (head === levelEnd) {
      level++;
      levels.push(store.count - levelEnd);
      levelEnd = store.count;
    }
    store.load(head, cur32);
    rec?.begin(head);
    const enabled = model.expand(cur, expander);
    reducer?.take(cur, (v32) => {
      // The cycle proviso, breadth-first: a reduced state takes only successors on the next level.
      const i = store.lookup(v32);
      return i === -1 || i >= levelEnd;
    });
    if (reason) break;
    if (!enabled && log.deadlock >= 0 && !log.decided(log.deadlock) && !model.finished(cur)) log.deadlocked(head);
    head++;
  }

  const complete = reason === null;
  const tree: SearchTree = {
    state: decode,
    parent: (i) => store.parent(i),
    move: (i): Move | null => {
      if (i === 0) return null;
      if (conc) {
        const { instance, step } = conc.move(i);
        return { instance, stepId: step };
      }
      const m = store.move(i);
      if (m >= 0) return { instance: Math.floor(m / steps), stepId: m % steps };
      // A store that keeps no moves (the tree store): the first move from the parent that reaches state i.
      const { instance, step } = firstMoveTo(model, store, i);
      return { instance, stepId: step };
    },
  };
  const seconds = budget.seconds();
  const safety = verdictsOf(program, findings, tree, complete);
  return {
    program,
    complete,
    ...(reason ? { reason } : {}),
    verdicts: rec && complete ? withLiveness(program, safety, rec, store.count, tree) : reducer ? undecidedLiveness(program, safety) : safety,
    ...(reducer ? { reduction: { kind: 'por', reducedStates: reducer.reduced } as const } : {}),
    ...(sym ? { reduction: { kind: 'symmetry', actors: program.symmetry.map((s) => program.actors[s.actor]!.name) } as const } : {}),
    coverage: Array.from(coverage),
    stats: {
      states: store.count,
      transitions,
      depth,
      seconds,
      statesPerSecond: seconds > 0 ? Math.round(store.count / seconds) : 0,
      peakMemoryBytes: budget.peakMemory(),
      storeBytes: store.memoryBytes(),
    },
  };
}

/** Under --por the liveness properties are not decided: the reduction keeps safety verdicts only (por/stubborn.ts). */
function undecidedLiveness(program: Program, verdicts: readonly PropertyVerdict[]): PropertyVerdict[] {
  return verdicts.map((v, i) => {
    const p = program.properties[i]!;
    return p.kind === 'liveness' ? { property: v.property, kind: v.kind, status: 'unknown', message: 'not decided: partial-order reduction (--por) keeps the safety verdicts only', span: p.span } : v;
  });
}
