/**
 * A memory program as a C litmus test that herd7 reads: the inverse of
 * the parser, for `weft litmus export` (a Weft model's property as the
 * test herd7 checks it by) and for the round trips the tests make. Each
 * instruction is printed with the primitive the parser's table
 * (primitives.ts) maps back to it, so the two directions share one table.
 *
 * Nothing from a name reaches the text unchecked: locations and registers
 * are renamed to plain C identifiers that are no keyword of C or herd
 * (`a[1]` becomes `a_1`), threads are P0..Pn, and the test's name and
 * comment keep printable characters only, with no `*)` to end the comment.
 */
import type { CondTerm, LocRef, MemCond, MemExpr, MemInstr, MemProgram, Value } from '../explore/lkmm/program.ts';
import { primitive, primitiveNames, type Primitive } from './primitives.ts';
import { valueSets } from '../explore/lkmm/threads.ts';

export type PrintResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly why: string; readonly instr: MemInstr | null };

class Refused extends Error {
  constructor(message: string, readonly instr: MemInstr | null) { super(message); }
}

const RESERVED = new Set([
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern', 'float', 'for', 'goto', 'if',
  'int', 'long', 'register', 'return', 'short', 'signed', 'sizeof', 'static', 'struct', 'switch', 'typedef', 'union', 'unsigned', 'void',
  'volatile', 'while', 'exists', 'forall', 'final', 'locations', 'filter', 'not', 'true', 'false', 'spinlock_t', 'atomic_t', 'NULL',
  ...primitiveNames,
]);

export function printLitmus(p: MemProgram, comment = ''): PrintResult {
  try {
    return { ok: true, text: new Printer(p).print(comment) };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, why: e.message, instr: e.instr };
    throw e;
  }
}

class Printer {
  private readonly locs = new Map<string, string>();
  private readonly regs: Map<string, string>[];
  private readonly taken = new Set<string>();

  /** The locations that hold addresses (`int *x1 = &y;`): their parameters are `int **`. */
  private readonly pointers = new Set<string>();

  constructor(private readonly p: MemProgram) {
    this.regs = p.threads.map(() => new Map());
    for (const [loc, vs] of valueSets(p)) if (vs.some((v) => typeof v !== 'number')) this.pointers.add(loc);
    for (const l of p.locations) this.locs.set(l.name, this.fresh(l.name, this.taken));
  }

  print(comment: string): string {
    const p = this.p;
    // The registers the condition names are the threads' too: name them before the threads declare theirs.
    for (const c of [p.condition, ...(p.filter ? [p.filter] : [])]) this.cond(c);
    p.show.forEach((t) => this.term(t));
    // A spinlock_t is named by the threads' parameters only (herd7 knows no size for one in the init block).
    const init = [...p.locations].sort((a, b) => this.loc(a.name).localeCompare(this.loc(b.name))).filter((l) => !l.lock && l.init !== 0).map((l) => (typeof l.init === 'number' ? `${this.loc(l.name)}=${value(l.init, this)};` : `int *${this.loc(l.name)}=&${this.loc(l.init.loc)};`));
    const out = [`C ${p.name.replace(/[^A-Za-z0-9_+.-]/g, '_') || 'weft'}`, ''];
    if (comment) out.push(`(* ${comment.replace(/[^\x20-\x7e]/g, '?').replace(/\*\)/g, '* )').replace(/\(\*/g, '( *')} *)`, '');
    out.push(`{ ${init.join(' ')} }`, '');
    p.threads.forEach((t, i) => {
      const body = t.body.flatMap((s) => this.instr(s, i, '\t'));
      const used = new Set<string>();
      collectLocs(t.body, used);
      const params = [...p.locations].sort((a, b) => this.loc(a.name).localeCompare(this.loc(b.name))).filter((l) => used.has(l.name)).map((l) => `${l.lock ? 'spinlock_t' : 'int'} *${this.pointers.has(l.name) ? '*' : ''}${this.loc(l.name)}`);
      const addressRegs = new Set<string>();
      addresses(t.body, addressRegs);
      const starts = [...t.registers].filter(([, v]) => v !== 0).map(([r, v]) => `\t${this.reg(i, r)} = ${value(v, this)};`);
      out.push(`P${i}(${params.join(', ')})`, '{', ...[...this.regs[i]!].map(([raw, r]) => `\tint ${addressRegs.has(raw) ? '*' : ''}${r};`), ...starts, ...body, '}', '');
    });
    if (p.show.length) out.push(`locations [${p.show.map((t) => this.term(t)).join('; ')};]`);
    if (p.filter) out.push(`filter (${this.cond(p.filter)})`);
    out.push(`${p.quantifier === 'not-exists' ? '~exists' : p.quantifier} (${this.cond(p.condition)})`);
    return out.join('\n') + '\n';
  }

