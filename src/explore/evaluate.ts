/**
 * The reference semantics of the IR: evaluating an expression for one actor
 * instance in a state, and taking one step, which yields every successor
 * state (a step may branch) or the violation that ends a path. This file is
 * the oracle the compiled engine is checked against, so it favours being
 * obviously right over being fast.
 *
 * Faults (a bad index, division by zero, a failed assert, lock misuse, a
 * store out of range) are thrown as `Fault` inside one step and turned into
 * an error outcome for the branch that raised them; other branches of the
 * same step still produce their states. Any other exception is a bug in
 * Weft or a program that breaks the IR contract.
 */
import { produceWithPatches, type Draft, type Patch } from 'immer';
import type { Expr, InstanceRef, LockMode, Op, Program, Step } from '../lower/ir.ts';
import { typeToString, type Type, type Value } from '../check/types.ts';
import type { LockKind } from '../syntax/ast.ts';
import { spanText, type Span } from '../text/source.ts';
import { assertNever } from '../util.ts';
import { outOfRange } from '../state/ranges.ts';
import { placeParts } from '../lower/places.ts';
import { ARITH, faultText, inIndex, isFault, neg, type ArithFault } from '../state/arith.ts';
import { acquire, canAcquire, exclusiveHolder, isMisuse, lockFree, lockValue, readers, release, writer, type LockMisuse } from '../state/locks.ts';
import { getAt, isPrefix, pathName, pathType, type StatePath } from './paths.ts';
import type { State } from './state.ts';

/** A warning a step recorded on its way (Op 'warn'): a violation of `property` that does not end the path. */
export interface Warned {
  readonly property: string;
  readonly message: string;
  readonly span: Span;
}

/**
 * One place a step read, and the value it read there: a whole variable,
 * or the field or element a place expression names (`folio.dirty`,
 * `xs[2]`). Recorded only when a trace is rebuilt (`takeStep`'s `reads`).
 */
export interface Read {
  readonly path: StatePath;
  readonly value: Value;
  /** The step wrote this place (or part of it) before reading it: the value is its own, not the state's before it. */
  readonly own?: true;
}

/** What a step read on the way to an outcome, when asked for (`{ reads: true }`). */
export interface Reads {
  /** Every place read, guard first, in the order read (repeats kept). */
  readonly reads?: readonly Read[];
  /** Those the guard read: for an `if`, `while` or `await` step, what its condition read. */
  readonly guardReads?: readonly Read[];
}

/** A successor: the state after the step (pc already moved) and the immer patches that made it. */
export interface StateOutcome extends Reads {
  readonly kind: 'state';
  readonly state: State;
  readonly patches: readonly Patch[];
  /** The warnings recorded on the way to it, in order; absent when none. */
  readonly warnings?: readonly Warned[];
}

/**
 * A violation: `property` is `ranges`, `locking`, or the name of the
 * assert property that failed.
 */
export interface ErrorOutcome extends Reads {
  readonly kind: 'error';
  readonly property: string;
  readonly message: string;
  readonly span: Span;
  /** Warnings the step recorded before it failed: they count, as a WARN printed before a crash does. */
  readonly warnings?: readonly Warned[];
}

export type Outcome = StateOutcome | ErrorOutcome;

/** A violation raised while evaluating or executing; becomes an ErrorOutcome. */
export class Fault extends Error {
  constructor(readonly property: string, message: string, readonly span: Span) {
    super(message);
    this.name = 'Fault';
  }
}

/** What an expression is evaluated against. */
export interface Context {
  readonly program: Program;
  readonly state: State;
  /** The running instance; null for properties, which name the instances they read. */
  readonly instance: number | null;
  /** Quantifier variables by nesting depth; written as quantifiers iterate. */
  readonly bound: number[];
  /** When set, every place read is appended (a trace being rebuilt); absent on the search's path. */
  readonly reads?: Read[];
  /** With `reads`: what the step has written so far (its patches), to tell a read of its own store. */
  readonly written?: readonly Patch[];
}

// ---------------------------------------------------------------- steps

