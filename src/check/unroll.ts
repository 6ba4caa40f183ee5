/**
 * Compile-time repetition: `for i in lo..hi { ... }` is unrolled here, once,
 * right after the constants and options are known and before anything else
 * reads a body, into one copy of its body per value of `i`, in which `i` is
 * that number. Every later phase (the checker's own walks, lowering, both
 * engines, the Promela export) sees only the copies, so the steps are
 * exactly those of the copies written out by hand: `for` itself takes no
 * step, as a constant `if` takes none.
 *
 * Inside actors and fns a `for` repeats statements; at the top level it
 * repeats properties, whose names then carry indexes (`enters[i]` makes
 * `enters[0]`, `enters[1]`, ...; syntax/families.ts). The bounds are
 * constant expressions, evaluated by the checker's constant evaluation
 * (consts, options with the variant's values, enclosing loop variables);
 * lo > hi unrolls to nothing. What is diagnosed: a bound that is not
 * constant (W3050), more than MAX_UNROLLED copies (W3051), a loop variable
 * that is not a new name or is hidden by a quantifier's (W3052), a store
 * into it (W3053), `break` and `continue` that would leave or restart the
 * unrolled loop (W4030), a declaration that cannot be repeated (W4031), a
 * repeated property without an index (W4032).
 *
 * A label inside the body is repeated with it: a position `a@l` then stands
 * for every copy, as it does for a label in a fn called twice. The body of
 * an empty range is not checked beyond the rules above, since there is no
 * value of `i` to check it with.
 */
import type * as A from '../syntax/ast.ts';
import type { Span } from '../text/source.ts';
import type { Ctx } from './context.ts';
import { constValue, expectType, isConst, requireConst } from './expressions.ts';
import { indexedName } from '../syntax/families.ts';
import { MAX_UNROLLED } from './limits.ts';
import { INTEGER } from './types.ts';

export interface Unrolled {
  readonly model: A.Model;
  /**
   * The families of indexed properties the text declares (`enters` for
   * `liveness enters[i]`), also those a range empty in this configuration
   * gives no member, each with where it is first named.
   */
  readonly families: ReadonlyMap<string, Span>;
}

/** What a loop variable may not be called, with what the name is already. */
type Taken = ReadonlyMap<string, string>;

interface Where {
  readonly taken: Taken;
  /** The run-time variables in scope (the actor's locals, the fn's parameters): no bound may read them. */
  readonly variables: ReadonlySet<string>;
  /** The variables of the enclosing `for`s, outermost first. */
  readonly loops: readonly string[];
}

export function unroll(ctx: Ctx, model: A.Model): Unrolled {
  const u = new Unroller(ctx);
  const where: Where = { taken: topLevelNames(model), variables: new Set(), loops: [] };
  return { model: { ...model, decls: u.decls(model.decls, where) }, families: u.families };
}

function topLevelNames(model: A.Model): Taken {
  const out = new Map<string, string>();
  for (const d of model.decls) {
    switch (d.kind) {
      case 'const': case 'shared': case 'option': case 'fn': case 'struct':
        out.set(d.name.name, { const: 'a constant', shared: 'a shared variable', option: 'an option', fn: 'a function', struct: 'a struct' }[d.kind]);
        break;
      case 'actor':
        out.set(d.name.name, d.daemon ? 'a daemon' : 'an actor');
        break;
      case 'enum':
        out.set(d.name.name, 'an enum');
        for (const m of d.members) out.set(m.name, `a member of enum ${d.name.name}`);
        break;
      case 'invariant': case 'reachable': case 'liveness': case 'variant': case 'expect': case 'shapes': case 'for':
        break;
    }
  }
  return out;
}

const REPEATABLE = new Set<A.Decl['kind']>(['invariant', 'reachable', 'liveness', 'for']);

const RUN_TIME_LOOP = "help: 'for' makes its copies when the model is built; a loop that runs while the model runs is 'while (i < n) { ...; i += 1; }' or 'loop { ... }' with 'break'";

