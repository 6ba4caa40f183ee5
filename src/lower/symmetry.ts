/**
 * Symmetry: proves that the instances of each `symmetric` actor array are
 * interchangeable, or says why not (W3090), and records where their
 * instance numbers are kept (Program.symmetry) for the reduced search
 * (explore/symmetry/) and the Murphi export's scalarsets.
 *
 * The proof is a type inference over the lowered program, the scalarset
 * discipline of Murphi (Ip and Dill, "Better verification through
 * symmetry", 1996) without the declarations: every integer storage place
 * (a scalar, every element of an array taken together, each struct field)
 * and every expression is either an instance number of one symmetric
 * actor A, or a plain number. An A number comes from A's `self` and flows
 * through stores, `==`/`!=`, `?:`, indexes and quantifiers; it may
 *   - be stored, in a place whose range holds 0..count-1 (a range with -1
 *     can say "no instance", as NULL does for a kernel owner pointer),
 *   - be compared with `==` and `!=`,
 *   - index an array of `count` elements, every index of which is then an
 *     A number (so `level[self]`, and `forall k in 0..N-1: level[k] < L`
 *     with k an A number because it indexes `level`).
 * Anything else tells instances apart: arithmetic or `<` on it
 * (`(self + 1) % N`), comparing it with a computed number (`self != n * c`:
 * a computed number is plain), a constant naming an instance (`self == 0`,
 * `level[0]` in a property), a pick into it, a plain number indexing an
 * A-indexed array, a quantifier over fewer than all instances, an array
 * literal giving instances different values, or an initial value that
 * names an instance. With none of these, a permutation of A's instances
 * (moving pcs, locals and indexed elements, and mapping stored numbers and
 * lock holders) maps every step and every property to itself, which is
 * what the reduced search relies on.
 *
 * Not covered yet, and refused: wait queues and RCU in a model with a
 * symmetric actor (their lowered tables index instances by constants).
 */
import type { Type, Value } from '../check/types.ts';
import { diag, type Diagnostic } from '../text/diagnostic.ts';
import type { Span } from '../text/source.ts';
import type { Expr, Op, Program, Slot, SlotPart, SymmetricActor } from './ir.ts';

type Seed =
  | { readonly kind: 'id'; readonly actor: number }
  | { readonly kind: 'plain'; readonly why: string };

interface Later {
  /** A constant's class is known only once every flow is unified. */
  readonly consts: { v: number; value: number; span: Span | null }[];
  /** Stores and argument checks: an instance number needs a range holding every instance. */
  readonly ranges: { v: number; type: Type; span: Span }[];
  readonly quants: { v: number; q: Expr & { kind: 'quant' }; span: Span | null }[];
  /** Array literals and aggregate initial values: positional, so uniform if indexed by instances. */
  readonly uniform: { index: number; span: Span; uniform: boolean }[];
}

export type SymmetryResult =
  | { readonly ok: true; readonly program: Program }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export function symmetryOf(program: Program): SymmetryResult {
  const symmetric = program.actors.flatMap((a, i) => (a.symmetric ? [i] : []));
  if (!symmetric.length) return { ok: true, program };
  const a = new Analysis(program);
  const refused = a.refuseUnsupported(symmetric);
  if (refused) return { ok: false, diagnostics: [refused] };
  a.run();
  if (a.diagnostics.length) return { ok: false, diagnostics: a.diagnostics };
  return { ok: true, program: { ...a.annotated(), symmetry: symmetric.map((actor) => a.groupOf(actor)) } };
}

class Analysis {
  readonly diagnostics: Diagnostic[] = [];
  private readonly parent: number[] = [];
  private readonly seeds: (Seed | null)[] = [];
  /** Place keys (see key()) to their variable, and to the type stored there. */
  private readonly places = new Map<string, { v: number; type: Type; slot: Slot; array: boolean }>();
  private readonly later: Later = { consts: [], ranges: [], quants: [], uniform: [] };
  private readonly quantVars = new Map<Expr, number>();
  private bound: number[] = [];
  private actor = -1;
  private span: Span | null = null;