/**
 * Takes `step` for `instance` in `state`. Returns no outcome when the step
 * is disabled (the instance is elsewhere or the guard is false), one error
 * outcome when the guard itself faults, and otherwise one outcome per
 * branch of the effect, in order: `choose` branches in source order, `pick`
 * values in increasing order.
 *
 * With `reads`, each outcome also says which places the step read on the
 * way to it, and their values (`Reads`): for rebuilding a trace only, the
 * search never asks.
 */
export function takeStep(program: Program, state: State, instance: number, step: Step, opts: { readonly reads?: boolean } = {}): Outcome[] {
  const inst = program.instances[instance];
  if (!inst) throw new Error(`internal error: no instance ${instance}`);
  if (inst.actor !== step.actor || state.pcs[instance] !== step.pc) return [];
  const reads: Read[] | undefined = opts.reads ? [] : undefined;
  const seen = (): Reads => (reads ? { reads: [...reads], guardReads: [...reads] } : {});
  if (step.guard) {
    try {
      if (!asBool(evaluate({ program, state, instance, bound: [], reads }, step.guard))) return [];
    } catch (e) {
      if (e instanceof Fault) return [faultOutcome(e, { kind: 'state', state, patches: [], ...seen() })];
      throw e;
    }
  }
  const results = runOps(program, instance, step.effect, [{ kind: 'state', state, patches: [], ...seen() }]);
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    if (r.kind === 'state') results[i] = movePc(r, instance, step.next);
  }
  return results;
}

/** Runs `ops` in sequence from every outcome in `from`; errors pass through untouched. */
function runOps(program: Program, instance: number, ops: readonly Op[], from: readonly Outcome[]): Outcome[] {
  let current: readonly Outcome[] = from;
  for (const op of ops) {
    const next: Outcome[] = [];
    for (const o of current) {
      if (o.kind === 'error') next.push(o);
      else next.push(...runOp(program, instance, op, o));
    }
    current = next;
  }
  return [...current];
}

function runOp(program: Program, instance: number, op: Op, before: StateOutcome): Outcome[] {
  // Reads are recorded (a trace being rebuilt) when the outcome carries them.
  const ctx: Context = before.reads
    ? { program, state: before.state, instance, bound: [], reads: [...before.reads], written: before.patches }
    : { program, state: before.state, instance, bound: [] };
  // The outcome to go on from, once the op has read what it reads: it carries those reads too.
  const from = (): StateOutcome => (ctx.reads ? { ...before, reads: [...ctx.reads] } : before);
  try {
    switch (op.kind) {
      case 'assign': {
        const path = resolvePlace(ctx, op.target);
        const value = evaluate(ctx, op.value);
        checkStore(program, op.type, value, op.span);
        return [write(from(), path, value)];
      }
      case 'pick': {
        const path = resolvePlace(ctx, op.target);
        const out: Outcome[] = [];
        for (let v = op.lo; v <= op.hi; v++) {
          try {
            checkStore(program, op.type, v, op.span);
            out.push(write(from(), path, v));
          } catch (e) {
            if (!(e instanceof Fault)) throw e;
            out.push(faultOutcome(e, from()));
          }
        }
        return out;
      }
      case 'check': {
        const value = evaluate(ctx, op.value);
        const bad = outOfRange(op.type, value);
        if (bad) throw new Fault('ranges', `value ${bad.value} is outside ${typeToString(bad.type)}, the type of ${op.what}`, op.span);
        return [from()];
      }
      case 'assert':
        if (!asBool(evaluate(ctx, op.cond))) throw new Fault(op.property, op.message, op.span);
        return [from()];
      case 'warn': {
        if (asBool(evaluate(ctx, op.cond))) return [from()];
        const w: Warned = { property: op.property, message: op.message, span: op.span };
        return [{ ...from(), warnings: [...(before.warnings ?? []), w] }];
      }
      case 'stores': {
        // Everything is read before anything is stored: `old = xchg(x, new)` reads x, then stores both.
        const paths = op.stores.map((s) => resolvePlace(ctx, s.target));
        const values = op.stores.map((s) => evaluate(ctx, s.value));
        op.stores.forEach((s, i) => checkStore(program, s.type, values[i]!, s.span));
        return [op.stores.reduce((o, _, i) => write(o, paths[i]!, values[i]!), from())];
      }
      case 'acquire': {
        const path = resolvePlace(ctx, op.lock);
        const value = acquired(ctx, path, op.mode, op.span);
        return [write(from(), path, value)];
      }
      case 'release': {
        const path = resolvePlace(ctx, op.lock);
        const value = released(ctx, path, op.mode, op.span);
        return [write(from(), path, value)];
      }
      case 'if': {
        const taken = asBool(evaluate(ctx, op.cond));
        return runOps(program, instance, taken ? op.then : op.else, [from()]);
      }
      case 'choose': {
        const out: Outcome[] = [];
        for (const branch of op.branches) out.push(...runOps(program, instance, branch, [before]));
        return out;
      }
      default:
        return assertNever(op);
    }
  } catch (e) {
    if (e instanceof Fault) return [faultOutcome(e, from())];
    throw e;
  }
}

