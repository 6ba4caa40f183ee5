/**
 * IR expressions as Murphi expressions (docs/murphi.md, "Expressions").
 *
 * Faults need no tests of their own here, unlike in Promela: Rumur's
 * verifier reports a bad index, a division by zero, a value out of its
 * range and a read of an undefined value as an error, which discards the
 * successor exactly where Weft's fault ends the path, and Rumur's `&`, `|`,
 * `->` and `?:` short-circuit as Weft's do. Every compound is
 * parenthesised, since Murphi's precedences are not C's.
 *
 * Instance numbers of a symmetric actor are scalarset values, and the one
 * value of a slot's range outside the instances (say -1) is `undefined`
 * (murphiLayout.ts), so `==` and `!=` on them are rendered by `idEq`, which
 * tests `isundefined` before it reads. Aggregate `==` becomes a
 * conjunction over the leaves, with a quantifier over the scalarset for an
 * array indexed by instances (`expandEq`).
 */
import type { Expr, InstanceRef, LockMode, Program } from '../lower/ir.ts';
import type { Type, Value } from '../check/types.ts';
import type { Span } from '../text/source.ts';
import { assertNever } from '../util.ts';
import type { Layout } from './murphiLayout.ts';

/** Quantifier depths that `expandEq` uses for the arrays it compares, above any a model can nest. */
const SYNTHETIC_DEPTH = 10_000;

export interface ExprEnv {
  readonly layout: Layout;
  /** The running actor, or null in a property. */
  readonly actor: number | null;
  /** `self` as Murphi text: the ruleset's variable. */
  readonly self: string | null;
  /** Names a quantifier variable, unique in the model. */
  readonly fresh: () => string;
}

export class MurphiExpr {
  private readonly bound = new Map<number, { name: string; over: number | undefined }>();
  private synthetic = SYNTHETIC_DEPTH;

  constructor(readonly env: ExprEnv) {}

  get program(): Program {
    return this.env.layout.program;
  }

  /** The symmetric actor whose instance number `e` is, or null for a plain value. */
  idActor(e: Expr): number | null {
    switch (e.kind) {
      case 'self': return this.env.actor !== null && this.env.layout.sym.has(this.env.actor) ? this.env.actor : null;
      case 'bound': return this.bound.get(e.depth)?.over ?? null;
      case 'cond': return this.idActor(e.then) ?? this.idActor(e.else);
      case 'global': case 'local': case 'localOf': case 'field': case 'index': {
        const c = this.env.layout.classOf(this.env.layout.keyOf(e, this.env.actor));
        return c?.kind === 'id' ? c.actor : null;
      }
      default: return null;
    }
  }

  /** The value that a place of instance numbers keeps as `undefined`, or null when it has none. */
  undefinedValue(e: Expr): number | null {
    const c = this.env.layout.classOf(this.env.layout.keyOf(e, this.env.actor));
    return c?.kind === 'id' ? c.other : null;
  }

  render(e: Expr): string {
    switch (e.kind) {
      case 'const': return constText(e.value);
      case 'global': case 'local': case 'localOf': case 'field': case 'index': return this.place(e);
      case 'self':
        if (this.env.self === null) throw new Error('internal error: a property reads self');
        return this.env.self;
      case 'bound': {
        const b = this.bound.get(e.depth);
        if (!b) throw new Error(`internal error: quantifier variable ${e.depth} is not bound`);
        return b.name;
      }
      case 'unary': return `(${e.op}${this.render(e.operand)})`;
      case 'binary': return this.binary(e);
      case 'cond': return `(${this.render(e.cond)} ? ${this.render(e.then)} : ${this.render(e.else)})`;
      case 'quant': {
        const all = e.quantifier === 'forall';
        if (e.lo > e.hi) return all ? 'true' : 'false';
        return this.quantified(e.depth, e.over, e.lo, e.hi, (v) => `(${all ? 'forall' : 'exists'} ${v} do ${this.render(e.body)} ${all ? 'endforall' : 'endexists'})`);
      }
      case 'canAcquire': return this.canAcquire(this.place(e.lock), e.mode);
      case 'lockFree': return this.lockFree(this.place(e.lock), e.mode);
      case 'at': {
        if (e.pcs.length === 0) return 'false';
        const pc = `${this.env.layout.pcs[e.instance.actor]!}[${this.instance(e.instance)}]`;
        return `(${e.pcs.map((p) => `${pc} = ${p}`).join(' | ')})`;
      }
      case 'struct': case 'array': throw new Error(`internal error: a ${e.kind} literal where a scalar is expected`);
      default: return assertNever(e);
    }
  }