  constructor(private readonly program: Program) {}

  refuseUnsupported(symmetric: readonly number[]): Diagnostic | null {
    const name = this.program.actors[symmetric[0]!]!.name;
    const at = this.program.actors[symmetric[0]!]!.span;
    const queue = this.program.globals.find((g) => hasWaitQueue(g.type));
    if (queue) return this.error(at, name, `the model has a wait queue ('${queue.name}'), and symmetry does not yet cover wait queues`);
    // RCU's hidden shared variables have names no model can write (lower/rcu.ts).
    if (this.program.globals.some((g) => !/^[A-Za-z_]\w*$/.test(g.name))) return this.error(at, name, 'the model uses RCU, and symmetry does not yet cover RCU');
    return null;
  }

  run(): void {
    const p = this.program;
    p.globals.forEach((g, index) => this.declare({ root: { kind: 'global', index }, path: [] }, g.type, g.init, g.span));
    p.actors.forEach((a, actor) => a.locals.forEach((l, index) => this.declare({ root: { kind: 'local', actor, index }, path: [] }, l.type, l.init, l.span)));
    for (const s of p.steps) {
      this.actor = s.actor;
      this.span = s.span;
      if (s.guard) this.expr(s.guard);
      this.ops(s.effect);
    }
    this.actor = -1;
    for (const prop of p.properties) {
      if (prop.kind === 'invariant' || prop.kind === 'reachable') { this.span = prop.span; this.expr(prop.expr); }
      if (prop.kind === 'liveness') { this.span = prop.span; if (prop.p) this.expr(prop.p); this.expr(prop.q); }
    }
    this.settle();
  }

  // ---- Union-find over classes ----

  private fresh(seed: Seed | null = null): number {
    this.parent.push(this.parent.length);
    this.seeds.push(seed);
    return this.parent.length - 1;
  }

  private find(v: number): number {
    while (this.parent[v] !== v) v = this.parent[v] = this.parent[this.parent[v]!]!;
    return v;
  }

  private seedOf(v: number): Seed | null {
    return this.seeds[this.find(v)]!;
  }

  private unify(x: number, y: number, span: Span | null): void {
    const [rx, ry] = [this.find(x), this.find(y)];
    if (rx === ry) return;
    const [sx, sy] = [this.seeds[rx]!, this.seeds[ry]!];
    if (sx && sy && !sameSeed(sx, sy)) { this.conflict(sx, sy, span); return; }
    this.parent[ry] = rx;
    this.seeds[rx] = sx ?? sy;
  }

  private seed(v: number, s: Seed, span: Span | null): void {
    this.unify(v, this.fresh(s), span);
  }

  private plain(v: number, why: string, span: Span | null): void {
    this.seed(v, { kind: 'plain', why }, span);
  }

  // ---- Places ----

  /** Every scalar and array below a declared variable gets its class; arrays also a class for their index. */
  private declare(slot: Slot, type: Type, init: Value, span: Span): void {
    const k = slotKey(slot);
    if (type.kind === 'struct') {
      type.fields.forEach((f, i) => this.declare(sub(slot, { kind: 'field', index: i }), f.type, (init as Value[])[i]!, span));
      return;
    }
    if (type.kind === 'array') {
      const index = this.fresh();
      this.places.set(`${k}#`, { v: index, type, slot, array: true });
      const elems = init as Value[];
      this.later.uniform.push({ index, span, uniform: elems.every((e) => JSON.stringify(e) === JSON.stringify(elems[0])) });
      this.declare(sub(slot, { kind: 'elem' }), type.element, elems[0]!, span);
      // Every element's initial value, not only the first's, must name no instance.
      for (const e of elems.slice(1)) this.initConsts(`${k}.e`, type.element, e, span);
      return;
    }
    const v = this.fresh();
    this.places.set(k, { v, type, slot, array: false });
    if (type.kind === 'lock' || type.kind === 'bool' || type.kind === 'enum') this.plain(v, 'not a number', null);
    this.initConsts(k, type, init, span);
  }

