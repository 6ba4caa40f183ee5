/**
 * Phase 3: a checked model becomes the IR. Each actor body is flattened into
 * steps between program counters. What is one step:
 *   - an assignment, await, pick, assert, skip, lock operation: one step;
 *   - `if`/`while`: reading the condition is a step of its own (two steps
 *     leave the pc, guarded by the condition and its negation), unless the
 *     condition is constant (options, consts), which takes no step;
 *   - `atomic {}`: one step for the whole block;
 *   - `choose`: no step of its own; the first step of each branch leaves the
 *     same pc (a branch that starts with a loop or `break` gets a `skip`);
 *   - a call, a block, `break`, `continue`, `loop`: no step, only control
 *     flow (`for` was unrolled by the checker into blocks of copies);
 *   - a kernel builtin: one step, but `wait_event`, the steps of the
 *     kernel's macro (lower/waitq.ts).
 * Control flow that takes no step is resolved by merging program counters.
 */
import type * as A from '../syntax/ast.ts';
import type { Checked } from '../check/check.ts';
import type { ActorSig, Ctx } from '../check/context.ts';
import { lowerExpr, placeType, type Frame, type Positions } from './expressions.ts';
import { enterCall, storeChecks } from './calls.ts';
import type { ActorInfo, Expr, Instance, LockMode, Op, OptionValue, Program, Property, Step, VarInfo } from './ir.ts';
import type { Span } from '../text/source.ts';
import { forEachStmt, unrolledAway } from '../syntax/walk.ts';
import { builtinAssignOps, builtinOf, builtinStmtOps, conditionActs, conditionOps, type KernelEnv } from './kernel.ts';
import { WARNINGS_PROPERTY } from '../check/builtins.ts';
import { instanceIndex, lowerWaitEvent, waitEventFirst } from './waitq.ts';
import { planRcu, rcuSteps } from './rcu.ts';
import { markFence } from './memory.ts';