  private fresh(raw: string, taken: Set<string>): string {
    let name = raw.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, 'v$1') || 'v';
    while (RESERVED.has(name) || taken.has(name) || /^P\d+$/.test(name)) name += '_';
    taken.add(name);
    return name;
  }

  loc(name: string): string {
    const n = this.locs.get(name);
    if (!n) throw new Refused(`'${name}' is not a location of the test`, null);
    return n;
  }

  private reg(thread: number, r: string): string {
    const names = this.regs[thread]!;
    if (!names.has(r)) names.set(r, this.fresh(r, new Set([...this.taken, ...names.values()])));
    return names.get(r)!;
  }

  /** The pointer an access goes through: a location's parameter, or an address computed from registers (`r2`). */
  private at(loc: LocRef, s: MemInstr, t = -1): string {
    if (loc.kind === 'const' && typeof loc.value !== 'number') return this.loc(loc.value.loc);
    if (t < 0) throw new Refused('an access through a computed address', s);
    return this.expr(loc, t);
  }

  private instr(s: MemInstr, t: number, ind: string): string[] {
    switch (s.kind) {
      case 'load': {
        const [name, prim] = find((q) => q.kind === 'load' && q.mode === (s.mode === 'plain' ? 'once' : s.mode), s);
        if (s.mode === 'plain') return [`${ind}${this.reg(t, s.reg)} = *${this.at(s.loc, s, t)};`];
        return [`${ind}${this.reg(t, s.reg)} = ${name}(${ref(prim, this.at(s.loc, s, t))});`];
      }
      case 'store': {
        const v = this.expr(s.value, t);
        if (s.mode === 'plain') return [`${ind}*${this.at(s.loc, s, t)} = ${v};`];
        const [name, prim] = find((q) => q.kind === 'store' && q.mode === s.mode && q.fence === null && (q.loc === 'access' || s.mode === 'release'), s);
        return [`${ind}${name}(${ref(prim, this.at(s.loc, s, t))}, ${v});`];
      }
      case 'fence': return [`${ind}${find((q) => q.kind === 'fence' && q.fence === s.fence, s)[0]}();`];
      case 'lock': return [`${ind}spin_lock(${this.at(s.loc, s, t)});`];
      case 'unlock': return [`${ind}spin_unlock(${this.at(s.loc, s, t)});`];
      case 'trylock': case 'islocked': return [`${ind}${this.reg(t, s.reg)} = ${s.kind === 'trylock' ? 'spin_trylock' : 'spin_is_locked'}(${this.at(s.loc, s, t)});`];
      case 'assign': return [`${ind}${this.reg(t, s.reg)} = ${this.expr(s.value, t)};`];
      case 'if': {
        // herd7 reads no empty block: an if with nothing to do is left out (it orders nothing), one with an empty then is negated.
        if (s.then.length === 0 && s.else.length === 0) return [];
        if (s.then.length === 0) return this.instr({ ...s, cond: { kind: 'not', operand: s.cond }, then: s.else, else: [] }, t, ind);
        const out = [`${ind}if (${this.expr(s.cond, t)}) {`, ...s.then.flatMap((x) => this.instr(x, t, ind + '\t'))];
        if (s.else.length) out.push(`${ind}} else {`, ...s.else.flatMap((x) => this.instr(x, t, ind + '\t')));
        return [...out, `${ind}}`];
      }
      case 'rmw': {
        const test = s.result === 'zero' ? '==' : s.result === 'negative' ? '<' : null;
        const result = test ? 'new' : s.result;
        const [name, prim] = find((q) => q.kind === 'rmw' && q.op === s.op && q.mode === s.mode && q.result === result && q.test === test && q.operands.length === s.operands.length
          && q.operands.every((o, k) => !('literal' in o) || (s.operands[k]!.kind === 'const' && s.operands[k]!.value === o.literal)), s);
        if (prim.kind !== 'rmw') throw new Error('internal error: not an rmw');
        const args: string[] = Array.from({ length: prim.arity }, () => '0');
        args[prim.loc] = this.at(s.loc, s, t);
        prim.operands.forEach((o, k) => { if ('arg' in o) args[o.arg] = this.expr(s.operands[k]!, t); });
        const call = `${name}(${args.join(', ')})`;
        return [s.reg === null ? `${ind}${call};` : `${ind}${this.reg(t, s.reg)} = ${call};`];
      }
    }
  }

  /** Fully parenthesised, so that C's precedence cannot change what it says. */
  private expr(e: MemExpr, t: number): string {
    switch (e.kind) {
      case 'const': return value(e.value, this);
      case 'reg': return this.reg(t, e.reg);
      // herd7's C lexer has no unary `!`: `!e` is `e == 0`, as C defines it.
      case 'not': return `(${this.expr(e.operand, t)} == 0)`;
      case 'neg': return `(-${this.expr(e.operand, t)})`;
      case 'binary': return `(${this.expr(e.left, t)} ${e.op} ${this.expr(e.right, t)})`;
    }
  }

  private term(c: CondTerm): string {
    return c.kind === 'loc' ? this.loc(c.name) : `${c.thread}:${this.reg(c.thread, c.reg)}`;
  }

  private cond(c: MemCond): string {
    switch (c.kind) {
      case 'true': return 'true';
      case 'eq': return `${this.term(c.left)}=${value(c.right, this)}`;
      case 'not': return `~(${this.cond(c.operand)})`;
      case 'and': return `(${this.cond(c.left)} /\\ ${this.cond(c.right)})`;
      case 'or': return `(${this.cond(c.left)} \\/ ${this.cond(c.right)})`;
    }
  }
}

