/**
 * IR expressions as Promela expressions, with what the export needs to
 * keep Weft's semantics where C's would differ:
 *
 *   - `defined(e)`: the condition under which evaluating `e` cannot fault
 *     (an index outside its array, a division by zero). Weft turns such a
 *     fault into a `ranges` violation; pan would read out of bounds or trap,
 *     so every evaluation that could fault is preceded by this test. It
 *     follows Weft's evaluation order and short-circuits, so `i < 3 &&
 *     xs[i]` needs no test.
 *   - `interval(e)`: bounds known from the types, so that stores that cannot
 *     leave their range get no range check.
 *   - aggregates (struct and array values, compared with `==` or copied)
 *     become one scalar per leaf, in the order of promelaVars.ts.
 *   - quantifiers are unrolled over their constant bounds; the bound
 *     variable becomes a constant, which also folds the indexes it is used in.
 *
 * Properties run no actor, so the claim renders with none. What they read
 * of named instances is kept in globals (SPIN refuses remote references,
 * `a[pid]@label` and `a[pid]:x`, in the claim's d_step): `a[i]@l` reads
 * the actor's pc variable, `a[i].x` the global that local is (promelaVars.ts).
 */
import type { Expr, InstanceRef, LockMode, Program } from '../lower/ir.ts';
import type { EnumType, Type, Value } from '../check/types.ts';
import type { BinaryOp } from '../syntax/ast.ts';
import { assertNever } from '../util.ts';
import { intervalOf, isArithOp } from '../state/arith.ts';
import { accessOf, indexTuples, leafRefs, leafShapes, dimsOf, literalParts, readLeaf, valueAt, type LeafRef, type Roots } from './promelaVars.ts';

/** The running actor, as far as expressions see it. */
export interface ActorView {
  /** `self` as a Promela expression of `_pid`. */
  readonly self: string;
  readonly selfRange: readonly [number, number];
}

export interface ExprEnv {
  readonly program: Program;
  readonly roots: Roots;
  /** Null in the never claim: properties read no actor state. */
  readonly actor: ActorView | null;
  /** The name of an enum member (a #define of the export). */
  readonly enumName: (type: EnumType, value: number) => string;
  /** In the never claim: per actor, the global that keeps its instances' pcs, where a property reads one (null: none). */
  readonly pcs?: readonly (string | null)[];
  /**
   * In an ltl formula, where `->` is implication: conditionals are written
   * with `&&` and `||`, so each must be over booleans (promelaLtl.ts lifts
   * the others out of their atoms first); no minus is unary (negative).
   */
  readonly ltl?: boolean;
}

/** A rendered expression and the precedence of its outermost operator (C's; 100 for an atom). */
interface Text {
  readonly text: string;
  readonly prec: number;
}

const ATOM = 100;
const UNARY = 14;
const PREC: Record<string, number> = {
  '*': 13, '/': 13, '%': 13, '+': 12, '-': 12, '>>': 11, '<': 10, '<=': 10, '>': 10, '>=': 10,
  '==': 9, '!=': 9, '&': 8, '&&': 5, '||': 4,
};

/** The comparison that is true exactly when the other one is false (on scalars, which is all Weft compares). */
const FLIP: Partial<Record<BinaryOp, BinaryOp>> = { '==': '!=', '!=': '==', '<': '>=', '>=': '<', '>': '<=', '<=': '>' };

/** `_pid`: pids are Weft's instance numbers (one active process per instance, in order). */
export const ME = '_pid';

export class ExprRenderer {
  /** Quantifier variables by depth, set while a quantifier is unrolled. */
  private readonly bound: number[] = [];

  constructor(private readonly env: ExprEnv) {}

  get roots(): Roots {
    return this.env.roots;
  }

  /** A scalar expression; `hint` names the type a constant stands for (enum members print by name). */
  scalar(e: Expr, hint: Type | null = null): string {
    return this.render(e, hint).text;
  }

