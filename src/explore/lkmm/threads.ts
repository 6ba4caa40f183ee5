/**
 * Each thread on its own: every way it can run, given the values each
 * location may hold, as the events herd7's C semantics give it (herd/CSem.ml
 * with linux-kernel.def's macros): the accesses with their annotations,
 * the fences, the lock events, and the dependencies between them. Which
 * write a read saw is decided later (candidates.ts); here a read simply
 * takes each value its location may hold, and the run records it.
 *
 * The rules, from CSem.ml:
 *   - a value-returning RMW in its fully ordered form is `F[mb] R W F[mb]`,
 *     _acquire puts Acquire on R, _release Release on W, _relaxed neither;
 *     a void atomic op (atomic_add) is `R[noreturn] W[once]`, no fence;
 *   - a failed cmpxchg or atomic_add_unless is its read alone, 'once', no
 *     fence; both outcomes are runs, kept when the value read fits;
 *   - spin_lock is LKR then LKW; spin_trylock is those or LF;
 *     spin_is_locked is RL (true) or RU (false); spin_unlock is UL;
 *   - dependencies: addr from the reads an address was computed from,
 *     data from those a stored value was computed from (and R to W inside
 *     an arithmetic RMW), ctrl from those an `if` tested to every event
 *     inside its branches (not after them: herd's structured control);
 *   - the events of one instruction are ordered in po as listed.
 */
import { ARITH, isFault, neg } from '../../state/arith.ts';
import type { FenceKind, MemExpr, MemInstr, MemProgram, MemThread, RmwOp, Value } from './program.ts';

export type EventKind = 'R' | 'W' | 'F' | 'LKR' | 'LKW' | 'UL' | 'LF' | 'RL' | 'RU';

/** R and W: plain, once, acquire, release, noreturn; F: the fence's kind. */
export type Annotation = 'plain' | 'once' | 'acquire' | 'release' | 'noreturn' | FenceKind | null;

export interface ThreadEvent {
  readonly kind: EventKind;
  readonly loc: string | null;
  /** The value read or written (R, W); null for fences and lock events. */
  readonly value: Value | null;
  readonly annot: Annotation;
  /** Part of an atomic instruction (the cat's RMW set). */
  readonly atomic: boolean;
  /** The instruction it comes from, for counterexamples. */
  readonly instr: MemInstr;
}

export interface ThreadRun {
  readonly events: readonly ThreadEvent[];
  readonly addr: readonly (readonly [number, number])[];
  readonly data: readonly (readonly [number, number])[];
  readonly ctrl: readonly (readonly [number, number])[];
  /** The read and write of each successful RMW. */
  readonly rmw: readonly (readonly [number, number])[];
  readonly registers: ReadonlyMap<string, Value>;
}

export class LkmmError extends Error {
  constructor(message: string, readonly instr: MemInstr | null) { super(message); }
}

/** A register's value and the reads (event indices in the run) it was computed from. */
interface Tainted { readonly v: Value; readonly deps: readonly number[] }

/** The values each location may hold: a location's key → its values. */
export type ValueSets = ReadonlyMap<string, readonly Value[]>;

export function valueKey(v: Value): string {
  return typeof v === 'number' ? String(v) : `&${v.loc}`;
}

export function sameValue(a: Value, b: Value): boolean {
  return valueKey(a) === valueKey(b);
}

/**
 * Every run of one thread. `limit` bounds the number of runs (a thread
 * that branches on many values); `observe` sees every value a register is
 * given, on every run (the import sizes registers' ranges with it).
 */
export function threadRuns(thread: MemThread, values: ValueSets, limit = 100_000, observe?: (reg: string, v: Value) => void): ThreadRun[] {
  const runs: ThreadRun[] = [];
  const start: State = {
    observe, events: [], addr: [], data: [], ctrl: [], rmw: [],
    regs: new Map([...thread.registers].map(([r, v]) => [r, { v, deps: [] }])),
  };
  const walk = (code: readonly MemInstr[], at: number, s: State, ctrl: readonly number[], k: (s: State) => void): void => {
    if (at === code.length) { k(s); return; }
    const instr = code[at]!;
    const next = (t: State): void => walk(code, at + 1, t, ctrl, k);
    if (instr.kind === 'if') {
      const c = evaluate(instr.cond, s, instr);
      const inner = union(ctrl, c.deps);
      walk(truthy(c.v, instr) ? instr.then : instr.else, 0, s, inner, next);
      return;
    }
    let after: State[];
    try { after = step(instr, s, ctrl, values); } catch (e) { if (e instanceof Unreachable) return; throw e; }
    for (const t of after) next(t);
  };
  walk(thread.body, 0, start, [], (s) => {
    if (runs.length >= limit) throw new LkmmError(`${thread.name} has more than ${limit} runs`, null);
    runs.push({ events: s.events, addr: s.addr, data: s.data, ctrl: s.ctrl, rmw: s.rmw, registers: new Map([...s.regs].map(([r, t]) => [r, t.v])) });
  });
  return runs;
}