/** The error outcome of a fault, with the warnings the path it ends had recorded (and, when recorded, what it read). */
function faultOutcome(f: Fault, from: StateOutcome): ErrorOutcome {
  const out: ErrorOutcome = { kind: 'error', property: f.property, message: f.message, span: f.span };
  return {
    ...out,
    ...(from.warnings ? { warnings: from.warnings } : {}),
    ...(from.reads ? { reads: from.reads, guardReads: from.guardReads } : {}),
  };
}

/**
 * Stores `value` at `path`, recording the patch. A store is a write even
 * when it leaves the value as it was, so that a later read of the place in
 * the same step is the step's own whatever the value: immer records no
 * patch for a primitive stored over an equal one, nor for the very object
 * already there (a constant array stored twice, on the reference engine's
 * states, but not on the compiled engine's decoded ones), and judging by
 * its patches made the engines' traces differ.
 */
function write(from: StateOutcome, path: StatePath, value: Value): StateOutcome {
  const [state, patches] = produceWithPatches(from.state, (draft: Draft<State>) => {
    let node = (path[0] === 'globals' ? draft.globals : draft.locals) as unknown as Value[];
    for (let i = 1; i < path.length - 1; i++) node = node[path[i] as number] as Value[];
    node[path[path.length - 1] as number] = value;
  });
  const recorded: readonly Patch[] = patches.length > 0 ? patches : [{ op: 'replace', path: [...path], value }];
  return { ...from, state, patches: [...from.patches, ...recorded] };
}

function movePc(from: StateOutcome, instance: number, next: number): StateOutcome {
  const [state, patches] = produceWithPatches(from.state, (draft: Draft<State>) => {
    draft.pcs[instance] = next;
  });
  return { ...from, state, patches: [...from.patches, ...patches] };
}

/** A store out of its declared range is a `ranges` violation, never a wrap. Aggregates are checked element by element. */
function checkStore(program: Program, type: Type, value: Value, span: Span): void {
  const bad = outOfRange(type, value);
  if (bad) throw new Fault('ranges', `value ${bad.value} is outside ${typeToString(bad.type)} (${statementText(program, span)})`, span);
}

// ---------------------------------------------------------------- locks

/** The lock's value after `instance` takes it in `mode` (state/locks.ts); re-taking a lock it holds is a violation. */
function acquired(ctx: Context, path: StatePath, mode: LockMode, span: Span): number {
  const me = requireInstance(ctx);
  const kind = lockKindAt(ctx.program, path, mode);
  const value = asInt(getAt(ctx.state, path));
  const r = acquire(value, mode, me);
  if (!isMisuse(r)) return r;
  throw misuseFault(ctx.program, r, me, pathName(ctx.program, path), value, kind, span);
}

/** The lock's value after `instance` releases it from `mode` (state/locks.ts); releasing what it does not hold is a violation. */
function released(ctx: Context, path: StatePath, mode: LockMode, span: Span): number {
  const me = requireInstance(ctx);
  const kind = lockKindAt(ctx.program, path, mode);
  const value = asInt(getAt(ctx.state, path));
  const r = release(value, mode, me);
  if (!isMisuse(r)) return r;
  throw misuseFault(ctx.program, r, me, pathName(ctx.program, path), value, kind, span);
}