  /** The parts of an aggregate value of type `type`, in leaf order (see promelaVars.ts). */
  parts(e: Expr, type: Type): string[] {
    switch (e.kind) {
      case 'const':
        return leafShapes(type).flatMap((shape) => indexTuples(dimsOf(shape.steps)).map((t) => constText(valueAt(e.value, shape.steps, t), shape.type, this.env.enumName)));
      case 'cond': {
        if (this.env.ltl) throw new Error('internal error: an aggregate conditional in an ltl formula (promelaLtl.ts lifts them)');
        const c = this.render(e.cond, null).text;
        const a = this.parts(e.then, type);
        const b = this.parts(e.else, type);
        return a.map((x, i) => `(${c} -> ${x} : ${b[i]!})`);
      }
      case 'struct': case 'array':
        return literalParts(e, type, (x, t) => this.scalar(x, t), (x, t) => this.parts(x, t));
      default: {
        const access = accessOf(e, this.env.roots);
        if (!access) throw new Error(`internal error: a ${e.kind} expression of an aggregate type`);
        return leafRefs(access, (i) => this.scalar(i)).map((r) => (r.leaf.bias === 0 ? r.text : `(${readLeaf(r.leaf, r.text)})`));
      }
    }
  }

  /** A scalar place as the target of a store: the stored form, and the leaf (for its bias). */
  target(place: Expr): LeafRef {
    const access = accessOf(place, this.env.roots);
    if (!access) throw new Error(`internal error: a ${place.kind} expression is not a place`);
    const refs = leafRefs(access, (i) => this.scalar(i));
    if (refs.length !== 1) throw new Error(`internal error: an aggregate (${access.root.weftName}) where a scalar is expected`);
    return refs[0]!;
  }

  /** The declared type of a place (or of a conditional between places); null for constants and computed values. */
  typeOf(e: Expr): Type | null {
    if (e.kind === 'cond') return this.typeOf(e.then) ?? this.typeOf(e.else);
    return accessOf(e, this.env.roots)?.type ?? null;
  }

  // ------------------------------------------------------------ rendering

  private render(e: Expr, hint: Type | null): Text {
    switch (e.kind) {
      case 'const': {
        if (Array.isArray(e.value)) throw new Error('internal error: an aggregate constant where a scalar is expected');
        if (this.env.ltl && typeof e.value === 'number' && e.value < 0) return this.negative(e.value);
        const text = constText(e.value, hint, this.env.enumName);
        return { text, prec: text.startsWith('-') ? UNARY : ATOM };
      }
      case 'at':
        return this.position(e);
      case 'global': case 'local': case 'localOf': case 'field': case 'index': {
        const access = accessOf(e, this.env.roots);
        if (!access) throw new Error(`internal error: ${e.kind} is not a place`);
        const refs = leafRefs(access, (i) => this.scalar(i));
        if (refs.length !== 1 || access.type.kind === 'struct' || access.type.kind === 'array') {
          throw new Error(`internal error: an aggregate (${access.root.weftName}) where a scalar is expected`);
        }
        const ref = refs[0]!;
        return ref.leaf.bias === 0 ? { text: ref.text, prec: ATOM } : { text: readLeaf(ref.leaf, ref.text), prec: PREC['+']! };
      }
      case 'self': {
        const actor = this.requireActor();
        return { text: actor.self, prec: /^[A-Za-z0-9_]+$/.test(actor.self) ? ATOM : PREC['-']! };
      }
      case 'bound': {
        const v = this.bound[e.depth];
        if (v === undefined) throw new Error(`internal error: quantifier variable ${e.depth} is not bound`);
        if (this.env.ltl && v < 0) return this.negative(v);
        return { text: intText(v), prec: v < 0 ? UNARY : ATOM };
      }
      case 'unary': {
        const operand = this.render(e.operand, null);
        if (this.env.ltl && e.op === '-') return { text: `(0 - ${operand.prec <= PREC['-']! ? `(${operand.text})` : operand.text})`, prec: ATOM };
        // `!!` is Promela's send-to-channel operator and `--` its decrement: never put two unary operators side by side.
        const inner = operand.prec < UNARY || /^[-!]/.test(operand.text) ? `(${operand.text})` : operand.text;
        return { text: `${e.op}${inner}`, prec: UNARY };
      }
      case 'binary':
        return this.binary(e);
      case 'cond': {
        if (this.env.ltl) {
          // A conditional over booleans: (c && a) || (!c && b).
          const c = this.render(e.cond, null);
          const negated = { text: paren(this.negate(e.cond)), prec: ATOM };
          return this.join('||', this.join('&&', c, this.render(e.then, null)), this.join('&&', negated, this.render(e.else, null)));
        }
        const c = this.render(e.cond, null).text;
        return { text: `(${c} -> ${this.render(e.then, hint).text} : ${this.render(e.else, hint).text})`, prec: ATOM };
      }
      case 'quant': {
        const all = e.quantifier === 'forall';
        const terms: Text[] = [];
        const saved = this.bound[e.depth];
        for (let v = e.lo; v <= e.hi; v++) {
          this.bound[e.depth] = v;
          terms.push(this.render(e.body, null));
        }
        restore(this.bound, e.depth, saved);
        if (terms.length === 0) return { text: all ? 'true' : 'false', prec: ATOM };
        const op = all ? '&&' : '||';
        const text = terms.map((t) => (t.prec <= PREC[op]! && terms.length > 1 ? `(${t.text})` : t.text)).join(` ${op} `);
        return { text: terms.length > 1 ? `(${text})` : text, prec: terms.length > 1 ? ATOM : terms[0]!.prec };
      }
      case 'canAcquire':
        return { text: `(${canAcquire(this.scalar(e.lock), e.mode)})`, prec: ATOM };
      case 'lockFree':
        return { text: `(${lockFree(this.scalar(e.lock), e.mode)})`, prec: ATOM };
      case 'struct': case 'array':
        throw new Error(`internal error: a ${e.kind} literal where a scalar is expected`);
      default:
        return assertNever(e);
    }
  }