interface State {
  readonly observe: ((reg: string, v: Value) => void) | undefined;
  readonly events: readonly ThreadEvent[];
  readonly addr: readonly (readonly [number, number])[];
  readonly data: readonly (readonly [number, number])[];
  readonly ctrl: readonly (readonly [number, number])[];
  readonly rmw: readonly (readonly [number, number])[];
  readonly regs: ReadonlyMap<string, Tainted>;
}

/** Builds one run's continuation: events appended with their dependencies. */
class Builder {
  private readonly events: ThreadEvent[];
  private readonly addr: [number, number][];
  private readonly data: [number, number][];
  private readonly ctrlEdges: [number, number][];
  private readonly rmw: [number, number][];
  private readonly regs: Map<string, Tainted>;

  private readonly observe: State['observe'];

  constructor(s: State, private readonly ctrl: readonly number[], private readonly instr: MemInstr) {
    this.observe = s.observe;
    this.events = [...s.events];
    this.addr = [...s.addr] as [number, number][];
    this.data = [...s.data] as [number, number][];
    this.ctrlEdges = [...s.ctrl] as [number, number][];
    this.rmw = [...s.rmw] as [number, number][];
    this.regs = new Map(s.regs);
  }

  event(e: Omit<ThreadEvent, 'instr'>, addrDeps: readonly number[] = [], dataDeps: readonly number[] = []): number {
    const i = this.events.length;
    this.events.push({ ...e, instr: this.instr });
    for (const d of addrDeps) this.addr.push([d, i]);
    for (const d of dataDeps) this.data.push([d, i]);
    for (const d of this.ctrl) this.ctrlEdges.push([d, i]);
    return i;
  }

  fence(kind: FenceKind): void { this.event({ kind: 'F', loc: null, value: null, annot: kind, atomic: false }); }
  pairRmw(r: number, w: number): void { this.rmw.push([r, w]); }
  dataDep(r: number, w: number): void { this.data.push([r, w]); }
  set(reg: string | null, t: Tainted): void { if (reg !== null) { this.regs.set(reg, t); this.observe?.(reg, t.v); } }
  done(): State { return { observe: this.observe, events: this.events, addr: this.addr, data: this.data, ctrl: this.ctrlEdges, rmw: this.rmw, regs: this.regs }; }
}

/** The states after one instruction (other than `if`): one per value a read may take, or per outcome. */
function step(instr: Exclude<MemInstr, { kind: 'if' }>, s: State, ctrl: readonly number[], values: ValueSets): State[] {
  const out: State[] = [];
  const b = (): Builder => new Builder(s, ctrl, instr);
  switch (instr.kind) {
    case 'assign': {
      const x = b();
      x.set(instr.reg, evaluate(instr.value, s, instr));
      return [x.done()];
    }
    case 'fence': {
      const x = b();
      x.fence(instr.fence);
      return [x.done()];
    }
    case 'load': {
      const at = address(instr.loc, s, instr);
      for (const v of valuesAt(values, at.loc, instr)) {
        const x = b();
        const r = x.event({ kind: 'R', loc: at.loc, value: v, annot: instr.mode, atomic: false }, at.deps);
        x.set(instr.reg, { v, deps: [r] });
        out.push(x.done());
      }
      return out;
    }
    case 'store': {
      const at = address(instr.loc, s, instr);
      const val = evaluate(instr.value, s, instr);
      const x = b();
      x.event({ kind: 'W', loc: at.loc, value: val.v, annot: instr.mode, atomic: false }, at.deps, val.deps);
      return [x.done()];
    }
    case 'lock': case 'unlock': {
      const at = address(instr.loc, s, instr);
      const x = b();
      if (instr.kind === 'lock') lockEvents(x, at);
      else x.event({ kind: 'UL', loc: at.loc, value: null, annot: null, atomic: false }, at.deps);
      return [x.done()];
    }
    case 'trylock': case 'islocked': {
      const at = address(instr.loc, s, instr);
      const yes = b();
      if (instr.kind === 'trylock') lockEvents(yes, at);
      else yes.event({ kind: 'RL', loc: at.loc, value: null, annot: null, atomic: false }, at.deps);
      yes.set(instr.reg, { v: 1, deps: [] });
      const no = b();
      no.event({ kind: instr.kind === 'trylock' ? 'LF' : 'RU', loc: at.loc, value: null, annot: null, atomic: false }, at.deps);
      no.set(instr.reg, { v: 0, deps: [] });
      return [yes.done(), no.done()];
    }
    case 'rmw': return rmwRuns(instr, s, ctrl, values);
  }
}

