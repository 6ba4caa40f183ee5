/**
 * One IR step as one Promela transition: an option `atomic { guard ->
 * effect; goto next }` of the `if` at its pc's label. SPIN stores no state
 * inside an atomic sequence, so the step adds exactly the states Weft adds.
 *
 * Faults. Weft ends a path where a step fails (an assert, a store out of
 * range, lock misuse): the failing branch has no successor state. pan, run
 * with -c0 to find every violation, would carry on past a failed assert()
 * and store the states after it. So a failing branch here reports with
 * `assert(FLAG)` (FLAG is a hidden byte that is always 0 and names the
 * property), puts back what the step had written so far, and jumps to the
 * step's own pc: SPIN arrives at the state it started from, which it has
 * stored already. The state count stays Weft's, and the failing step still
 * counts as a move, as in Weft, where a step whose only outcome is a
 * violation does not make its state a deadlock.
 *
 * Putting back: a step that can fail after writing saves each leaf
 * variable it writes before that point into an `old_*` local of its
 * proctype when it starts, and clears it on every way out, so the save
 * areas are 0 in every stored state and do not change the count.
 */
import type { Expr, Op, Program, Step, Store } from '../lower/ir.ts';
import type { Type } from '../check/types.ts';
import { spanText, whereShort } from '../text/source.ts';
import { assertNever } from '../util.ts';
import { and, ExprRenderer, hasReader, intText, ME, not, paren } from './promelaExpr.ts';
import { accessOf, dimsOf, indexTuples, leafRefs, leafShapes, literalParts, storedValue, valueAt, type Access, type Leaf, type LeafRef } from './promelaVars.ts';
import { commentText } from '../text/escape.ts';

/** The save area of one leaf variable (promelaVars.ts). */
export interface Shadow {
  readonly leaf: Leaf;
  readonly name: string;
}

export interface StepEnv {
  readonly program: Program;
  readonly render: ExprRenderer;
  /** The hidden byte that names a property in SPIN's messages. */
  readonly flag: (property: string) => string;
  readonly label: (pc: number) => string;
  /**
   * The save areas of this step, by leaf name, in declaration order: empty
   * in a first pass, which finds out which the step needs
   * (`EmittedStep.saves`), and exactly those in the second.
   */
  readonly shadows: ReadonlyMap<string, Shadow>;
  /** The name of the i-th staging temporary (an `int` local of the proctype). */
  readonly temp: (i: number) => string;
  /** The instance's element of its actor's pc global, when a property reads its position: a step that moves sets it. */
  readonly pcMirror: string | null;
}

export interface EmittedStep {
  readonly lines: string[];
  /** Leaves this step writes before a point where it can fail: they need a save area. */
  readonly saves: ReadonlySet<string>;
  /** How many staging temporaries the step uses. */
  readonly temps: number;
}

const FLAG_RANGES = 'ranges';
const FLAG_LOCKING = 'locking';

/** The options of the `if` at a step's pc that belong to the step, indented by `indent`. */
export function emitStep(env: StepEnv, step: Step, indent: string): EmittedStep {
  const w = new OpWriter(env, step);
  const r = env.render;
  const options: string[] = [];
  const where = comment(whereShort(env.program.file, step.span));
  const text = step.labelled ? `${step.label}: ${shorten(spanText(env.program.file, step.span))}` : step.label;
  options.push(`${indent}:: /* ${comment(text)}  ${where} */`);

  const guardDefined = step.guard ? r.defined(step.guard) : null;
  const guard = step.guard ? and(guardDefined, paren(r.cond(step.guard))) : null;
  // The effect first, so that the writer knows the save areas it needs before the saves are written out.
  w.ops(step.effect);
  const body: string[] = [];
  if (guard !== null) body.push(`${guard} ->`);
  for (const shadow of env.shadows.values()) body.push(...saveLines(shadow));
  body.push(...w.out);
  // A step back to its own pc writes no pc: `unconditional` below still sees a bare self-loop.
  if (env.pcMirror !== null && step.next !== step.pc) body.push(`${env.pcMirror} = ${step.next};`);
  body.push(...clearLines(env), `goto ${env.label(step.next)}`);
  // pan refuses to compile an unconditional self-loop: a step back to its own label that is only
  // `skip` (no guard, no effect), or that any effect follows the guard `true` (from `await true`,
  // or a condition folded to it: SPIN reads the literal, a soak found `atomic { await <folded>;
  // x = ...; }` in a daemon's loop). A guard that is always true but that pan does not evaluate
  // at compile time keeps the step.
  const bareSkip = guard === null && body.length === 1;
  if (step.next === step.pc && (bareSkip || guard === 'true')) {
    if (guard !== null) body.shift();
    body.unshift(`${ME} >= 0 ->  /* always true */`);
  } else if (guard === null && (body.length === 1 || body[0]!.startsWith('if'))) {
    // An option must not start with an `if` that has an `else`: SPIN would lift that `else` into the
    // `if` of the pc, where it means "no other step enabled". A `skip` first keeps it inside.
    body.unshift('skip;');
  }
  options.push(...atomic(body, `${indent}   `));

  if (guardDefined !== null) {
    // Evaluating the guard faults: a `ranges` violation, and the step counts as a move (evaluate.ts).
    options.push(`${indent}:: /* the guard of ${comment(step.label)} faults */`);
    options.push(...atomic([`${not(guardDefined)} ->`, `assert(${env.flag(FLAG_RANGES)});`, `goto ${env.label(step.pc)}`], `${indent}   `));
  }
  return { lines: options, saves: w.saves, temps: w.maxTemps };
}