  /**
   * A negative number in an ltl formula: SPIN prints a formula back without
   * spaces and reads it again, so a unary minus after `-` or `<` would
   * come back as `--` or the start of `<->`. -2^31 is intText's
   * `(-2147483647 - 1)`, whose minus follows a parenthesis.
   */
  private negative(v: number): Text {
    return { text: v === -(2 ** 31) ? intText(v) : `(0 - ${-v})`, prec: ATOM };
  }

  /** `a[i]@l`: the instance's pc, as its actor's pc variable holds it (promela.ts), is one of the label's pcs. */
  private position(e: Extract<Expr, { kind: 'at' }>): Text {
    const pc = this.env.pcs?.[e.instance.actor];
    if (!pc) throw new Error(`internal error: a position of actor ${e.instance.actor}, whose pc is not kept`);
    if (e.pcs.length === 0) return { text: 'false', prec: ATOM };
    const at = this.env.program.actors[e.instance.actor]!.isArray ? `${pc}[${this.scalar(e.instance.index)}]` : pc;
    const terms = e.pcs.map((v) => `${at} == ${v}`);
    return terms.length === 1 ? { text: terms[0]!, prec: PREC['==']! } : { text: `(${terms.join(' || ')})`, prec: ATOM };
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): Text {
    const op = e.op;
    if (op === '->') {
      // Promela has no implication (`->` separates statements): a -> b is !a || b.
      return this.join('||', { text: this.negate(e.left), prec: UNARY }, this.render(e.right, null));
    }
    if (op === '==' || op === '!=') {
      const type = this.typeOf(e.left) ?? this.typeOf(e.right);
      if (type && (type.kind === 'struct' || type.kind === 'array')) return this.aggregateEquality(e.left, e.right, type, op);
      if (!type && e.left.kind === 'const' && Array.isArray(e.left.value)) {
        // Two aggregate constants: the lowering folds these, but be safe.
        const same = JSON.stringify(e.left.value) === JSON.stringify((e.right as { value?: Value }).value);
        return { text: String(op === '==' ? same : !same), prec: ATOM };
      }
      return this.join(op, this.render(e.left, type), this.render(e.right, type));
    }
    return this.join(op, this.render(e.left, null), this.render(e.right, null));
  }

  private aggregateEquality(left: Expr, right: Expr, type: Type, op: '==' | '!='): Text {
    const a = this.parts(left, type);
    const b = this.parts(right, type);
    const eq = a.map((x, i) => `${x} == ${b[i]!}`).join(' && ');
    return { text: op === '==' ? `(${eq})` : `!(${eq})`, prec: op === '==' ? ATOM : UNARY };
  }

  /** `l op r` with the parentheses C's precedence needs (and a few more for readability). */
  private join(op: string, l: Text, r: Text): Text {
    const p = PREC[op];
    if (p === undefined) throw new Error(`internal error: no precedence for ${op}`);
    const associative = op === '&&' || op === '||';
    const left = l.prec < p || (op === '||' && l.prec === PREC['&&']) ? `(${l.text})` : l.text;
    const right = (associative ? r.prec < p : r.prec <= p) || (op === '||' && r.prec === PREC['&&']) ? `(${r.text})` : r.text;
    return { text: `${left} ${op} ${right}`, prec: p };
  }

  private requireActor(): ActorView {
    if (!this.env.actor) throw new Error('internal error: a property reads actor state');
    return this.env.actor;
  }

  // ------------------------------------------------------------ faults

