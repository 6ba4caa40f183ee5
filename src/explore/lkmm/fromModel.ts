/**
 * A Weft model as a memory program, for `weft check --memory-model lkmm`
 * (issue 16): each actor instance a thread, each shared scalar a location,
 * each local a register, and the code of each instance its steps (the
 * IR's, so a step means what it means to both engines), unrolled and put
 * back into structured code by unroll.ts. What the IR does not say of the
 * kernel's annotations (READ_ONCE is a read of x under interleavings)
 * lowering noted beside it (lower/memory.ts): a read is plain unless a
 * marked read made it, and a builtin makes the event its table entry
 * names (check/builtins.ts `memory`), so the rule is written once.
 *
 * Properties are asked of each execution's end (properties.ts): an assert
 * or warning of each time one fails on the way, through a register set
 * where it fails.
 *
 * What has no meaning in an execution graph is refused with the reason,
 * never given another meaning: `atomic` blocks, `choose` and `pick`,
 * wait queues, completions, refcount_t, rwsems, RCU's grace periods, an
 * index the state decides, a conditional expression.
 */
import type { ActorInfo, Expr, Op, Program, Step } from '../../lower/ir.ts';
import type { Type, Value as WeftValue } from '../../check/types.ts';
import { readMode, fenceAt, useOf, type BuiltinUse } from '../../lower/memory.ts';
import type { Span } from '../../text/source.ts';
import type { LocRef, MemExpr, MemInstr, MemLocation, MemThread } from './program.ts';
import { NeedsBound, TooBig, unrollActor, type Target, type UNode } from './unroll.ts';
import type { Slice } from './slice.ts';

export class Refused extends Error {
  constructor(message: string, readonly span: Span) { super(message); }
}

/** The threads, with the registers fromModel added: where asserts fail, where a loop went past the bound, where an await did not pass. */
export interface Threads {
  readonly locations: readonly MemLocation[];
  readonly threads: readonly MemThread[];
  /** Per instance: property name → the register set to 1 where it fails. */
  readonly fails: readonly ReadonlyMap<string, string>[];
  /** Per instance: the register set to 1 where a loop goes round more often than the bound (null: none does). */
  readonly cuts: readonly (string | null)[];
  /** Per instance: the register set to 1 where an await would wait for ever. */
  readonly waits: readonly (string | null)[];
  /** The instance each thread is (all of them in order, unless a slice chose some: slice.ts). */
  readonly instances: readonly number[];
  /** The pc each instance stands at in the final state: its end, where its slice stops, or its start when it takes no part. */
  readonly finalPcs: readonly number[];
  /** The name of each scalar of a variable: `x`, `a[1]`, `s.f`, by root and path. */
  readonly slotName: (root: string, path: readonly number[], type: Type) => string;
}

/** Instructions one thread may have after unrolling, copies included. */
export const MAX_INSTRUCTIONS = 50_000;

export function memoryThreads(program: Program, bound: number | null, atomicSpans: ReadonlySet<Span>, modelGlobals = program.globals.length, slice: Slice | null = null): Threads {
  const locations: MemLocation[] = [];
  program.globals.forEach((g, i) => {
    // RCU's own state (lower/rcu.ts) is no location: its fences stand for it.
    if (i >= modelGlobals) return;
    for (const leaf of leaves(g.type, g.init, [])) {
      const name = slotName(g.name, leaf.path, g.type);
      if (leaf.type.kind === 'lock') {
        // An rwsem is refused where a thread takes it (lockInstr): a slice (--actors) may leave its users out.
        if (leaf.type.lock === 'rwsem') continue;
        locations.push({ name, init: 0, lock: true });
      } else locations.push({ name, init: scalar(leaf.value), lock: false });
    }
  });
  const instances = program.instances.map((_, i) => i).filter((i) => slice === null || slice.has(i));
  const writers = instances.map((i) => new ThreadWriter(program, i, program.actors[program.instances[i]!.actor]!, atomicSpans, modelGlobals));
  const threads = writers.map((w, t) => { const part = slice?.get(instances[t]!); return w.write(bound, part?.from ?? 0, part?.to ?? null); });
  const finalPcs = program.instances.map((inst, i) => {
    if (slice === null) return program.actors[inst.actor]!.endPc;
    const part = slice.get(i);
    return part ? part.to ?? program.actors[inst.actor]!.endPc : 0;
  });
  return {
    locations, threads, instances, finalPcs,
    fails: writers.map((w) => w.fails), cuts: writers.map((w) => w.cutReg), waits: writers.map((w) => w.waitReg),
    slotName,
  };
}

