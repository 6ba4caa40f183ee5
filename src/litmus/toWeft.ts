/**
 * `weft litmus import`: a litmus test as a Weft model. Each thread is an
 * actor, each register a local, each location a shared variable whose
 * range holds every value the test can store in it (threads.ts's value
 * sets), and the condition a property of the state in which every actor
 * has finished (`P0@done`, the label on an empty block at the end of each
 * body, which is where a finished actor is). The kernel primitives keep
 * their names, so the model checks under interleavings as Weft always does,
 * and under `--memory-model lkmm` as herd7 checks the test.
 *
 * Every name comes from the test: each is checked to be a plain identifier
 * and renamed when it is one of Weft's keywords or taken, so nothing in the
 * test can change the model's meaning (or break out of a comment).
 */
import type { LocRef, MemCond, MemExpr, MemInstr, MemProgram, Value } from '../explore/lkmm/program.ts';
import { threadRuns, valueSets, valueKey } from '../explore/lkmm/threads.ts';

const KEYWORDS = new Set(['model', 'const', 'enum', 'struct', 'shared', 'option', 'fn', 'actor', 'daemon', 'symmetric', 'invariant', 'reachable', 'variant', 'expect',
  'bool', 'mutex', 'spinlock', 'rwsem', 'var', 'if', 'else', 'while', 'loop', 'break', 'continue', 'for', 'await', 'atomic', 'choose', 'or',
  'pick', 'in', 'assert', 'skip', 'true', 'false', 'self', 'forall', 'exists', 'done', 'import', 'atomic_t', 'refcount_t', 'completion', 'wait_queue_head_t']);

export type ToWeft = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly why: string; readonly instr: MemInstr | null };

class Refused extends Error {
  constructor(message: string, readonly instr: MemInstr | null) { super(message); }
}

export function litmusToWeft(p: MemProgram, file: string): ToWeft {
  try {
    return { ok: true, text: new Writer(p).write(file) };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, why: e.message, instr: e.instr };
    throw e;
  }
}

class Writer {
  private readonly taken = new Set<string>();
  private readonly locName = new Map<string, string>();
  private readonly regName: Map<string, string>[];
  /** Locations an atomic_* operation acts on: they are atomic_t, read and written through atomic_read and atomic_set. */
  private readonly counters = new Set<string>();
  /** The constants an xchg or cmpxchg names for a location, which its range must hold. */
  private readonly constants = new Map<string, number[]>();

  constructor(private readonly p: MemProgram) {
    p.threads.forEach((t) => this.taken.add(t.name));
    this.regName = p.threads.map(() => new Map());
  }