  private initConsts(k: string, type: Type, init: Value, span: Span): void {
    if (type.kind === 'struct') type.fields.forEach((f, i) => this.initConsts(`${k}.f${i}`, f.type, (init as Value[])[i]!, span));
    else if (type.kind === 'array') (init as Value[]).forEach((e) => this.initConsts(`${k}.e`, type.element, e, span));
    else if (type.kind === 'int' && typeof init === 'number') this.later.consts.push({ v: this.places.get(k)!.v, value: init, span });
  }

  /** The slot key of a place expression, or null when the expression is not a place. */
  private placeKey(e: Expr): string | null {
    switch (e.kind) {
      case 'global': return `g${e.index}`;
      case 'local': return `l${this.actor}.${e.index}`;
      case 'localOf': this.instanceRef(e.instance.actor, e.instance.index, e.instance.span); return `l${e.instance.actor}.${e.index}`;
      case 'field': { const k = this.placeKey(e.object); return k === null ? null : `${k}.f${e.field}`; }
      case 'index': {
        const k = this.placeKey(e.object);
        if (k === null) return null;
        this.unify(this.places.get(`${k}#`)!.v, this.expr(e.index), e.span);
        return `${k}.e`;
      }
      default: return null;
    }
  }

  /** `a[i]@l`, `a[i].x`: the index of a symmetric actor is one of its instance numbers. */
  private instanceRef(actor: number, index: Expr, span: Span): void {
    const v = this.expr(index);
    if (this.program.actors[actor]!.symmetric) this.seed(v, { kind: 'id', actor }, span);
    else this.plain(v, `it names an instance of '${this.program.actors[actor]!.name}', which is not symmetric`, span);
  }

  // ---- Expressions: each returns its class ----

  private expr(e: Expr): number {
    const before = this.span;
    if ('span' in e && e.span) this.span = e.span;
    try { return this.inner(e); } finally { this.span = before; }
  }

  private inner(e: Expr): number {
    switch (e.kind) {
      case 'const': {
        const v = this.fresh();
        if (typeof e.value === 'number') this.later.consts.push({ v, value: e.value, span: this.span });
        return v;
      }
      case 'global': case 'local': case 'field': case 'index': case 'localOf': {
        const k = this.placeKey(e)!;
        return this.places.get(k)?.v ?? this.fresh();
      }
      case 'self': {
        const a = this.program.actors[this.actor]!;
        return this.fresh(a.symmetric ? { kind: 'id', actor: this.actor } : { kind: 'plain', why: `it is self of '${a.name}', which is not symmetric` });
      }
      case 'bound': return this.bound[e.depth]!;
      case 'unary': {
        const v = this.expr(e.operand);
        if (e.op !== '-') return this.fresh();
        this.plain(v, 'it is negated', this.span);
        // A computed number is plain: left unseeded, `self != -n` would pass.
        return this.fresh({ kind: 'plain', why: "it is computed by '-'" });
      }
      case 'binary': {
        const [l, r] = [this.expr(e.left), this.expr(e.right)];
        if (e.op === '==' || e.op === '!=') this.unify(l, r, e.span);
        else if (e.op !== '&&' && e.op !== '||' && e.op !== '->') {
          const why = ['<', '<=', '>', '>='].includes(e.op) ? `'${e.op}' orders it` : `'${e.op}' does arithmetic with it`;
          this.plain(l, why, e.span);
          this.plain(r, why, e.span);
          // The result too: `self != (n * c)` or `level[(i + 1) % N]` tells instances apart.
          if (!['<', '<=', '>', '>='].includes(e.op)) return this.fresh({ kind: 'plain', why: `it is computed by '${e.op}'` });
        }
        return this.fresh();
      }
      case 'cond': {
        this.expr(e.cond);
        const [t, f] = [this.expr(e.then), this.expr(e.else)];
        this.unify(t, f, this.span);
        return t;
      }
      case 'quant': {
        const v = this.fresh();
        this.quantVars.set(e, v);
        this.later.quants.push({ v, q: e, span: this.span });
        this.bound[e.depth] = v;
        this.expr(e.body);
        return this.fresh();
      }
      case 'struct': case 'array': {
        e.kind === 'struct' ? e.fields.forEach((x) => this.expr(x)) : e.elements.forEach((x) => this.expr(x));
        return this.fresh();
      }
      case 'canAcquire': case 'lockFree': this.expr(e.lock); return this.fresh();
      case 'at': this.instanceRef(e.instance.actor, e.instance.index, e.instance.span); return this.fresh();
    }
  }

