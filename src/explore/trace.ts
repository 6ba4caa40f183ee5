/**
 * Counterexamples and witnesses. An explorer hands over the states along
 * the path it found and the moves between them; `buildTrace` re-executes
 * each move on the reference semantics, which both checks that the path is
 * a real run of the model (so a trace from any back end is a certificate)
 * and yields immer's patches, from which each step's changed variables are
 * rendered by name and type.
 */
import type { Patch } from 'immer';
import type { Program } from '../lower/ir.ts';
import type { Type, Value } from '../check/types.ts';
import type { Span } from '../text/source.ts';
import { formatValue, isLeafValue } from '../report/values.ts';
import { instanceName, statementText, takeStep, type Outcome, type Read, type Reads } from './evaluate.ts';
import { getAt, pathName, pathType, valuePath, type StatePath } from './paths.ts';
import { memberType } from '../lower/places.ts';
import { stateKey, type State } from './state.ts';

/** One variable that a step changed, rendered: `folio.dirty: false -> true`. */
export interface Change {
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

/** A place a step read and the value it found there, rendered: `b = 1`, `folio.dirty = true`. */
export interface ReadValue {
  readonly path: string;
  readonly value: string;
}

/** What an `if`, `while` or `await` step tested: `if (x > 0) is false because x = 0`. */
export interface Condition {
  /** The test as written: `if (x > 0)`, `while (n < 3)`, `await ready`. */
  readonly text: string;
  /** The outcome this step took: false for the step into an `if`'s else or out of a `while`; true for an `await`. */
  readonly holds: boolean;
  /**
   * The places the condition read and their values, in the order read,
   * once each; the instance's own locals too, by their names alone, as
   * the condition writes them (`start = 1`).
   */
  readonly reads: readonly ReadValue[];
}

export interface TraceStep {
  /** 1-based. */
  readonly index: number;
  readonly instance: number;
  readonly instanceName: string;
  readonly stepId: number;
  readonly label: string;
  readonly callPath: readonly string[];
  readonly span: Span;
  /** Only the variables whose value differs; pcs are not listed. */
  readonly changes: readonly Change[];
  /**
   * The shared places and locals of other instances the step read (its
   * guard, then its effect), in the order read, once each: the value it
   * found in the state before it, even where it then changed it. A place
   * it read back after storing to it in the same step is not listed, nor
   * its own locals (the condition lists those it tests).
   */
  readonly reads: readonly ReadValue[];
  /** For an `if`, `while` or `await` step: what it tested and why it went the way it did. */
  readonly condition?: Condition;
  /** The state after the step; for a failed step, the state it was taken from. */
  readonly state: State;
  /** The step raised the violation (assert, range, lock misuse); it has no changes. */
  readonly failed?: boolean;
}

/** Where an unfinished instance is stuck in a deadlock: the steps leaving its pc. */
export interface Blocked {
  readonly instance: number;
  readonly instanceName: string;
  readonly daemon: boolean;
  readonly waits: readonly { readonly stepId: number; readonly label: string; readonly span: Span }[];
}

export interface TraceFailure {
  readonly message: string;
  readonly span?: Span;
  /** For a deadlock: every instance that has not finished, and where it waits. */
  readonly blocked?: readonly Blocked[];
}

export interface Trace {
  readonly initial: State;
  readonly steps: readonly TraceStep[];
  readonly final: State;
  /** Absent for a `reachable` witness. */
  readonly failure?: TraceFailure;
}

/** One transition: which instance took which step. */
export interface Move {
  readonly instance: number;
  readonly stepId: number;
}

/**
 * Builds the trace of the run `states[0] --moves[0]--> states[1] ...`
 * (`states.length === moves.length + 1`), optionally ending with a move
 * that fails from the last state. Throws if a move does not lead to the
 * next state, or the failing move does not fail: the path is then not a
 * run of the model, which is a bug in the explorer that produced it.
 */
export function buildTrace(
  program: Program,
  states: readonly State[],
  moves: readonly Move[],
  failure?: TraceFailure,
  failedMove?: Move,
): Trace {
  const initial = states[0];
  if (!initial || states.length !== moves.length + 1) throw new Error('internal error: a trace needs one more state than moves');
  const steps: TraceStep[] = [];
  moves.forEach((move, i) => {
    const before = states[i]!;
    const after = states[i + 1]!;
    const key = stateKey(after);
    const outcome = outcomesOf(program, before, move).find((o) => o.kind === 'state' && stateKey(o.state) === key);
    if (!outcome || outcome.kind !== 'state') {
      throw new Error(`internal error: trace step ${i + 1} (${describeMove(program, move)}) does not lead to the next state`);
    }
    steps.push({ ...stepInfo(program, move, i + 1), changes: changesOf(program, before, after, outcome.patches), ...readsOf(program, move, outcome), state: after });
  });
  const final = states[states.length - 1]!;
  if (failedMove) {
    // The outcome that raised the failure shown (a step's branches may fail differently): what it read is the step's.
    const errors = outcomesOf(program, final, failedMove).filter((o) => o.kind === 'error');
    const error = errors.find((o) => o.message === failure?.message) ?? errors[0];
    if (!error) throw new Error(`internal error: the last trace step (${describeMove(program, failedMove)}) does not fail`);
    steps.push({ ...stepInfo(program, failedMove, moves.length + 1), changes: [], ...readsOf(program, failedMove, error), state: final, failed: true });
  }
  return failure ? { initial, steps, final, failure } : { initial, steps, final };
}

/**
 * The trace of a warning: the run to `states`' last state, then the move
 * that warns. It ends at the step that recorded the warning (the first
 * outcome of the move that carries one of `property`, in the search's
 * order), shown with what it changed and the state after it, since a
 * warning does not end the path; a step that warns and then fails is shown
 * failed, as an assert's. Throws when the move records no such warning.
 */
export function warningTrace(program: Program, states: readonly State[], moves: readonly Move[], warnedMove: Move, property: string): Trace {
  const prefix = buildTrace(program, states, moves);
  const before = prefix.final;
  const outcomes = outcomesOf(program, before, warnedMove);
  const outcome = outcomes.find((o) => o.warnings?.some((w) => w.property === property));
  const warning = outcome?.warnings?.find((w) => w.property === property);
  if (!outcome || !warning) throw new Error(`internal error: the last trace step (${describeMove(program, warnedMove)}) records no warning of ${property}`);
  const info = { ...stepInfo(program, warnedMove, moves.length + 1), ...readsOf(program, warnedMove, outcome) };
  const failure: TraceFailure = { message: warning.message, span: warning.span };
  if (outcome.kind === 'error') {
    return { ...prefix, steps: [...prefix.steps, { ...info, changes: [], state: before, failed: true }], failure };
  }
  const step: TraceStep = { ...info, changes: changesOf(program, before, outcome.state, outcome.patches), state: outcome.state };
  return { initial: prefix.initial, steps: [...prefix.steps, step], final: outcome.state, failure };
}

/** The failure of a deadlocked state: each unfinished instance and the steps it waits at. */
export function deadlockFailure(program: Program, state: State): TraceFailure {
  const blocked: Blocked[] = [];
  program.instances.forEach((inst, i) => {
    const actor = program.actors[inst.actor]!;
    const pc = state.pcs[i]!;
    if (pc === actor.endPc) return;
    const waits = (actor.stepsAt[pc] ?? []).map((id) => {
      const step = program.steps[id]!;
      return { stepId: id, label: step.label, span: step.span };
    });
    blocked.push({ instance: i, instanceName: inst.name, daemon: actor.daemon, waits });
  });
  const stuck = blocked.filter((b) => !b.daemon).map((b) => b.instanceName);
  return { message: `no step is enabled, and ${stuck.join(', ')} ${stuck.length === 1 ? 'has' : 'have'} not finished`, blocked };
}

/**
 * The variables that differ between `before` and `after`, in the order the
 * step wrote them (the patch order), refined to scalar leaves so that a
 * whole-struct store reads `folio.dirty: false -> true`. A variable written
 * and restored within the step is not listed.
 */
export function changesOf(program: Program, before: State, after: State, patches: readonly Patch[]): Change[] {
  const out: Change[] = [];
  const seen = new Set<string>();
  for (const patch of patches) {
    const root = patch.path[0];
    if (root === 'pcs') continue;
    const minimum = root === 'globals' ? 2 : 3;
    if ((root !== 'globals' && root !== 'locals') || patch.path.length < minimum) {
      throw new Error(`internal error: unexpected patch path ${JSON.stringify(patch.path)}`);
    }
    const path = valuePath(program, patch.path as unknown as StatePath);
    diffLeaves(program, path, pathType(program, path), getAt(before, path), getAt(after, path), out, seen);
  }
  return out;
}

function diffLeaves(program: Program, path: StatePath, type: Type, before: Value, after: Value, out: Change[], seen: Set<string>): void {
  if (before === after) return; // frozen, structurally shared: identical objects are unchanged subtrees
  if (!isLeafValue(type) && Array.isArray(before) && Array.isArray(after)) {
    const b = before as readonly Value[];
    const a = after as readonly Value[];
    for (let i = 0; i < b.length; i++) {
      diffLeaves(program, [...path, i] as unknown as StatePath, memberType(type, i), b[i]!, a[i]!, out, seen);
    }
    return;
  }
  const key = JSON.stringify(path);
  if (seen.has(key)) return;
  // A store of the value already there is no change; a leaf can be an array (a wait queue's sleepers), so compare what is shown.
  const shown = { before: formatValue(type, before, program), after: formatValue(type, after, program) };
  if (shown.before === shown.after) return;
  seen.add(key);
  out.push({ path: pathName(program, path), ...shown });
}

/** The step's outcomes, each with what it read on the way (a trace is rebuilt once: the cost is not the search's). */
function outcomesOf(program: Program, state: State, move: Move): Outcome[] {
  const step = program.steps[move.stepId];
  if (!step) throw new Error(`internal error: no step ${move.stepId}`);
  return takeStep(program, state, move.instance, step, { reads: true });
}

/**
 * What `move` read on the way to `outcome` (an outcome of takeStep with
 * `reads`), as a trace step shows it: the shared places and other
 * instances' locals, and for an `if`, `while` or `await` step its
 * condition. `weft replay` recomputes it to check a proof's.
 */
export function readsOf(program: Program, move: Move, outcome: Reads): Pick<TraceStep, 'reads' | 'condition'> {
  const step = program.steps[move.stepId]!;
  const own = (r: Read): boolean => r.path[0] === 'locals' && r.path[1] === move.instance;
  // A value the step stored and read back is its own doing, not what it found: every read listed is the state's before the step.
  const reads = rendered(program, (outcome.reads ?? []).filter((r) => !own(r) && !r.own), move.instance);
  const tested = step.condition;
  if (!tested) return { reads };
  const expr = statementText(program, tested.span);
  const condition: Condition = {
    text: tested.keyword === 'await' ? `await ${expr}` : `${tested.keyword} (${expr})`,
    holds: step.branch ?? true,
    reads: rendered(program, outcome.guardReads ?? [], move.instance),
  };
  return { reads, condition };
}

/** Reads as text, once each (a place read twice with one value is one read); `instance`'s own locals by their names alone. */
function rendered(program: Program, reads: readonly Read[], instance: number): ReadValue[] {
  const out: ReadValue[] = [];
  const seen = new Set<string>();
  for (const r of reads) {
    const name = pathName(program, r.path);
    const path = r.path[0] === 'locals' && r.path[1] === instance ? name.slice(instanceName(program, instance).length + 1) : name;
    const read = { path, value: formatValue(pathType(program, r.path), r.value, program) };
    const key = JSON.stringify([read.path, read.value]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(read);
  }
  return out;
}

/**
 * The reads a report prints under a step: those neither its condition
 * line nor its change lines already show (`x += 1` read x = 0, which
 * `x: 0 -> 1` says). JSON lists them all.
 */
export function shownReads(step: TraceStep): ReadValue[] {
  const same = (a: ReadValue, path: string, value: string): boolean => a.path === path && a.value === value;
  return step.reads.filter((r) =>
    !(step.condition?.reads ?? []).some((c) => same(r, c.path, c.value)) &&
    !step.changes.some((c) => same(r, c.path, c.before)));
}

/** `if (x > 0) is false because x = 0`; without reads, `if (self == 0) is true`. */
/** `x = 0, b = true`: the values a condition read. */
export function readsText(reads: Condition['reads']): string {
  return reads.map((r) => `${r.path} = ${r.value}`).join(', ');
}

export function conditionText(c: Condition): string {
  const because = readsText(c.reads);
  return `${c.text} is ${c.holds}${because ? ` because ${because}` : ''}`;
}

/** The fields of a trace step that come from the step itself. */
function stepInfo(program: Program, move: Move, index: number): Omit<TraceStep, 'changes' | 'state' | 'failed' | 'reads' | 'condition'> {
  const step = program.steps[move.stepId]!;
  return {
    index,
    instance: move.instance,
    instanceName: instanceName(program, move.instance),
    stepId: move.stepId,
    label: step.label,
    callPath: step.callPath,
    span: step.span,
  };
}

function describeMove(program: Program, move: Move): string {
  return `${instanceName(program, move.instance)} ${program.steps[move.stepId]?.label ?? `step ${move.stepId}`}`;
}

/**
 * An invariant's or reachable target's condition as written, from its
 * span: `folio.pins > 0 -> folio.buffers`. The span may cover the whole
 * declaration (`invariant NAME: EXPR;`) or only the expression.
 */
export function propertyText(program: Program, span: Span): string {
  const text = statementText(program, span).replace(/;$/, '').trim();
  const m = /^(?:invariant|reachable|liveness)\s+[A-Za-z_][A-Za-z0-9_]*\s*:\s*(.*)$/s.exec(text);
  return m ? m[1]! : text;
}