export function lower(checked: Checked): Program {
  const { ctx, model } = checked;
  const globals: VarInfo[] = ctx.globals.map((g) => ({ name: g.name, type: g.type, init: g.init, span: g.span }));
  const steps: Step[] = [];
  // RCU's hidden state and its callbacks' executors come after the model's own (lower/rcu.ts).
  const rcu = planRcu(ctx);
  globals.push(...rcu.globals);
  const lowered = [...ctx.actors, ...rcu.executors].map((a) => lowerActor(ctx, a, globals, steps, checked.warnings.of));
  const actors: ActorInfo[] = lowered.map((l) => l.info);
  const instances: Instance[] = [];
  actors.forEach((a, actor) => {
    for (let self = 0; self < a.count; self++) instances.push({ actor, self, name: a.isArray ? `${a.name}[${self}]` : a.name });
  });
  const positions: Positions = (actor, label) => lowered[actor]?.labels.get(label) ?? [];
  const noArgs: Frame = { args: [], callPath: [], paramTypes: [], positions };
  const properties: Property[] = [];
  for (const d of model.decls) {
    if (d.kind === 'invariant' || d.kind === 'reachable') properties.push({ kind: d.kind, name: d.name.name, expr: lowerExpr(ctx, d.expr, noArgs), span: d.span });
    if (d.kind === 'liveness') {
      properties.push({ kind: 'liveness', form: d.form, name: d.name.name, p: d.p ? lowerExpr(ctx, d.p, noArgs) : null, q: lowerExpr(ctx, d.q, noArgs), pSpan: d.p?.span ?? null, qSpan: d.q.span, span: d.span });
    }
  }
  for (const name of checked.assertNames) properties.push({ kind: 'assert', name, span: assertSpan(model, name) });
  if (checked.unnamedAsserts) properties.push({ kind: 'assert', name: 'assertions', span: assertSpan(model, null) });
  for (const [name, span] of checked.warnings.spans) properties.push({ kind: 'warning', name, span });
  properties.push({ kind: 'deadlock', name: 'deadlock' }, { kind: 'ranges', name: 'ranges' }, { kind: 'locking', name: 'locking' });
  return {
    model: model.name?.name ?? ctx.file.path.replace(/^.*\//, '').replace(/\.weft$/, ''),
    variant: checked.variant,
    options: optionsAsWritten(ctx, checked.options),
    file: ctx.file,
    globals,
    actors,
    instances,
    steps,
    properties,
    // Filled in by lower/symmetry.ts, which needs the finished program.
    symmetry: [],
  };
}

/** Where the (first) assert of a property is, for reports. */
function assertSpan(model: A.Model, name: string | null): Span {
  let found: Span | null = null;
  for (const d of model.decls) {
    if (d.kind !== 'fn' && d.kind !== 'actor') continue;
    forEachStmt(d.body, (s, label) => { if (!found && s.kind === 'assert' && (label?.name ?? null) === name) found = s.span; });
  }
  return found ?? model.span;
}

interface Lowering {
  readonly ctx: Ctx;
  readonly actor: number;
  readonly globals: readonly VarInfo[];
  readonly locals: readonly VarInfo[];
  /** Program counters are merged with a union-find until the actor is done. */
  readonly parent: number[];
  readonly steps: Omit<Step, 'id'>[];
  /** Each labelled statement lowered at step level, with the pc it starts at (before pcs are merged). */
  readonly labels: { readonly name: string; readonly pc: number }[];
  /** The warning property of each statement that can warn (check/kernel.ts). */
  readonly warnings: ReadonlyMap<A.Stmt, string>;
}

interface Place {
  readonly frame: Frame;
  /** The innermost label of the enclosing statements in this fn or actor body. */
  readonly label: string | null;
  /** Where `break` goes. */
  readonly loopExit: number | null;
  /** Where `continue` goes: the head of the innermost loop (a `while`'s test). */
  readonly loopHead: number | null;
  /**
   * The argument checks of the calls being lowered (lower/calls.ts), each
   * with the pc its call starts at: a step of the body that leaves that pc
   * is a first step of the body, and makes the checks before its effect.
   */
  readonly entry: readonly { readonly pc: number; readonly checks: readonly Op[] }[];
}

/** An actor's IR, and the pcs its labels start at (increasing), for `a@l` in properties. */
interface LoweredActor {
  readonly info: ActorInfo;
  readonly labels: ReadonlyMap<string, readonly number[]>;
}

function lowerActor(ctx: Ctx, a: ActorSig, globals: VarInfo[], allSteps: Step[], warnings: ReadonlyMap<A.Stmt, string>): LoweredActor {
  const locals: VarInfo[] = a.locals.map((l) => ({ name: l.name, type: l.type, init: l.init, span: l.span }));
  const L: Lowering = { ctx, actor: a.index, globals, locals, parent: [], steps: [], labels: [], warnings };
  const entry = newPc(L);
  const end = newPc(L);
  lowerSeq(L, a.body, entry, end, { frame: { args: [], callPath: [a.decl.name.name], paramTypes: [] }, label: null, loopExit: null, loopHead: null, entry: [] });

  // Renumber the merged pcs densely: the entry is 0, then in order of first use.
  const numbers = new Map<number, number>();
  const num = (pc: number): number => {
    const root = find(L, pc);
    let n = numbers.get(root);
    if (n === undefined) { n = numbers.size; numbers.set(root, n); }
    return n;
  };
  num(entry);
  const stepsAt: number[][] = [];
  for (const s of L.steps) {
    const step: Step = { ...s, id: allSteps.length, pc: num(s.pc), next: num(s.next) };
    allSteps.push(step);
    (stepsAt[step.pc] ??= []).push(step.id);
  }
  const endPc = num(end);
  for (let pc = 0; pc < numbers.size; pc++) stepsAt[pc] ??= [];
  const labels = new Map<string, number[]>();
  for (const l of L.labels) {
    const pcs = labels.get(l.name) ?? [];
    const pc = num(l.pc);
    if (!pcs.includes(pc)) pcs.push(pc);
    labels.set(l.name, pcs);
  }
  for (const pcs of labels.values()) pcs.sort((x, y) => x - y);
  const info: ActorInfo = {
    name: a.decl.name.name, daemon: a.decl.daemon, count: a.count, isArray: a.isArray, symmetric: a.decl.symmetric !== null, fairness: a.fairness, locals,
    pcCount: numbers.size, endPc, stepsAt, labels, span: a.decl.span,
  };
  return { info, labels };
}

function newPc(L: Lowering): number {
  L.parent.push(L.parent.length);
  return L.parent.length - 1;
}

function find(L: Lowering, pc: number): number {
  while (L.parent[pc] !== pc) pc = L.parent[pc] = L.parent[L.parent[pc]!]!;
  return pc;
}

/** `from` and `to` are the same point: control passes without a step. */
function merge(L: Lowering, from: number, to: number): void {
  const a = find(L, from);
  const b = find(L, to);
  if (a !== b) L.parent[a] = b;
}

function lowerSeq(L: Lowering, stmts: readonly A.Stmt[], from: number, to: number, p: Place): void {
  if (stmts.length === 0) return merge(L, from, to);
  let at = from;
  stmts.forEach((s, i) => {
    const next = i === stmts.length - 1 ? to : newPc(L);
    lowerStmt(L, s, at, next, p);
    at = next;
  });
}

function addStep(L: Lowering, s: A.Stmt, from: number, to: number, p: Place, guard: Expr | null, effect: Op[], text?: string, branch?: boolean, condition?: Step['condition']): void {
  const checks = p.entry.filter((e) => find(L, e.pc) === find(L, from)).flatMap((e) => e.checks);
  L.steps.push({
    actor: L.actor, pc: from, guard, effect: [...checks, ...effect], next: to,
    label: p.label ?? text ?? stmtText(L.ctx, s), labelled: p.label !== null,
    callPath: p.frame.callPath, span: s.span,
    ...(branch === undefined ? {} : { branch }),
    ...(condition === undefined ? {} : { condition }),
  });
}

function lowerStmt(L: Lowering, s: A.Stmt, from: number, to: number, p: Place): void {
  const { ctx } = L;
  const ex = (e: A.Expr): Expr => lowerExpr(ctx, e, p.frame);
  switch (s.kind) {
    case 'block': return lowerSeq(L, s.stmts, from, to, p);
    case 'labelled': {
      // The statement starts where it is reached: `a@l` is true at this pc (merged with others later).
      L.labels.push({ name: s.label.name, pc: from });
      const inner = { ...p, label: s.label.name };
      // A labelled assert is its own property: lowerOps reads the label.
      if (s.stmt.kind === 'assert') return addStep(L, s, from, to, inner, null, lowerOps(L, [s], p, true, { guard: null }));
      return lowerStmt(L, s.stmt, from, to, inner);
    }
    case 'var': return merge(L, from, to);
    case 'if': {
      const cond = ex(s.cond);
      // A condition fixed when the model is compiled (options, consts) reads
      // no state and cannot race: like #ifdef, it takes no step (unless a builtin acts in it).
      if (cond.kind === 'const' && !conditionActs(s.cond)) {
        if (cond.value) return lowerStmt(L, s.then, from, to, p);
        return s.else ? lowerStmt(L, s.else, from, to, p) : merge(L, from, to);
      }
      const text = `if (${ctx.text(s.cond.span)})`;
      const thenPc = newPc(L);
      const elsePc = s.else ? newPc(L) : to;
      // A builtin in the condition (spin_trylock) acts in the condition's step: each branch takes its effect.
      const tested = { keyword: 'if', span: s.cond.span } as const;
      addStep(L, s, from, thenPc, p, cond, conditionOps(kernelEnv(L, s, p), s.cond, true), text, true, tested);
      addStep(L, s, from, elsePc, p, not(cond), conditionOps(kernelEnv(L, s, p), s.cond, false), text, false, tested);
      lowerStmt(L, s.then, thenPc, to, p);
      if (s.else) lowerStmt(L, s.else, elsePc, to, p);
      return;
    }
    case 'while': {
      const cond = ex(s.cond);
      if (cond.kind === 'const' && !conditionActs(s.cond)) {
        if (cond.value) return lowerStmt(L, s.body, from, from, { ...p, loopExit: to, loopHead: from });
        return merge(L, from, to);
      }
      const text = `while (${ctx.text(s.cond.span)})`;
      const bodyPc = newPc(L);
      const tested = { keyword: 'while', span: s.cond.span } as const;
      addStep(L, s, from, bodyPc, p, cond, conditionOps(kernelEnv(L, s, p), s.cond, true), text, true, tested);
      addStep(L, s, from, to, p, not(cond), conditionOps(kernelEnv(L, s, p), s.cond, false), text, false, tested);
      return lowerStmt(L, s.body, bodyPc, from, { ...p, loopExit: to, loopHead: from });
    }
    case 'loop': return lowerStmt(L, s.body, from, from, { ...p, loopExit: to, loopHead: from });
    case 'break': return merge(L, from, p.loopExit!);
    case 'continue': return merge(L, from, p.loopHead!);
    case 'for': return unrolledAway(s);
    case 'choose':
      for (const b of s.branches) {
        if (firstOf(ctx, b, p.frame) === 'step') { lowerSeq(L, b.stmts, from, to, p); continue; }
        // Entering a branch that begins with a loop must not bring the
        // loop's back edge to the choice point, so it takes a skip step.
        const inside = newPc(L);
        addStep(L, b, from, inside, p, null, [], 'choose');
        lowerSeq(L, b.stmts, inside, to, p);
      }
      return;
    case 'call': {
      const fn = ctx.fns.get(s.callee.name);
      if (!fn) {
        // wait_event is the kernel's macro: several steps (lower/waitq.ts).
        if (s.callee.name === 'wait_event') {
          const inner = { ...p, frame: { ...p.frame, callPath: [...p.frame.callPath, 'wait_event'] } };
          const step = (a: number, b: number, guard: Expr | null, effect: Op[], text: string, branch?: boolean): void => addStep(L, s, a, b, inner, guard, effect, text, branch);
          return lowerWaitEvent({ env: kernelEnv(L, s, inner), newPc: () => newPc(L), merge: (a, b) => merge(L, a, b), step }, s, from, to);
        }
        // synchronize_rcu() is two steps, a callback's dequeue one with a guard (lower/rcu.ts).
        const split = rcuSteps(kernelEnv(L, s, p), s);
        // Under the LKMM synchronize_rcu() is one fence (lower/memory.ts), however many steps it takes here.
        if (split && s.callee.name === 'synchronize_rcu') markFence(s.span, 'sync-rcu');
        if (split) return split.forEach((st, i) => { const next = i === split.length - 1 ? to : newPc(L); addStep(L, s, from, next, p, st.guard, st.effect, st.text); from = next; });
        // A kernel builtin: one step, like an assignment (lower/kernel.ts).
        const out: { guard: Expr | null } = { guard: null };
        const effect = lowerOps(L, [s], p, true, out);
        return addStep(L, s, from, to, p, out.guard, effect);
      }
      const { frame, checks } = enterCall(ctx, s, p.frame, ex);
      const entry = checks.length ? [...p.entry, { pc: from, checks }] : p.entry;
      // A label on the call names the steps of the fn that have none of their own.
      return lowerSeq(L, fn.decl.body.stmts, from, to, { frame, label: p.label, loopExit: null, loopHead: null, entry });
    }
    case 'atomic': case 'await': case 'lockop': case 'assign': case 'pick': case 'assert': case 'skip': {
      const out: Waits = { guard: null };
      const effect = lowerOps(L, [s], p, true, out);
      const tested = out.awaits ? { keyword: 'await', span: out.awaits } as const : undefined;
      return addStep(L, s, from, to, p, out.guard, effect, undefined, undefined, tested);
    }
  }
}

/**
 * What a statement does first, from its own pc: take a step of its own
 * ('step'), go round or out of a loop ('control'), or nothing at all
 * ('nothing': an empty block, a declaration, a fixed condition that selects
 * nothing), so that what runs first is what follows it. It is decided on
 * the lowered conditions, in the frame they are lowered in, as lowerStmt
 * decides them: a condition a constant argument fixes takes no step here
 * either.
 */
type First = 'step' | 'control' | 'nothing';

function firstOf(ctx: Ctx, s: A.Stmt, frame: Frame): First {
  switch (s.kind) {
    case 'block': {
      for (const t of s.stmts) {
        const f = firstOf(ctx, t, frame);
        if (f !== 'nothing') return f;
      }
      return 'nothing';
    }
    case 'labelled': return firstOf(ctx, s.stmt, frame);
    case 'call': {
      const body = ctx.fns.get(s.callee.name)?.decl.body;
      // A kernel builtin is a step of its own; wait_event is the kernel's macro (lower/waitq.ts).
      if (!body) return s.callee.name === 'wait_event' ? waitEventFirst(ctx, s, frame) : 'step';
      const inner = enterCall(ctx, s, frame, (e) => lowerExpr(ctx, e, frame)).frame;
      return firstOf(ctx, body, inner);
    }
    case 'if': {
      // A fixed condition takes no step: what runs first is the branch it selects, or what follows.
      const k = lowerExpr(ctx, s.cond, frame);
      if (k.kind !== 'const' || conditionActs(s.cond)) return 'step';
      const branch = k.value ? s.then : s.else;
      return branch ? firstOf(ctx, branch, frame) : 'nothing';
    }
    case 'while': {
      // `while (false)` is code selected away, as a fixed `if`; any other `while` is a loop.
      const k = lowerExpr(ctx, s.cond, frame);
      if (conditionActs(s.cond)) return 'control';
      return k.kind === 'const' && !k.value ? 'nothing' : 'control';
    }
    case 'loop': case 'break': case 'continue': return 'control';
    case 'for': return unrolledAway(s);
    case 'var': return 'nothing';
    case 'choose': case 'atomic': case 'await': case 'lockop': case 'assign': case 'pick': case 'assert': case 'skip': return 'step';
  }
}

/**
 * The effect of statements executed within one step. The first statement
 * may wait: `await` becomes the step's guard, a lock acquisition adds
 * "can acquire" to the guard (the checker allows waiting nowhere else).
 */
/** What the first statement of a step waits for: its guard and, for an `await`, the condition's span (for traces). */
interface Waits {
  guard: Expr | null;
  awaits?: Span;
}

function lowerOps(L: Lowering, stmts: readonly A.Stmt[], p: Place, first: boolean, out: Waits): Op[] {
  const { ctx } = L;
  const ex = (e: A.Expr): Expr => lowerExpr(ctx, e, p.frame);
  const ops: Op[] = [];
  stmts.forEach((s, i) => {
    const isFirst = first && i === 0;
    switch (s.kind) {
      case 'block': ops.push(...lowerOps(L, s.stmts, p, isFirst, out)); return;
      case 'atomic': ops.push(...lowerOps(L, s.body.stmts, p, isFirst, out)); return;
      case 'labelled':
        if (s.stmt.kind === 'assert') ops.push(assertOp(L, s.stmt, p, s.label.name));
        else ops.push(...lowerOps(L, [s.stmt], { ...p, label: s.label.name }, isFirst, out));
        return;
      case 'await':
        if (isFirst) {
          out.guard = ex(s.cond);
          out.awaits = s.cond.span;
        }
        return;
      case 'lockop': {
        const lock = ex(s.target);
        const mode: LockMode = s.op === 'lock' || s.op === 'unlock' ? 'exclusive' : s.op === 'down_read' || s.op === 'up_read' ? 'read' : 'write';
        if (s.op === 'lock' || s.op === 'down_read' || s.op === 'down_write') {
          if (isFirst) out.guard = { kind: 'canAcquire', lock, mode };
          ops.push({ kind: 'acquire', lock, mode, span: s.span });
        } else ops.push({ kind: 'release', lock, mode, span: s.span });
        return;
      }
      case 'assign': {
        if (s.op === '=' && s.value.kind === 'call' && !builtinOf(s.value.callee.name).pure) {
          ops.push(...builtinAssignOps(kernelEnv(L, s, p), s.target, s.value));
          return;
        }
        const target = ex(s.target);
        const type = placeType(target, L.globals, L.locals);
        const rhs = ex(s.value);
        const value: Expr = s.op === '=' ? rhs : { kind: 'binary', op: s.op === '+=' ? '+' : '-', left: target, right: rhs, span: s.span };
        ops.push({ kind: 'assign', target, value, type, span: s.span }, ...storeChecks(ctx, s.target, target, type, p.frame, s.span));
        return;
      }
      case 'pick': {
        const target = ex(s.target);
        const lo = ex(s.lo);
        const hi = ex(s.hi);
        if (lo.kind !== 'const' || hi.kind !== 'const') throw new Error('internal error: pick bounds are not constant');
        const type = placeType(target, L.globals, L.locals);
        ops.push({ kind: 'pick', target, lo: lo.value as number, hi: hi.value as number, type, span: s.span }, ...storeChecks(ctx, s.target, target, type, p.frame, s.span));
        return;
      }
      case 'assert': ops.push(assertOp(L, s, p, null)); return;
      case 'skip': return;
      case 'if': {
        const env = kernelEnv(L, s, p);
        const then = [...conditionOps(env, s.cond, true), ...lowerOps(L, [s.then], p, false, out)];
        const els = [...conditionOps(env, s.cond, false), ...(s.else ? lowerOps(L, [s.else], p, false, out) : [])];
        ops.push({ kind: 'if', cond: ex(s.cond), then, else: els });
        return;
      }
      case 'choose':
        ops.push({ kind: 'choose', branches: s.branches.map((b) => lowerOps(L, b.stmts, p, false, out)) });
        return;
      case 'call': {
        const fn = ctx.fns.get(s.callee.name);
        if (!fn) { ops.push(...builtinStmtOps(kernelEnv(L, s, p), s, isFirst, out)); return; }
        // Inside one step, the argument checks come where the call is.
        const { frame, checks } = enterCall(ctx, s, p.frame, ex);
        ops.push(...checks, ...lowerOps(L, fn.decl.body.stmts, { frame, label: p.label, loopExit: null, loopHead: null, entry: [] }, isFirst, out));
        return;
      }
      case 'var': case 'while': case 'loop': case 'break': case 'continue':
        throw new Error(`internal error: ${s.kind} inside an atomic step`);
      case 'for': return unrolledAway(s);
    }
  });
  return ops;
}

/** What lower/kernel.ts needs to lower the builtins of statement `s`. */
function kernelEnv(L: Lowering, s: A.Stmt, p: Place): KernelEnv {
  return {
    ctx: L.ctx,
    frame: p.frame,
    placeType: (place) => placeType(place, L.globals, L.locals),
    property: L.warnings.get(s) ?? WARNINGS_PROPERTY,
    actor: L.actor,
    storeChecks: (target, lowered, type, span) => storeChecks(L.ctx, target, lowered, type, p.frame, span),
    me: instanceIndex(L.ctx, L.actor, s.span),
  };
}

function assertOp(L: Lowering, s: A.Stmt & { kind: 'assert' }, p: Place, name: string | null): Op {
  return {
    kind: 'assert', cond: lowerExpr(L.ctx, s.cond, p.frame), property: name ?? 'assertions',
    message: s.message ?? `assert(${L.ctx.text(s.cond.span)})`, span: s.span,
  };
}

function not(e: Expr): Expr {
  if (e.kind === 'const') return { kind: 'const', value: !e.value };
  return { kind: 'unary', op: '!', operand: e };
}

/** A statement's source text on one line, short enough for a trace. */
function stmtText(ctx: Ctx, s: A.Stmt): string {
  const text = ctx.text(s.span).replace(/\s+/g, ' ').replace(/;$/, '').trim();
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
}

/** Options as a model writes them: an enum option by its member's name, not its index. */
function optionsAsWritten(ctx: Ctx, options: Checked['options']): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const [name, value] of options) {
    const sym = ctx.global.lookup(name);
    const type = sym?.kind === 'option' ? sym.type : undefined;
    out[name] = type?.kind === 'enum' && typeof value === 'number' ? type.members[value]! : (value as boolean | number);
  }
  return out;
}
