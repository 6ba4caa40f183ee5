/**
 * A thread's C code to memory instructions. Names: a parameter is a
 * location's address (`*x` goes to x, `x` as a value is `{ loc: 'x' }`);
 * any other name is a register of the thread, declared or not (herd lets
 * `r1 = ...` stand without `int r1;`), and must be declared, assigned
 * somewhere in the thread or given an initial value in the init block.
 *
 * A primitive inside a larger expression (`if (READ_ONCE(*x))`,
 * `r = atomic_dec_and_test(z) + 1`) becomes an instruction of its own into
 * a fresh register `__tN`, emitted before the statement that uses it, in
 * the order C's arguments are written; the expression reads that register.
 * `r = PRIM(...)` and `r = *x` put the value in r directly.
 */
import type { LocRef, MemExpr, MemInstr } from '../explore/lkmm/program.ts';
import { diag, type Diagnostic } from '../text/diagnostic.ts';
import type { SourceFile, Span } from '../text/source.ts';
import { suggest } from '../check/expressions.ts';
import { arity, commonPrimitives, hasValue, isSrcu, primitive, primitiveNames, type Operand } from './primitives.ts';
import type * as S from './syntax.ts';

export interface ThreadScope {
  readonly file: SourceFile;
  /** P0, P1... */
  readonly thread: string;
  /** Parameter names, each the address of the location of that name. */
  readonly params: ReadonlySet<string>;
  /** Every register the thread may read (registersOf). */
  readonly registers: ReadonlySet<string>;
  /** The test's locations, for the hint when a thread names one it does not take as a parameter. */
  readonly locations: ReadonlySet<string>;
  readonly diagnostics: Diagnostic[];
}

type Call = S.CExpr & { kind: 'call' };

/** What a call's value is for: a register to put it in, a larger expression, or nothing (a statement of its own). */
type Use = { readonly kind: 'into'; readonly reg: string; readonly span: Span } | { readonly kind: 'value' } | { readonly kind: 'statement'; readonly span: Span };

const ZERO: MemExpr = { kind: 'const', value: 0 };
const regExpr = (reg: string): MemExpr => ({ kind: 'reg', reg });

/** The registers of a thread: the names it declares or assigns, anywhere in its body. */
export function registersOf(body: readonly S.Stmt[]): Set<string> {
  const regs = new Set<string>();
  const walk = (s: S.Stmt): void => {
    if (s.kind === 'block') s.body.forEach(walk);
    else if (s.kind === 'if') { walk(s.then); if (s.else) walk(s.else); }
    else if (s.kind === 'decl') for (const d of s.declarators) regs.add(d.name.name);
    else if (s.kind === 'assign' && s.target.kind === 'name') regs.add(s.target.name);
  };
  body.forEach(walk);
  return regs;
}

/** Every name the body spells, so that the temporaries' names clash with none. */
function namesIn(body: readonly S.Stmt[]): Set<string> {
  const names = new Set<string>();
  const expr = (e: S.CExpr): void => {
    if (e.kind === 'name') names.add(e.name);
    else if (e.kind === 'call') e.args.forEach(expr);
    else if (e.kind === 'unary') expr(e.operand);
    else if (e.kind === 'binary') { expr(e.left); expr(e.right); }
    else if (e.kind === 'index') { expr(e.target); expr(e.index); }
  };
  const stmt = (s: S.Stmt): void => {
    if (s.kind === 'block') s.body.forEach(stmt);
    else if (s.kind === 'if') { expr(s.cond); stmt(s.then); if (s.else) stmt(s.else); }
    else if (s.kind === 'decl') for (const d of s.declarators) { names.add(d.name.name); if (d.init) expr(d.init); }
    else if (s.kind === 'assign') { expr(s.target); expr(s.value); }
    else if (s.kind === 'expr') expr(s.expr);
  };
  body.forEach(stmt);
  return names;
}

/** Whether evaluating `e` touches memory (a call or a `*`): C may skip the right of && and ||, which then must not. */
function touchesMemory(e: S.CExpr): boolean {
  switch (e.kind) {
    case 'num': case 'name': return false;
    case 'call': return true;
    case 'unary': return e.op === '*' || touchesMemory(e.operand);
    case 'binary': return touchesMemory(e.left) || touchesMemory(e.right);
    case 'index': return true;
  }
}

export function lowerBody(scope: ThreadScope, body: readonly S.Stmt[]): MemInstr[] {
  const out: MemInstr[] = [];
  new BodyLowerer(scope, namesIn(body)).stmts(body, out);
  return out;
}

class BodyLowerer {
  private next = 0;

  constructor(private readonly scope: ThreadScope, private readonly taken: Set<string>) {
    for (const p of scope.params) taken.add(p);
    for (const r of scope.registers) taken.add(r);
  }

  private error(code: Parameters<typeof diag>[0], span: Span, args: (string | number)[] = [], notes: string[] = []): void {
    this.scope.diagnostics.push(diag(code, this.scope.file, span, args, notes));
  }

