/**
 * The proof file, proofs/<stem>.<variant>.json, as `weft replay` reads it
 * back. A proof is the `weft check --json` result of one variant without
 * timings (docs/json.md), headed by the format, Weft's version, the model's
 * sha256 and the engine (docs/schema/proof.schema.json). Reading checks
 * the shape of everything replay relies on, so that a malformed file gets
 * a diagnostic naming the field, never a TypeError: errors are values.
 */

import { ENGINES, type Engine } from '../explore/engine.ts';
import type { Fairness, Respect } from '../explore/liveness.ts';
import type { OptionValue } from '../lower/ir.ts';

/** Bump when a field changes meaning or disappears. */
export const PROOF_FORMAT = 1;

export interface ProofStep {
  readonly number: number;
  readonly instance: string;
  readonly stepId: number;
  readonly label: string;
  readonly callPath: readonly string[];
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly failed: boolean;
  /** What the step tested and what it read (docs/json.md#step): compared as a whole with what replaying it reads. */
  readonly condition: unknown;
  readonly reads: unknown;
  readonly changes: readonly { readonly path: string; readonly before: string; readonly after: string }[];
  /** The whole state after the step, as docs/json.md#state (values by type, plain JSON). */
  readonly state: unknown;
}

export interface ProofTrace {
  readonly length: number;
  readonly initial: unknown;
  readonly steps: readonly ProofStep[];
  /** How the trace ends (docs/json.md#failure), compared as a whole: null or an object. */
  readonly failure: unknown;
  /** The ITF trace without its states: `#meta`, `vars` and, when the file has it, `loop`. */
  readonly itfHead: unknown;
  /** ITF states: the initial one, then one per step. */
  readonly states: readonly unknown[];
}

export interface ProofVerdict {
  readonly property: string;
  readonly kind: string;
  readonly status: string;
  /** The verdict's `message`, `file`, `line` and `column`, compared as a whole. */
  readonly where: unknown;
  readonly trace: ProofTrace | null;
  /** A liveness verdict's `lasso` (docs/json.md#lasso): null when it holds; undefined when the field is absent (every other kind). */
  readonly lasso: ProofLasso | null | undefined;
}

/** A liveness counterexample's shape, as far as replay reads it; the rest is compared as a whole. */
export interface ProofLasso {
  /** The stem's steps: steps loopStart+1 .. length are the cycle. Within 0..the trace's length. */
  readonly loopStart: number;
  readonly end: 'cycle' | 'terminal';
  /** A run position, within 0..the trace's length. */
  readonly triggerAt: number;
  /** The whole field as the file has it, compared with the report replay computes. */
  readonly report: unknown;
}

/** The counts a proof claims; the time and memory figures beside them must be null (`rest`). */
export interface ProofStats {
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly rest: Readonly<Record<string, unknown>>;
}

export interface Proof {
  readonly weft: string;
  readonly modelHash: string;
  /** The engine whose search the proof records: `weft replay` searches again with it. */
  readonly engine: Engine;
  /** The JSON result's schema (report/json.ts). */
  readonly schema: number;
  /** The model's name. */
  readonly model: string;
  /** The model file, relative to the directory `weft prove` ran in. */
  readonly file: string;
  readonly variant: string;
  readonly options: Readonly<Record<string, OptionValue>>;
  readonly complete: boolean;
  readonly reason: string | null;
  readonly stats: ProofStats;
  readonly verdicts: readonly ProofVerdict[];
  /** Per step how often it fired (docs/json.md#coverage), compared as a whole with a fresh search's. */
  readonly coverage: readonly unknown[];
}

export type ProofOrError = { readonly ok: true; readonly proof: Proof } | { readonly ok: false; readonly why: string };

/** Thrown only inside readProof, to unwind from a nested field; it becomes `{ ok: false }`. */
class Malformed extends Error {}

export function readProof(json: unknown): ProofOrError {
  try {
    return { ok: true, proof: proofOf(json) };
  } catch (e) {
    if (e instanceof Malformed) return { ok: false, why: e.message };
    throw e;
  }
}

function proofOf(json: unknown): Proof {
  const p = object(json, 'the file');
  if (p.proof !== PROOF_FORMAT) throw new Malformed(`no "proof": ${PROOF_FORMAT} field (this is Weft's proof format ${PROOF_FORMAT})`);
  const options = object(p.options, 'options');
  for (const [k, v] of Object.entries(options)) {
    if (typeof v !== 'boolean' && typeof v !== 'number' && typeof v !== 'string') throw new Malformed(`options.${k} is neither a bool, a number nor an enum member's name`);
  }
  const weft = string(p.weft, 'weft');
  // A version, not any text: it is printed, and says which Weft's search the counts are.
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(weft)) throw new Malformed('weft is not a version (such as 0.1.0)');
  const engine = string(p.engine, 'engine');
  if (!(ENGINES as readonly string[]).includes(engine)) throw new Malformed(`engine is not one of Weft's engines (${ENGINES.join(', ')})`);
  const stats = object(p.stats, 'stats');
  const { states, transitions, depth, ...rest } = stats;
  return {
    weft,
    modelHash: string(p.modelHash, 'modelHash'),
    engine: engine as Engine,
    schema: integer(p.schema, 'schema'),
    model: string(p.model, 'model'),
    file: string(p.file, 'file'),
    variant: string(p.variant, 'variant'),
    options: options as Record<string, OptionValue>,
    complete: boolean(p.complete, 'complete'),
    reason: p.reason === null ? null : string(p.reason, 'reason'),
    stats: { states: integer(states, 'stats.states'), transitions: integer(transitions, 'stats.transitions'), depth: integer(depth, 'stats.depth'), rest },
    verdicts: array(p.verdicts, 'verdicts').map((v, i) => verdictOf(v, `verdicts[${i}]`)),
    coverage: array(p.coverage, 'coverage'),
  };
}

