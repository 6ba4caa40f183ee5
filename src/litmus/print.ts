/**
 * A memory program as a C litmus test that herd7 reads: the inverse of the
 * parser. `weft litmus export` prints a Weft model's memory program with it,
 * for herd7 to check the property by the same test, and the tests' round
 * trips (parse, print, parse) check the two directions against each other.
 * Each instruction is printed with the first primitive of the parser's table
 * (primitives.ts) that maps back to it: both directions read one table.
 *
 * Nothing from a name reaches the text unchecked: locations and registers
 * are renamed to plain C identifiers that are no word of C, of herd7's
 * lexers or of the kernel (`a[1]` becomes `a_1`), the threads are P0..Pn,
 * and the test's name and comment keep printable characters only, with no
 * `*)` to end the comment and no `{` (herd7 takes it for the init block's).
 * What herd7's C cannot say is refused, never printed with another meaning;
 * what it says another way is written that way: it has no `!`, unary `-`,
 * `%`, `&&` or `||`, no empty block, and no value primitive as a statement.
 */
import type { CondTerm, LocRef, MemCond, MemExpr, MemInstr, MemLocation, MemProgram, MemThread, Value } from '../explore/lkmm/program.ts';
import { valueSets } from '../explore/lkmm/threads.ts';
import { primitive, primitiveNames, type Primitive } from './primitives.ts';

export type PrintResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly why: string; readonly instr: MemInstr | null };

class Refused extends Error {
  constructor(message: string, readonly instr: MemInstr | null) { super(message); }
}