function atomic(body: readonly string[], indent: string): string[] {
  return [`${indent}atomic {`, ...body.map((l) => `${indent}  ${l}`), `${indent}}`];
}

function saveLines(shadow: Shadow): string[] {
  return elementPairs(shadow).map(([live, old]) => `${old} = ${live};`);
}

function clearLines(env: StepEnv): string[] {
  return [...env.shadows.values()].flatMap((s) => elementPairs(s).map(([, old]) => `${old} = 0;`));
}

/** [live element, shadow element] for every element of the shadowed leaf. */
function elementPairs(shadow: Shadow): [string, string][] {
  return elements(shadow.leaf).map((suffix) => [`${shadow.leaf.name}${suffix}`, `${shadow.name}${suffix}`]);
}

function elements(leaf: Leaf): string[] {
  if (leaf.dims.length === 0) return [''];
  const n = leaf.dims.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => `[${i}]`);
}

/** Emits the statements of an effect, tracking what has been written on the current path. */
class OpWriter {
  readonly out: string[] = [];
  readonly saves = new Set<string>();
  maxTemps = 0;
  private written = new Set<string>();
  private depth = 0;

  constructor(private readonly env: StepEnv, private readonly step: Step) {}

  ops(ops: readonly Op[]): void {
    for (const op of ops) this.op(op);
  }

  private line(text: string): void {
    this.out.push(`${'  '.repeat(this.depth)}${text}`);
  }

  /**
   * The statements that end a failing branch: report, put back every
   * variable written so far, return to the step's pc.
   */
  private fail(property: string): string {
    for (const k of this.written) this.saves.add(k);
    const restore = [...this.env.shadows.values()].filter((s) => this.written.has(s.leaf.name)).flatMap((s) => elementPairs(s).map(([live, old]) => `${live} = ${old}`));
    // Every save area of the step is cleared, also those of variables this branch has not written yet.
    const clear = clearLines(this.env).map((l) => l.slice(0, -1));
    return [`assert(${this.env.flag(property)})`, ...restore, ...clear, `goto ${this.env.label(this.step.pc)}`].join('; ');
  }

  /** `if :: bad -> fail :: else fi`, or nothing when `bad` is null. */
  private check(bad: string | null, property: string): void {
    if (bad === null) return;
    this.line('if');
    this.line(`:: ${bad} -> ${this.fail(property)}`);
    this.line(':: else');
    this.line('fi;');
  }

  private checkDefined(...exprs: Expr[]): void {
    const d = and(...exprs.map((e) => this.env.render.defined(e)));
    this.check(d === null ? null : not(d), FLAG_RANGES);
  }