  /**
   * The condition under which evaluating `e` raises no fault, or null when
   * it never does. Evaluation order and short-circuits are Weft's
   * (evaluate.ts), so the condition reads only what Weft would read.
   */
  defined(e: Expr): string | null {
    switch (e.kind) {
      case 'const': case 'global': case 'local': case 'self': case 'bound':
        return null;
      case 'field':
        return this.defined(e.object);
      case 'index': {
        const inBounds = this.inBounds(e.index, e.size);
        return and(this.defined(e.object), this.defined(e.index), inBounds);
      }
      case 'unary':
        return this.defined(e.operand);
      case 'binary': {
        const dl = this.defined(e.left);
        const dr = this.defined(e.right);
        switch (e.op) {
          case '&&': return and(dl, dr === null ? null : `${this.negate(e.left)} || ${paren(dr)}`);
          case '||': case '->': {
            const stop = e.op === '||' ? this.cond(e.left) : this.negate(e.left);
            return and(dl, dr === null ? null : `${stop} || ${paren(dr)}`);
          }
          case '/': case '%': {
            const r = this.interval(e.right);
            const nonZero = r && (r[0] > 0 || r[1] < 0) ? null : `${this.paren(e.right)} != 0`;
            return and(dl, dr, nonZero);
          }
          default:
            return and(dl, dr);
        }
      }
      case 'cond': {
        const dc = this.defined(e.cond);
        const dt = this.defined(e.then);
        const de = this.defined(e.else);
        if (dt === null && de === null) return dc;
        if (this.env.ltl) return and(dc, `(${paren(this.scalar(e.cond))} && ${paren(dt ?? 'true')}) || (${paren(this.negate(e.cond))} && ${paren(de ?? 'true')})`);
        return and(dc, `(${this.scalar(e.cond)} -> ${dt ?? 'true'} : ${de ?? 'true'})`);
      }
      case 'quant':
        return this.quantDefined(e, e.lo);
      case 'canAcquire': case 'lockFree':
        return this.defined(e.lock);
      case 'at':
        return this.instanceDefined(e.instance);
      case 'localOf':
        return this.instanceDefined(e.instance);
      case 'struct':
        return and(...e.fields.map((x) => this.defined(x)));
      case 'array':
        return and(...e.elements.map((x) => this.defined(x)));
      default:
        return assertNever(e);
    }
  }

  /** forall stops at the first false body, exists at the first true one: later bodies are evaluated only past that. */
  private quantDefined(e: Extract<Expr, { kind: 'quant' }>, v: number): string | null {
    if (v > e.hi) return null;
    const saved = this.bound[e.depth];
    this.bound[e.depth] = v;
    const here = this.defined(e.body);
    const stop = e.quantifier === 'forall' ? this.negate(e.body) : this.cond(e.body);
    restore(this.bound, e.depth, saved);
    const rest = this.quantDefined(e, v + 1);
    if (rest === null) return here;
    // The body's own bound variable must be set while rendering `stop`, which it was.
    return and(here, `${stop} || ${paren(rest)}`);
  }

  /** A named instance's index lies in 0..count-1 (a remote reference to another pid would read another process). */
  private instanceDefined(ref: InstanceRef): string | null {
    const count = this.env.program.actors[ref.actor]!.count;
    return and(this.defined(ref.index), this.inBounds(ref.index, count));
  }

  private inBounds(index: Expr, size: number): string | null {
    const r = this.interval(index);
    if (r && r[0] >= 0 && r[1] <= size - 1) return null;
    if (r && (r[1] < 0 || r[0] > size - 1)) return 'false';
    const i = this.paren(index);
    return `${i} >= 0 && ${i} < ${size}`;
  }

  /** Bounds of an integer expression known from its constants and the declared ranges of what it reads; null if unknown. */
  interval(e: Expr): readonly [number, number] | null {
    switch (e.kind) {
      case 'const':
        return typeof e.value === 'number' ? [e.value, e.value] : null;
      case 'bound': {
        const v = this.bound[e.depth];
        return v === undefined ? null : [v, v];
      }
      case 'self':
        return this.env.actor?.selfRange ?? null;
      case 'global': case 'local': case 'localOf': case 'field': case 'index': {
        const t = accessOf(e, this.env.roots)?.type;
        if (t?.kind === 'int') return [t.lo, t.hi];
        if (t?.kind === 'enum') return [0, t.members.length - 1];
        return null;
      }
      case 'unary': {
        const r = e.op === '-' ? this.interval(e.operand) : null;
        return r ? [-r[1], -r[0]] : null;
      }
      case 'binary': {
        const a = this.interval(e.left);
        const b = this.interval(e.right);
        if (!a || !b || !isArithOp(e.op)) return null;
        return intervalOf(e.op, a, b);
      }
      case 'cond': {
        const a = this.interval(e.then);
        const b = this.interval(e.else);
        return a && b ? [Math.min(a[0], b[0]), Math.max(a[1], b[1])] : null;
      }
      case 'quant': case 'canAcquire': case 'lockFree': case 'at': case 'struct': case 'array':
        return null;
      default:
        return assertNever(e);
    }
  }