  write(file: string): string {
    const p = this.p;
    const values = valueSets(p);
    const regValues = p.threads.map((t) => {
      const seen = new Map<string, Value[]>();
      const add = (r: string, v: Value): void => { seen.set(r, [...(seen.get(r) ?? []), v]); };
      for (const run of threadRuns(t, values, undefined, add)) for (const [r, v] of run.registers) add(r, v);
      return seen;
    });
    for (const t of p.threads) this.findCounters(t.body);
    this.condConstants(p.condition);
    if (p.filter) this.condConstants(p.filter);
    for (const l of p.locations) this.locName.set(l.name, this.fresh(l.name));
    const out: string[] = [
      `// ${comment(p.name)}: imported from ${comment(file)} by \`weft litmus import\`.`,
      '// Its condition is the property `outcome`, over the state in which every thread has finished:',
      '// `weft check --memory-model lkmm` decides it as herd7 does; without it, Weft checks every interleaving.',
      `model ${this.fresh(p.name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^[^A-Za-z_]/, 'm_$&'))};`,
      '',
    ];
    for (const l of p.locations) {
      const name = this.locName.get(l.name)!;
      if (l.lock) { out.push(`shared ${name}: spinlock;`); continue; }
      const vs = [...numbers(values.get(l.name) ?? [l.init], `location ${l.name}`), ...(this.constants.get(l.name) ?? [])];
      const range = `${Math.min(0, ...vs)}..${Math.max(0, ...vs)}`;
      const init = num(l.init, `the initial value of ${l.name}`);
      // A Weft variable starts at its range's lower bound unless told: a litmus location starts at 0 unless told.
      out.push(`shared ${name}: ${this.counters.has(l.name) ? `atomic_t<${range}>` : range}${init === Math.min(0, ...vs) ? '' : ` = ${init}`};`);
    }
    p.threads.forEach((t, i) => {
      out.push('', `actor ${t.name} {`);
      const regs = new Set<string>([...regValues[i]!.keys(), ...t.registers.keys()]);
      for (const r of [...regs].sort()) {
        const name = this.reg(i, r);
        const vs = [...numbers([...(regValues[i]!.get(r) ?? []), 0], `register ${t.name}:${r}`), ...(this.constants.get(`${i}:${r}`) ?? [])];
        const init = t.registers.get(r);
        const start = init === undefined ? 0 : num(init, `the initial value of ${t.name}:${r}`);
        out.push(`  var ${name}: ${Math.min(...vs)}..${Math.max(...vs)}${start === Math.min(...vs) ? '' : ` = ${start}`};`);
      }
      for (const s of t.body) out.push(...this.instr(s, i, '  '));
      out.push('  done: {}', '}');
    });
    const finished = p.threads.map((t) => `${t.name}@done`).join(' && ');
    const cond = this.cond(p.condition);
    const filter = p.filter ? ` && ${this.cond(p.filter)}` : '';
    out.push('');
    if (p.quantifier === 'exists') out.push(`reachable outcome: ${finished}${filter} && ${cond};`);
    else if (p.quantifier === 'forall') out.push(`invariant outcome: ${finished}${filter} -> ${cond};`);
    else out.push(`invariant outcome: !(${finished}${filter} && ${cond});`);
    return out.join('\n') + '\n';
  }

  private findCounters(body: readonly MemInstr[]): void {
    for (const s of body) {
      if (s.kind === 'if') { this.findCounters(s.then); this.findCounters(s.else); }
      if (s.kind === 'rmw' && s.op !== 'xchg' && s.op !== 'cmpxchg') this.counters.add(this.locOf(s.loc, s));
      // Weft checks a constant against the range of where it goes, run or not: cmpxchg(x, 2, 3)
      // names 2 and 3 where x is never 2, and a store no execution makes names its value.
      const named = s.kind === 'rmw' && (s.op === 'xchg' || s.op === 'cmpxchg') ? s.operands : s.kind === 'store' ? [s.value] : [];
      for (const o of named) if (o.kind === 'const' && typeof o.value === 'number') this.constant(this.locOf((s as { loc: LocRef }).loc, s), o.value);
    }
  }

  private constant(key: string, v: number): void {
    this.constants.set(key, [...(this.constants.get(key) ?? []), v]);
  }

  /** The values the condition compares each term with: a register's range must hold them too. */
  private condConstants(c: MemCond): void {
    if (c.kind === 'not') this.condConstants(c.operand);
    if (c.kind === 'and' || c.kind === 'or') { this.condConstants(c.left); this.condConstants(c.right); }
    if (c.kind === 'eq' && typeof c.right === 'number') this.constant(c.left.kind === 'loc' ? c.left.name : `${c.left.thread}:${c.left.reg}`, c.right);
  }

  private fresh(raw: string): string {
    let name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(raw) && !raw.startsWith('__') ? raw : `v_${raw.replace(/[^A-Za-z0-9_]/g, '_').replace(/^_+/, '')}`;
    while (KEYWORDS.has(name) || this.taken.has(name)) name += '_';
    this.taken.add(name);
    return name;
  }

  private reg(thread: number, r: string): string {
    const names = this.regName[thread]!;
    if (!names.has(r)) {
      // Registers are locals: they need only differ from the shared names and each other.
      let name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(r) && !r.startsWith('__') ? r : `t${names.size}`;
      while (KEYWORDS.has(name) || this.taken.has(name) || [...names.values()].includes(name)) name += '_';
      names.set(r, name);
    }
    return names.get(r)!;
  }

