/**
 * What a step of one instance may read and write, as byte ranges of the
 * compiled engine's state vector (emit/layout.ts), and whether it may
 * fail. Partial-order reduction (por/stubborn.ts) decides from these which
 * steps commute: two steps are independent when neither writes a byte the
 * other reads or writes. Byte ranges serve shared variables, locals and
 * program counters alike, so one test covers a lock, a wait queue's entry
 * for another instance and a pc read by a property.
 *
 * Every answer errs on the safe side: a place whose index is not a
 * constant once `self` is known stands for the whole array, a step that
 * could store out of range, fault in arithmetic, misuse a lock, assert or
 * warn "may fail". A wrong "independent" would make the reduced search miss
 * states; a wrong "dependent" only makes it reduce less.
 */
import type { Expr, Op, Program, Step } from '../../lower/ir.ts';
import type { Layout, TypeLayout } from '../../emit/layout.ts';
import type { Type } from '../../check/types.ts';
import { evaluate, Fault } from '../evaluate.ts';
import type { State } from '../state.ts';
import { intervalOfExpr, opInterval, isSafe, type Interval, type IntervalEnv } from '../../lower/intervals.ts';

/** Bytes [start, end) of the state vector. */
export type Range = readonly [number, number];

export interface Footprint {
  readonly reads: readonly Range[];
  readonly writes: readonly Range[];
  /** Taking the step may end in a failure (an assert, a warning, ranges, locking): an event the search must see. */
  readonly mayFail: boolean;
}

export function overlaps(a: readonly Range[], b: readonly Range[]): boolean {
  for (const [s, e] of a) for (const [t, f] of b) if (s < f && t < e) return true;
  return false;
}

/** Do two footprints conflict (one writes what the other reads or writes)? */
export function conflict(a: Footprint, b: Footprint): boolean {
  return overlaps(a.writes, b.writes) || overlaps(a.writes, b.reads) || overlaps(b.writes, a.reads);
}

/** Where a place is: one location with its layout, or (an index not known) the ranges that may hold it. */
interface Where {
  readonly ranges: readonly Range[];
  /** Set when the place is exactly ranges[0], laid out so. */
  readonly layout: TypeLayout | null;
}

class Walker {
  readonly reads: Range[] = [];
  readonly writes: Range[] = [];
  mayFail = false;
  private readonly bound: (Interval | undefined)[] = [];

  constructor(
    private readonly program: Program,
    private readonly layout: Layout,
    /** The running instance, or null for a property. */
    private readonly instance: number | null,
  ) {}

  private env(): IntervalEnv {
    const actor = this.instance === null ? null : this.program.instances[this.instance]!.actor;
    return { program: this.program, actor, bound: this.bound };
  }

  /** The value of `e` when it is a constant once `self` is known (a pc-independent index), else null. */
  private constant(e: Expr): number | null {
    if (e.kind === 'const') return typeof e.value === 'number' ? e.value : null;
    if (!onlySelfAndConstants(e)) return null;
    try {
      const v = evaluate({ program: this.program, state: NO_STATE, instance: this.instance, bound: [] }, e);
      return typeof v === 'number' ? v : null;
    } catch (err) {
      if (err instanceof Fault) return null;
      throw err;
    }
  }

  /** Which instances `index` may name among `actor`'s (all of them unless it is a constant). */
  private instancesOf(actor: number, index: Expr): number[] {
    const all = this.program.instances.flatMap((inst, i) => (inst.actor === actor ? [i] : []));
    const k = this.constant(index);
    if (k !== null && k >= 0 && k < all.length) return [all[k]!];
    this.faultsUnless(index, all.length);
    return all;
  }

  /** An index outside 0..n-1 is a ranges failure: may it be one? */
  private faultsUnless(index: Expr, n: number): void {
    const r = intervalOfExpr(this.env(), index);
    if (!r || r[0] < 0 || r[1] > n - 1) this.mayFail = true;
  }