  /** A boolean expression as a condition. */
  cond(e: Expr): string {
    return this.scalar(e);
  }

  /** `!e`, parenthesised as needed. */
  negate(e: Expr): string {
    if (e.kind === 'unary' && e.op === '!') return this.render(e.operand, null).text;
    const flipped = e.kind === 'binary' ? FLIP[e.op] : undefined;
    if (e.kind === 'binary' && flipped) return this.render({ ...e, op: flipped }, null).text;
    const t = this.render(e, null);
    return t.prec < UNARY || t.text.startsWith('!') ? `!(${t.text})` : `!${t.text}`;
  }

  /** An expression safe to put next to any operator. */
  paren(e: Expr): string {
    const t = this.render(e, null);
    return t.prec >= ATOM ? t.text : `(${t.text})`;
  }
}

function restore(bound: number[], depth: number, saved: number | undefined): void {
  if (saved === undefined) bound.length = Math.min(bound.length, depth);
  else bound[depth] = saved;
}

/** A conjunction of the non-null conditions, or null when there are none. */
export function and(...conds: (string | null)[]): string | null {
  const parts = conds.filter((c): c is string => c !== null);
  if (parts.length === 0) return null;
  if (parts.includes('false')) return 'false';
  return parts.map((p) => (parts.length > 1 ? paren(p) : p)).join(' && ');
}

/** The negation of a rendered condition (never `!!`, which Promela reads as a channel send). */
export function not(c: string): string {
  return /^[A-Za-z0-9_.[\]]+$/.test(c) ? `!${c}` : `!${paren(c).startsWith('(') ? paren(c) : `(${c})`}`;
}

/** Parenthesises a rendered condition unless it is one atom or already wrapped as a whole. */
export function paren(c: string): string {
  if (/^!?[A-Za-z0-9_.[\]]+$/.test(c)) return c;
  if (c.startsWith('(') && closingParen(c) === c.length - 1) return c;
  return `(${c})`;
}

function closingParen(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** A constant as Promela text; enum members by their #define name when the type is known. */
export function constText(v: Value, type: Type | null, enumName: (t: EnumType, v: number) => string): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return type?.kind === 'enum' ? enumName(type, v) : intText(v);
  throw new Error('internal error: an aggregate constant where a scalar is expected');
}

/**
 * An integer as Promela text. SPIN reads `-2147483648` as the negation of
 * 2147483648, which does not fit its int, and writes `-(-2147483648)` into
 * pan.c, which C reads as +2^31: so -2^31 is written `(-2147483647 - 1)`
 * (the soak found `neg != -2147483648` true where neg held -2^31).
 */
export function intText(v: number): string {
  return v === -2147483648 ? '(-2147483647 - 1)' : String(v === 0 ? 0 : v);
}

/**
 * canAcquire (evaluate.ts): the lock is free, or, so that the acquire can
 * report the misuse instead of blocking, already held by this instance.
 * Lock values and the rule are `canAcquire` of state/locks.ts, rendered in Promela.
 */
export function canAcquire(lock: string, mode: LockMode): string {
  switch (mode) {
    case 'exclusive': return `${lock} == 0 || ${lock} == ${ME} + 1`;
    case 'read': return `${lock} >= 0 || ${lock} == -(${ME} + 1)`;
    case 'write': return `${lock} == 0 || ${lock} == -(${ME} + 1) || ${hasReader(lock)}`;
    default: return assertNever(mode);
  }
}

/** lockFree of state/locks.ts, rendered in Promela: a trylock takes a free lock (for read, one not write-held). */
export function lockFree(lock: string, mode: LockMode): string {
  return mode === 'read' ? `${lock} >= 0` : `${lock} == 0`;
}

/** Is this instance's bit set in an rwsem's reader mask? */
export function hasReader(lock: string): string {
  return `(${lock} > 0 && ((${lock} >> ${ME}) & 1) == 1)`;
}