  /** Runs `branches` as the options of one `if`, each from the written set as it is now. */
  private branches(heads: readonly (string | null)[], bodies: readonly (readonly Op[])[]): void {
    const before = this.written;
    const after = new Set<string>();
    this.line('if');
    bodies.forEach((ops, i) => {
      this.written = new Set(before);
      const head = heads[i] ?? null;
      this.line(head === null ? '::' : `:: ${head} ->`);
      this.depth++;
      const start = this.out.length;
      this.ops(ops);
      if (this.out.length === start) this.line('skip');
      // As in emitStep: an option that starts with an `if` would lift its `else` into this `if`.
      else if (head === null && this.out[start]!.trimStart().startsWith('if')) this.out.splice(start, 0, `${'  '.repeat(this.depth)}skip;`);
      this.depth--;
      for (const k of this.written) after.add(k);
    });
    this.line('fi;');
    this.written = after;
  }

  private op(op: Op): void {
    const r = this.env.render;
    switch (op.kind) {
      case 'assign':
        this.checkDefined(op.target, op.value);
        if (op.type.kind === 'struct' || op.type.kind === 'array') this.assignAggregate(op.target, op.value, op.type);
        else {
          this.check(this.rangeViolation(op.type, r.interval(op.value), r.paren(op.value)), FLAG_RANGES);
          const t = r.target(op.target);
          this.line(`${t.text} = ${t.leaf.bias === 0 ? r.scalar(op.value, op.type) : storedValue(t.leaf, r.paren(op.value))};`);
        }
        this.wrote(op.target);
        return;
      case 'pick': {
        this.checkDefined(op.target);
        const target = r.target(op.target);
        const values = Array.from({ length: op.hi - op.lo + 1 }, (_, i) => op.lo + i);
        const ok = values.filter((v) => this.rangeViolation(op.type, [v, v], intText(v)) === null);
        const options = ok.map((v) => `${target.text} = ${storedValue(target.leaf, intText(v))}`);
        if (ok.length < values.length) options.push(this.fail(FLAG_RANGES));
        if (options.length === 1) this.line(`${options[0]!};`);
        else {
          this.line('if');
          for (const o of options) this.line(`:: ${o}`);
          this.line('fi;');
        }
        this.wrote(op.target);
        return;
      }
      case 'check':
        this.checkDefined(op.value);
        this.check(this.rangeViolation(op.type, r.interval(op.value), r.paren(op.value)), FLAG_RANGES);
        return;
      case 'assert':
        this.checkDefined(op.cond);
        if (op.cond.kind === 'const' && op.cond.value === true) return;
        this.check(r.negate(op.cond), op.property);
        return;
      case 'warn': {
        // A warning reports and the step goes on: pan -c0 carries on past a failed assert(), storing
        // the states after it, which is what Weft does after a warning. Nothing is put back.
        this.checkDefined(op.cond);
        if (op.cond.kind === 'const' && op.cond.value === true) return;
        const report = `assert(${this.env.flag(op.property)})`;
        if (op.cond.kind === 'const') { this.line(`${report};`); return; }
        this.line('if');
        this.line(`:: ${r.negate(op.cond)} -> ${report}`);
        this.line(':: else');
        this.line('fi;');
        return;
      }
      case 'stores':
        this.stores(op.stores);
        return;
      case 'acquire': case 'release':
        this.checkDefined(op.lock);
        this.lockOp(op.kind, op.mode, r.target(op.lock).text);
        this.wrote(op.lock);
        return;
      case 'if':
        this.checkDefined(op.cond);
        if (op.then.length === 0 && op.else.length === 0) return;
        this.branches([paren(r.cond(op.cond)), 'else'], [op.then, op.else]);
        return;
      case 'choose':
        this.branches(op.branches.map(() => null), op.branches);
        return;
      default:
        assertNever(op);
    }
  }

  /**
   * Lock operations per `acquire`/`release` of state/locks.ts, on its
   * encoding `lockValue`: the caller's guard has made sure the lock is free or
   * already held by this instance, so only misuse is left to check.
   */
  private lockOp(kind: 'acquire' | 'release', mode: 'exclusive' | 'read' | 'write', lock: string): void {
    const mine = `${ME} + 1`;
    const writer = `-(${ME} + 1)`;
    const bit = `(1 << ${ME})`;
    if (kind === 'acquire') {
      if (mode === 'exclusive') {
        this.check(`${lock} == ${mine}`, FLAG_LOCKING);
        this.line(`${lock} = ${mine};`);
        return;
      }
      this.check(`${lock} == ${writer} || ${hasReader(lock)}`, FLAG_LOCKING);
      this.line(mode === 'read' ? `${lock} = ${lock} + ${bit};` : `${lock} = ${writer};`);
      return;
    }
    switch (mode) {
      case 'exclusive':
        this.check(`${lock} != ${mine}`, FLAG_LOCKING);
        this.line(`${lock} = 0;`);
        return;
      case 'read':
        this.check(not(hasReader(lock)), FLAG_LOCKING);
        this.line(`${lock} = ${lock} - ${bit};`);
        return;
      case 'write':
        this.check(`${lock} != ${writer}`, FLAG_LOCKING);
        this.line(`${lock} = 0;`);
        return;
      default:
        assertNever(mode);
    }
  }