/** The words for a misuse; `blocked` is not the model's fault but Weft's (the step lacked its canAcquire guard). */
function misuseFault(program: Program, m: LockMisuse, me: number, lock: string, value: number, kind: LockKind, span: Span): Error {
  const who = instanceName(program, me);
  const how = (mode: LockMode): string => (mode === 'read' ? 'for reading' : 'for writing');
  switch (m.kind) {
    case 'relock': return new Fault('locking', `${who} re-locks ${lock}, which it already holds`, span);
    case 'retake': return new Fault('locking', `${who} takes ${lock} ${how(m.mode)}, which it already holds ${how(m.held)}`, span);
    case 'releaseFree':
      return new Fault('locking', m.mode === 'exclusive' ? `${who} unlocks ${lock}, which is free` : `${who} releases ${lock} ${how(m.mode)}, which is free`, span);
    case 'releaseNotHeld': {
      if (m.mode !== 'exclusive') return new Fault('locking', `${who} releases ${lock} ${how(m.mode)}, which it does not hold ${how(m.mode)} (${describeLock(program, value, kind)})`, span);
      const holder = exclusiveHolder(value);
      return new Fault('locking', `${who} unlocks ${lock}, held by ${holder === null ? 'nobody' : instanceName(program, holder)}`, span);
    }
    case 'blocked':
      return new Error(`internal error: ${who} acquires ${lock}, ${describeLock(program, value, kind)}; the step needs a canAcquire guard`);
    default:
      return assertNever(m);
  }
}

/** `free`, `held by p`, `held for writing by w`, `held for reading by r[0], r[1]`. */
function describeLock(program: Program, value: number, kind: LockKind): string {
  if (kind !== 'rwsem') {
    const holder = exclusiveHolder(value);
    return holder === null ? 'free' : `held by ${instanceName(program, holder)}`;
  }
  const w = writer(value);
  if (w !== null) return `held for writing by ${instanceName(program, w)}`;
  if (value === lockValue.free) return 'free';
  return `held for reading by ${readers(value).map((i) => instanceName(program, i)).join(', ')}`;
}

/** The lock's kind, checked against the mode the IR uses it in. */
function lockKindAt(program: Program, path: StatePath, mode: LockMode): LockKind {
  const type = pathType(program, path);
  if (type.kind !== 'lock') throw new Error(`internal error: ${pathName(program, path)} is not a lock`);
  if ((type.lock === 'rwsem') !== (mode !== 'exclusive')) {
    throw new Error(`internal error: ${pathName(program, path)} is a ${type.lock}, used in mode ${mode}`);
  }
  return type.lock;
}

// ---------------------------------------------------------------- expressions

/** Evaluates a property's expression (no `self`, no locals of a running instance; instances named by the property). */
export function evaluateProperty(program: Program, state: State, expr: Expr): Value {
  return evaluate({ program, state, instance: null, bound: [] }, expr);
}