function lockEvents(x: Builder, at: { loc: string; deps: readonly number[] }): void {
  x.event({ kind: 'LKR', loc: at.loc, value: null, annot: null, atomic: false }, at.deps);
  x.event({ kind: 'LKW', loc: at.loc, value: null, annot: null, atomic: false }, at.deps);
}

function rmwRuns(instr: MemInstr & { kind: 'rmw' }, s: State, ctrl: readonly number[], values: ValueSets): State[] {
  const at = address(instr.loc, s, instr);
  const ops = instr.operands.map((e) => evaluate(e, s, instr));
  const out: State[] = [];
  const ordered = instr.mode === 'mb';
  const rAnnot: Annotation = instr.result === 'none' ? 'noreturn' : instr.mode === 'acquire' ? 'acquire' : 'once';
  const wAnnot: Annotation = instr.mode === 'release' ? 'release' : 'once';
  for (const old of valuesAt(values, at.loc, instr)) {
    const x = new Builder(s, ctrl, instr);
    // The outcomes that fail write nothing, and make neither fence nor ordering: their read is 'once'.
    const fails = (instr.op === 'cmpxchg' && !sameValue(old, ops[0]!.v)) || (instr.op === 'add_unless' && sameValue(old, ops[1]!.v));
    if (fails) {
      const r = x.event({ kind: 'R', loc: at.loc, value: old, annot: 'once', atomic: true }, at.deps);
      x.set(instr.reg, instr.op === 'add_unless' ? { v: 0, deps: [] } : { v: old, deps: [r] });
      out.push(x.done());
      continue;
    }
    const written = newValue(instr.op, old, ops, instr);
    if (ordered) x.fence('mb');
    const r = x.event({ kind: 'R', loc: at.loc, value: old, annot: rAnnot, atomic: true }, at.deps);
    const arithmetic = instr.op !== 'xchg' && instr.op !== 'cmpxchg';
    const valueDeps = instr.op === 'cmpxchg' ? ops[1]!.deps : ops[0]!.deps;
    const w = x.event({ kind: 'W', loc: at.loc, value: written, annot: wAnnot, atomic: true }, at.deps, valueDeps);
    if (arithmetic) x.dataDep(r, w);
    x.pairRmw(r, w);
    if (ordered) x.fence('mb');
    const fromNew = union([r], valueDeps);
    const result: Tainted =
      instr.result === 'old' ? { v: old, deps: [r] }
      : instr.result === 'new' ? { v: written, deps: fromNew }
      : instr.result === 'zero' ? { v: num(written, instr) === 0 ? 1 : 0, deps: fromNew }
      : instr.result === 'negative' ? { v: num(written, instr) < 0 ? 1 : 0, deps: fromNew }
      : { v: 1, deps: [] };
    if (instr.result !== 'none') x.set(instr.reg, result);
    out.push(x.done());
  }
  return out;
}

function newValue(op: RmwOp, old: Value, ops: readonly Tainted[], instr: MemInstr): Value {
  switch (op) {
    case 'xchg': return ops[0]!.v;
    case 'cmpxchg': return ops[1]!.v;
    case 'add': case 'add_unless': return arith('+', old, ops[0]!.v, instr);
    case 'sub': return arith('-', old, ops[0]!.v, instr);
    case 'and': return arith('&', old, ops[0]!.v, instr);
    case 'or': return arith('|', old, ops[0]!.v, instr);
    case 'xor': return arith('^', old, ops[0]!.v, instr);
  }
}

function address(e: MemExpr, s: State, instr: MemInstr): { loc: string; deps: readonly number[] } {
  const a = evaluate(e, s, instr);
  if (typeof a.v === 'number') throw new Unreachable();
  return { loc: a.v.loc, deps: a.deps };
}

/**
 * An access through a register that holds a number, not an address:
 * herd7 has no location for it and drops the run (a test like
 * C-RomanPenyaev-list-rcu-rr reads through a pointer that may be 0).
 */