  // ---- Effects ----

  private ops(ops: readonly Op[]): void {
    for (const op of ops) this.op(op);
  }

  private op(op: Op): void {
    switch (op.kind) {
      case 'assign': this.store(op.target, op.value, op.type, op.span); return;
      case 'stores': for (const s of op.stores) this.store(s.target, s.value, s.type, s.span); return;
      case 'check': this.later.ranges.push({ v: this.expr(op.value), type: op.type, span: op.span }); return;
      case 'pick': this.plain(this.expr(op.target), 'pick chooses a plain number for it', op.span); return;
      case 'assert': case 'warn': this.expr(op.cond); return;
      case 'acquire': case 'release': this.expr(op.lock); return;
      case 'if': this.expr(op.cond); this.ops(op.then); this.ops(op.else); return;
      case 'choose': for (const b of op.branches) this.ops(b); return;
    }
  }

  /** `target = value`: the value's class flows into the place; aggregates leaf by leaf. */
  private store(target: Expr, value: Expr, type: Type, span: Span): void {
    const tk = this.placeKey(target);
    if (tk === null) { this.expr(value); return; }
    this.flow(tk, value, type, span);
  }

  private flow(tk: string, value: Expr, type: Type, span: Span): void {
    if (type.kind === 'struct') {
      if (value.kind === 'struct') { type.fields.forEach((f, i) => this.flow(`${tk}.f${i}`, value.fields[i]!, f.type, span)); return; }
      if (value.kind === 'const') { type.fields.forEach((f, i) => this.flow(`${tk}.f${i}`, { kind: 'const', value: (value.value as Value[])[i]! }, f.type, span)); return; }
      this.copyFrom(tk, value, type, span);
      return;
    }
    if (type.kind === 'array') {
      const index = this.places.get(`${tk}#`)!.v;
      if (value.kind === 'array' || value.kind === 'const') {
        const elems: Expr[] = value.kind === 'array' ? [...value.elements] : (value.value as Value[]).map((x) => ({ kind: 'const', value: x }));
        this.later.uniform.push({ index, span, uniform: elems.length === 1 || elems.every((x) => JSON.stringify(x) === JSON.stringify(elems[0])) });
        for (const x of elems) this.flow(`${tk}.e`, x, type.element, span);
        return;
      }
      this.copyFrom(tk, value, type, span);
      return;
    }
    const v = this.expr(value);
    const place = this.places.get(tk);
    if (!place) return;
    this.unify(place.v, v, span);
    this.later.ranges.push({ v, type, span });
  }

  private copyFrom(to: string, value: Expr, type: Type, span: Span): void {
    const from = this.placeKey(value);
    if (from === null) this.expr(value);
    else this.copy(to, from, type, span);
  }

  /** An aggregate copied whole: the two places' classes are the same, leaf by leaf. */
  private copy(to: string, from: string, type: Type, span: Span): void {
    if (type.kind === 'struct') { type.fields.forEach((f, i) => this.copy(`${to}.f${i}`, `${from}.f${i}`, f.type, span)); return; }
    if (type.kind === 'array') {
      this.unify(this.places.get(`${to}#`)!.v, this.places.get(`${from}#`)!.v, span);
      this.copy(`${to}.e`, `${from}.e`, type.element, span);
      return;
    }
    const [a, b] = [this.places.get(to), this.places.get(from)];
    if (a && b) this.unify(a.v, b.v, span);
  }

  // ---- Once every flow is known ----

