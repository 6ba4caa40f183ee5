/**
 * One IR step as Murphi rules (docs/murphi.md, "Steps"): a rule in the
 * ruleset over the actor's instances, enabled when the instance's pc is the
 * step's and its guard holds, whose body is the effect and then the move of
 * the pc.
 *
 * Murphi rules are deterministic, Weft's steps may branch: each `choose`
 * and each `pick` of the step is a parameter of an inner ruleset
 * (`c0: 0..k-1` for the branch taken, `c1: lo..hi` for the value picked),
 * so that each rule of it is one path through the effect. Parameters of a
 * choice the path does not reach give the same successor again, which
 * Rumur stores once: the successors are Weft's.
 *
 * A fault ends the path with no successor in both tools: the body calls
 * `error "weft P"` for a failed assert or lock misuse (P names the
 * property), and Rumur's own errors (a value out of range, a bad index, a
 * division by zero, a read of an undefined instance number) are Weft's
 * `ranges` faults. Rumur, run with --max-errors past any count, reports
 * the error, drops the successor and goes on. A warning does not end the
 * path: `put "weft P"` prints it, and the rule goes on.
 */
import type { Type } from '../check/types.ts';
import type { Expr, Op, Step, Store } from '../lower/ir.ts';
import { spanText, whereShort } from '../text/source.ts';
import { assertNever } from '../util.ts';
import type { MurphiExpr } from './murphiExpr.ts';
import type { Layout } from './murphiLayout.ts';
import { murphiComment, type Scope } from './murphiNames.ts';

export interface StepEnv {
  readonly layout: Layout;
  readonly expr: MurphiExpr;
  /** The tag of a property in `error` and `put` messages. */
  readonly tag: (property: string) => string;
  /** Rule-local names (temporaries, choice parameters, loop variables). */
  readonly scope: Scope;
}

/** The rule of one step, inside its actor's ruleset (whose variable is `env.expr`'s self). */
export function stepRule(env: StepEnv, step: Step): string[] {
  const { layout, expr } = env;
  const w = new Writer(env, step);
  w.ops(step.effect, 2);
  const pc = `${layout.pcs[step.actor]!}[${expr.env.self!}]`;
  if (step.next !== step.pc) w.line(2, `${pc} := ${step.next};`);
  const guard = `${pc} = ${step.pc}${step.guard ? ` & ${expr.render(step.guard)}` : ''}`;
  const file = layout.program.file;
  const text = step.labelled ? `${step.label}: ${spanText(file, step.span)}` : step.label;
  const out = [`-- ${murphiComment(shorten(text))}  (${murphiComment(whereShort(file, step.span))})`];
  const name = `${layout.program.actors[step.actor]!.name}_${step.id}_${step.label}`.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 60);
  const rule = [`rule "${name}" ${guard} ==>`, ...w.decls.map((d) => `  var ${d};`), 'begin', ...w.out, 'end;'];
  if (w.params.length === 0) return [...out, ...rule];
  return [...out, `ruleset ${w.params.join('; ')} do`, ...rule.map((l) => `  ${l}`), 'endruleset;'];
}

class Writer {
  readonly out: string[] = [];
  readonly decls: string[] = [];
  readonly params: string[] = [];

  constructor(private readonly env: StepEnv, private readonly step: Step) {}

  line(depth: number, text: string): void {
    this.out.push(`${'  '.repeat(depth)}${text}`);
  }

  private temp(type: string, want: string): string {
    const name = this.env.scope.take(want);
    this.decls.push(`${name}: ${type}`);
    return name;
  }

  private fail(depth: number, property: string): void {
    this.line(depth, `error "weft ${this.env.tag(property)}";`);
  }

  ops(ops: readonly Op[], depth: number): void {
    for (const op of ops) this.op(op, depth);
  }