  where(e: Expr): Where {
    switch (e.kind) {
      case 'global': {
        const g = this.layout.globals[e.index]!;
        return { ranges: [[g.offset, g.offset + g.layout.size]], layout: g.layout };
      }
      case 'local': {
        if (this.instance === null) throw new Error('internal error: a local read outside an actor');
        const l = this.layout.locals[this.instance]![e.index]!;
        return { ranges: [[l.offset, l.offset + l.layout.size]], layout: l.layout };
      }
      case 'localOf': {
        this.expr(e.instance.index);
        const ls = this.instancesOf(e.instance.actor, e.instance.index).map((i) => this.layout.locals[i]![e.index]!);
        return { ranges: ls.map((l) => [l.offset, l.offset + l.layout.size] as const), layout: ls.length === 1 ? ls[0]!.layout : null };
      }
      case 'field': {
        const w = this.where(e.object);
        if (w.layout?.kind !== 'struct') return { ranges: w.ranges, layout: null };
        const f = w.layout.fields[e.field]!;
        const start = w.ranges[0]![0] + f.offset;
        return { ranges: [[start, start + f.layout.size]], layout: f.layout };
      }
      case 'index': {
        const w = this.where(e.object);
        this.expr(e.index);
        const k = this.constant(e.index);
        if (w.layout?.kind === 'array' && k !== null && k >= 0 && k < w.layout.length) {
          const el = w.layout.element;
          const start = w.ranges[0]![0] + k * el.size;
          return { ranges: [[start, start + el.size]], layout: el };
        }
        if (k === null) this.faultsUnless(e.index, e.size);
        else if (k < 0 || k >= e.size) this.mayFail = true;
        return { ranges: w.ranges, layout: null };
      }
      default:
        throw new Error(`internal error: ${e.kind} is not a place`);
    }
  }

  /** Records what evaluating `e` reads, and whether it may fault. */
  expr(e: Expr): void {
    switch (e.kind) {
      case 'const': case 'self': case 'bound':
        return;
      case 'global': case 'local': case 'localOf': case 'field': case 'index':
        this.reads.push(...this.where(e).ranges);
        return;
      case 'unary':
        this.expr(e.operand);
        if (e.op === '-' && !isSafe(opInterval(this.env(), e))) this.mayFail = true;
        return;
      case 'binary': {
        this.expr(e.left);
        this.expr(e.right);
        const r = opInterval(this.env(), e);
        if (r !== null || isArith(e.op)) {
          if (!isSafe(r)) this.mayFail = true;
          if (e.op === '/' || e.op === '%') {
            const d = intervalOfExpr(this.env(), e.right);
            if (!d || (d[0] <= 0 && d[1] >= 0)) this.mayFail = true;
          }
        }
        return;
      }
      case 'cond':
        this.expr(e.cond);
        this.expr(e.then);
        this.expr(e.else);
        return;
      case 'quant':
        this.bound[e.depth] = [e.lo, e.hi];
        this.expr(e.body);
        this.bound[e.depth] = undefined;
        return;
      case 'struct':
        e.fields.forEach((f) => this.expr(f));
        return;
      case 'array':
        e.elements.forEach((x) => this.expr(x));
        return;
      case 'canAcquire': case 'lockFree':
        this.reads.push(...this.where(e.lock).ranges);
        return;
      case 'at': {
        this.expr(e.instance.index);
        for (const i of this.instancesOf(e.instance.actor, e.instance.index)) {
          const pc = this.layout.pcs[i]!;
          this.reads.push([pc.offset, pc.offset + pc.scalar.width]);
        }
        return;
      }
    }
  }

  /** A store of `value` (null: a value from lo..hi, or not known) into `target` of declared type `type`. */
  private store(target: Expr, value: Expr | null, type: Type, range?: Interval): void {
    if (value) this.expr(value);
    this.writes.push(...this.where(target).ranges);
    if (!fits(type, value ? intervalOfExpr(this.env(), value) : (range ?? null))) this.mayFail = true;
  }