  private settle(): void {
    for (const c of this.later.consts) {
      const s = this.seedOf(c.v);
      if (s?.kind === 'id' && c.value >= 0 && c.value < this.count(s.actor)) this.report(c.span, s.actor, `the constant ${c.value} names instance ${c.value} of it (a value outside 0..${this.count(s.actor) - 1}, say -1, can mean "no instance")`);
    }
    for (const r of this.later.ranges) {
      const s = this.seedOf(r.v);
      if (s?.kind === 'id' && !(r.type.kind === 'int' && r.type.lo <= 0 && r.type.hi >= this.count(s.actor) - 1)) this.report(r.span, s.actor, `an instance number of it is stored where the range is ${rangeText(r.type)}, which does not hold every instance (0..${this.count(s.actor) - 1})`);
    }
    for (const q of this.later.quants) {
      const s = this.seedOf(q.v);
      if (s?.kind === 'id' && (q.q.lo !== 0 || q.q.hi !== this.count(s.actor) - 1)) this.report(q.span, s.actor, `a quantifier over ${q.q.lo}..${q.q.hi} ranges over some of its instances but not all (0..${this.count(s.actor) - 1})`);
    }
    for (const u of this.later.uniform) {
      const s = this.seedOf(u.index);
      if (s?.kind === 'id' && !u.uniform) this.report(u.span, s.actor, 'an array indexed by its instances is given different values per element');
    }
    for (const p of this.places.values()) {
      if (!p.array) continue;
      const s = this.seedOf(p.v);
      if (s?.kind === 'id' && (p.type as Type & { kind: 'array' }).size !== this.count(s.actor)) this.report(null, s.actor, `'${this.rootName(p.slot)}' is indexed by its instance numbers but has ${(p.type as Type & { kind: 'array' }).size} elements`);
    }
  }

  private rootName(slot: Slot): string {
    const r = slot.root;
    return r.kind === 'global' ? this.program.globals[r.index]!.name : `${this.program.actors[r.actor]!.name}.${this.program.actors[r.actor]!.locals[r.index]!.name}`;
  }

  private count(actor: number): number {
    return this.program.actors[actor]!.count;
  }

  private conflict(a: Seed, b: Seed, span: Span | null): void {
    const [id, other] = a.kind === 'id' ? [a, b] : [b as Seed & { kind: 'id' }, a];
    if (other.kind === 'id') this.report(span, id.actor, `an instance number of it meets one of '${this.program.actors[other.actor]!.name}'`);
    else this.report(span, id.actor, `an instance number of it is used as a plain number: ${other.why}`);
  }

  private report(span: Span | null, actor: number, why: string): void {
    const d = this.error(span ?? this.span ?? this.program.actors[actor]!.span, this.program.actors[actor]!.name, why);
    // One reason per place: `(self + 1) % N` is both arithmetic on self and a computed index.
    const overlaps = (x: Diagnostic): boolean => x.span.start < d.span.end && d.span.start < x.span.end;
    if (this.diagnostics.some(overlaps)) return;
    this.diagnostics.push(d);
  }

  private error(span: Span, name: string, why: string): Diagnostic {
    return diag('W3090', this.program.file, span, [name, why], [
      `note: the instances of a symmetric actor must be interchangeable: its self may be stored, compared with == and !=, and index arrays of one element per instance that nothing else indexes; see "Symmetric actors" in docs/language.md`,
    ]);
  }

  // ---- The result ----

  groupOf(actor: number): SymmetricActor {
    const ids: Slot[] = [];
    const indexed: Slot[] = [];
    for (const p of this.places.values()) {
      const s = this.seedOf(p.v);
      if (s?.kind === 'id' && s.actor === actor) (p.array ? indexed : ids).push(p.slot);
    }
    return { actor, ids, indexed };
  }