  /** The condition under which a value within `known` (null: unknown) is outside `type`; null when it cannot be. */
  private rangeViolation(type: Type, known: readonly [number, number] | null, value: string): string | null {
    if (type.kind !== 'int') return null; // bool and enum values cannot leave their type; the checker sees to it
    const low = !known || known[0] < type.lo;
    const high = !known || known[1] > type.hi;
    if (known && (known[1] < type.lo || known[0] > type.hi)) return 'true';
    if (low && high) return `${value} < ${intText(type.lo)} || ${value} > ${intText(type.hi)}`;
    if (low) return `${value} < ${intText(type.lo)}`;
    if (high) return `${value} > ${intText(type.hi)}`;
    return null;
  }

  /**
   * A struct or array store, one leaf at a time, every leaf's range checked
   * first as Weft checks the whole value before it stores any of it. When
   * the value or the target's indexes read the variable being written, the
   * value and the indexes are staged in temporaries first, so that no leaf
   * store changes what a later leaf reads.
   */
  private assignAggregate(target: Expr, value: Expr, type: Type): void {
    const r = this.env.render;
    const access = this.access(target);
    const parts = r.parts(value, type);
    const known = this.partIntervals(value, type);
    const shapes = leafShapes(type).flatMap((s) => indexTuples(dimsOf(s.steps)).map(() => s.type));
    const bad = shapes.map((t, i) => this.rangeViolation(t, known[i] ?? null, paren(parts[i]!))).filter((b): b is string => b !== null);
    this.check(bad.length ? bad.map(paren).join(' || ') : null, FLAG_RANGES);

    const key = access.root.key;
    const staged = readsRoot(value, key, this.env) || access.steps.some((s) => s.kind === 'index' && readsRoot(s.index, key, this.env));
    if (!staged) {
      const targets = this.targetParts(access, null);
      targets.forEach((t, i) => this.line(`${t.text} = ${storedValue(t.leaf, parts[i]!)};`));
      return;
    }
    let n = 0;
    const hoisted = new Map<Expr, string>();
    for (const s of access.steps) {
      if (s.kind !== 'index' || s.index.kind === 'const') continue;
      const t = this.env.temp(n++);
      this.line(`${t} = ${r.scalar(s.index)};`);
      hoisted.set(s.index, t);
    }
    const temps = parts.map((p) => {
      const t = this.env.temp(n++);
      this.line(`${t} = ${p};`);
      return t;
    });
    this.targetParts(access, hoisted).forEach((t, i) => this.line(`${t.text} = ${storedValue(t.leaf, temps[i]!)};`));
    for (let i = 0; i < n; i++) this.line(`${this.env.temp(i)} = 0;`);
    this.maxTemps = Math.max(this.maxTemps, n);
  }

  /**
   * Scalar stores at once (IR `stores`): each value's range is checked, then
   * every target's variable indexes and every value are staged in
   * temporaries, so that no store changes what a later one reads, then all
   * are stored and the temporaries cleared.
   */
  private stores(stores: readonly Store[]): void {
    const r = this.env.render;
    for (const s of stores) this.checkDefined(s.target, s.value);
    for (const s of stores) this.check(this.rangeViolation(s.type, r.interval(s.value), r.paren(s.value)), FLAG_RANGES);
    let n = 0;
    const hoisted = new Map<Expr, string>();
    const accesses = stores.map((s) => {
      const access = this.access(s.target);
      for (const step of access.steps) {
        if (step.kind !== 'index' || step.index.kind === 'const') continue;
        const t = this.env.temp(n++);
        this.line(`${t} = ${r.scalar(step.index)};`);
        hoisted.set(step.index, t);
      }
      return access;
    });
    const values = stores.map((s) => {
      const t = this.env.temp(n++);
      this.line(`${t} = ${r.scalar(s.value, s.type)};`);
      return t;
    });
    stores.forEach((s, i) => {
      const ref = this.targetParts(accesses[i]!, hoisted)[0]!;
      this.line(`${ref.text} = ${storedValue(ref.leaf, values[i]!)};`);
      this.wrote(s.target);
    });
    for (let i = 0; i < n; i++) this.line(`${this.env.temp(i)} = 0;`);
    this.maxTemps = Math.max(this.maxTemps, n);
  }

