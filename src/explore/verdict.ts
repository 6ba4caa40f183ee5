/**
 * What a check produces, whichever explorer ran it: one verdict per
 * property (in the program's order), whether the search completed, and its
 * statistics. The reports, `expect` lines and proofs read only these types.
 */
import type { Program, PropertyKind } from '../lower/ir.ts';
import type { Span } from '../text/source.ts';
import type { Trace } from './trace.ts';
import type { Fairness, Respect } from './liveness.ts';

export type Status = 'holds' | 'violated' | 'reached' | 'unreachable' | 'unknown';

export interface PropertyVerdict {
  readonly property: string;
  readonly kind: PropertyKind;
  readonly status: Status;
  /** What went wrong: the assert's message, the range or lock error, the deadlock. */
  readonly message?: string;
  /** For `violated` the shortest counterexample, for `reached` the shortest witness. */
  readonly trace?: Trace;
  /** Where the property is declared, or the statement that failed. */
  readonly span?: Span;
  /** For a violated liveness property: the trace is a lasso, its stem and then its cycle. */
  readonly lasso?: LassoReport;
}

/**
 * A liveness counterexample: trace.steps is the stem followed by the cycle,
 * which repeats for ever (or, when `end` is 'terminal', the run stops after
 * the stem at a state where no instance can move). Run positions count
 * states: 0 is the initial state, k the state after step #k.
 */
export interface LassoReport {
  /** Index into trace.steps of the cycle's first step (step #loopStart+1); trace.steps.length for a terminal end. */
  readonly loopStart: number;
  readonly end: 'cycle' | 'terminal';
  /** The run position from which Q never holds again (where P held, for leads-to). */
  readonly triggerAt: number;
  /** Instances enabled somewhere on the repeated part that never move in it. */
  readonly starved: readonly number[];
  /** Every instance: how the repeated part treats its fairness. */
  readonly instances: readonly LassoInstance[];
}

export interface LassoInstance {
  readonly instance: number;
  readonly instanceName: string;
  readonly fairness: Fairness;
  /** Its steps in the cycle. */
  readonly moves: number;
  /** At how many of the cycle's `positions` states it is enabled. */
  readonly enabledAt: number;
  readonly positions: number;
  readonly respected: Respect;
  /** For 'disabled-somewhere': the first run position on the cycle where it cannot move. */
  readonly disabledAt: number | null;
}

export interface Stats {
  /** Distinct states stored. */
  readonly states: number;
  /** Successor states generated, already-seen ones included, error outcomes not. */
  readonly transitions: number;
  /** The largest breadth-first depth of a stored state (the initial state is depth 0). */
  readonly depth: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
  /** The largest resident set size sampled during the search, in bytes. */
  readonly peakMemoryBytes: number;
  /** Bytes the state store holds (vectors, parents, hash table); null for the reference explorer, which keeps JavaScript objects. */
  readonly storeBytes: number | null;
}

export type IncompleteReason = 'max-states' | 'max-memory' | 'time-limit' | 'interrupted';

export interface CheckResult {
  readonly program: Program;
  /** False when a limit stopped the search: verdicts it could not decide are `unknown`. */
  readonly complete: boolean;
  readonly reason?: IncompleteReason;
  /** Same order as `program.properties`. */
  readonly verdicts: readonly PropertyVerdict[];
  readonly stats: Stats;
  /**
   * How many times each step (by id, program.steps order) fired: the
   * successors it generated, already-seen ones included, and the failures
   * it raised. A step at 0 never ran.
   */
  readonly coverage: readonly number[];
  /**
   * Set when the search was reduced (--por): the verdicts of safety
   * properties are the full search's, but a trace is shortest only within
   * the reduced state space, the counts are the reduced search's, and
   * liveness properties are left unknown.
   */
  readonly reduction?: Reduction;
}

/**
 * How a search was reduced. `por`: partial-order reduction (see
 * CheckResult.reduction). `symmetry`: states stored up to a permutation of
 * the instances of each of `actors` (explore/symmetry/): every verdict is
 * the full search's, counts are orbits, and traces are concrete and
 * shortest.
 */
export type Reduction =
  | { readonly kind: 'por'; /** States expanded with fewer moves than enabled. */ readonly reducedStates: number }
  | { readonly kind: 'symmetry'; readonly actors: readonly string[] };

/** A snapshot of a running search, for a progress display. */
export interface Progress {
  readonly states: number;
  readonly transitions: number;
  /** States stored but not yet expanded. */
  readonly queue: number;
  /** The breadth-first level being expanded (the initial state is level 0). */
  readonly level: number;
  /** Distinct states first found at each level, 0..level + 1; all but the last are final. */
  readonly levels: readonly number[];
  readonly seconds: number;
  readonly rssBytes: number;
  readonly maxMemoryBytes?: number;
}

export interface Limits {
  /**
   * Threads the compiled engine explores with (default: the machine's
   * cores, os.availableParallelism()). The result does not depend on it
   * (explore/parallel.ts); the reference engine ignores it.
   */
  readonly workers?: number;
  /** Levels with fewer states stay on the main thread (parallel.ts's default); tests lower it so small models run in parallel. */
  readonly parallelThreshold?: number;
  /** New states a thread may make in a level before it is done again with more room (doubled each time); tests set it so that levels are. */
  readonly parallelRoom?: number;
  /** Stop instead of storing more than this many distinct states. */
  readonly maxStates?: number;
  /** Stop after this many seconds, counted from `startedAt`. */
  readonly timeLimitSeconds?: number;
  /**
   * When the run began (performance.now()): the command sets it before it
   * reads the model, so that parsing, checking, lowering and compiling count
   * against --time-limit, not only the search. Defaults to the search's start.
   */
  readonly startedAt?: number;
  /** Stop before the process (resident set) would grow past this many bytes. */
  readonly maxMemoryBytes?: number;
  /** Aborting it (e.g. from a SIGINT handler) ends the search with reason `interrupted`. */
  readonly signal?: AbortSignal;
  /** Called about once a second while the search runs. */
  readonly onProgress?: (p: Progress) => void;
  /** Milliseconds between onProgress calls (default 1000); 0 calls it at every check, for tests. */
  readonly progressIntervalMs?: number;
}