class Unroller {
  readonly families = new Map<string, Span>();
  private budget = MAX_UNROLLED;
  private exhausted = false;

  constructor(private readonly ctx: Ctx) {}

  decls(decls: readonly A.Decl[], where: Where): A.Decl[] {
    const out: A.Decl[] = [];
    for (const d of decls) {
      switch (d.kind) {
        case 'for': out.push(...this.forDecl(d, where)); break;
        case 'invariant': case 'reachable': case 'liveness': {
          const named = this.propertyName(d.name, where);
          if (named) out.push({ ...d, name: named });
          break;
        }
        case 'fn': {
          const params = new Set(d.params.map((p) => p.name.name));
          const taken = new Map([...where.taken, ...d.params.map((p): [string, string] => [p.name.name, `a parameter of ${d.name.name}`])]);
          out.push({ ...d, body: this.block(d.body, { taken, variables: params, loops: [] }) });
          break;
        }
        case 'actor': {
          const locals = d.body.stmts.filter((s): s is A.Stmt & { kind: 'var' } => s.kind === 'var').map((s) => s.name.name);
          const taken = new Map([...where.taken, ...locals.map((l): [string, string] => [l, `a local of ${d.name.name}`])]);
          out.push({ ...d, body: this.block(d.body, { taken, variables: new Set(locals), loops: [] }) });
          break;
        }
        case 'const': case 'enum': case 'struct': case 'shared': case 'option': case 'variant': case 'expect': case 'shapes':
          out.push(d);
          break;
      }
    }
    return out;
  }

  /** A property's name with its indexes evaluated into it; null after a diagnostic. */
  private propertyName(name: A.PropName, where: Where): A.PropName | null {
    if (name.indexes.length === 0) {
      if (!where.loops.length) return name;
      // Dropped, so that its copies are not also reported as declared twice.
      this.ctx.error('W4032', name.span, [name.name, `${name.name}[${where.loops.join('][')}]`]);
      return null;
    }
    this.family(name);
    const values: number[] = [];
    for (const e of name.indexes) {
      const v = requireConst(this.ctx, e, this.ctx.global, INTEGER, "the indexes of a property's name must be constant");
      if (v === null) return null;
      values.push(v as number);
    }
    return { name: indexedName(name.name, values), span: name.span, indexes: [] };
  }

  private forDecl(d: A.ForDecl, where: Where): A.Decl[] {
    this.declareFamilies(d.decls);
    const inner = d.decls.filter((x) => {
      if (REPEATABLE.has(x.kind)) return true;
      this.ctx.error('W4031', this.firstWord(x.span), [this.ctx.text(this.firstWord(x.span))]);
      return false;
    });
    const range = this.range(d, inner.length, where);
    if (!range) return [];
    const within = this.enter(d.variable, where);
    const out: A.Decl[] = [];
    for (let v = range.lo; v <= range.hi; v++) {
      const sub = this.substitution(d.variable.name, v);
      out.push(...this.decls(inner.map((x) => sub.decl(x)), within));
    }
    return out;
  }

  /** Families are known from the text, so that an `expect` line may name one whose range is empty here. */
  private declareFamilies(decls: readonly A.Decl[]): void {
    for (const d of decls) {
      if (d.kind === 'for') this.declareFamilies(d.decls);
      else if ((d.kind === 'invariant' || d.kind === 'reachable' || d.kind === 'liveness') && d.name.indexes.length) this.family(d.name);
    }
  }

  private family(name: A.PropName): void {
    if (!this.families.has(name.name)) this.families.set(name.name, name.span);
  }

  block(b: A.Block, where: Where): A.Block {
    return { ...b, stmts: b.stmts.map((s) => this.stmt(s, where)) };
  }