  private locOf(loc: LocRef, s: MemInstr): string {
    if (loc.kind === 'const' && typeof loc.value !== 'number') return loc.value.loc;
    throw new Refused('an access through a pointer (Weft has no pointers: a model names the variable it reads)', s);
  }

  private instr(s: MemInstr, t: number, ind: string): string[] {
    const at = (loc: LocRef): string => this.locName.get(this.locOf(loc, s))!;
    const counter = (loc: LocRef): boolean => this.counters.has(this.locOf(loc, s));
    switch (s.kind) {
      case 'load': {
        const fn = counter(s.loc) ? (s.mode === 'acquire' ? 'atomic_read_acquire' : 'atomic_read') : s.mode === 'acquire' ? 'smp_load_acquire' : 'READ_ONCE';
        if (s.mode === 'plain' && !counter(s.loc)) return [`${ind}${this.reg(t, s.reg)} = ${at(s.loc)};`];
        return [`${ind}${this.reg(t, s.reg)} = ${fn}(${at(s.loc)});`];
      }
      case 'store': {
        const v = this.int(s.value, t);
        if (counter(s.loc)) return [`${ind}${s.mode === 'release' ? 'atomic_set_release' : 'atomic_set'}(${at(s.loc)}, ${v});`];
        if (s.mode === 'plain') return [`${ind}${at(s.loc)} = ${v};`];
        return [`${ind}${s.mode === 'release' ? 'smp_store_release' : 'WRITE_ONCE'}(${at(s.loc)}, ${v});`];
      }
      case 'fence': return [`${ind}${fenceCall(s.fence)};`];
      case 'lock': return [`${ind}spin_lock(${at(s.loc)});`];
      case 'unlock': return [`${ind}spin_unlock(${at(s.loc)});`];
      case 'trylock': case 'islocked': {
        const call = `${s.kind === 'trylock' ? 'spin_trylock' : 'spin_is_locked'}(${at(s.loc)})`;
        return [`${ind}if (${call}) ${this.reg(t, s.reg)} = 1; else ${this.reg(t, s.reg)} = 0;`];
      }
      case 'assign': return [`${ind}${this.reg(t, s.reg)} = ${this.int(s.value, t)};`];
      case 'if': {
        const out = [`${ind}if (${this.bool(s.cond, t)}) {`, ...s.then.flatMap((x) => this.instr(x, t, ind + '  '))];
        if (s.else.length) out.push(`${ind}} else {`, ...s.else.flatMap((x) => this.instr(x, t, ind + '  ')));
        out.push(`${ind}}`);
        return out;
      }
      case 'rmw': return this.rmw(s, t, ind, at(s.loc), counter(s.loc));
    }
  }

  private rmw(s: MemInstr & { kind: 'rmw' }, t: number, ind: string, x: string, counter: boolean): string[] {
    const suffix = s.mode === 'mb' ? '' : s.mode === 'once' ? '_relaxed' : `_${s.mode}`;
    const ops = s.operands.map((o) => this.int(o, t));
    const into = (call: string): string[] => [s.reg === null ? `${ind}${call};` : `${ind}${this.reg(t, s.reg)} = ${call};`];
    if (s.op === 'xchg') return into(`${counter ? 'atomic_xchg' : 'xchg'}${suffix}(${x}, ${ops[0]})`);
    if (s.op === 'cmpxchg') return into(`${counter ? 'atomic_cmpxchg' : 'cmpxchg'}${suffix}(${x}, ${ops[0]}, ${ops[1]})`);
    if (s.op === 'add_unless') {
      const r = s.reg === null ? null : this.reg(t, s.reg);
      return [r === null ? `${ind}atomic_add_unless(${x}, ${ops[0]}, ${ops[1]});` : `${ind}if (atomic_add_unless(${x}, ${ops[0]}, ${ops[1]})) ${r} = 1; else ${r} = 0;`];
    }
    if (s.op !== 'add' && s.op !== 'sub') throw new Refused(`atomic_${s.op} (Weft has no bitwise atomics)`, s);
    if (s.result === 'none') return [`${ind}atomic_${s.op}(${ops[0]}, ${x});`];
    if (s.result === 'new' || s.result === 'old') return into(`atomic_${s.result === 'new' ? `${s.op}_return` : `fetch_${s.op}`}${suffix}(${ops[0]}, ${x})`);
    const r = s.reg === null ? null : this.reg(t, s.reg);
    const call = s.result === 'zero' ? `atomic_${s.op}_and_test(${ops[0]}, ${x})` : `atomic_add_negative(${ops[0]}, ${x})`;
    return [r === null ? `${ind}${call};` : `${ind}if (${call}) ${r} = 1; else ${r} = 0;`];
  }

