/**
 * The JSON form of a check (`weft check --json`), documented field by field
 * in docs/json.md. The shape is stable: every field is always present (null
 * when it does not apply; `lasso` is a field of liveness verdicts only),
 * keys come in a fixed order, values are rendered
 * by their declared types (enums by name, locks by holder).
 */
import type { Program } from '../lower/ir.ts';
import { lineCol, type Span } from '../text/source.ts';
import type { CheckResult, LassoReport, PropertyVerdict } from '../explore/verdict.ts';
import type { State } from '../explore/state.ts';
import type { Trace, TraceFailure, TraceStep } from '../explore/trace.ts';
import { jsonValue, type JsonValue } from './values.ts';
import { itfTrace } from './itf.ts';
import { assertNever } from '../util.ts';

/** Bump when a field changes meaning or disappears; adding a field does not. */
export const JSON_SCHEMA = 1;

type JsonObject = { readonly [key: string]: JsonValue };

export interface JsonOptions {
  /** Include time, rate and memory (default true); false makes them null, for reproducible output. */
  readonly stats?: boolean;
}

export function toJson(result: CheckResult, opts: JsonOptions = {}): JsonObject {
  const { program, stats } = result;
  const timed = opts.stats !== false;
  return {
    schema: JSON_SCHEMA,
    model: program.model,
    file: program.file.path,
    variant: program.variant,
    options: { ...program.options },
    complete: result.complete,
    reason: result.reason ?? null,
    reduction: reductionJson(result.reduction),
    stats: {
      states: stats.states,
      transitions: stats.transitions,
      depth: stats.depth,
      seconds: timed ? Math.round(stats.seconds * 1000) / 1000 : null,
      statesPerSecond: timed ? stats.statesPerSecond : null,
      peakMemoryBytes: timed ? stats.peakMemoryBytes : null,
      storeBytes: timed ? stats.storeBytes : null,
    },
    verdicts: result.verdicts.map((v) => verdictJson(program, v)),
    coverage: program.steps.map((s) => ({ stepId: s.id, label: s.label, ...location(program, s.span), fired: result.coverage[s.id] ?? 0 })),
  };
}

function verdictJson(program: Program, v: PropertyVerdict): JsonObject {
  return {
    property: v.property,
    kind: v.kind,
    status: v.status,
    message: v.message ?? null,
    ...location(program, v.span),
    trace: v.trace ? traceJson(program, v, v.trace) : null,
    // Only on liveness verdicts, so that the JSON (and proofs/) of safety properties stays as it was.
    ...(v.kind === 'liveness' ? { lasso: v.lasso ? lassoJson(v.lasso) : null } : {}),
  };
}

/** A liveness counterexample's shape: the trace is its stem, then its cycle from step number loopStart + 1. */
export function lassoJson(l: LassoReport): JsonObject {
  return {
    loopStart: l.loopStart,
    end: l.end,
    triggerAt: l.triggerAt,
    starved: l.instances.filter((i) => l.starved.includes(i.instance)).map((i) => i.instanceName),
    instances: l.instances.map((i) => ({
      instance: i.instanceName,
      fairness: i.fairness,
      moves: i.moves,
      enabledAt: i.enabledAt,
      positions: i.positions,
      respected: i.respected,
      disabledAt: i.disabledAt,
    })),
  };
}

function traceJson(program: Program, v: PropertyVerdict, trace: Trace): JsonObject {
  return {
    length: trace.steps.length,
    initial: stateJson(program, trace.initial),
    steps: trace.steps.map((s) => stepJson(program, s)),
    failure: trace.failure ? failureJson(program, trace.failure) : null,
    itf: itfTrace(program, trace, `${v.kind} ${v.property} ${v.status}`, v.lasso?.end === 'cycle' ? v.lasso.loopStart : null) as unknown as JsonValue,
  };
}

function stepJson(program: Program, s: TraceStep): JsonObject {
  return {
    number: s.index,
    instance: s.instanceName,
    stepId: s.stepId,
    label: s.label,
    callPath: [...s.callPath],
    ...location(program, s.span),
    failed: s.failed === true,
    ...stepReadsJson(s),
    changes: s.changes.map((c) => ({ path: c.path, before: c.before, after: c.after })),
    state: stateJson(program, s.state),
  };
}

/** A step's `condition` (null unless it tests one) and `reads`, values as text; `weft replay` compares a proof's with these. */
export function stepReadsJson(s: Pick<TraceStep, 'condition' | 'reads'>): { condition: JsonValue; reads: JsonValue } {
  const reads = (rs: TraceStep['reads']): JsonValue => rs.map((r) => ({ path: r.path, value: r.value }));
  return {
    condition: s.condition ? { text: s.condition.text, holds: s.condition.holds, reads: reads(s.condition.reads) } : null,
    reads: reads(s.reads),
  };
}

export function failureJson(program: Program, f: TraceFailure): JsonObject {
  return {
    message: f.message,
    ...location(program, f.span),
    blocked: f.blocked
      ? f.blocked.map((b) => ({
          instance: b.instanceName,
          daemon: b.daemon,
          waits: b.waits.map((w) => ({ stepId: w.stepId, label: w.label, ...location(program, w.span) })),
        }))
      : null,
  };
}

/**
 * The whole state by name: shared variables, then per instance its pc,
 * whether it has finished, and its locals.
 */
export function stateJson(program: Program, state: State): JsonObject {
  const shared: Record<string, JsonValue> = {};
  program.globals.forEach((g, i) => { shared[g.name] = jsonValue(g.type, state.globals[i]!, program); });
  const instances: Record<string, JsonValue> = {};
  program.instances.forEach((inst, i) => {
    const actor = program.actors[inst.actor]!;
    const locals: Record<string, JsonValue> = {};
    actor.locals.forEach((l, j) => { locals[l.name] = jsonValue(l.type, state.locals[i]![j]!, program); });
    instances[inst.name] = { pc: state.pcs[i]!, finished: state.pcs[i] === actor.endPc, locals };
  });
  return { shared, instances };
}

/** Where a span starts, as an editor wants it: `file`, 1-based `line` and `column`. */
export function location(program: Program, span: Span | undefined): { file: string | null; line: number | null; column: number | null } {
  if (!span) return { file: null, line: null, column: null };
  const { path, line, col } = lineCol(program.file, span.start);
  return { file: path, line, column: col };
}

export function reductionJson(r: CheckResult['reduction']): JsonValue {
  if (!r) return null;
  switch (r.kind) {
    case 'por': return { kind: r.kind, reducedStates: r.reducedStates };
    case 'symmetry': return { kind: r.kind, actors: [...r.actors] };
    default: return assertNever(r);
  }
}