  private stmt(s: A.Stmt, where: Where): A.Stmt {
    switch (s.kind) {
      case 'block': return this.block(s, where);
      case 'labelled': return { ...s, stmt: this.stmt(s.stmt, where) };
      case 'if': return { ...s, then: this.stmt(s.then, where), else: s.else ? this.stmt(s.else, where) : null };
      case 'while': case 'loop': return { ...s, body: this.stmt(s.body, where) };
      case 'atomic': return { ...s, body: this.block(s.body, where) };
      case 'choose': return { ...s, branches: s.branches.map((b) => this.block(b, where)) };
      case 'for': return this.forStmt(s, where);
      case 'var': case 'break': case 'continue': case 'await': case 'pick': case 'assert': case 'skip': case 'lockop': case 'assign': case 'call':
        return s;
    }
  }

  /** The copies, in a block: a block takes no step, so the copies run one after the other as written out. */
  private forStmt(s: A.Stmt & { kind: 'for' }, where: Where): A.Stmt {
    for (const x of exits(s.body)) this.ctx.error('W4030', x.span, [x.kind], [RUN_TIME_LOOP]);
    const copies: A.Stmt[] = [];
    const range = this.range(s, statementCount(s.body), where);
    if (range) {
      const within = this.enter(s.variable, where);
      if (range.lo > range.hi) this.substitution(s.variable.name, range.lo).stmt(s.body); // only for its diagnostics
      for (let v = range.lo; v <= range.hi; v++) copies.push(this.stmt(this.substitution(s.variable.name, v).stmt(s.body), within));
    }
    return { kind: 'block', stmts: copies, span: s.span };
  }

  /** The scope of a loop's body; W3052 when its variable is not a new name. */
  private enter(variable: A.Ident, where: Where): Where {
    const already = where.taken.get(variable.name);
    if (already) this.ctx.error('W3052', variable.span, [variable.name, already]);
    return {
      taken: new Map([...where.taken, [variable.name, "the variable of an enclosing 'for'"]]),
      variables: where.variables,
      loops: [...where.loops, variable.name],
    };
  }

  /** The bounds, and the copies they make charged to the budget; null after a diagnostic. */
  private range(f: { readonly lo: A.Expr; readonly hi: A.Expr }, size: number, where: Where): { lo: number; hi: number } | null {
    const lo = this.bound(f.lo, where);
    const hi = this.bound(f.hi, where);
    if (lo === null || hi === null || this.exhausted) return null;
    const copies = Math.max(0, hi - lo + 1);
    this.budget -= copies * Math.max(1, size);
    if (this.budget < 0) {
      this.exhausted = true;
      this.ctx.error('W3051', { start: f.lo.span.start, end: f.hi.span.end }, [MAX_UNROLLED], [`this 'for' makes ${copies} copies of ${size} statement${size === 1 ? '' : 's'} or declaration${size === 1 ? '' : 's'}`]);
      return null;
    }
    return { lo, hi };
  }

  private bound(e: A.Expr, where: Where): number | null {
    const variable = runTimeRead(e, where.variables);
    if (variable) {
      const what = variable.kind === 'self' ? "'self' is known only when the model runs" : `'${this.ctx.text(variable.span)}' is a variable`;
      this.ctx.error('W3050', variable.span, [what], [RUN_TIME_LOOP]);
      return null;
    }
    if (!expectType(this.ctx, e, this.ctx.global, INTEGER)) return null;
    const v = constValue(this.ctx, e);
    if (!isConst(v)) {
      if (!v.fault) this.ctx.error('W3050', e.span, [v.notConst], [RUN_TIME_LOOP]);
      return null;
    }
    return v as number;
  }

  private substitution(name: string, value: number): Substitution {
    return new Substitution(name, value, {
      shadowed: (id) => this.ctx.error('W3052', id.span, [id.name, "the variable of an enclosing 'for'"]),
      stored: (target) => this.ctx.error('W3053', target.span, [name], ["help: to count while the model runs, use a local ('var n: 0..3;') and 'while'"]),
    });
  }

  private firstWord(span: Span): Span {
    const word = /^\w+/.exec(this.ctx.file.text.slice(span.start, span.end))?.[0] ?? '';
    return { start: span.start, end: span.start + word.length };
  }
}