export class Unreachable extends Error {}

function valuesAt(values: ValueSets, loc: string, instr: MemInstr): readonly Value[] {
  const vs = values.get(loc);
  if (!vs) throw new LkmmError(`'${loc}' is not a location of the test`, instr);
  return vs;
}

function evaluate(e: MemExpr, s: State, instr: MemInstr): Tainted {
  switch (e.kind) {
    case 'const': return { v: e.value, deps: [] };
    case 'reg': return s.regs.get(e.reg) ?? { v: 0, deps: [] };
    case 'not': { const x = evaluate(e.operand, s, instr); return { v: truthy(x.v, instr) ? 0 : 1, deps: x.deps }; }
    case 'neg': { const x = evaluate(e.operand, s, instr); const v = neg(num(x.v, instr)); return { v: isFault(v) ? 0 : v, deps: x.deps }; }
    case 'binary': {
      const [l, r] = [evaluate(e.left, s, instr), evaluate(e.right, s, instr)];
      return { v: arith(e.op, l.v, r.v, instr), deps: union(l.deps, r.deps) };
    }
  }
}

function arith(op: string, a: Value, b: Value, instr: MemInstr): Value {
  if (op === '==') return sameValue(a, b) ? 1 : 0;
  if (op === '!=') return sameValue(a, b) ? 0 : 1;
  if (op === '&&') return truthy(a, instr) && truthy(b, instr) ? 1 : 0;
  if (op === '||') return truthy(a, instr) || truthy(b, instr) ? 1 : 0;
  const [x, y] = [num(a, instr), num(b, instr)];
  switch (op) {
    // Weft's arithmetic, defined once (state/arith.ts): exact integers, C's division, and a fault past 2^53.
    case '+': case '-': case '*': case '/': case '%': {
      const r = ARITH[op](x, y);
      if (isFault(r)) throw new LkmmError(r.kind === 'overflow' ? 'an arithmetic overflow' : 'a division by zero', instr);
      return r;
    }
    case '&': return x & y;
    case '|': return x | y;
    case '^': return x ^ y;
    case '<': return x < y ? 1 : 0;
    case '<=': return x <= y ? 1 : 0;
    case '>': return x > y ? 1 : 0;
    case '>=': return x >= y ? 1 : 0;
  }
  throw new LkmmError(`unknown operator '${op}'`, instr);
}

function num(v: Value, instr: MemInstr): number {
  if (typeof v !== 'number') throw new LkmmError(`arithmetic on the address of '${v.loc}'`, instr);
  return v;
}

function truthy(v: Value, instr: MemInstr): boolean {
  // A pointer is never NULL here: NULL is the number 0.
  return typeof v === 'number' ? v !== 0 : instr.kind !== undefined;
}

function union(a: readonly number[], b: readonly number[]): readonly number[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

/**
 * The values each location may hold: the initial values, then every value
 * some run of some thread stores, until nothing new appears (a value a
 * read sees was written by a write of the same execution, whose own reads
 * saw values of the set, and so on back to the initial state).
 *
 * A value first found in round k is the end of a chain of k writes, each
 * computed from a value the one before wrote. One execution has each of
 * its writes once, so past as many rounds as the program has writes the
 * chain repeats a write: the value depends on itself, which no execution
 * can have (two atomic_dec()s of 2 reach 0, not the -1 a read of the
 * other's own result would give). The sets stop growing there.
 */
export function valueSets(program: MemProgram): ValueSets {
  const sets = new Map<string, Value[]>(program.locations.map((l) => [l.name, [l.init]]));
  const rounds = program.threads.reduce((n, t) => n + writesIn(t.body), 0) + 1;
  for (let round = 0; round < rounds; round++) {
    let grew = false;
    for (const t of program.threads) {
      for (const run of threadRuns(t, sets)) {
        for (const e of run.events) {
          if (e.kind !== 'W' || e.loc === null || e.value === null) continue;
          const vs = sets.get(e.loc)!;
          if (!vs.some((v) => sameValue(v, e.value!))) { vs.push(e.value); grew = true; }
        }
      }
    }
    if (!grew) break;
  }
  return sets;
}

/** The instructions that may write (a store, an RMW), on the longest path through the code. */
function writesIn(body: readonly MemInstr[]): number {
  let n = 0;
  for (const i of body) {
    if (i.kind === 'store' || i.kind === 'rmw') n++;
    if (i.kind === 'if') n += Math.max(writesIn(i.then), writesIn(i.else));
  }
  return n;
}