/** C's keywords and types, the words herd7's C and condition lexers make tokens of (its C11 and internal primitives too), and the kernel's. */
const RESERVED = new Set([
  ...'auto break case char const continue default do double else enum extern float for goto if inline int long register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while _Bool bool _Atomic NULL'.split(' '),
  ...'atomic atomic_t atomic_int atomic_long spinlock_t mtx_t srcu_struct intptr_t uintptr_t size_t __int128 __uint128 __int128_t __uint128_t regions u8 u16 u32 u64 s8 s16 s32 s64'.split(' '),
  ...[8, 16, 32, 64].flatMap((n) => [`int${n}_t`, `uint${n}_t`]),
  ...'exists forall final locations filter not true false observed Observed and with fault Fault tag TAG attrs Attrs oa PTE TTD PA NOP nop ATOMIC_INIT'.split(' '),
  ...'lock unlock mtx_lock mtx_unlock WCAS SCAS atomic_thread_fence atomic_load_explicit atomic_store_explicit atomic_exchange_explicit'.split(' '),
  ...['add', 'sub', 'or', 'xor', 'and'].map((op) => `atomic_fetch_${op}_explicit`),
  ...['acquire', 'release', 'acq_rel', 'seq_cst', 'relaxed', 'consume'].map((o) => `memory_order_${o}`),
  ...['weak', 'strong', 'weak_explicit', 'strong_explicit'].map((k) => `atomic_compare_exchange_${k}`),
  ...'fence load store srcu xchg cmpxchg lock trylock islocked unlock atomic_op atomic_op_return atomic_fetch_op atomic_add_unless'.split(' ').map((w) => `__${w}`),
  ...'srcu_read_lock srcu_read_unlock synchronize_srcu synchronize_srcu_expedited'.split(' '),
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
  /** Each thread's registers, by their name in the program. */
  private readonly regs: Map<string, string>[];
  /** The locations that hold addresses (`int *x1 = &y;`): their parameters are `int **`. */
  private readonly pointers = new Set<string>();

  constructor(private readonly p: MemProgram) {
    this.regs = p.threads.map(() => new Map());
    const taken = new Set<string>();
    for (const l of p.locations) this.locs.set(l.name, fresh(l.name, taken));
    for (const [loc, vs] of pointerSets(p)) if (vs.some((v) => typeof v !== 'number')) this.pointers.add(loc);
  }

  print(comment: string): string {
    const p = this.p;
    if (p.threads.length === 0) throw new Refused('a test with no threads (herd7 reads none)', null);
    const lock = p.locations.find((l) => l.lock && l.init !== 0);
    if (lock) throw new Refused(`spinlock '${lock.name}' starts held (herd7's init block gives a spinlock_t no value)`, null);
    // The condition's registers are the threads' too: name them before the threads declare theirs.
    const condition = `${p.quantifier === 'not-exists' ? '~exists' : p.quantifier} (${this.cond(p.condition)})`;
    const filter = p.filter ? [`filter (${this.cond(p.filter)})`] : [];
    const show = p.show.length ? [`locations [${p.show.map((t) => `${this.term(t)};`).join(' ')}]`] : [];
    const threads = p.threads.flatMap((t, i) => this.thread(t, i));
    const name = p.name.replace(/[^A-Za-z0-9_+.-]/g, '_') || 'weft';
    const note = comment ? [`(* ${comment.replace(/[^\x20-\x7e]|[{}]/g, '?').replace(/\*\)/g, '* )').replace(/\(\*/g, '( *')} *)`, ''] : [];
    return [`C ${name}`, '', ...note, `{ ${this.init().join(' ')} }`, '', ...threads, ...show, ...filter, condition].join('\n') + '\n';
  }

  /** The locations' initial values but 0, then the registers'. */
  private init(): string[] {
    const locs = this.sorted((l) => !l.lock && l.init !== 0).map((l) =>
      typeof l.init === 'number' ? `${this.loc(l.name)}=${l.init};` : `int *${this.loc(l.name)}=&${this.loc(l.init.loc)};`);
    const regs = this.p.threads.flatMap((t, i) => [...t.registers].filter(([, v]) => v !== 0).map(([r, v]) => `${i}:${this.reg(i, r)}=${this.value(v)};`));
    return [...locs, ...regs];
  }

  /** The test's locations a filter keeps, in the order of their printed names. */
  private sorted(keep: (l: MemLocation) => boolean): MemLocation[] {
    return this.p.locations.filter(keep).sort((a, b) => this.loc(a.name).localeCompare(this.loc(b.name)));
  }

  private thread(t: MemThread, i: number): string[] {
    for (const r of t.registers.keys()) this.reg(i, r);
    const body = this.block(t.body, i, '\t');
    const used = locationsIn(t.body, new Set());
    const params = this.sorted((l) => used.has(l.name)).map((l) => `${l.lock ? 'spinlock_t' : 'int'} *${this.pointers.has(l.name) ? '*' : ''}${this.loc(l.name)}`);
    const addressRegs = addressRegisters(t.body, new Set());
    const decls = [...this.regs[i]!].map(([raw, r]) => `\tint ${addressRegs.has(raw) ? '*' : ''}${r};`);
    // herd7 reads no empty thread: one with nothing to do declares a register.
    if (decls.length + body.length === 0) decls.push(`\tint ${fresh('r0', new Set(this.locs.values()))};`);
    return [`P${i}(${params.join(', ')})`, '{', ...decls, ...body, '}', ''];
  }

  private block(body: readonly MemInstr[], t: number, ind: string): string[] {
    return body.flatMap((s) => this.instr(s, t, ind));
  }

  private instr(s: MemInstr, t: number, ind: string): string[] {
    const line = (text: string): string[] => [`${ind}${text};`];
    switch (s.kind) {
      case 'load': {
        if (s.mode === 'plain') return line(`${this.reg(t, s.reg)} = *${this.at(s.loc, s, t)}`);
        const [name, prim] = find((q) => q.kind === 'load' && q.mode === s.mode, s);
        return line(`${this.reg(t, s.reg)} = ${name}(${ref(prim, this.at(s.loc, s, t))})`);
      }
      case 'store': {
        const v = this.expr(s.value, t);
        if (s.mode === 'plain') return line(`*${this.at(s.loc, s, t)} = ${v}`);
        const [name, prim] = find((q) => q.kind === 'store' && q.mode === s.mode && q.fence === null, s);
        return line(`${name}(${ref(prim, this.at(s.loc, s, t))}, ${v})`);
      }
      case 'fence': return line(`${find((q) => q.kind === 'fence' && q.fence === s.fence, s)[0]}()`);
      case 'lock': return line(`spin_lock(${this.at(s.loc, s, t)})`);
      case 'unlock': return line(`spin_unlock(${this.at(s.loc, s, t)})`);
      case 'trylock': return line(`${this.reg(t, s.reg)} = spin_trylock(${this.at(s.loc, s, t)})`);
      case 'islocked': return line(`${this.reg(t, s.reg)} = spin_is_locked(${this.at(s.loc, s, t)})`);
      case 'assign': return line(`${this.reg(t, s.reg)} = ${this.expr(s.value, t)}`);
      case 'rmw': return line(this.rmw(s, t));
      case 'if': return this.ifElse(s, t, ind);
      default: return unreachable(s);
    }
  }

  /** herd7 reads no empty block: an if with nothing to do is left out (it orders nothing), one with an empty then is negated. */
  private ifElse(s: MemInstr & { kind: 'if' }, t: number, ind: string): string[] {
    let [then, els] = [this.block(s.then, t, ind + '\t'), this.block(s.else, t, ind + '\t')];
    let cond = this.expr(s.cond, t);
    if (then.length === 0) [then, els, cond] = [els, [], `(${cond} == 0)`];
    if (then.length === 0) return [];
    const out = [`${ind}if (${cond}) {`, ...then];
    if (els.length) out.push(`${ind}} else {`, ...els);
    return [...out, `${ind}}`];
  }

  /** The *_and_test and add_negative results are the `_return` form compared with 0, in any mode; a value nobody keeps is cast away (`(void)xchg(x, 1)`). */
  private rmw(s: MemInstr & { kind: 'rmw' }, t: number): string {
    const test = s.result === 'zero' ? '==' : s.result === 'negative' ? '<' : null;
    const result = test ? 'new' : s.result;
    const [name, prim] = find((q) => q.kind === 'rmw' && q.op === s.op && q.mode === s.mode && q.result === result && q.test === null
      && q.operands.length === s.operands.length && q.operands.every((o, k) => 'arg' in o || (s.operands[k]!.kind === 'const' && s.operands[k]!.value === o.literal)), s);
    if (prim.kind !== 'rmw') throw new Error('internal error: not an rmw');
    if (s.reg !== null && result === 'none') throw new Refused(`${name} gives no value to put in '${s.reg}'`, s);
    const args: string[] = Array.from({ length: prim.arity }, () => '0');
    args[prim.loc] = this.at(s.loc, s, t);
    prim.operands.forEach((o, k) => { if ('arg' in o) args[o.arg] = this.expr(s.operands[k]!, t); });
    const call = `${name}(${args.join(', ')})`;
    if (s.reg === null) return result === 'none' ? call : `(void)${call}`;
    return `${this.reg(t, s.reg)} = ${test ? `(${call} ${test} 0)` : call}`;
  }

  /** The pointer an access goes through: a location's parameter, or a register holding an address. */
  private at(loc: LocRef, s: MemInstr, t: number): string {
    if (loc.kind === 'const' && typeof loc.value !== 'number') return this.loc(loc.value.loc);
    if (loc.kind === 'reg') return this.reg(t, loc.reg);
    throw new Refused('an access through a computed address (herd7\'s C goes through a parameter or a register)', s);
  }

  /** Fully parenthesised, so that C's precedence cannot change what it says; written with the operators herd7's C has. */
  private expr(e: MemExpr, t: number): string {
    switch (e.kind) {
      case 'const': return typeof e.value === 'number' && e.value < 0 ? `(${e.value})` : this.value(e.value);
      case 'reg': return this.reg(t, e.reg);
      case 'not': return `(${this.expr(e.operand, t)} == 0)`;
      case 'neg': return `(0 - ${this.expr(e.operand, t)})`;
      case 'binary': {
        const [l, r] = [this.expr(e.left, t), this.expr(e.right, t)];
        if (e.op === '&&' || e.op === '||') return `((${l} != 0) ${e.op === '&&' ? '&' : '|'} (${r} != 0))`;
        // C's remainder, from its division (both truncate toward 0).
        if (e.op === '%') return `(${l} - ((${l} / ${r}) * ${r}))`;
        return `(${l} ${e.op} ${r})`;
      }
      default: return unreachable(e);
    }
  }

  private cond(c: MemCond): string {
    switch (c.kind) {
      case 'true': return 'true';
      case 'eq': return `${this.term(c.left)}=${this.value(c.right)}`;
      case 'not': return `~(${this.cond(c.operand)})`;
      case 'and': return `(${this.cond(c.left)} /\\ ${this.cond(c.right)})`;
      case 'or': return `(${this.cond(c.left)} \\/ ${this.cond(c.right)})`;
      default: return unreachable(c);
    }
  }

  private term(c: CondTerm): string {
    switch (c.kind) {
      case 'loc': return this.loc(c.name);
      case 'reg':
        if (!this.regs[c.thread]) throw new Refused(`the condition names ${c.thread}:${c.reg}, of no thread of the test`, null);
        return `${c.thread}:${this.reg(c.thread, c.reg)}`;
      default: return unreachable(c);
    }
  }

  /** A number as herd7's init block and condition write it (`-1`), or an address as its location's name. */
  private value(v: Value): string {
    return typeof v === 'number' ? String(v) : this.loc(v.loc);
  }

  private loc(name: string): string {
    const n = this.locs.get(name);
    if (n === undefined) throw new Refused(`'${name}' is not a location of the test`, null);
    return n;
  }

  /** A thread's register, named on first use apart from every location and the thread's other registers. */
  private reg(thread: number, r: string): string {
    const names = this.regs[thread]!;
    if (!names.has(r)) names.set(r, fresh(r, new Set([...this.locs.values(), ...names.values()])));
    return names.get(r)!;
  }
}

/** A plain C identifier for a name, apart from the reserved words and those taken (which it joins). */
function fresh(raw: string, taken: Set<string>): string {
  let name = raw.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([0-9])/, 'v$1') || 'v';
  while (RESERVED.has(name) || /^P\d+$/.test(name) || taken.has(name)) name += '_';
  taken.add(name);
  return name;
}

