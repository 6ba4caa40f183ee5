/**
 * Checked AST expressions as Promela expressions, for the AST oracle.
 *
 * Each expression compiles to its text, the condition under which
 * evaluating it raises no fault (`def`: an index outside its array, a
 * division by zero; Weft reports those as `ranges`), and, for integers, an
 * interval known from the declared types. Weft's integers are exact up to
 * 2^53; pan computes in 32-bit C ints, so an intermediate whose interval
 * may leave ±(2^31 - 1) makes the model unsupported.
 *
 * A call is inlined by substitution: a parameter stands for the caller's
 * argument, compiled in the caller's environment each time it is used
 * (docs/language.md, Functions). Quantifiers are unrolled, their variable
 * bound to a constant. Enum members are their ordinals.
 */
import type * as A from '../../../src/syntax/ast.ts';
import type { Ctx } from '../../../src/check/context.ts';
import { Unsupported, type Root } from './types.ts';
import { readScalar, resolvePlace } from './places.ts';
import { callValue, isPure } from './kernel.ts';
import type { RcuInfo } from './rcu.ts';

export const INT32 = 2 ** 31 - 1;

export interface Binding { readonly arg: A.Expr; readonly env: Env }

export interface Env {
  readonly ctx: Ctx;
  readonly globals: readonly Root[];
  /** The running actor's locals; null in properties. */
  readonly locals: readonly Root[] | null;
  /** `self` as a Promela expression, with its range; null where there is no instance number. */
  readonly self: { readonly text: string; readonly lo: number; readonly hi: number } | null;
  /** The arguments of the fn being inlined; null outside a fn. */
  readonly params: readonly Binding[] | null;
  /** Values of quantifier variables, by depth. */
  readonly quant: readonly number[];
  /** The running actor's locals that are globals over its instances (element `self` is this instance's). */
  readonly perInstance?: ReadonlySet<number>;
  /** Every actor, for what properties read of its instances (`a[i]@l`, `a[i].x`). */
  readonly actors?: readonly OracleActor[];
  /** RCU's processes and callbacks, in actor code (rcu.ts). */
  readonly rcu?: RcuInfo;
}

/**
 * An actor as properties read it. SPIN takes no remote references in the
 * claim's d_step, so an actor whose position a property reads keeps its pc
 * in a global that every step moving it writes, and a local a property
 * reads is a global, one element per instance of an actor array.
 */
export interface OracleActor {
  readonly count: number;
  readonly isArray: boolean;
  /** The pc global (an array for an actor array); null when no property reads a position of the actor. */
  readonly pcVar: string | null;
  /** Per local, its root: of the local's type, or over the instances for an actor array when kept global. */
  readonly locals: readonly Root[];
  /** Which locals are kept global (the others are the proctype's). */
  readonly global: ReadonlySet<number>;
  /** For each label of the actor's code, the pcs its statements start at (filled in once the proctype is written). */
  readonly labels: Map<string, number[]>;
}

/** A compiled scalar expression. */
export interface C {
  readonly text: string;
  /** Evaluation raises no fault when this holds; null: it never faults. */
  readonly def: string | null;
  /** Integers only: bounds of the value. */
  readonly iv: readonly [number, number] | null;
}

export function and(...cs: (string | null)[]): string | null {
  const parts = cs.filter((c): c is string => c !== null);
  if (parts.length === 0) return null;
  if (parts.includes('false')) return 'false';
  return parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(' && ');
}

/** Negation; always parenthesised, so that `!` never meets `!` (a channel send). */
export function not(c: string): string {
  return `!(${c})`;
}

export function lit(v: number | boolean): C {
  if (typeof v === 'boolean') return { text: v ? 'true' : 'false', def: null, iv: null };
  if (!Number.isInteger(v) || Math.abs(v) > INT32) throw new Unsupported(`the constant ${v} does not fit a 32-bit int`);
  return { text: v < 0 ? `(${v})` : String(v), def: null, iv: [v, v] };
}

function checkIv(iv: readonly [number, number], what: string): readonly [number, number] {
  if (iv[0] < -INT32 || iv[1] > INT32) throw new Unsupported(`${what} may leave the 32-bit range (${iv[0]}..${iv[1]})`);
  return iv;
}

/**
 * The value of an expression fixed before the search (literals, consts,
 * options, enum members, quantifier variables, and parameters bound to
 * such), or undefined. A condition that is fixed takes no step.
 */