/** `break` and `continue` of the body itself: not those of a loop inside it. */
function exits(s: A.Stmt): (A.Stmt & { kind: 'break' | 'continue' })[] {
  switch (s.kind) {
    case 'break': case 'continue': return [s];
    case 'block': return s.stmts.flatMap(exits);
    case 'labelled': return exits(s.stmt);
    case 'if': return [...exits(s.then), ...(s.else ? exits(s.else) : [])];
    case 'atomic': return s.body.stmts.flatMap(exits);
    case 'choose': return s.branches.flatMap((b) => b.stmts.flatMap(exits));
    case 'while': case 'loop': case 'for': case 'var': case 'await': case 'pick': case 'assert': case 'skip': case 'lockop': case 'assign': case 'call':
      return [];
  }
}

/** Statements in a body, a nested `for` counted once (its own copies are charged when it is unrolled). */
function statementCount(s: A.Stmt): number {
  switch (s.kind) {
    case 'block': return s.stmts.reduce((n, x) => n + statementCount(x), 0);
    case 'labelled': return statementCount(s.stmt);
    case 'if': return 1 + statementCount(s.then) + (s.else ? statementCount(s.else) : 0);
    case 'while': case 'loop': case 'for': return 1 + statementCount(s.body);
    case 'atomic': return 1 + statementCount(s.body);
    case 'choose': return 1 + s.branches.reduce((n, b) => n + statementCount(b), 0);
    case 'var': case 'break': case 'continue': case 'await': case 'pick': case 'assert': case 'skip': case 'lockop': case 'assign': case 'call':
      return 1;
  }
}

/** The first read of a run-time value in a bound: a local or parameter (by name), or `self`. */
function runTimeRead(e: A.Expr, variables: ReadonlySet<string>): A.Expr | null {
  switch (e.kind) {
    case 'self': return e;
    case 'name': return variables.has(e.name) ? e : null;
    case 'number': case 'bool': return null;
    case 'field': case 'at': return runTimeRead(e.object, variables);
    case 'index': return runTimeRead(e.object, variables) ?? runTimeRead(e.index, variables);
    case 'unary': return runTimeRead(e.operand, variables);
    case 'binary': return runTimeRead(e.left, variables) ?? runTimeRead(e.right, variables);
    case 'cond': return runTimeRead(e.cond, variables) ?? runTimeRead(e.then, variables) ?? runTimeRead(e.else, variables);
    case 'quant': return runTimeRead(e.lo, variables) ?? runTimeRead(e.hi, variables) ?? runTimeRead(e.body, variables);
    case 'struct': return e.fields.map((f) => runTimeRead(f.value, variables)).find((x) => x) ?? null;
    case 'array': return e.elements.map((x) => runTimeRead(x, variables)).find((x) => x) ?? null;
    case 'call': return e.args.map((x) => runTimeRead(x, variables)).find((x) => x) ?? null;
  }
}

interface Reports {
  /** A quantifier or `for` inside the body that takes the loop variable's name. */
  readonly shadowed: (id: A.Ident) => void;
  /** A store into the loop variable (assignment, `x++`, `pick`). */
  readonly stored: (target: A.Expr) => void;
}

/**
 * One copy of a body: every use of the loop variable becomes the number,
 * at the use's span (so messages and traces point at the `i` written in
 * the body). Every node is new, so that the checker's side tables, keyed by
 * node, keep each copy's types and references apart.
 */
class Substitution {
  constructor(private readonly name: string, private readonly value: number, private readonly reports: Reports) {}