/** A number, negative ones in parentheses; an address is its location's (pointer) name. */
function value(v: Value, p: Printer): string {
  if (typeof v !== 'number') return p.loc(v.loc);
  return v < 0 ? `(${v})` : String(v);
}

/** `*x` for a primitive that takes the lvalue, `x` for one that takes the pointer. */
function ref(prim: Primitive, name: string): string {
  return 'loc' in prim && prim.loc === 'access' ? `*${name}` : name;
}

/** The first primitive of the parser's table that gives this instruction. */
function find(test: (p: Primitive) => boolean, s: MemInstr): [string, Primitive] {
  for (const name of primitiveNames) {
    const prim = primitive(name)!;
    if (test(prim)) return [name, prim];
  }
  throw new Refused(`no kernel primitive for this ${s.kind}`, s);
}

/** The locations a thread names: those it accesses, and those whose address it uses as a value. */
function collectLocs(body: readonly MemInstr[], out: Set<string>): void {
  const expr = (e: MemExpr): void => {
    if (e.kind === 'const' && typeof e.value !== 'number') out.add(e.value.loc);
    if (e.kind === 'not' || e.kind === 'neg') expr(e.operand);
    if (e.kind === 'binary') { expr(e.left); expr(e.right); }
  };
  for (const s of body) {
    if ('loc' in s) expr(s.loc);
    if (s.kind === 'store' || s.kind === 'assign') expr(s.value);
    if (s.kind === 'rmw') s.operands.forEach(expr);
    if (s.kind === 'if') { expr(s.cond); collectLocs(s.then, out); collectLocs(s.else, out); }
  }
}

/** The registers a thread accesses memory through: they hold addresses (`int *r2;`). */
function addresses(body: readonly MemInstr[], out: Set<string>): void {
  const regs = (e: MemExpr): void => {
    if (e.kind === 'reg') out.add(e.reg);
    if (e.kind === 'not' || e.kind === 'neg') regs(e.operand);
    if (e.kind === 'binary') { regs(e.left); regs(e.right); }
  };
  for (const s of body) {
    if ('loc' in s && s.loc.kind !== 'const') regs(s.loc);
    if (s.kind === 'if') { addresses(s.then, out); addresses(s.else, out); }
  }
}