export function evaluate(ctx: Context, expr: Expr): Value {
  if (ctx.reads) {
    const read = readPlace(ctx, expr, ctx.reads);
    if (read !== NOT_A_PLACE) return read;
  }
  switch (expr.kind) {
    case 'const':
      return expr.value;
    case 'global':
      return at(ctx.state.globals, expr.index, 'shared variable');
    case 'local':
      return at(at(ctx.state.locals, requireInstance(ctx), 'instance') as readonly Value[], expr.index, 'local');
    case 'localOf':
      return at(at(ctx.state.locals, instanceOf(ctx, expr.instance), 'instance') as readonly Value[], expr.index, 'local');
    case 'at':
      return expr.pcs.includes(at(ctx.state.pcs, instanceOf(ctx, expr.instance), 'pc') as number);
    case 'self': {
      const inst = ctx.program.instances[requireInstance(ctx)];
      if (!inst) throw new Error('internal error: no such instance');
      return inst.self;
    }
    case 'bound': {
      const v = ctx.bound[expr.depth];
      if (v === undefined) throw new Error(`internal error: quantifier variable ${expr.depth} is not bound`);
      return v;
    }
    case 'field':
      return at(asArray(evaluate(ctx, expr.object)), expr.field, 'field');
    case 'index': {
      const array = asArray(evaluate(ctx, expr.object));
      const i = asInt(evaluate(ctx, expr.index));
      checkIndex(ctx, expr, i);
      return at(array, i, 'element');
    }
    case 'unary': {
      const v = evaluate(ctx, expr.operand);
      const op = expr.op;
      switch (op) {
        case '!': return !asBool(v);
        case '-': {
          // The negation of a safe integer is safe; the check is arith.ts's all the same.
          const r = neg(asInt(v));
          if (isFault(r)) throw new Error('internal error: the negation of a safe integer overflows');
          return r;
        }
        default: return assertNever(op);
      }
    }
    case 'binary':
      return binary(ctx, expr);
    case 'cond':
      return asBool(evaluate(ctx, expr.cond)) ? evaluate(ctx, expr.then) : evaluate(ctx, expr.else);
    case 'quant': {
      const all = expr.quantifier === 'forall';
      // An inlined argument may bring its own quantifier at a depth the fn
      // body also uses, so the enclosing binding is put back afterwards.
      const saved = ctx.bound[expr.depth];
      try {
        for (let v = expr.lo; v <= expr.hi; v++) {
          ctx.bound[expr.depth] = v;
          // forall stops at the first false, exists at the first true.
          if (asBool(evaluate(ctx, expr.body)) !== all) return !all;
        }
        return all;
      } finally {
        if (saved === undefined) ctx.bound.length = Math.min(ctx.bound.length, expr.depth);
        else ctx.bound[expr.depth] = saved;
      }
    }
    case 'canAcquire':
      return canAcquire(asInt(evaluate(ctx, expr.lock)), expr.mode, requireInstance(ctx));
    case 'lockFree':
      return lockFree(asInt(evaluate(ctx, expr.lock)), expr.mode);
    case 'struct':
      return expr.fields.map((f) => evaluate(ctx, f));
    case 'array':
      return expr.elements.map((x) => evaluate(ctx, x));
    default:
      return assertNever(expr);
  }
}

type BinaryExpr = Extract<Expr, { kind: 'binary' }>;

function binary(ctx: Context, expr: BinaryExpr): Value {
  const op = expr.op;
  const left = evaluate(ctx, expr.left);
  // The logical operators short-circuit: the right side may be undefined (a bad index) when it does not matter.
  switch (op) {
    case '&&': return asBool(left) && asBool(evaluate(ctx, expr.right));
    case '||': return asBool(left) || asBool(evaluate(ctx, expr.right));
    case '->': return !asBool(left) || asBool(evaluate(ctx, expr.right));
    default: break;
  }
  const right = evaluate(ctx, expr.right);
  switch (op) {
    case '==': return equal(left, right);
    case '!=': return !equal(left, right);
    case '<': return asInt(left) < asInt(right);
    case '<=': return asInt(left) <= asInt(right);
    case '>': return asInt(left) > asInt(right);
    case '>=': return asInt(left) >= asInt(right);
    case '+': case '-': case '*': case '/': case '%':
      return arithmetic(ctx, expr.span, ARITH[op](asInt(left), asInt(right)));
    default:
      return assertNever(op);
  }
}

/** The value of an operation of state/arith.ts, or its fault as a `ranges` violation at the expression. */
function arithmetic(ctx: Context, span: Span, result: number | ArithFault): number {
  if (isFault(result)) throw new Fault('ranges', `${faultText(result)} (${statementText(ctx.program, span)})`, span);
  return result;
}

function equal(a: Value, b: Value): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const aa = a as readonly Value[];
    const bb = b as readonly Value[];
    return aa.length === bb.length && aa.every((v, i) => equal(v, bb[i]!));
  }
  return a === b;
}

function checkIndex(ctx: Context, expr: Extract<Expr, { kind: 'index' }>, i: number): void {
  if (inIndex(i, expr.size)) return;
  const of = isPlace(expr.object) ? pathName(ctx.program, resolvePlace(ctx, expr.object)) : `the array in ${statementText(ctx.program, expr.span)}`;
  throw badIndex(i, expr.size, of, expr.span);
}