  decl(d: A.Decl): A.Decl {
    const name = (n: A.PropName): A.PropName => ({ ...n, indexes: n.indexes.map((e) => this.expr(e)) });
    switch (d.kind) {
      case 'invariant': case 'reachable': return { ...d, name: name(d.name), expr: this.expr(d.expr) };
      case 'liveness': return { ...d, name: name(d.name), p: d.p ? this.expr(d.p) : null, q: this.expr(d.q) };
      case 'for': {
        const inner = d.variable.name === this.name ? d.decls : d.decls.map((x) => this.decl(x));
        return { ...d, lo: this.expr(d.lo), hi: this.expr(d.hi), decls: inner };
      }
      // Not repeatable (W4031): dropped before copying.
      case 'const': case 'enum': case 'struct': case 'shared': case 'option': case 'fn': case 'actor': case 'variant': case 'expect': case 'shapes':
        return d;
    }
  }

  stmt(s: A.Stmt): A.Stmt {
    const ex = (e: A.Expr): A.Expr => this.expr(e);
    const block = (b: A.Block): A.Block => ({ ...b, stmts: b.stmts.map((x) => this.stmt(x)) });
    switch (s.kind) {
      case 'block': return block(s);
      case 'labelled': return { ...s, stmt: this.stmt(s.stmt) };
      case 'var': return { ...s, init: s.init ? ex(s.init) : null };
      case 'if': return { ...s, cond: ex(s.cond), then: this.stmt(s.then), else: s.else ? this.stmt(s.else) : null };
      case 'while': return { ...s, cond: ex(s.cond), body: this.stmt(s.body) };
      case 'loop': return { ...s, body: this.stmt(s.body) };
      case 'break': case 'continue': case 'skip': return { ...s };
      case 'await': return { ...s, cond: ex(s.cond) };
      case 'atomic': return { ...s, body: block(s.body) };
      case 'choose': return { ...s, branches: s.branches.map(block) };
      case 'pick': return this.stores(s.target) ? { kind: 'skip', span: s.span } : { ...s, target: ex(s.target), lo: ex(s.lo), hi: ex(s.hi) };
      case 'assert': return { ...s, cond: ex(s.cond) };
      case 'lockop': return { ...s, target: ex(s.target) };
      case 'assign': return this.stores(s.target) ? { kind: 'skip', span: s.span } : { ...s, target: ex(s.target), value: ex(s.value) };
      case 'call': return { ...s, args: s.args.map(ex) };
      case 'for': {
        if (s.variable.name === this.name) this.reports.shadowed(s.variable);
        const body = s.variable.name === this.name ? s.body : block(s.body);
        return { ...s, lo: ex(s.lo), hi: ex(s.hi), body };
      }
    }
  }

  /** W3053 for a store into the loop variable; the copy gets a `skip` instead, so that nothing else reports it. */
  private stores(target: A.Expr): boolean {
    let root = target;
    while (root.kind === 'field' || root.kind === 'index') root = root.object;
    const into = root.kind === 'name' && root.name === this.name;
    if (into) this.reports.stored(target);
    return into;
  }

  expr(e: A.Expr): A.Expr {
    const ex = (x: A.Expr): A.Expr => this.expr(x);
    switch (e.kind) {
      case 'name': return e.name === this.name ? { kind: 'number', value: this.value, span: e.span } : { ...e };
      case 'number': case 'bool': case 'self': return { ...e };
      case 'field': return { ...e, object: ex(e.object) };
      case 'index': return { ...e, object: ex(e.object), index: ex(e.index) };
      case 'at': return { ...e, object: ex(e.object) };
      case 'unary': return { ...e, operand: ex(e.operand) };
      case 'binary': return { ...e, left: ex(e.left), right: ex(e.right) };
      case 'cond': return { ...e, cond: ex(e.cond), then: ex(e.then), else: ex(e.else) };
      case 'quant': {
        const hides = e.variable.name === this.name;
        if (hides) this.reports.shadowed(e.variable);
        return { ...e, lo: ex(e.lo), hi: ex(e.hi), body: hides ? e.body : ex(e.body) };
      }
      case 'struct': return { ...e, fields: e.fields.map((f) => ({ ...f, value: ex(f.value) })) };
      case 'array': return { ...e, elements: e.elements.map(ex) };
      case 'call': return { ...e, args: e.args.map(ex) };
    }
  }
}