/** The values each location may hold, as the engine finds them; a program it cannot run has its initial values only. */
function pointerSets(p: MemProgram): Iterable<[string, readonly Value[]]> {
  try { return valueSets(p); } catch { return p.locations.map((l) => [l.name, [l.init]]); }
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
  throw new Refused(`no kernel primitive herd7 knows gives this ${s.kind}`, s);
}

function unreachable(x: never): never {
  throw new Error(`internal error: unknown kind in ${JSON.stringify(x)}`);
}

function subexprs(e: MemExpr): MemExpr[] {
  switch (e.kind) {
    case 'const': case 'reg': return [e];
    case 'not': case 'neg': return [e, ...subexprs(e.operand)];
    case 'binary': return [e, ...subexprs(e.left), ...subexprs(e.right)];
    default: return unreachable(e);
  }
}

/** The expressions an instruction reads (its address among them), and the blocks inside it. */
function parts(s: MemInstr): { exprs: MemExpr[]; blocks: (readonly MemInstr[])[] } {
  switch (s.kind) {
    case 'load': case 'lock': case 'unlock': case 'trylock': case 'islocked': return { exprs: [s.loc], blocks: [] };
    case 'store': return { exprs: [s.loc, s.value], blocks: [] };
    case 'rmw': return { exprs: [s.loc, ...s.operands], blocks: [] };
    case 'assign': return { exprs: [s.value], blocks: [] };
    case 'fence': return { exprs: [], blocks: [] };
    case 'if': return { exprs: [s.cond], blocks: [s.then, s.else] };
    default: return unreachable(s);
  }
}

/** The locations a thread names: those it accesses, and those whose address it uses as a value. */
function locationsIn(body: readonly MemInstr[], out: Set<string>): Set<string> {
  for (const s of body) {
    const { exprs, blocks } = parts(s);
    for (const e of exprs.flatMap(subexprs)) if (e.kind === 'const' && typeof e.value !== 'number') out.add(e.value.loc);
    blocks.forEach((b) => locationsIn(b, out));
  }
  return out;
}

/** The registers a thread accesses memory through: they hold addresses (`int *r2;`). */
function addressRegisters(body: readonly MemInstr[], out: Set<string>): Set<string> {
  for (const s of body) {
    if ('loc' in s && s.loc.kind === 'reg') out.add(s.loc.reg);
    parts(s).blocks.forEach((b) => addressRegisters(b, out));
  }
  return out;
}