  /** A register of no name in the thread: `__t0`, `__t1`... (C allows `__` names, so a clash is skipped over). */
  private fresh(): string {
    for (;;) {
      const name = `__t${this.next++}`;
      if (!this.taken.has(name)) { this.taken.add(name); return name; }
    }
  }

  stmts(body: readonly S.Stmt[], out: MemInstr[]): void {
    for (const s of body) this.stmt(s, out);
  }

  private stmt(s: S.Stmt, out: MemInstr[]): void {
    switch (s.kind) {
      case 'block': this.stmts(s.body, out); return;
      case 'empty': return;
      case 'loop': this.error('W6004', s.word.span, [`a '${s.word.name}' loop`], ['help: unroll it: the LKMM mode checks straight-line code with ifs']); return;
      case 'if': {
        const cond = this.value(s.cond, out);
        const then: MemInstr[] = [];
        const els: MemInstr[] = [];
        this.stmt(s.then, then);
        if (s.else) this.stmt(s.else, els);
        out.push({ kind: 'if', cond, then, else: els, span: s.span });
        return;
      }
      case 'decl':
        for (const d of s.declarators) {
          if (d.array) this.error('W6004', d.span, ['an array']);
          else if (this.scope.params.has(d.name.name)) this.error('W6009', d.name.span, [d.name.name], [`note: '${d.name.name}' is a parameter of ${this.scope.thread}`]);
          else if (d.init) this.assignTo(d.name.name, d.init, s.declarators.length === 1 ? s.span : d.span, out);
        }
        return;
      case 'assign': this.assign(s, out); return;
      case 'expr':
        if (s.expr.kind === 'call') this.call(s.expr, { kind: 'statement', span: s.span }, out);
        else this.value(s.expr, out);
        return;
    }
  }

  private assign(s: S.Stmt & { kind: 'assign' }, out: MemInstr[]): void {
    const t = s.target;
    if (t.kind === 'name') {
      if (this.scope.params.has(t.name)) {
        this.error('W6012', t.span, [`'${t.name}', a parameter: it is the address of location ${t.name}`], [`help: to store to the location, write *${t.name} = ... or WRITE_ONCE(*${t.name}, ...)`]);
      } else this.assignTo(t.name, s.value, s.span, out);
    } else if (t.kind === 'unary' && t.op === '*') {
      const loc = this.address(t.operand, out);
      const value = this.value(s.value, out);
      out.push({ kind: 'store', loc, value, mode: 'plain', span: s.span });
    } else if (t.kind === 'index') this.error('W6004', t.span, ['an array']);
    else this.error('W6012', t.span, ['this expression'], ['help: assign to a register (r0 = ...) or store through a pointer (*x = ...)']);
  }

  /** `reg = e`: a primitive or a plain `*p` puts its value in reg directly; anything else is computed, then assigned. */
  private assignTo(reg: string, e: S.CExpr, span: Span, out: MemInstr[]): void {
    if (e.kind === 'call') {
      const r = this.call(e, { kind: 'into', reg, span }, out);
      if (r === 'void') this.noValue(e);
      else if (r !== 'done') out.push({ kind: 'assign', reg, value: r, span });
    } else if (e.kind === 'unary' && e.op === '*') {
      out.push({ kind: 'load', reg, loc: this.address(e.operand, out), mode: 'plain', span });
    } else out.push({ kind: 'assign', reg, value: this.value(e, out), span });
  }

  private noValue(e: Call): void {
    this.error('W6011', e.span, [e.callee.name]);
  }

  private value(e: S.CExpr, out: MemInstr[]): MemExpr {
    switch (e.kind) {
      case 'num': return { kind: 'const', value: this.number(e.value, e.span) };
      case 'name': return this.name(e.name, e.span);
      case 'index': this.error('W6004', e.span, ['an array']); return ZERO;
      case 'call': {
        const r = this.call(e, { kind: 'value' }, out);
        if (r === 'void' || r === 'done') { this.noValue(e); return ZERO; }
        return r;
      }
      case 'unary': return this.unary(e, out);
      case 'binary': {
        const left = this.value(e.left, out);
        if ((e.op === '&&' || e.op === '||') && touchesMemory(e.right)) {
          this.error('W6004', e.right.span, [`a memory access on the right of '${e.op}'`], ['help: C makes it only when the left side does not decide: read it into a register first, or use an if']);
          return ZERO;
        }
        return { kind: 'binary', op: e.op, left, right: this.value(e.right, out) };
      }
    }
  }

  private unary(e: S.CExpr & { kind: 'unary' }, out: MemInstr[]): MemExpr {
    switch (e.op) {
      case '-':
        // A negative literal is a number, as in herd's lexer (`-1`); 0 - n, not -n, which is -0 for 0.
        return e.operand.kind === 'num' ? { kind: 'const', value: 0 - this.number(e.operand.value, e.operand.span) } : { kind: 'neg', operand: this.value(e.operand, out) };
      case '!': return { kind: 'not', operand: this.value(e.operand, out) };
      case '&': this.error('W6004', e.span, ["'&' (taking an address)"], ['help: a parameter x is already the address of location x']); return ZERO;
      case '*': {
        const loc = this.address(e.operand, out);
        const reg = this.fresh();
        out.push({ kind: 'load', reg, loc, mode: 'plain', span: e.span });
        return regExpr(reg);
      }
    }
  }