function verdictOf(json: unknown, at: string): ProofVerdict {
  const v = object(json, at);
  const property = string(v.property, `${at}.property`);
  const trace = v.trace === null ? null : traceOf(v.trace, `${at}.trace (${property})`);
  return {
    property,
    kind: string(v.kind, `${at}.kind`),
    status: string(v.status, `${at}.status`),
    where: { message: v.message, file: v.file, line: v.line, column: v.column },
    trace,
    lasso: v.lasso === undefined || v.lasso === null ? v.lasso : lassoOf(v.lasso, trace, `${at}.lasso (${property})`),
  };
}

const ENDS: Readonly<Record<ProofLasso['end'], true>> = { cycle: true, terminal: true };
const FAIRNESS: Readonly<Record<Fairness, true>> = { none: true, weak: true, strong: true };
const RESPECTS: Readonly<Record<Respect, true>> = { moves: true, 'disabled-somewhere': true, 'disabled-throughout': true, unconstrained: true, violated: true };

/**
 * The shape of docs/schema/check.schema.json's lasso, with every run
 * position within the trace beside it (0..its length): replay indexes the
 * trace's states with them. Whether they are right is replay's to check.
 */
function lassoOf(json: unknown, trace: ProofTrace | null, at: string): ProofLasso {
  const l = object(json, at);
  // Without a trace (a verdict that claims none) there is nothing to index: a lasso there is a false claim, for replay to name.
  const steps = trace ? trace.steps.length : Infinity;
  const position = (x: unknown, where: string): number => {
    const n = integer(x, where);
    if (n < 0 || n > steps) throw new Malformed(`${where} is ${n}, not a run position of the trace${trace ? ` (0..${steps})` : ''}`);
    return n;
  };
  const loopStart = position(l.loopStart, `${at}.loopStart`);
  const end = string(l.end, `${at}.end`);
  if (!Object.hasOwn(ENDS, end)) throw new Malformed(`${at}.end is neither "cycle" nor "terminal"`);
  const triggerAt = position(l.triggerAt, `${at}.triggerAt`);
  array(l.starved, `${at}.starved`).forEach((x, i) => string(x, `${at}.starved[${i}]`));
  array(l.instances, `${at}.instances`).forEach((x, i) => {
    const where = `${at}.instances[${i}]`;
    const o = object(x, where);
    string(o.instance, `${where}.instance`);
    if (!Object.hasOwn(FAIRNESS, string(o.fairness, `${where}.fairness`))) throw new Malformed(`${where}.fairness is not none, weak or strong`);
    for (const count of ['moves', 'enabledAt', 'positions'] as const) {
      if (integer(o[count], `${where}.${count}`) < 0) throw new Malformed(`${where}.${count} is negative`);
    }
    if (!Object.hasOwn(RESPECTS, string(o.respected, `${where}.respected`))) throw new Malformed(`${where}.respected is not one of ${Object.keys(RESPECTS).join(', ')}`);
    if (o.disabledAt !== null) position(o.disabledAt, `${where}.disabledAt`);
  });
  return { loopStart, end: end as ProofLasso['end'], triggerAt, report: l };
}

function traceOf(json: unknown, at: string): ProofTrace {
  const t = object(json, at);
  const itf = object(t.itf, `${at}.itf`);
  return {
    length: integer(t.length, `${at}.length`),
    initial: object(t.initial, `${at}.initial`),
    steps: array(t.steps, `${at}.steps`).map((s, i) => stepOf(s, `${at}.steps[${i}]`)),
    failure: t.failure === null ? null : object(t.failure, `${at}.failure`),
    itfHead: { '#meta': itf['#meta'], vars: itf.vars, ...('loop' in itf ? { loop: itf.loop } : {}) },
    states: array(itf.states, `${at}.itf.states`).map((s, i) => object(s, `${at}.itf.states[${i}]`)),
  };
}

function stepOf(json: unknown, at: string): ProofStep {
  const s = object(json, at);
  return {
    number: integer(s.number, `${at}.number`),
    instance: string(s.instance, `${at}.instance`),
    stepId: integer(s.stepId, `${at}.stepId`),
    label: string(s.label, `${at}.label`),
    callPath: array(s.callPath, `${at}.callPath`).map((c, i) => string(c, `${at}.callPath[${i}]`)),
    file: string(s.file, `${at}.file`),
    line: integer(s.line, `${at}.line`),
    column: integer(s.column, `${at}.column`),
    failed: boolean(s.failed, `${at}.failed`),
    condition: s.condition === null ? null : object(s.condition, `${at}.condition`),
    reads: array(s.reads, `${at}.reads`),
    changes: array(s.changes, `${at}.changes`).map((c, i) => {
      const o = object(c, `${at}.changes[${i}]`);
      return { path: string(o.path, `${at}.changes[${i}].path`), before: string(o.before, `${at}.changes[${i}].before`), after: string(o.after, `${at}.changes[${i}].after`) };
    }),
    state: object(s.state, `${at}.state`),
  };
}

function object(v: unknown, at: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Malformed(`${at} is not an object`);
  return v as Record<string, unknown>;
}

function array(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v)) throw new Malformed(`${at} is not an array`);
  return v;
}

function string(v: unknown, at: string): string {
  if (typeof v !== 'string') throw new Malformed(`${at} is not a string`);
  return v;
}

function integer(v: unknown, at: string): number {
  if (!Number.isInteger(v)) throw new Malformed(`${at} is not a whole number`);
  return v as number;
}

function boolean(v: unknown, at: string): boolean {
  if (typeof v !== 'boolean') throw new Malformed(`${at} is not true or false`);
  return v;
}
