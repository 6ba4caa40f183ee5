/**
 * `weft check --memory-model lkmm MODEL.weft`: each property of a model
 * decided over the executions the Linux-kernel memory model allows, as
 * herd7 would decide the litmus test `weft litmus export` writes of it.
 * The threads are fromModel.ts's; each property is one condition on them
 * (properties.ts), with the same filter: executions in which a loop goes
 * round more often than the bound, or an await never passes, are left out.
 * Whether any allowed execution needed more rounds is asked too, so the
 * report can say if the bound cut anything.
 */
import type { Program, Property } from '../../lower/ir.ts';
import type { Span } from '../../text/source.ts';
import { checkLkmm } from './check.ts';
import { memoryThreads, NeedsBound, Refused, type Threads } from './fromModel.ts';
import type { MemCond, MemProgram } from './program.ts';
import { propertyConditions, TooManyValues } from './properties.ts';
import type { Slice } from './slice.ts';

export interface PropertyRun {
  readonly property: Property;
  /** The litmus test of this property: the threads, its condition as `exists`, the filter. */
  readonly test: MemProgram;
  /** violated (an invariant, assert or warning) or reached (a target): some allowed execution has the condition. */
  readonly found: boolean;
}

export interface ModelRun {
  readonly properties: readonly PropertyRun[];
  readonly undecided: readonly { readonly property: Property; readonly why: string }[];
  /** The flags (data-race, ...) some allowed execution raises. */
  readonly flags: readonly string[];
  readonly unroll: number | null;
  /** Some allowed execution would go round a loop more than `unroll` times (it was left out). */
  readonly boundReached: boolean;
  /** Allowed executions, the same for every property (the threads and the filter are). */
  readonly executions: number;
}

export type ModelCheck =
  | { readonly ok: true; readonly run: ModelRun }
  | { readonly ok: false; readonly code: 'W6031' | 'W6032'; readonly message: string; readonly span: Span };

export interface ModelOptions {
  readonly unroll: number | null;
  /** The statements that are `atomic` blocks, by span: refused. */
  readonly atomicSpans: ReadonlySet<Span>;
  /**
   * How many of the program's shared variables are the model's: lowering
   * appends RCU's own state after them (lower/rcu.ts), which the LKMM's
   * rcu-lock, rcu-unlock and sync-rcu fences stand for here. Default: all.
   */
  readonly modelGlobals?: number;
  /** The actors and steps chosen (slice.ts); null: every actor, all of its code. */
  readonly slice?: Slice | null;
}

export function checkModelLkmm(program: Program, opts: ModelOptions): ModelCheck {
  let threads: Threads;
  try {
    threads = memoryThreads(program, opts.unroll, opts.atomicSpans, opts.modelGlobals ?? program.globals.length, opts.slice ?? null);
  } catch (e) {
    if (e instanceof Refused) return { ok: false, code: 'W6031', message: e.message, span: e.span };
    if (e instanceof NeedsBound) return { ok: false, code: 'W6032', message: e.step.label, span: e.step.span };
    throw e;
  }
  let decided;
  try {
    decided = propertyConditions(program, threads);
  } catch (e) {
    if (e instanceof TooManyValues) return { ok: false, code: 'W6031', message: `property ${e.property.name} reads too many values at once`, span: 'span' in e.property ? e.property.span : program.actors[0]!.span };
    throw e;
  }
  const eq1 = (reg: string | null, thread: number): MemCond[] => (reg ? [{ kind: 'eq', left: { kind: 'reg', thread, reg }, right: 1 }] : []);
  const any = (cs: MemCond[]): MemCond | null => (cs.length ? cs.reduce((a, b) => ({ kind: 'or', left: a, right: b })) : null);
  const cut = any(threads.cuts.flatMap(eq1));
  const waits = any(threads.waits.flatMap(eq1));
  const filterOf = (...cs: (MemCond | null)[]): MemCond | null => {
    const present = cs.filter((c): c is MemCond => c !== null);
    return present.length ? { kind: 'not', operand: any(present)! } : null;
  };
  const test = (name: string, condition: MemCond, filter: MemCond | null, span: Span): MemProgram => ({
    name, source: program.file, locations: threads.locations, threads: threads.threads,
    quantifier: 'exists', condition, show: [], filter, span,
  });
  const flags = new Set<string>();
  let executions = 0;
  const properties: PropertyRun[] = [];
  const undecided: ModelRun['undecided'][number][] = [];
  const modelSpan = program.actors[0]?.span ?? { start: 0, end: 0 };
  for (const d of decided) {
    if (!d.decided) { undecided.push({ property: d.property, why: d.why }); continue; }
    const t = test(`${program.model}: ${d.property.name}`, d.condition, filterOf(cut, waits), 'span' in d.property ? d.property.span : modelSpan);
    const v = checkLkmm(t).verdict;
    v.flags.forEach((f) => flags.add(f));
    executions = v.positive + v.negative;
    properties.push({ property: d.property, test: t, found: v.positive > 0 });
  }
  const boundReached = cut !== null && checkLkmm(test(`${program.model}: bound`, cut, filterOf(waits), modelSpan)).verdict.positive > 0;
  return { ok: true, run: { properties, undecided, flags: [...flags].sort(), unroll: opts.unroll, boundReached, executions } };
}