export { NeedsBound, TooBig };

interface Leaf { readonly path: readonly number[]; readonly type: Type; readonly value: WeftValue }

/** The scalars of a value of `type`, with their paths (array indexes, field numbers). */
export function leaves(type: Type, value: WeftValue, path: readonly number[]): Leaf[] {
  if (type.kind === 'array') {
    if (type.waitQueue) return [];
    return Array.from({ length: type.size }, (_, i) => leaves(type.element, (value as readonly WeftValue[])[i]!, [...path, i])).flat();
  }
  if (type.kind === 'struct') return type.fields.flatMap((f, i) => leaves(f.type, (value as readonly WeftValue[])[i]!, [...path, i]));
  return [{ path, type, value }];
}

export function slotName(root: string, path: readonly number[], type: Type): string {
  let name = root;
  let t = type;
  for (const i of path) {
    if (t.kind === 'array') { name += `[${i}]`; t = t.element; }
    else if (t.kind === 'struct') { name += `.${t.fields[i]!.name}`; t = t.fields[i]!.type; }
  }
  return name;
}

/** A scalar as the memory program has it: true is 1, an enum member its ordinal. */
export function scalar(v: WeftValue): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  throw new Error('internal error: an aggregate where a scalar was expected');
}

type Place = { readonly root: 'global' | 'local'; readonly index: number; readonly path: readonly number[] };

class ThreadWriter {
  readonly fails = new Map<string, string>();
  cutReg: string | null = null;
  waitReg: string | null = null;
  private readonly taken = new Set<string>();
  private temps = 0;
  private size = 0;
  /** The registers holding the result of an RMW a condition tests, by the call's span. */
  private readonly results = new Map<Span, string>();

  /** The span of the step emitted last: synchronize_rcu() is two steps of one statement, and one fence. */
  private lastSpan: Span | null = null;

  constructor(private readonly p: Program, private readonly instance: number, private readonly actor: ActorInfo, private readonly atomicSpans: ReadonlySet<Span>,
    private readonly modelGlobals: number) {
    for (const l of actor.locals) this.taken.add(l.name);
  }

  write(bound: number | null, from: number, stop: number | null): MemThread {
    const steps = this.p.steps;
    let u;
    try {
      u = unrollActor(this.actor, steps, bound, from, stop);
    } catch (e) {
      if (e instanceof TooBig) throw new Refused(`actor ${this.actor.name} unrolls into too many steps (lower --unroll)`, this.actor.span);
      throw e;
    }
    const body = this.emit(u.entry, undefined, u);
    const registers = new Map<string, number>();
    this.actor.locals.forEach((l) => {
      for (const leaf of leaves(l.type, l.init, [])) registers.set(slotName(l.name, leaf.path, l.type), scalar(leaf.value));
    });
    return { name: this.p.instances[this.instance]!.name, body, registers };
  }

  private fresh(base: string): string {
    let name = base;
    while (this.taken.has(name)) name = `${base}${++this.temps}`;
    this.taken.add(name);
    return name;
  }

  private set(reg: string, span: Span): MemInstr {
    return { kind: 'assign', reg, value: { kind: 'const', value: 1 }, span };
  }

  /** The code from `n` until `stop` (the postdominator where the enclosing branch's sides meet), or the end. */
  private emit(start: Target, stop: UNode | undefined, u: ReturnType<typeof unrollActor>): MemInstr[] {
    const out: MemInstr[] = [];
    let n: Target | undefined = start;
    while (n !== undefined && n !== stop) {
      if (n === 'cut') {
        this.cutReg ??= this.fresh('unrolled');
        out.push(this.set(this.cutReg, this.actor.span));
        return out;
      }
      if (u.isEnd(n)) return out;
      if (++this.size > MAX_INSTRUCTIONS) throw new Refused(`actor ${this.actor.name} unrolls into too many steps (lower --unroll)`, this.actor.span);
      const node: UNode = n;
      const [a, b] = node.out;
      if (!a) throw new Refused(`a step of ${this.actor.name} that can never go on`, this.actor.span);
      if (b && node.out.length === 2 && a.step.branch === true && b.step.branch === false) {
        const join = u.ipdom(node) ?? undefined;
        const tested = this.condition(a.step, out);
        const then = [...this.ops(a.step.effect, a.step.span, tested.made), ...this.emit(a.to, join, u)];
        const els = [...this.ops(b.step.effect, b.step.span, tested.made), ...this.emit(b.to, join, u)];
        out.push({ kind: 'if', cond: tested.cond, then, else: els, span: a.step.span });
        // A dead branch point (neither side reaches the end) runs each side to its cut.
        if (join === undefined) return out;
        n = join;
        continue;
      }
      if (b) throw new Refused(`a choice between steps ('choose' has no meaning in one execution)`, a.step.span);
      out.push(...this.step(a.step));
      n = a.to;
    }
    return out;
  }