export function fixed(e: A.Expr, env: Env): number | boolean | undefined {
  switch (e.kind) {
    case 'number': case 'bool': return e.value;
    case 'self': case 'field': case 'index': case 'at': case 'struct': case 'array': case 'call': return undefined;
    case 'name': {
      const sym = env.ctx.refs.get(e);
      if (!sym) return undefined;
      switch (sym.kind) {
        case 'const': case 'option': case 'enumMember':
          return typeof sym.value === 'number' || typeof sym.value === 'boolean' ? sym.value : undefined;
        case 'quant': return env.quant[sym.depth];
        case 'param': {
          const b = env.params?.[sym.index];
          return b ? fixed(b.arg, b.env) : undefined;
        }
        case 'shared': case 'local': return undefined;
      }
      return undefined;
    }
    case 'unary': {
      const v = fixed(e.operand, env);
      if (v === undefined) return undefined;
      return e.op === '!' ? !v : -(v as number);
    }
    case 'binary': {
      // Evaluated left to right with short-circuits: `false && x` is fixed, `x && false` is not.
      const a = fixed(e.left, env);
      if (a === undefined) return undefined;
      if (e.op === '&&' && a === false) return false;
      if (e.op === '->' && a === false) return true;
      if (e.op === '||' && a === true) return true;
      const b = fixed(e.right, env);
      if (b === undefined) return undefined;
      const x = a as number;
      const y = b as number;
      switch (e.op) {
        case '->': return !a || !!b;
        case '||': return !!a || !!b;
        case '&&': return !!a && !!b;
        case '==': return a === b;
        case '!=': return a !== b;
        case '<': return x < y;
        case '<=': return x <= y;
        case '>': return x > y;
        case '>=': return x >= y;
        case '+': return x + y;
        case '-': return x - y;
        case '*': return x * y;
        case '/': return y === 0 ? undefined : Math.trunc(x / y);
        case '%': return y === 0 ? undefined : x % y;
      }
      return undefined;
    }
    case 'cond': {
      const c = fixed(e.cond, env);
      return c === undefined ? undefined : fixed(c ? e.then : e.else, env);
    }
    case 'quant': {
      const lo = fixed(e.lo, env) as number;
      const hi = fixed(e.hi, env) as number;
      // forall stops at the first false body, exists at the first true one.
      for (let v = lo; v <= hi; v++) {
        const b = fixed(e.body, bindQuant(env, v));
        if (b === undefined) return undefined;
        if (e.quantifier === 'forall' && b === false) return false;
        if (e.quantifier === 'exists' && b === true) return true;
      }
      return e.quantifier === 'forall';
    }
  }
}

/**
 * Binds a quantifier's variable. The checker numbers quantifier variables
 * by how many quantifiers enclose them in their expression; every
 * expression starts with none bound (an argument, in its caller's
 * environment, too), so the depth is the number bound so far.
 */
function bindQuant(env: Env, v: number): Env {
  return { ...env, quant: [...env.quant, v] };
}

/** A scalar expression. */
export function compile(e: A.Expr, env: Env): C {
  const f = fixed(e, env);
  if (f !== undefined) return lit(f);
  switch (e.kind) {
    case 'number': case 'bool': return lit(e.value);
    case 'self': {
      if (!env.self) throw new Unsupported('self outside an actor instance');
      return { text: env.self.text, def: null, iv: [env.self.lo, env.self.hi] };
    }
    case 'name': {
      const sym = env.ctx.refs.get(e);
      if (sym?.kind === 'param') {
        const b = env.params?.[sym.index];
        if (!b) throw new Error(`internal error: parameter ${e.name} is not bound`);
        return compile(b.arg, b.env);
      }
      return readScalar(resolvePlace(e, env));
    }
    case 'field': case 'index': return readScalar(resolvePlace(e, env));
    case 'at': {
      const inst = instance(e.object, env);
      const pcs = inst.actor.labels.get(e.label.name) ?? [];
      const pc = inst.index === null ? inst.actor.pcVar! : `${inst.actor.pcVar!}[${inst.index.text}]`;
      // Read even when no pc starts the label, so that a bad index still faults (def).
      const text = pcs.length ? `(${pcs.map((v) => `${pc} == ${v}`).join(' || ')})` : 'false';
      return { text, def: inst.def, iv: null };
    }
    case 'unary': {
      const a = compile(e.operand, env);
      if (e.op === '!') return { text: not(a.text), def: a.def, iv: null };
      return { text: `-(${a.text})`, def: a.def, iv: checkIv([-a.iv![1], -a.iv![0]], 'a negation') };
    }
    case 'binary': return binary(e, env);
    case 'cond': {
      const c = compile(e.cond, env);
      const a = compile(e.then, env);
      const b = compile(e.else, env);
      const def = a.def === null && b.def === null ? c.def : and(c.def, `(${c.text} -> ${a.def ?? 'true'} : ${b.def ?? 'true'})`);
      const iv = a.iv && b.iv ? [Math.min(a.iv[0], b.iv[0]), Math.max(a.iv[1], b.iv[1])] as const : null;
      return { text: `(${c.text} -> ${a.text} : ${b.text})`, def, iv };
    }
    case 'quant': {
      const lo = fixed(e.lo, env) as number;
      const hi = fixed(e.hi, env) as number;
      const all = e.quantifier === 'forall';
      const bodies: C[] = [];
      for (let v = lo; v <= hi; v++) bodies.push(compile(e.body, bindQuant(env, v)));
      if (bodies.length === 0) return lit(all);
      const text = `(${bodies.map((b) => `(${b.text})`).join(all ? ' && ' : ' || ')})`;
      // forall stops at the first false body, exists at the first true one.
      let def: string | null = null;
      for (let i = bodies.length - 1; i >= 0; i--) {
        const b = bodies[i]!;
        const rest = def === null ? null : `${all ? not(b.text) : `(${b.text})`} || (${def})`;
        def = and(b.def, rest);
      }
      return { text, def, iv: null };
    }
    case 'struct': case 'array': throw new Unsupported('an aggregate literal where a scalar is expected');
    // A builtin's value, on the state before it acts (kernel.ts); what it does is its step's.
    case 'call': return isPure(e.callee.name) ? compile(e.args[0]!, env) : callValue(e, env);
  }
}