  /** Renders `body` with quantifier depth `depth` bound to a fresh variable over the instances of `over`, or lo..hi. */
  quantified(depth: number, over: number | undefined, lo: number, hi: number, body: (decl: string) => string): string {
    const name = this.env.fresh();
    const saved = this.bound.get(depth);
    this.bound.set(depth, { name, over });
    const type = over !== undefined ? this.env.layout.sym.get(over)!.type : `${lo}..${hi}`;
    try {
      return body(`${name}: ${type}`);
    } finally {
      if (saved) this.bound.set(depth, saved);
      else this.bound.delete(depth);
    }
  }

  private instance(ref: InstanceRef): string {
    return this.render(ref.index);
  }

  /** A place as Murphi text. */
  place(e: Expr): string {
    const l = this.env.layout;
    switch (e.kind) {
      case 'global': return l.globals[e.index]!;
      case 'local':
        if (this.env.actor === null || this.env.self === null) throw new Error('internal error: a property reads a local of no instance');
        return `${l.locals[this.env.actor]![e.index]!}[${this.env.self}]`;
      case 'localOf': return `${l.locals[e.instance.actor]![e.index]!}[${this.instance(e.instance)}]`;
      case 'field': {
        const t = this.typeOf(e.object);
        if (t.kind !== 'struct') throw new Error('internal error: a field of a non-struct');
        return `${this.place(e.object)}.${l.fieldNames(t)[e.field]!}`;
      }
      case 'index': return `${this.place(e.object)}[${this.render(e.index)}]`;
      default: throw new Error(`internal error: a ${e.kind} expression is not a place`);
    }
  }

  /** The declared type of a place. */
  typeOf(e: Expr): Type {
    const p = this.program;
    switch (e.kind) {
      case 'global': return p.globals[e.index]!.type;
      case 'local': return p.actors[this.env.actor!]!.locals[e.index]!.type;
      case 'localOf': return p.actors[e.instance.actor]!.locals[e.index]!.type;
      case 'field': {
        const t = this.typeOf(e.object);
        if (t.kind !== 'struct') throw new Error('internal error: a field of a non-struct');
        return t.fields[e.field]!.type;
      }
      case 'index': {
        const t = this.typeOf(e.object);
        if (t.kind !== 'array') throw new Error('internal error: an index into a non-array');
        return t.element;
      }
      default: throw new Error(`internal error: a ${e.kind} expression is not a place`);
    }
  }

  private isPlace(e: Expr): boolean {
    return e.kind === 'global' || e.kind === 'local' || e.kind === 'localOf' || e.kind === 'field' || e.kind === 'index';
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): string {
    const { op, left, right } = e;
    if (op === '==' || op === '!=') {
      const type = this.isPlace(left) ? this.typeOf(left) : this.isPlace(right) ? this.typeOf(right) : null;
      const eq = type && (type.kind === 'struct' || type.kind === 'array')
        ? this.render(this.expandEq(left, right, type))
        : this.idActor(left) !== null || this.idActor(right) !== null ? this.idEq(left, right) : `(${this.render(left)} = ${this.render(right)})`;
      return op === '==' ? eq : `(!${eq})`;
    }
    const m: Record<string, string> = { '->': '->', '||': '|', '&&': '&', '<': '<', '<=': '<=', '>': '>', '>=': '>=', '+': '+', '-': '-', '*': '*', '/': '/', '%': '%' };
    return `(${this.render(left)} ${m[op]!} ${this.render(right)})`;
  }

  /** `l == r` on instance numbers: `undefined` stands for the one value outside the instances. */
  idEq(l: Expr, r: Expr): string {
    if (l.kind === 'cond') return `(${this.render(l.cond)} ? ${this.idEq(l.then, r)} : ${this.idEq(l.else, r)})`;
    if (r.kind === 'cond') return `(${this.render(r.cond)} ? ${this.idEq(l, r.then)} : ${this.idEq(l, r.else)})`;
    if (l.kind === 'const' && r.kind === 'const') return String(l.value === r.value);
    if (l.kind === 'const') return this.idEq(r, l);
    const ul = this.undefinedValue(l);
    if (r.kind === 'const') return ul !== null && ul === r.value ? `isundefined(${this.place(l)})` : 'false';
    const ur = this.undefinedValue(r);
    const [a, b] = [this.render(l), this.render(r)];
    if (ul === null && ur === null) return `(${a} = ${b})`;
    if (ul === null) return `(!isundefined(${b}) & ${a} = ${b})`;
    if (ur === null) return `(!isundefined(${a}) & ${a} = ${b})`;
    const both = `(!isundefined(${a}) & !isundefined(${b}) & ${a} = ${b})`;
    return ul === ur ? `((isundefined(${a}) & isundefined(${b})) | ${both})` : both;
  }