  /** One step that is not a branch: it may wait for a lock (its acquire does that) or for an await's condition. */
  private step(step: Step): MemInstr[] {
    if (this.atomicSpans.has(step.span)) throw new Refused(`an atomic block (the LKMM has no atomic steps but the kernel's RMWs)`, step.span);
    const out: MemInstr[] = [];
    const fence = fenceAt(step.span);
    if (fence && this.lastSpan !== step.span) out.push({ kind: 'fence', fence, span: step.span });
    this.lastSpan = step.span;
    // A wait for RCU's own state (a grace period) is the sync-rcu fence's to order.
    const g = step.guard && this.readsOnlyRcu(step.guard) ? null : step.guard;
    if (g && g.kind !== 'canAcquire') {
      if (step.condition?.keyword !== 'await') throw new Refused(`a step that waits (${step.label})`, step.span);
      // A spin loop that exits once it reads what it waits for: one read, and the executions in which it does not are left out.
      const cond = this.expr(g, out, step.span);
      this.waitReg ??= this.fresh('waits');
      out.push({ kind: 'if', cond: { kind: 'not', operand: cond }, then: [this.set(this.waitReg, step.span)], else: [], span: step.span });
    }
    out.push(...this.ops(step.effect, step.span, null));
    return out;
  }

  /**
   * The condition of an if or while step. A builtin that acts in it (an
   * RMW, a trylock) is made first, into a register the condition reads;
   * each branch's step carries the builtin's effect too, which `made`
   * names so that the branches leave it out.
   */
  private condition(yes: Step, out: MemInstr[]): { cond: MemExpr; made: Span | null } {
    const op = yes.effect.find((o) => { const use = useOf(o); return use !== null && use.builtin.group !== 'warning'; });
    if (!op) return { cond: this.expr(yes.guard!, out, yes.span), made: null };
    const use = useOf(op)!;
    const reg = this.fresh('t');
    this.builtin(use, op, reg, yes.span, out);
    this.results.set(use.span, reg);
    try {
      return { cond: this.expr(yes.guard!, out, yes.span), made: use.span };
    } finally {
      this.results.delete(use.span);
    }
  }

  /** Whether an expression reads RCU's own state and nothing else of the state. */
  private readsOnlyRcu(e: Expr): boolean {
    let rcu = false, other = false;
    const visit = (x: Expr): void => {
      if (x.kind === 'global') { if (x.index >= this.modelGlobals) rcu = true; else other = true; return; }
      if (x.kind === 'local' || x.kind === 'localOf') { other = true; return; }
      for (const v of Object.values(x)) if (v && typeof v === 'object' && 'kind' in v) visit(v as Expr);
    };
    visit(e);
    return rcu && !other;
  }

  /** Whether an op is RCU's bookkeeping (lower/rcu.ts): a store to its state, or a check that reads it. */
  private isRcuBookkeeping(op: Op): boolean {
    if (op.kind === 'assign') { const t = this.place(op.target, op.span); return t.root === 'global' && t.index >= this.modelGlobals; }
    if (op.kind === 'assert' || op.kind === 'warn') return this.readsOnlyRcu(op.cond);
    return false;
  }

  /** A step's ops; `made`: the builtin of a branch's condition, made already. */
  private ops(ops: readonly Op[], span: Span, made: Span | null): MemInstr[] {
    const out: MemInstr[] = [];
    const done = new Set<BuiltinUse>();
    for (const op of ops) {
      const use = useOf(op);
      if (this.isRcuBookkeeping(op)) continue;
      // A builtin's own checks (rcu_dereference outside a read-side section) are Weft's, not the LKMM's.
      if (use && use.builtin.group !== 'warning' && (op.kind === 'warn' || op.kind === 'assert' || op.kind === 'check')) continue;
      // rcu_read_lock() and rcu_read_unlock() are their fences (step()); their ops are RCU's bookkeeping.
      if (use && use.builtin.memory?.kind === 'fence') continue;
      if (use && use.builtin.group !== 'warning') {
        // One call is one event, however many ops lowering made of it (a store and its range checks).
        if (done.has(use) || use.span === made) continue;
        done.add(use);
        this.builtin(use, op, null, span, out);
        if (use.builtin.memory?.kind === 'store' && use.builtin.memory.fenceAfter) out.push({ kind: 'fence', fence: 'mb', span });
        continue;
      }
      out.push(...this.op(op, out, span));
    }
    return out;
  }