  /** The program with each quantifier over a symmetric actor's instances marked `over`. */
  annotated(): Program {
    const over = (e: Expr): number | undefined => {
      const v = this.quantVars.get(e);
      const s = v === undefined ? null : this.seedOf(v);
      return s?.kind === 'id' ? s.actor : undefined;
    };
    const mark = (e: Expr): Expr => mapExpr(e, (x, original) => {
      if (x.kind !== 'quant') return x;
      // The analysis saw the original node; x is its copy with the body rebuilt.
      const a = over(original);
      return a === undefined ? x : { ...x, over: a };
    });
    const p = this.program;
    return {
      ...p,
      steps: p.steps.map((s) => ({ ...s, guard: s.guard && mark(s.guard), effect: s.effect.map((op) => mapOp(op, mark)) })),
      properties: p.properties.map((q) => {
        if (q.kind === 'invariant' || q.kind === 'reachable') return { ...q, expr: mark(q.expr) };
        if (q.kind === 'liveness') return { ...q, p: q.p && mark(q.p), q: mark(q.q) };
        return q;
      }),
    };
  }
}

function sameSeed(a: Seed, b: Seed): boolean {
  return a.kind === b.kind && (a.kind === 'plain' || a.actor === (b as typeof a).actor);
}

function sub(slot: Slot, part: SlotPart): Slot {
  return { root: slot.root, path: [...slot.path, part] };
}

/** The same key placeKey() builds from an expression. */
function slotKey(slot: Slot): string {
  const root = slot.root.kind === 'global' ? `g${slot.root.index}` : `l${slot.root.actor}.${slot.root.index}`;
  return root + slot.path.map((p) => (p.kind === 'elem' ? '.e' : `.f${p.index}`)).join('');
}

function rangeText(t: Type): string {
  return t.kind === 'int' ? `${t.lo}..${t.hi}` : t.kind;
}

function hasWaitQueue(t: Type): boolean {
  if (t.kind === 'array') return t.waitQueue === true || hasWaitQueue(t.element);
  if (t.kind === 'struct') return t.fields.some((f) => hasWaitQueue(f.type));
  return false;
}

/** Rebuilds `e` bottom-up through `f` (children first), which is also given the node it rebuilt. */
function mapExpr(e: Expr, g: (x: Expr, original: Expr) => Expr): Expr {
  const m = (x: Expr): Expr => mapExpr(x, g);
  const f = (x: Expr): Expr => g(x, e);
  switch (e.kind) {
    case 'field': return f({ ...e, object: m(e.object) });
    case 'index': return f({ ...e, object: m(e.object), index: m(e.index) });
    case 'unary': return f({ ...e, operand: m(e.operand) });
    case 'binary': return f({ ...e, left: m(e.left), right: m(e.right) });
    case 'cond': return f({ ...e, cond: m(e.cond), then: m(e.then), else: m(e.else) });
    case 'quant': return f({ ...e, body: m(e.body) });
    case 'struct': return f({ ...e, fields: e.fields.map(m) });
    case 'array': return f({ ...e, elements: e.elements.map(m) });
    case 'canAcquire': case 'lockFree': return f({ ...e, lock: m(e.lock) });
    case 'at': return f({ ...e, instance: { ...e.instance, index: m(e.instance.index) } });
    case 'localOf': return f({ ...e, instance: { ...e.instance, index: m(e.instance.index) } });
    case 'const': case 'global': case 'local': case 'self': case 'bound': return f(e);
  }
}

function mapOp(op: Op, m: (e: Expr) => Expr): Op {
  switch (op.kind) {
    case 'assign': return { ...op, target: m(op.target), value: m(op.value) };
    case 'check': return { ...op, value: m(op.value) };
    case 'pick': return { ...op, target: m(op.target) };
    case 'assert': case 'warn': return { ...op, cond: m(op.cond) };
    case 'stores': return { ...op, stores: op.stores.map((s) => ({ ...s, target: m(s.target), value: m(s.value) })) };
    case 'acquire': case 'release': return { ...op, lock: m(op.lock) };
    case 'if': return { ...op, cond: m(op.cond), then: op.then.map((x) => mapOp(x, m)), else: op.else.map((x) => mapOp(x, m)) };
    case 'choose': return { ...op, branches: op.branches.map((b) => b.map((x) => mapOp(x, m))) };
  }
}