  private op(op: Op, d: number): void {
    const x = this.env.expr;
    switch (op.kind) {
      case 'assign':
        if (op.type.kind === 'struct' || op.type.kind === 'array') this.assignAggregate(op.target, op.value, op.type, d);
        else this.store(x.place(op.target), this.keyOf(op.target), op.type, op.value, d);
        return;
      case 'pick': {
        const c = this.env.scope.take(`c${this.params.length}`);
        this.params.push(`${c}: ${op.lo}..${op.hi}`);
        // The value is a plain number (lower/symmetry.ts refuses a pick into an instance number): Rumur checks its range.
        this.line(d, `${x.place(op.target)} := ${c};`);
        return;
      }
      case 'check': {
        const bad = this.outside(op.value, op.type);
        if (bad) { this.line(d, `if ${bad} then`); this.fail(d + 1, 'ranges'); this.line(d, 'endif;'); }
        return;
      }
      case 'assert':
        if (op.cond.kind === 'const' && op.cond.value === true) return;
        this.line(d, `if !${x.render(op.cond)} then`);
        this.fail(d + 1, op.property);
        this.line(d, 'endif;');
        return;
      case 'warn':
        if (op.cond.kind === 'const' && op.cond.value === true) return;
        this.line(d, `if !${x.render(op.cond)} then`);
        this.line(d + 1, `put "weft ${this.env.tag(op.property)}\\n";`);
        this.line(d, 'endif;');
        return;
      case 'stores': this.stores(op.stores, d); return;
      case 'acquire': case 'release': this.lockOp(op.kind, op.mode, x.place(op.lock), d); return;
      case 'if':
        this.line(d, `if ${x.render(op.cond)} then`);
        this.ops(op.then, d + 1);
        if (op.else.length) { this.line(d, 'else'); this.ops(op.else, d + 1); }
        this.line(d, 'endif;');
        return;
      case 'choose': {
        const c = this.env.scope.take(`c${this.params.length}`);
        this.params.push(`${c}: 0..${op.branches.length - 1}`);
        op.branches.forEach((b, i) => {
          this.line(d, i === 0 ? `if ${c} = 0 then` : `elsif ${c} = ${i} then`);
          this.ops(b, d + 1);
        });
        this.line(d, 'endif;');
        return;
      }
      default: assertNever(op);
    }
  }

  private keyOf(place: Expr): string | null {
    return this.env.layout.keyOf(place, this.step.actor);
  }

  /** The condition under which `value` lies outside `type` (an argument against its parameter's range), or null. */
  private outside(value: Expr, type: Type): string | null {
    const x = this.env.expr;
    if (type.kind !== 'int') return null;
    if (x.idActor(value) !== null) {
      // An instance number: outside only if it is the undefined value and the range lacks it.
      const u = this.undefinedOf(value);
      return u !== null && (u < type.lo || u > type.hi) ? `isundefined(${x.place(value)})` : null;
    }
    const v = x.render(value);
    return `(${v} < ${type.lo} | ${v} > ${type.hi})`;
  }

  private undefinedOf(e: Expr): number | null {
    return e.kind === 'cond' ? null : this.env.expr.undefinedValue(e);
  }

  /**
   * `target := value` for a scalar. Into a slot of instance numbers the
   * value may be the slot's undefined value (a constant, or a place that
   * holds it), which is `undefine`; a value the slot cannot hold is a
   * `ranges` fault.
   */
  private store(target: string, key: string | null, type: Type, value: Expr, d: number): void {
    const x = this.env.expr;
    const c = this.env.layout.classOf(key);
    if (c?.kind !== 'id' || x.idActor(value) === null && value.kind !== 'const') {
      this.line(d, `${target} := ${x.render(value)};`);
      return;
    }
    if (value.kind === 'cond') {
      this.line(d, `if ${x.render(value.cond)} then`);
      this.store(target, key, type, value.then, d + 1);
      this.line(d, 'else');
      this.store(target, key, type, value.else, d + 1);
      this.line(d, 'endif;');
      return;
    }
    if (value.kind === 'const') {
      if (value.value === c.other) this.line(d, `undefine ${target};`);
      else this.fail(d, 'ranges');
      return;
    }
    const u = this.undefinedOf(value);
    if (u === null) { this.line(d, `${target} := ${x.render(value)};`); return; }
    const src = x.place(value);
    this.line(d, `if isundefined(${src}) then`);
    if (u === c.other) this.line(d + 1, `undefine ${target};`);
    else this.fail(d + 1, 'ranges');
    this.line(d, 'else');
    this.line(d + 1, `${target} := ${src};`);
    this.line(d, 'endif;');
  }

  /** Every leaf of the value into a temporary of the target's type, then the temporary into the target: Weft evaluates the whole value first. */
  private assignAggregate(target: Expr, value: Expr, type: Type, d: number): void {
    const key = this.keyOf(target) ?? '';
    const t = this.temp(this.env.layout.typeText(type, key), 'tv');
    this.leaves(t, key, type, value, d);
    this.line(d, `${this.env.expr.place(target)} := ${t};`);
  }

  private leaves(to: string, key: string, type: Type, value: Expr, d: number): void {
    const x = this.env.expr;
    if (type.kind === 'struct') {
      const names = this.env.layout.fieldNames(type);
      type.fields.forEach((f, i) => {
        const v: Expr = value.kind === 'const' ? { kind: 'const', value: (value.value as unknown[])[i] as never } : value.kind === 'struct' ? value.fields[i]! : value.kind === 'cond' ? { ...value, then: fieldOf(value.then, i), else: fieldOf(value.else, i) } : fieldOf(value, i);
        this.leaves(`${to}.${names[i]!}`, `${key}.f${i}`, f.type, v, d);
      });
      return;
    }
    if (type.kind === 'array') {
      const c = this.env.layout.classOf(key);
      if (c?.kind === 'indexed') {
        // Elements indexed by a scalarset have no constant names: a loop over it (literals here are uniform, lower/symmetry.ts).
        const depth = 20_000 + this.decls.length + this.out.length;
        const idx: Expr = { kind: 'bound', depth };
        x.quantified(depth, c.actor, 0, type.size - 1, (decl) => {
          this.line(d, `for ${decl} do`);
          this.leaves(`${to}[${x.render(idx)}]`, `${key}.e`, type.element, elemAt(value, idx, type.size), d + 1);
          this.line(d, 'endfor;');
          return '';
        });
        return;
      }
      for (let i = 0; i < type.size; i++) this.leaves(`${to}[${i}]`, `${key}.e`, type.element, elemAt(value, { kind: 'const', value: i }, type.size), d);
      return;
    }
    this.store(to, key, type, value, d);
  }