  private op(op: Op, out: MemInstr[], span: Span): MemInstr[] {
    switch (op.kind) {
      case 'assign': {
        const target = this.place(op.target, span);
        if (target.root === 'global') return [{ kind: 'store', loc: this.locRef(target), value: this.expr(op.value, out, span), mode: 'plain', span }];
        const reg = this.regOf(target);
        const read = this.readPlace(op.value);
        if (read) return [{ kind: 'load', reg, loc: this.locRef(read), mode: readMode(op.value), span }];
        return [{ kind: 'assign', reg, value: this.expr(op.value, out, span), span }];
      }
      // A store through a parameter checked against its range: `ranges`, which this mode does not decide.
      case 'check': return [];
      case 'assert': case 'warn': {
        const cond = this.expr(op.cond, out, span);
        let reg = this.fails.get(op.property);
        if (!reg) { reg = this.fresh(`fails_${op.property.replace(/[^A-Za-z0-9_]/g, '_')}`); this.fails.set(op.property, reg); }
        return [{ kind: 'if', cond: { kind: 'not', operand: cond }, then: [this.set(reg, op.span)], else: [], span: op.span }];
      }
      case 'acquire': case 'release': return [this.lockInstr(op.kind === 'acquire' ? 'lock' : 'unlock', op.lock, op.mode, span)];
      case 'stores': throw new Refused('several stores in one step', span);
      case 'pick': throw new Refused(`'pick' (an execution has no choices but which write each read sees)`, op.span);
      case 'choose': throw new Refused(`'choose' (an execution has no choices but which write each read sees)`, span);
      case 'if': throw new Refused('an atomic block', span);
    }
  }

  private lockInstr(kind: 'lock' | 'unlock', lock: Expr, mode: string, span: Span): MemInstr {
    const place = this.place(lock, span);
    if (mode !== 'exclusive' || this.isRwsem(place)) throw new Refused('an rwsem (the LKMM has spinlocks only)', span);
    return { kind, loc: this.locRef(place), span };
  }

  private isRwsem(p: Place): boolean {
    if (p.root !== 'global') return false;
    let t = this.p.globals[p.index]!.type;
    for (const i of p.path) t = t.kind === 'array' ? t.element : t.kind === 'struct' ? t.fields[i]!.type : t;
    return t.kind === 'lock' && t.lock === 'rwsem';
  }

  /** A builtin's one event (check/builtins.ts `memory`), after the reads of its operands; `reg` receives its value, or the op's own target does. */
  private builtin(use: BuiltinUse, op: Op, reg: string | null, span: Span, out: MemInstr[]): void {
    const bi = use.builtin;
    const m = bi.memory;
    if (!m) throw new Refused(`${bi.name} (the LKMM mode takes the kernel's marked accesses, barriers, atomics and spinlocks)`, span);
    const target = (): Place => this.place(use.target!, span);
    const into = (): string | null => {
      if (reg) return reg;
      if (op.kind === 'stores') return this.regOf(this.place(op.stores[1]!.target, span));
      if (op.kind === 'assign' && m.kind !== 'store' && m.kind !== 'rmw') return this.regOf(this.place(op.target, span));
      if (op.kind === 'if') {
        const stored = op.then.find((o) => o.kind === 'assign');
        return stored ? this.regOf(this.place(stored.target, span)) : null;
      }
      return null;
    };
    const value = (e: Expr | null): MemExpr => this.expr(e!, out, span);
    let instr: MemInstr;
    switch (m.kind) {
      case 'load': instr = { kind: 'load', reg: into() ?? this.fresh('t'), loc: this.locRef(target()), mode: m.mode, span }; break;
      case 'store': instr = { kind: 'store', loc: this.locRef(target()), value: value(use.args[bi.args.findIndex((a) => a.kind === 'like-target' || a.kind === 'int')] ?? null), mode: m.mode, span }; break;
      case 'rmw': {
        const operands = m.operands.map((o) => (typeof o === 'number' ? { kind: 'const', value: o } as MemExpr : value(use.args[o.arg] ?? null)));
        instr = { kind: 'rmw', reg: into(), loc: this.locRef(target()), op: m.op, operands, mode: m.mode, result: m.result, span };
        break;
      }
      case 'fence': instr = { kind: 'fence', fence: m.fence, span }; break;
      case 'lock': case 'unlock': instr = { kind: m.kind, loc: this.locRef(target()), span }; break;
      case 'trylock': case 'islocked': instr = { kind: m.kind, reg: into() ?? this.fresh('t'), loc: this.locRef(target()), span }; break;
    }
    out.push(instr);
  }