  /** An expression as a Weft integer: a truth value of C is 1 or 0. */
  private int(e: MemExpr, t: number): string {
    switch (e.kind) {
      case 'const': return String(num(e.value, 'a value'));
      case 'reg': return this.reg(t, e.reg);
      case 'neg': return `-(${this.int(e.operand, t)})`;
      case 'not': return `(${this.bool(e, t)} ? 1 : 0)`;
      case 'binary':
        if (['+', '-', '*', '/', '%'].includes(e.op)) return `(${this.int(e.left, t)} ${e.op} ${this.int(e.right, t)})`;
        if (['&', '|', '^'].includes(e.op)) throw new Refused(`the operator '${e.op}' (Weft has no bitwise operators)`, null);
        return `(${this.bool(e, t)} ? 1 : 0)`;
    }
  }

  /** An expression as a Weft condition: C's `if (r)` is `r != 0`. */
  private bool(e: MemExpr, t: number): string {
    if (e.kind === 'not') return `!(${this.bool(e.operand, t)})`;
    if (e.kind === 'binary' && (e.op === '&&' || e.op === '||')) return `(${this.bool(e.left, t)} ${e.op} ${this.bool(e.right, t)})`;
    if (e.kind === 'binary' && ['==', '!=', '<', '<=', '>', '>='].includes(e.op)) return `(${this.int(e.left, t)} ${e.op} ${this.int(e.right, t)})`;
    return `(${this.int(e, t)} != 0)`;
  }

  private cond(c: MemCond): string {
    switch (c.kind) {
      case 'true': return 'true';
      case 'not': return `!(${this.cond(c.operand)})`;
      case 'and': return `(${this.cond(c.left)} && ${this.cond(c.right)})`;
      case 'or': return `(${this.cond(c.left)} || ${this.cond(c.right)})`;
      case 'eq': {
        const v = num(c.right, 'a value in the condition');
        if (c.left.kind === 'loc') {
          if (this.p.locations.find((l) => l.name === (c.left as { name: string }).name)?.lock) throw new Refused('a condition on a spinlock', null);
          return `${this.locName.get(c.left.name)} == ${v}`;
        }
        const t = this.p.threads[c.left.thread]!;
        return `${t.name}.${this.reg(c.left.thread, c.left.reg)} == ${v}`;
      }
    }
  }
}

function num(v: Value, what: string): number {
  if (typeof v !== 'number') throw new Refused(`${what} is the address of '${v.loc}' (Weft has no pointers)`, null);
  return v;
}

function numbers(vs: readonly Value[], what: string): number[] {
  return vs.map((v) => num(v, `${what} may hold ${valueKey(v)}:`));
}

function fenceCall(f: string): string {
  switch (f) {
    case 'rcu-lock': return 'rcu_read_lock()';
    case 'rcu-unlock': return 'rcu_read_unlock()';
    case 'sync-rcu': return 'synchronize_rcu()';
    case 'barrier': return 'barrier()';
    case 'mb': case 'rmb': case 'wmb': return `smp_${f}()`;
    default: return `smp_mb__${f.replace(/-/g, '_')}()`;
  }
}

/** Text from the test in a line comment: printable, one line. */
function comment(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?');
}