  /**
   * `l == r` on aggregates as an IR expression over their leaves (each
   * compared by `render` above): a conjunction over fields and elements,
   * a quantifier over the scalarset for an array indexed by instances.
   */
  expandEq(l: Expr, r: Expr, type: Type): Expr {
    const and = (xs: Expr[]): Expr => xs.reduce((a, b) => ({ kind: 'binary', op: '&&', left: a, right: b, span: SPAN }), { kind: 'const', value: true } as Expr);
    if (type.kind === 'struct') return and(type.fields.map((f, i) => this.expandEq(part(l, i, 'field'), part(r, i, 'field'), f.type)));
    if (type.kind === 'array') {
      const key = [l, r].map((x) => (this.isPlace(x) ? this.env.layout.keyOf(x, this.env.actor) : null)).find((k) => k !== null) ?? null;
      const c = this.env.layout.classOf(key);
      if (c?.kind === 'indexed') {
        const depth = this.synthetic++;
        const idx: Expr = { kind: 'bound', depth };
        const n = this.program.actors[c.actor]!.count;
        return { kind: 'quant', quantifier: 'forall', depth, lo: 0, hi: n - 1, over: c.actor, body: this.expandEq(elem(l, idx, type.size), elem(r, idx, type.size), type.element) };
      }
      return and(Array.from({ length: type.size }, (_, i) => this.expandEq(elem(l, { kind: 'const', value: i }, type.size), elem(r, { kind: 'const', value: i }, type.size), type.element)));
    }
    return { kind: 'binary', op: '==', left: l, right: r, span: SPAN };
  }

  // ---- Locks (state/locks.ts on the record of murphiLayout.ts) ----

  /** This instance holds the lock exclusively (a mutex, or an rwsem for writing). */
  mine(lock: string): string {
    const { actor, self } = this.me();
    const s = this.env.layout.sym.get(actor);
    const f = this.env.layout.first[actor]!;
    return s ? `(${lock}.holder = ${f + 1} & ${lock}.sym${s.k} = ${self})` : `(${lock}.holder = ${f} + ${self} + 1)`;
  }

  /** This instance's reader flag of an rwsem. */
  reader(lock: string): string {
    const { actor, self } = this.me();
    const s = this.env.layout.sym.get(actor);
    return s ? `${lock}.rd${s.k}[${self}]` : `${lock}.rd[${this.env.layout.first[actor]!} + ${self}]`;
  }

  noReaders(lock: string): string {
    const l = this.env.layout;
    const i = this.env.fresh();
    const parts = [`(forall ${i}: 0..${l.instances - 1} do !${lock}.rd[${i}] endforall)`];
    for (const s of l.sym.values()) {
      const j = this.env.fresh();
      parts.push(`(forall ${j}: ${s.type} do !${lock}.rd${s.k}[${j}] endforall)`);
    }
    return `(${parts.join(' & ')})`;
  }

  canAcquire(lock: string, mode: LockMode): string {
    switch (mode) {
      case 'exclusive': return `(${lock}.holder = 0 | ${this.mine(lock)})`;
      case 'read': return `(${lock}.holder = 0 | ${this.mine(lock)})`;
      case 'write': return `((${lock}.holder = 0 & ${this.noReaders(lock)}) | ${this.mine(lock)} | ${this.reader(lock)})`;
      default: return assertNever(mode);
    }
  }

  lockFree(lock: string, mode: LockMode): string {
    return mode === 'exclusive' ? `(${lock}.holder = 0)` : mode === 'read' ? `(${lock}.holder = 0)` : `(${lock}.holder = 0 & ${this.noReaders(lock)})`;
  }

  private me(): { actor: number; self: string } {
    if (this.env.actor === null || this.env.self === null) throw new Error('internal error: a lock operation outside a step');
    return { actor: this.env.actor, self: this.env.self };
  }
}

const SPAN: Span = { start: 0, end: 0 };

/** Field i of an aggregate value (a place, a constant, a literal, a conditional). */
function part(e: Expr, i: number, kind: 'field'): Expr {
  switch (e.kind) {
    case 'const': return { kind: 'const', value: (e.value as Value[])[i]! };
    case 'struct': return e.fields[i]!;
    case 'cond': return { ...e, then: part(e.then, i, kind), else: part(e.else, i, kind) };
    default: return { kind: 'field', object: e, field: i };
  }
}

/** Element `index` of an aggregate value; literals indexed by a variable are uniform (lower/symmetry.ts), so element 0. */
function elem(e: Expr, index: Expr, size: number): Expr {
  const i = index.kind === 'const' ? (index.value as number) : 0;
  switch (e.kind) {
    case 'const': return { kind: 'const', value: (e.value as Value[])[i]! };
    case 'array': return e.elements[i]!;
    case 'cond': return { ...e, then: elem(e.then, index, size), else: elem(e.else, index, size) };
    default: return { kind: 'index', object: e, index, size, span: SPAN };
  }
}

export function constText(v: Value): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return v < 0 ? `(${v})` : String(v);
  throw new Error('internal error: an aggregate constant where a scalar is expected');
}