  /** Scalar stores at once: every target index and every value into temporaries first, then the stores. */
  private stores(stores: readonly Store[], d: number): void {
    const targets = stores.map((s) => this.hoisted(s.target, d));
    const temps = stores.map((s) => {
      const key = this.keyOf(s.target) ?? '';
      const t = this.temp(this.env.layout.typeText(s.type, key), 'sv');
      this.store(t, key, s.type, s.value, d);
      return { t, key };
    });
    stores.forEach((_, i) => {
      const { t, key } = temps[i]!;
      const c = this.env.layout.classOf(key);
      if (c?.kind === 'id' && c.other !== null) {
        this.line(d, `if isundefined(${t}) then undefine ${targets[i]!}; else ${targets[i]!} := ${t}; endif;`);
      } else this.line(d, `${targets[i]!} := ${t};`);
    });
  }

  /** A store target with each variable index evaluated now, into a temporary of the array's index type. */
  private hoisted(e: Expr, d: number): string {
    const x = this.env.expr;
    switch (e.kind) {
      case 'field': {
        const t = x.typeOf(e.object);
        if (t.kind !== 'struct') throw new Error('internal error: a field of a non-struct');
        return `${this.hoisted(e.object, d)}.${this.env.layout.fieldNames(t)[e.field]!}`;
      }
      case 'index': {
        const obj = this.hoisted(e.object, d);
        if (e.index.kind === 'const') return `${obj}[${x.render(e.index)}]`;
        const c = this.env.layout.classOf(this.keyOf(e.object));
        const t = this.temp(c?.kind === 'indexed' ? this.env.layout.sym.get(c.actor)!.type : `0..${e.size - 1}`, 'ix');
        this.line(d, `${t} := ${x.render(e.index)};`);
        return `${obj}[${t}]`;
      }
      default: return x.place(e);
    }
  }

  /** Lock operations per state/locks.ts: the guard made sure the lock is free or held by this instance, so misuse is all that is left. */
  private lockOp(kind: 'acquire' | 'release', mode: 'exclusive' | 'read' | 'write', lock: string, d: number): void {
    const x = this.env.expr;
    const layout = this.env.layout;
    const actor = this.step.actor;
    const s = layout.sym.get(actor);
    const self = x.env.self!;
    const take = s ? [`${lock}.holder := ${layout.first[actor]! + 1};`, `${lock}.sym${s.k} := ${self};`] : [`${lock}.holder := ${layout.first[actor]!} + ${self} + 1;`];
    const drop = [`${lock}.holder := 0;`, ...(s ? [`undefine ${lock}.sym${s.k};`] : [])];
    const misuse = (cond: string, then: string[]): void => {
      this.line(d, `if ${cond} then`);
      this.fail(d + 1, 'locking');
      this.line(d, 'else');
      for (const l of then) this.line(d + 1, l);
      this.line(d, 'endif;');
    };
    if (kind === 'acquire') {
      if (mode === 'exclusive') misuse(x.mine(lock), take);
      else misuse(`${x.mine(lock)} | ${x.reader(lock)}`, mode === 'read' ? [`${x.reader(lock)} := true;`] : take);
      return;
    }
    if (mode === 'read') misuse(`!${x.reader(lock)}`, [`${x.reader(lock)} := false;`]);
    else misuse(`!${x.mine(lock)}`, drop);
  }
}

function fieldOf(e: Expr, i: number): Expr {
  if (e.kind === 'const') return { kind: 'const', value: (e.value as unknown[])[i] as never };
  if (e.kind === 'struct') return e.fields[i]!;
  return { kind: 'field', object: e, field: i };
}

/** Element `index` of an aggregate value; a literal indexed by a variable is uniform, so its element 0 stands for all. */
function elemAt(e: Expr, index: Expr, size: number): Expr {
  const i = index.kind === 'const' ? (index.value as number) : 0;
  switch (e.kind) {
    case 'const': return { kind: 'const', value: (e.value as unknown[])[i] as never };
    case 'array': return e.elements[i]!;
    case 'cond': return { ...e, then: elemAt(e.then, index, size), else: elemAt(e.else, index, size) };
    default: return { kind: 'index', object: e, index, size, span: { start: 0, end: 0 } };
  }
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 50 ? `${line.slice(0, 49)}…` : line;
}