  op(o: Op): void {
    switch (o.kind) {
      case 'assign':
        this.store(o.target, o.value, o.type);
        return;
      case 'check':
        this.expr(o.value);
        if (!fits(o.type, intervalOfExpr(this.env(), o.value))) this.mayFail = true;
        return;
      case 'pick':
        this.store(o.target, null, o.type, [o.lo, o.hi]);
        return;
      case 'assert': case 'warn':
        this.expr(o.cond);
        this.mayFail = true;
        return;
      case 'stores':
        o.stores.forEach((s) => this.store(s.target, s.value, s.type));
        return;
      case 'acquire': case 'release': {
        const r = this.where(o.lock).ranges;
        this.reads.push(...r);
        this.writes.push(...r);
        // Taking a lock one holds, or releasing one one does not, is a `locking` failure.
        this.mayFail = true;
        return;
      }
      case 'if':
        this.expr(o.cond);
        o.then.forEach((x) => this.op(x));
        o.else.forEach((x) => this.op(x));
        return;
      case 'choose':
        o.branches.forEach((b) => b.forEach((x) => this.op(x)));
        return;
    }
  }
}

function isArith(op: string): boolean {
  return op === '+' || op === '-' || op === '*' || op === '/' || op === '%';
}

/** Can every value in `r` be stored in `type` without a ranges failure? Booleans and enums are typed. */
function fits(type: Type, r: Interval | null): boolean {
  switch (type.kind) {
    case 'bool': case 'enum': return true;
    case 'int': return r !== null && r[0] >= type.lo && r[1] <= type.hi;
    case 'integer': return true;
    // An aggregate's leaves are checked one by one when stored: not looked into here.
    case 'struct': case 'array': case 'lock': return false;
  }
}

/** Does `e` read nothing but constants and `self`, so that it has one value per instance? */
function onlySelfAndConstants(e: Expr): boolean {
  switch (e.kind) {
    case 'const': case 'self': return true;
    case 'unary': return onlySelfAndConstants(e.operand);
    case 'binary': return onlySelfAndConstants(e.left) && onlySelfAndConstants(e.right);
    case 'cond': return onlySelfAndConstants(e.cond) && onlySelfAndConstants(e.then) && onlySelfAndConstants(e.else);
    default: return false;
  }
}

/** A state to evaluate constant expressions against: reading it at all is a bug in onlySelfAndConstants. */
const NO_STATE: State = new Proxy({} as State, {
  get() {
    throw new Error('internal error: a constant index read the state');
  },
});

/** The footprint of `step` taken by `instance`: its guard, its effect, and its own pc (read and written). */
export function stepFootprint(program: Program, layout: Layout, instance: number, step: Step): Footprint {
  const w = new Walker(program, layout, instance);
  if (step.guard) w.expr(step.guard);
  step.effect.forEach((o) => w.op(o));
  const pc = layout.pcs[instance]!;
  const own: Range = [pc.offset, pc.offset + pc.scalar.width];
  return { reads: [...w.reads, own], writes: [...w.writes, own], mayFail: w.mayFail };
}

/** What the guard of `step` reads: the steps that write it are the ones that may enable or disable it. */
export function guardReads(program: Program, layout: Layout, instance: number, step: Step): readonly Range[] {
  const w = new Walker(program, layout, instance);
  if (step.guard) w.expr(step.guard);
  return w.reads;
}

/** Everything the state properties read (invariants, reachable targets, liveness predicates): a step that writes any of it is visible. */
export function propertyReads(program: Program, layout: Layout): readonly Range[] {
  const w = new Walker(program, layout, null);
  for (const p of program.properties) {
    if (p.kind === 'invariant' || p.kind === 'reachable') w.expr(p.expr);
    if (p.kind === 'liveness') {
      if (p.p) w.expr(p.p);
      w.expr(p.q);
    }
  }
  return w.reads;
}