  /** A place the IR names: a variable and the constant path into it. */
  private place(e: Expr, span: Span): Place {
    switch (e.kind) {
      case 'global': return { root: 'global', index: e.index, path: [] };
      case 'local': return { root: 'local', index: e.index, path: [] };
      case 'field': { const p = this.place(e.object, span); return { ...p, path: [...p.path, e.field] }; }
      case 'index': {
        const p = this.place(e.object, span);
        const i = e.index.kind === 'self' ? this.p.instances[this.instance]!.self : e.index.kind === 'const' ? e.index.value : null;
        if (typeof i !== 'number') throw new Refused('an index the state decides (a location must be known before the execution: index with constants or self)', e.span);
        if (i < 0 || i >= e.size) throw new Refused(`index ${i} outside 0..${e.size - 1}`, e.span);
        return { ...p, path: [...p.path, i] };
      }
      default: throw new Refused('an expression where a variable was expected', span);
    }
  }

  private readPlace(e: Expr): Place | null {
    if (e.kind !== 'global' && e.kind !== 'field' && e.kind !== 'index') return null;
    try {
      const p = this.place(e, { start: 0, end: 0 });
      return p.root === 'global' ? p : null;
    } catch { return null; }
  }

  private locRef(p: Place): LocRef {
    const g = this.p.globals[p.index]!;
    if (p.root !== 'global') throw new Error('internal error: a local as a location');
    return { kind: 'const', value: { loc: slotName(g.name, p.path, g.type) } };
  }

  private regOf(p: Place): string {
    if (p.root !== 'local') throw new Error('internal error: a shared variable as a register');
    const l = this.actor.locals[p.index]!;
    return slotName(l.name, p.path, l.type);
  }

  /** An expression of actor code; each read of shared memory is a load, in `out`, into a register of its own. */
  private expr(e: Expr, out: MemInstr[], span: Span): MemExpr {
    const use = useOf(e);
    // WARN_ON(c) gives c: its warning is an op of the step.
    if (use && use.builtin.group !== 'warning') {
      const reg = this.results.get(use.span);
      if (reg) return { kind: 'reg', reg };
      if (use.builtin.memory?.kind === 'islocked') {
        const t = this.fresh('t');
        out.push({ kind: 'islocked', reg: t, loc: this.locRef(this.place(use.target!, span)), span });
        return { kind: 'reg', reg: t };
      }
      throw new Refused(`${use.builtin.name} inside an expression (give its value to a local first)`, use.span);
    }
    switch (e.kind) {
      case 'const': return { kind: 'const', value: scalar(e.value) };
      case 'self': return { kind: 'const', value: this.p.instances[this.instance]!.self };
      case 'global': case 'local': case 'field': case 'index': {
        const p = this.place(e, span);
        if (p.root === 'local') return { kind: 'reg', reg: this.regOf(p) };
        const reg = this.fresh('t');
        out.push({ kind: 'load', reg, loc: this.locRef(p), mode: readMode(e), span });
        return { kind: 'reg', reg };
      }
      case 'unary': { const x = this.expr(e.operand, out, span); return e.op === '!' ? { kind: 'not', operand: x } : { kind: 'neg', operand: x }; }
      case 'binary': {
        const left = this.expr(e.left, out, span);
        const right = this.expr(e.right, out, span);
        if (e.op === '->') return { kind: 'binary', op: '||', left: { kind: 'not', operand: left }, right };
        return { kind: 'binary', op: e.op, left, right };
      }
      case 'cond': throw new Refused('a conditional expression (c ? a : b): write an if', span);
      case 'canAcquire': case 'lockFree': throw new Refused('a lock tested in an expression', span);
      case 'quant': case 'bound': case 'at': case 'localOf': case 'struct': case 'array':
        throw new Refused('an aggregate or a property expression in actor code', span);
    }
  }
}