/**
 * The instance a property names, `a` or `a[i]` (the checker resolved the
 * actor): its index (null for a single actor), and the condition that the
 * index names one of the actor's instances.
 */
export function instance(e: A.Expr, env: Env): { actor: OracleActor; index: C | null; def: string | null } {
  const sig = env.ctx.actorRefs.get(e);
  const actor = sig && env.actors?.[sig.index];
  if (!actor) throw new Unsupported('an actor instance outside a property');
  if (e.kind !== 'index') return { actor, index: null, def: null };
  const i = compile(e.index, env);
  const [lo, hi] = i.iv!;
  const inBounds = lo >= 0 && hi < actor.count ? null : hi < 0 || lo >= actor.count ? 'false' : `${i.text} >= 0 && ${i.text} < ${actor.count}`;
  return { actor, index: i, def: and(i.def, inBounds) };
}

function binary(e: A.Expr & { kind: 'binary' }, env: Env): C {
  const l = compile(e.left, env);
  const r = compile(e.right, env);
  const both = and(l.def, r.def);
  switch (e.op) {
    case '&&': return { text: `(${l.text} && ${r.text})`, def: and(l.def, r.def && `${not(l.text)} || (${r.def})`), iv: null };
    case '||': return { text: `(${l.text} || ${r.text})`, def: and(l.def, r.def && `(${l.text}) || (${r.def})`), iv: null };
    case '->': return { text: `(${not(l.text)} || ${r.text})`, def: and(l.def, r.def && `${not(l.text)} || (${r.def})`), iv: null };
    case '==': case '!=': case '<': case '<=': case '>': case '>=':
      return { text: `(${l.text} ${e.op} ${r.text})`, def: both, iv: null };
    case '+': case '-': case '*': {
      const [a, b] = [l.iv!, r.iv!];
      const iv: [number, number] = e.op === '+' ? [a[0] + b[0], a[1] + b[1]]
        : e.op === '-' ? [a[0] - b[1], a[1] - b[0]]
          : [Math.min(a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]), Math.max(a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1])];
      return { text: `(${l.text} ${e.op} ${r.text})`, def: both, iv: checkIv(iv, `'${e.op}'`) };
    }
    case '/': case '%': {
      const [a, b] = [l.iv!, r.iv!];
      const nonZero = b[0] > 0 || b[1] < 0 ? null : `${r.text} != 0`;
      const ma = Math.max(Math.abs(a[0]), Math.abs(a[1]));
      const mb = Math.max(Math.abs(b[0]), Math.abs(b[1]));
      // Truncating division never grows the dividend; a remainder takes the dividend's sign and is below the divisor.
      const m = e.op === '/' ? ma : Math.min(ma, Math.max(mb - 1, 0));
      // The quotient is negative only when the signs may differ; the remainder has the dividend's sign.
      const iv: [number, number] = e.op === '/'
        ? ((a[0] >= 0 && b[0] >= 0) || (a[1] <= 0 && b[1] <= 0) ? [0, m] : [-m, m])
        : [a[0] >= 0 ? 0 : -m, a[1] <= 0 ? 0 : m];
      return { text: `(${l.text} ${e.op} ${r.text})`, def: and(l.def, r.def, nonZero), iv: checkIv(iv, `'${e.op}'`) };
    }
  }
}