function badIndex(i: number, size: number, of: string, span: Span): Fault {
  return new Fault('ranges', `index ${i} is outside 0..${size - 1} of ${of}`, span);
}

// ---------------------------------------------------------------- places

const NOT_A_PLACE = Symbol('not a place');

/**
 * Reads a place as one: `folio.dirty` is a read of that field, not of
 * `folio`; the indexes on the way are read first (`xs[i]` reads i, then
 * `xs[1]`). Faults as evaluating it piece by piece would: the same bad
 * index, checked in the same order, with the same message and span.
 */
function readPlace(ctx: Context, expr: Expr, reads: Read[]): Value | typeof NOT_A_PLACE {
  if (expr.kind !== 'global' && expr.kind !== 'local' && expr.kind !== 'localOf' && expr.kind !== 'field' && expr.kind !== 'index') return NOT_A_PLACE;
  if (!isPlace(expr)) return NOT_A_PLACE;
  const path = resolvePlace(ctx, expr);
  const value = getAt(ctx.state, path);
  const own = (ctx.written ?? []).some((p) => isPrefix(p.path, path) || isPrefix(path, p.path));
  reads.push(own ? { path, value, own } : { path, value });
  return value;
}

function isPlace(expr: Expr): boolean {
  return placeParts(expr) !== null;
}

/** The state path a place names in this context; indexes are evaluated and bounds-checked (lower/places.ts). */
export function resolvePlace(ctx: Context, place: Expr): StatePath {
  const parts = placeParts(place);
  if (!parts) throw new Error(`internal error: a ${place.kind} expression is not a place`);
  const { root } = parts;
  const path: (string | number)[] = root.kind === 'global' ? ['globals', root.index]
    : root.kind === 'local' ? ['locals', requireInstance(ctx), root.index]
    : ['locals', instanceOf(ctx, root.instance), root.index];
  for (const step of parts.steps) {
    if (step.kind === 'field') path.push(step.field);
    else {
      const i = asInt(evaluate(ctx, step.index));
      if (!inIndex(i, step.size)) throw badIndex(i, step.size, pathName(ctx.program, path as unknown as StatePath), step.span);
      path.push(i);
    }
  }
  return path as unknown as StatePath;
}

// ---------------------------------------------------------------- helpers

/** The instance number of an instance a property names; an index outside the actor's instances is a bad index. */
function instanceOf(ctx: Context, ref: InstanceRef): number {
  const actor = ctx.program.actors[ref.actor];
  if (!actor) throw new Error(`internal error: no actor ${ref.actor}`);
  const self = asInt(evaluate(ctx, ref.index));
  if (!inIndex(self, actor.count)) throw badIndex(self, actor.count, `the instances of actor ${actor.name}`, ref.span);
  const first = ctx.program.instances.findIndex((i) => i.actor === ref.actor);
  return first + self;
}

function requireInstance(ctx: Context): number {
  if (ctx.instance === null) throw new Error('internal error: a property reads actor state (self, a local or a lock test)');
  return ctx.instance;
}

export function instanceName(program: Program, instance: number): string {
  return program.instances[instance]?.name ?? `instance ${instance}`;
}

/** A statement's source text on one line, for messages: `folio.pins += 1`. */
export function statementText(program: Program, span: Span): string {
  return spanText(program.file, span).replace(/\s+/g, ' ').trim();
}

function at(values: readonly Value[], index: number, what: string): Value {
  const v = values[index];
  if (v === undefined) throw new Error(`internal error: no ${what} ${index}`);
  return v;
}

function asArray(v: Value): readonly Value[] {
  if (!Array.isArray(v)) throw new Error(`internal error: expected an aggregate, found ${JSON.stringify(v)}`);
  return v as readonly Value[];
}

function asInt(v: Value): number {
  if (typeof v !== 'number') throw new Error(`internal error: expected an integer, found ${JSON.stringify(v)}`);
  return v;
}

function asBool(v: Value): boolean {
  if (typeof v !== 'boolean') throw new Error(`internal error: expected a bool, found ${JSON.stringify(v)}`);
  return v;
}
