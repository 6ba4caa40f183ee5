/**
 * Traces in the Informal Trace Format (ITF) of Apalache and Quint
 * (https://apalache-mc.org/docs/adr/015adr-trace.html), so that their
 * tools (the Quint REPL, ITF viewers, trace-based test generators) can read
 * Weft's counterexamples. A state is a JSON object with one key per
 * variable; integers are `{"#bigint": "5"}`, records plain objects,
 * sequences arrays, and Weft's enums and locks strings (enum members by
 * name, locks as `free` or their holder).
 *
 * Variables: every shared variable by its name, and `actors`, a record per
 * instance of its program counter, whether it has finished, and its
 * locals. Each state's `#meta` says which step led to it.
 */
import type { Program } from '../lower/ir.ts';
import type { Type, Value } from '../check/types.ts';
import { lineCol } from '../text/source.ts';
import type { State } from '../explore/state.ts';
import type { Trace } from '../explore/trace.ts';
import { formatLock } from './values.ts';
import { assertNever } from '../util.ts';

export type ItfValue = boolean | string | { readonly '#bigint': string } | readonly ItfValue[] | { readonly [key: string]: ItfValue };

export interface ItfState {
  readonly '#meta': {
    readonly index: number;
    /** The step that led here; null for the initial state. */
    readonly step: { readonly instance: string; readonly label: string; readonly line: number; readonly file?: string; readonly failed: boolean } | null;
  };
  readonly [variable: string]: ItfValue | ItfState['#meta'];
}

export interface ItfTrace {
  readonly '#meta': { readonly format: 'ITF'; readonly 'format-description': string; readonly source: string; readonly description: string };
  readonly vars: readonly string[];
  readonly states: readonly ItfState[];
  /** ITF's lasso: the index of the state the loop starts at; the last state is that state again. */
  readonly loop?: number;
}

export const ACTORS_VAR = 'actors';

/** The trace's states, initial first; a failed last step repeats the state it was taken from. */
export function itfTrace(program: Program, trace: Trace, description: string, loop: number | null = null): ItfTrace {
  const states: ItfState[] = [itfState(program, trace.initial, 0, null)];
  for (const s of trace.steps) {
    const { path, line } = lineCol(program.file, s.span.start);
    states.push(itfState(program, s.state, s.index, itfStep(program, s.instanceName, s.label, path, line, s.failed === true)));
  }
  return {
    ...itfHead(program, description),
    states,
    ...(loop === null ? {} : { loop }),
  };
}

/** What an ITF trace says before its states: the format, the model file, and the variables. */
export function itfHead(program: Program, description: string): Omit<ItfTrace, 'states'> {
  return {
    '#meta': {
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      source: program.file.path,
      description,
    },
    vars: [...program.globals.map((g) => g.name), ACTORS_VAR],
  };
}

/** A step's `#meta`: `line` is a line of the model file (`source`), unless `file` names the imported file it is in. */
export function itfStep(program: Program, instance: string, label: string, file: string, line: number, failed: boolean): NonNullable<ItfState['#meta']['step']> {
  return { instance, label, line, ...(file === program.file.path ? {} : { file }), failed };
}

export function itfState(program: Program, state: State, index: number, step: ItfState['#meta']['step']): ItfState {
  const out: Record<string, ItfValue | ItfState['#meta']> = { '#meta': { index, step } };
  program.globals.forEach((g, i) => { out[g.name] = itfValue(g.type, state.globals[i]!, program); });
  const actors: Record<string, ItfValue> = {};
  program.instances.forEach((inst, i) => {
    const actor = program.actors[inst.actor]!;
    const locals: Record<string, ItfValue> = {};
    actor.locals.forEach((l, j) => { locals[l.name] = itfValue(l.type, state.locals[i]![j]!, program); });
    actors[inst.name] = { pc: big(state.pcs[i]!), finished: state.pcs[i] === actor.endPc, locals };
  });
  out[ACTORS_VAR] = actors;
  return out as ItfState;
}

export function itfValue(type: Type, value: Value, program: Program): ItfValue {
  switch (type.kind) {
    case 'bool':
      return value as boolean;
    case 'int':
    case 'integer':
      return big(value as number);
    case 'enum':
      return typeof value === 'number' && type.members[value] !== undefined ? type.members[value] : `#${String(value)}`;
    case 'struct': {
      const items = value as readonly Value[];
      const out: Record<string, ItfValue> = {};
      type.fields.forEach((f, i) => { out[f.name] = itfValue(f.type, items[i]!, program); });
      return out;
    }
    case 'array':
      return (value as readonly Value[]).map((v) => itfValue(type.element, v, program));
    case 'lock':
      return formatLock(type.lock, value, program);
    default:
      return assertNever(type);
  }
}

function big(n: number): { '#bigint': string } {
  return { '#bigint': String(n) };
}