  private name(name: string, span: Span): MemExpr {
    if (this.scope.params.has(name)) return { kind: 'const', value: { loc: name } };
    if (this.scope.registers.has(name)) return regExpr(name);
    const notes = this.scope.locations.has(name) ? [`help: '${name}' is a location of the test: take it as a parameter, ${this.scope.thread}(int *${name})`] : [];
    this.error('W6008', span, [name, this.scope.thread], notes);
    return ZERO;
  }

  private number(value: number, span: Span): number {
    if (Number.isSafeInteger(value)) return value;
    this.error('W6015', span, [this.scope.file.text.slice(span.start, span.end)]);
    return 0;
  }

  /** Where an access goes: a parameter (the location's address) or a register holding a pointer. */
  private address(e: S.CExpr, out: MemInstr[]): LocRef {
    const v = this.value(e, out);
    if (v.kind === 'reg' || (v.kind === 'const' && typeof v.value === 'object')) return v;
    // ZERO itself is what a name or call already reported gives: one message is enough.
    if (v !== ZERO) this.error('W6004', e.span, ['pointer arithmetic'], ['help: an access goes through a parameter (*x) or a register holding a pointer (*r1)']);
    return ZERO;
  }

  /** The location argument of a primitive that takes it as `*x`. */
  private access(name: string, index: number, e: S.CExpr, out: MemInstr[]): LocRef {
    if (e.kind === 'unary' && e.op === '*') return this.address(e.operand, out);
    const notes = e.kind === 'name' ? [`help: write ${name}(*${e.name}${index === 0 ? '' : ', ...'})`] : [];
    this.error('W6007', e.span, [index + 1, name, 'an access through a pointer, such as *x'], notes);
    return ZERO;
  }

  /**
   * A call of a primitive: its instructions, and what its value is. 'done':
   * the value is in the register `use` names; 'void': the primitive has
   * none; otherwise the expression that reads it.
   */
  private call(e: Call, use: Use, out: MemInstr[]): MemExpr | 'done' | 'void' {
    const name = e.callee.name;
    const p = primitive(name);
    if (!p) {
      if (isSrcu(name)) this.error('W6004', e.callee.span, [`SRCU ('${name}')`]);
      else this.error('W6002', e.callee.span, [name, commonPrimitives.join(', ')], suggest(name, primitiveNames));
      for (const a of e.args) this.value(a, out);
      return ZERO;
    }
    if (e.args.length !== arity(p)) {
      this.error('W6006', e.span, [name, arity(p), e.args.length]);
      return ZERO;
    }
    const span = use.kind === 'value' ? e.span : use.span;
    const into = (): string => (use.kind === 'into' ? use.reg : this.fresh());
    const result = (reg: string): MemExpr | 'done' => (use.kind === 'into' ? 'done' : regExpr(reg));
    const [a0, a1] = e.args;
    switch (p.kind) {
      case 'fence': out.push({ kind: 'fence', fence: p.fence, span }); return 'void';
      case 'load': {
        const loc = p.loc === 'access' ? this.access(name, 0, a0!, out) : this.address(a0!, out);
        const reg = into();
        out.push({ kind: 'load', reg, loc, mode: p.mode, span });
        return result(reg);
      }
      case 'store': {
        const loc = p.loc === 'access' ? this.access(name, 0, a0!, out) : this.address(a0!, out);
        out.push({ kind: 'store', loc, value: this.value(a1!, out), mode: p.mode, span });
        if (p.fence) out.push({ kind: 'fence', fence: p.fence, span });
        return 'void';
      }
      case 'lock': case 'unlock': out.push({ kind: p.kind, loc: this.address(a0!, out), span }); return 'void';
      case 'trylock': case 'islocked': {
        const loc = this.address(a0!, out);
        const reg = into();
        out.push({ kind: p.kind, reg, loc, span });
        return result(reg);
      }
      case 'rmw': {
        // The arguments in the order they are written, the location among them.
        const args = e.args.map((a, i) => (i === p.loc ? this.address(a, out) : this.value(a, out)));
        const operand = (o: Operand): MemExpr => ('arg' in o ? args[o.arg]! : { kind: 'const', value: o.literal });
        const base = { kind: 'rmw', loc: args[p.loc]!, op: p.op, operands: p.operands.map(operand), mode: p.mode, result: p.result, span } as const;
        if (!hasValue(p) || use.kind === 'statement') { out.push({ ...base, reg: null }); return hasValue(p) ? ZERO : 'void'; }
        if (p.test) {
          // atomic_dec_and_test and friends: the new value, compared with 0.
          const reg = this.fresh();
          out.push({ ...base, reg, span: e.span });
          return { kind: 'binary', op: p.test, left: regExpr(reg), right: ZERO };
        }
        const reg = into();
        out.push({ ...base, reg });
        return result(reg);
      }
    }
  }
}