  /** The leaves of the target; hoisted indexes read their temporaries. */
  private targetParts(access: Access, hoisted: ReadonlyMap<Expr, string> | null): LeafRef[] {
    const r = this.env.render;
    return leafRefs(access, (e) => hoisted?.get(e) ?? r.scalar(e));
  }

  /** Known bounds of each part of an aggregate value, in leaf order. */
  private partIntervals(value: Expr, type: Type): (readonly [number, number] | null)[] {
    const shapes = leafShapes(type).flatMap((s) => indexTuples(dimsOf(s.steps)).map((t) => ({ s, t })));
    if (value.kind === 'const') {
      return shapes.map(({ s, t }) => {
        const v = valueAt(value.value, s.steps, t);
        return typeof v === 'number' ? [v, v] as const : null;
      });
    }
    if (value.kind === 'cond') {
      const a = this.partIntervals(value.then, type);
      const b = this.partIntervals(value.else, type);
      return a.map((x, i) => {
        const y = b[i];
        return x && y ? [Math.min(x[0], y[0]), Math.max(x[1], y[1])] as const : null;
      });
    }
    if (value.kind === 'struct' || value.kind === 'array') {
      return literalParts(value, type, (x) => this.env.render.interval(x), (x, t) => this.partIntervals(x, t));
    }
    const source = accessOf(value, this.env.render.roots);
    if (!source) return shapes.map(() => null);
    return leafShapes(source.type).flatMap((s) => indexTuples(dimsOf(s.steps)).map(() => (s.type.kind === 'int' ? [s.type.lo, s.type.hi] as const : null)));
  }

  /** Records the leaves a store to `place` writes (all the elements a dynamic index could name). */
  private wrote(place: Expr): void {
    for (const ref of leafRefs(this.access(place), () => '0')) this.written.add(ref.leaf.name);
  }

  private access(place: Expr): Access {
    const a = accessOf(place, this.env.render.roots);
    if (!a) throw new Error(`internal error: a ${place.kind} expression is not a place`);
    return a;
  }
}

/** Does evaluating `e` read the root `key` (a shared variable, or a local of the running instance)? */
function readsRoot(e: Expr, key: string, env: StepEnv): boolean {
  switch (e.kind) {
    case 'global': case 'local':
      return accessOf(e, env.render.roots)?.root.key === key;
    case 'const': case 'self': case 'bound':
      return false;
    case 'field':
      return readsRoot(e.object, key, env);
    case 'index':
      return readsRoot(e.object, key, env) || readsRoot(e.index, key, env);
    case 'unary':
      return readsRoot(e.operand, key, env);
    case 'binary':
      return readsRoot(e.left, key, env) || readsRoot(e.right, key, env);
    case 'cond':
      return readsRoot(e.cond, key, env) || readsRoot(e.then, key, env) || readsRoot(e.else, key, env);
    case 'quant':
      return readsRoot(e.body, key, env);
    case 'canAcquire': case 'lockFree':
      return readsRoot(e.lock, key, env);
    case 'at': case 'localOf':
      throw new Error(`internal error: a step reads another instance (${e.kind}), which only properties may`);
    case 'struct':
      return e.fields.some((x) => readsRoot(x, key, env));
    case 'array':
      return e.elements.some((x) => readsRoot(x, key, env));
    default:
      return assertNever(e);
  }
}

/** A statement on one line, cut to the length Weft's own step labels have. */
function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 50 ? `${line.slice(0, 49)}…` : line;
}

/** Keeps a step label from closing the comment it is printed in. */
/** Model text (a label, a path, a name) inside a Promela comment: one line that cannot end the comment (text/escape.ts). */
export function comment(text: string): string {
  return commentText(text.replace(/\s+/g, ' '));
}

export function basename(path: string): string {
  return path.replace(/^.*[\\/]/, '');
}
