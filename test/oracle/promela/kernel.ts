/**
 * The kernel builtins for the AST oracle, from the table in
 * docs/language.md ("Kernel vocabulary"), written again here from the
 * kernel's definitions rather than from src/lower/kernel.ts. Only the
 * names and signatures are shared (src/check/builtins.ts, through the
 * checker): a wrong signature there is not seen here, a wrong meaning is.
 *
 * A call reads the state its step has reached: its value (`callValue`) is
 * compiled on that state, so a condition's guard reads it, and its effect
 * (`act`) follows. `x = call` stores what the call gives and what it
 * changes at once: both values and the targets' indexes are staged in
 * temporaries before anything is stored (`old = cmpxchg(x, old, new)`
 * compares with old before it stores into it).
 *
 * A warning is `assert(FLAG)` on its property's flag, and the step goes
 * on: pan -c0 carries on past it and stores the states after it.
 */
import type * as A from '../../../src/syntax/ast.ts';
import type { Type } from '../../../src/check/types.ts';
import { BUILTINS } from '../../../src/check/builtins.ts';
import { Unsupported } from './types.ts';
import { and, compile, not, type C, type Env } from './expr.ts';
import { candidates, choice, leafAt, resolvePlace, type Place } from './places.ts';
import { assign, lockOp, outOfRange, type Writer } from './effect.ts';
import { completionCheck, completionStore, completionValue, queueAct, waitGuard } from './waitq.ts';
import { rcuAct, rcuValue } from './rcu.ts';

type Call = { readonly callee: A.Ident; readonly args: readonly A.Expr[]; readonly message: string | null; readonly span: A.Expr['span'] };

export function isBuiltin(name: string): boolean {
  return BUILTINS.has(name);
}

export function isPure(name: string): boolean {
  const n = unordered(name);
  return n === 'READ_ONCE' || n === 'atomic_read' || n === 'refcount_read';
}

/**
 * Under interleavings the kernel's ordered forms do what their unordered
 * form does (include/linux/atomic/atomic-arch-fallback.h builds each from
 * the _relaxed one and a fence; smp_load_acquire and smp_store_release are
 * READ_ONCE and WRITE_ONCE with a barrier, smp_store_mb WRITE_ONCE and
 * smp_mb()): the ordering is for the LKMM, and a barrier does nothing here.
 */
function unordered(name: string): string {
  if (name === 'smp_load_acquire') return 'READ_ONCE';
  if (name === 'smp_store_release' || name === 'smp_store_mb') return 'WRITE_ONCE';
  if (name === 'atomic_read_acquire') return 'atomic_read';
  if (name === 'atomic_set_release') return 'atomic_set';
  const m = /^((?:atomic_)?(?:cmpxchg|xchg)|atomic_(?:inc|dec|add|sub)_return|atomic_fetch_(?:inc|dec|add|sub))_(?:relaxed|acquire|release)$/.exec(name);
  return m ? m[1]! : name;
}

function base<T extends Call>(call: T): T {
  const name = unordered(call.callee.name);
  return name === call.callee.name ? call : { ...call, callee: { ...call.callee, name } };
}

/** The calls `if`/`while` conditions may hold: the whole condition, its negation, a side of a comparison. */
export function callInCondition(cond: A.Expr): (A.Expr & { kind: 'call' }) | null {
  if (cond.kind === 'call') return cond;
  if (cond.kind === 'unary' && cond.op === '!' && cond.operand.kind === 'call') return cond.operand;
  if (cond.kind === 'binary' && ['==', '!=', '<', '<=', '>', '>='].includes(cond.op)) {
    if (cond.left.kind === 'call') return cond.left;
    if (cond.right.kind === 'call') return cond.right;
  }
  return null;
}

// ---- synthetic expressions, compiled by the oracle's own compile() ----

const at = (span: A.Expr['span']) => ({ span });
const num = (v: number, span: A.Expr['span']): A.Expr => (v < 0 ? { kind: 'unary', op: '-', operand: { kind: 'number', value: -v, ...at(span) }, ...at(span) } : { kind: 'number', value: v, ...at(span) });
const bin = (op: A.BinaryOp, left: A.Expr, right: A.Expr): A.Expr => ({ kind: 'binary', op, left, right, span: left.span });
const cnd = (c: A.Expr, t: A.Expr, e: A.Expr): A.Expr => ({ kind: 'cond', cond: c, then: t, else: e, span: c.span });

const TAKE: Record<string, A.LockOp> = {
  spin_lock: 'lock', mutex_lock: 'lock', lock: 'lock', down_read: 'down_read', down_write: 'down_write',
  spin_unlock: 'unlock', mutex_unlock: 'unlock', unlock: 'unlock', up_read: 'up_read', up_write: 'up_write',
  spin_trylock: 'lock', mutex_trylock: 'lock', down_read_trylock: 'down_read', down_write_trylock: 'down_write',
};

/** Is the lock free for a trylock (for read: not write-held)? Every lock is 0 when free and negative when write-held. */
function free(call: Call, env: Env): C {
  const p = resolvePlace(call.args[0]!, env);
  const read = call.callee.name === 'down_read_trylock';
  const text = choice(candidates(p).map((c) => ({ cond: c.cond, text: `(${leafAt(p.root, c.path).name} ${read ? '>= 0' : '== 0'})` })));
  return { text, def: p.def, iv: null };
}

/** The value a builtin gives, on the state before it acts. */
export function callValue(raw: Call, env: Env): C {
  const call = base(raw);
  const name = call.callee.name;
  const a = call.args;
  // Every builtin that gives a value acts on its first argument.
  const v = (): A.Expr => a[0]!;
  switch (name) {
    case 'READ_ONCE': case 'atomic_read': case 'refcount_read':
    case 'atomic_cmpxchg': case 'atomic_xchg': case 'cmpxchg': case 'xchg':
    case 'WARN_ON': case 'WARN_ON_ONCE': case 'WARN': case 'WARN_ONCE':
      return compile(a[0]!, env);
    case 'spin_trylock': case 'mutex_trylock': case 'down_read_trylock': case 'down_write_trylock':
      return free(call, env);
    case 'rcu_dereference': return rcuValue(call, env);
    case 'atomic_inc_return': return compile(bin('+', v(), num(1, call.span)), env);
    case 'atomic_dec_return': return compile(bin('-', v(), num(1, call.span)), env);
    case 'atomic_dec_and_test': return compile(bin('==', v(), num(1, call.span)), env);
    case 'atomic_inc_not_zero': case 'refcount_inc_not_zero': return compile(bin('!=', v(), num(0, call.span)), env);
    case 'atomic_add_return': return compile(bin('+', a[1]!, a[0]!), env);
    case 'atomic_sub_return': return compile(bin('-', a[1]!, a[0]!), env);
    case 'atomic_fetch_inc': case 'atomic_fetch_dec': return compile(a[0]!, env);
    case 'atomic_fetch_add': case 'atomic_fetch_sub': return compile(a[1]!, env);
    case 'atomic_inc_and_test': return compile(bin('==', bin('+', v(), num(1, call.span)), num(0, call.span)), env);
    case 'atomic_sub_and_test': return compile(bin('==', bin('-', a[1]!, a[0]!), num(0, call.span)), env);
    case 'atomic_add_negative': return compile(bin('<', bin('+', a[1]!, a[0]!), num(0, call.span)), env);
    // atomic_add_unless(v, a, u) adds unless v is u, and says whether it did.
    case 'atomic_add_unless': return compile(bin('!=', a[0]!, a[2]!), env);
    // Held by anyone: every lock is 0 when free.
    case 'spin_is_locked': return compile(bin('!=', a[0]!, num(0, call.span)), env);
    case 'refcount_dec_and_test': return compile(bin('==', v(), num(1, call.span)), env);
    default: {
      const c = completionValue(call, env);
      if (c) return c;
      throw new Unsupported(`the value of ${name}`);
    }
  }
}

/** What a builtin stores into its argument, as an expression on the state before it; null for locks and warnings. */
function newValue(call: Call): { target: A.Expr; value: A.Expr } | null {
  const a = call.args;
  const s = call.span;
  const one = num(1, s);
  const zero = num(0, s);
  const sat = num(-1, s);
  switch (call.callee.name) {
    case 'atomic_set': case 'refcount_set': return { target: a[0]!, value: a[1]! };
    case 'atomic_xchg': case 'xchg': case 'WRITE_ONCE': return { target: a[0]!, value: a[1]! };
    case 'atomic_inc': case 'atomic_inc_return': return { target: a[0]!, value: bin('+', a[0]!, one) };
    case 'atomic_dec': case 'atomic_dec_return': case 'atomic_dec_and_test': return { target: a[0]!, value: bin('-', a[0]!, one) };
    case 'atomic_add': return { target: a[1]!, value: bin('+', a[1]!, a[0]!) };
    case 'atomic_sub': return { target: a[1]!, value: bin('-', a[1]!, a[0]!) };
    case 'atomic_inc_not_zero': return { target: a[0]!, value: cnd(bin('==', a[0]!, zero), a[0]!, bin('+', a[0]!, one)) };
    case 'atomic_cmpxchg': case 'cmpxchg': return { target: a[0]!, value: cnd(bin('==', a[0]!, a[1]!), a[2]!, a[0]!) };
    case 'atomic_fetch_inc': case 'atomic_inc_and_test': return { target: a[0]!, value: bin('+', a[0]!, one) };
    case 'atomic_fetch_dec': return { target: a[0]!, value: bin('-', a[0]!, one) };
    case 'atomic_add_return': case 'atomic_fetch_add': case 'atomic_add_negative': return { target: a[1]!, value: bin('+', a[1]!, a[0]!) };
    case 'atomic_sub_return': case 'atomic_fetch_sub': case 'atomic_sub_and_test': return { target: a[1]!, value: bin('-', a[1]!, a[0]!) };
    case 'atomic_add_unless': return { target: a[0]!, value: cnd(bin('==', a[0]!, a[2]!), a[0]!, bin('+', a[0]!, a[1]!)) };
    // refcount.h: each warning saturates (-1 here); 1 -> 0 is dec_and_test's true; from 0 inc_not_zero does nothing.
    case 'refcount_inc': return { target: a[0]!, value: cnd(bin('>', a[0]!, zero), bin('+', a[0]!, one), sat) };
    case 'refcount_dec': return { target: a[0]!, value: cnd(bin('>', a[0]!, one), bin('-', a[0]!, one), sat) };
    case 'refcount_dec_and_test': return { target: a[0]!, value: cnd(bin('>', a[0]!, zero), bin('-', a[0]!, one), sat) };
    case 'refcount_inc_not_zero': return { target: a[0]!, value: cnd(bin('==', a[0]!, zero), zero, cnd(bin('>', a[0]!, zero), bin('+', a[0]!, one), sat)) };
    default: return completionStore(call);
  }
}

/** The conditions (on the state before) under which a builtin warns, with nothing else to say: the flag names the property. */
function warnings(call: Call): A.Expr[] {
  const a = call.args;
  const s = call.span;
  switch (call.callee.name) {
    case 'warn': return [{ kind: 'unary', op: '!', operand: a[0]!, span: s }];
    case 'WARN_ON': case 'WARN_ON_ONCE': case 'WARN': case 'WARN_ONCE': return [a[0]!];
    case 'refcount_inc': return [bin('<=', a[0]!, num(0, s))];
    case 'refcount_dec': return [bin('<=', a[0]!, num(1, s))];
    case 'refcount_dec_and_test': return [bin('<=', a[0]!, num(0, s))];
    case 'refcount_inc_not_zero': return [bin('<', a[0]!, num(0, s))];
    default: return [];
  }
}

function warn(bad: C, property: string, w: Writer): void {
  w.checkDef(bad.def);
  if (bad.text === 'false') return;
  w.line('if');
  w.line(`:: ${bad.text} -> assert(${w.setup.flag(property)})`);
  w.line(':: else');
  w.line('fi;');
}

/** A waiting builtin's guard (spin_lock, mutex_lock): the lock is free, or held by this instance (then misused). */
export function callGuard(call: Call, env: Env): { text: string; def: string | null } | null {
  const waits = waitGuard(call, env);
  if (waits !== undefined) return waits;
  const op = TAKE[call.callee.name];
  const bi = BUILTINS.get(call.callee.name);
  if (!op || !bi?.blocks) return null;
  const p = resolvePlace(call.args[0]!, env);
  const me = '_pid';
  const test = (l: string): string => (op === 'lock' ? `${l} == 0 || ${l} == ${me} + 1` : op === 'down_read' ? `${l} >= 0 || ${l} == -(${me} + 1)` : `${l} == 0 || ${l} == -(${me} + 1) || (${l} > 0 && ((${l} >> ${me}) & 1) == 1)`);
  return { text: choice(candidates(p).map((c) => ({ cond: c.cond, text: `(${test(leafAt(p.root, c.path).name)})` }))), def: p.def };
}

/**
 * What a builtin does, after its value is read. `known` is its value when
 * the branch of a condition fixes it (the true step of `if
 * (spin_trylock(l))` takes the lock).
 */
export function act(raw: Call, env: Env, w: Writer, property: string, known?: boolean): void {
  const call = base(raw);
  const name = call.callee.name;
  const op = TAKE[name];
  if (op) {
    if (!name.endsWith('trylock')) return lockOp(op, call.args[0]!, env, w);
    if (known === true) return lockOp(op, call.args[0]!, env, w);
    if (known === false) return;
    const f = free(call, env);
    w.checkDef(f.def);
    w.branches([`(${f.text})`, 'else'], (i) => { if (i === 0) lockOp(op, call.args[0]!, env, w); });
    return;
  }
  if (queueAct(call, env, w)) return;
  if (rcuAct(call, env, w, property)) return;
  if (known === false && (name.startsWith('WARN') || name === 'atomic_inc_not_zero' || name === 'atomic_add_unless')) return;
  for (const bad of warnings(call)) warn(known === true && name.startsWith('WARN') ? { text: 'true', def: null, iv: null } : compile(bad, env), property, w);
  if (name === 'refcount_set') checkCount(call, env, w);
  completionCheck(call, env, w);
  // WRITE_ONCE(x, v) is the plain store x = v, aggregates included.
  if (name === 'WRITE_ONCE' || name === 'rcu_assign_pointer') return assign({ kind: 'assign', target: call.args[0]!, op: '=', value: call.args[1]!, span: call.span }, env, w);
  const nv = newValue(call);
  if (nv) store([{ target: nv.target, value: nv.value }], env, w);
}

/** refcount_set(r, n) sets a count: n in 0..max. */
function checkCount(call: Call, env: Env, w: Writer): void {
  const p = resolvePlace(call.args[0]!, env);
  const n = compile(call.args[1]!, env);
  w.checkDef(n.def);
  if (p.type.kind === 'int') w.check(outOfRange({ kind: 'int', lo: 0, hi: p.type.hi }, n.iv, n.text), 'ranges');
}

/** `target = call`: the call's warnings, then its store and the store of its value, at once. */
export function assignCall(target: A.Expr, raw: A.Expr & { kind: 'call' }, env: Env, w: Writer, property: string): void {
  const call = base(raw);
  const name = call.callee.name;
  if (name.endsWith('trylock')) {
    // Whether the trylock takes the lock is what it gives.
    const f = free(call, env);
    w.checkDef(f.def);
    const op = TAKE[name]!;
    w.branches([`(${f.text})`, 'else'], (i) => {
      if (i === 0) lockOp(op, call.args[0]!, env, w);
      store([{ target, value: { kind: 'bool', value: i === 0, span: call.span } }], env, w);
    });
    return;
  }
  for (const bad of warnings(call)) warn(compile(bad, env), property, w);
  if (name === 'refcount_set') checkCount(call, env, w);
  if (name === 'rcu_dereference') rcuAct(call, env, w, property);
  const nv = newValue(call);
  const result = { target, value: call as A.Expr, compiled: callValue(call, env) };
  store(nv ? [{ target: nv.target, value: nv.value }, result] : [result], env, w);
}

/**
 * Scalar stores made at once: every value compiled and range-checked, then
 * the values and the targets' variable indexes staged, then each stored.
 */
function store(stores: readonly { target: A.Expr; value: A.Expr; compiled?: C }[], env: Env, w: Writer): void {
  const places = stores.map((s) => resolvePlace(s.target, env));
  const values = stores.map((s) => s.compiled ?? compile(s.value, env));
  places.forEach((p) => { if (p.type.kind === 'struct' || p.type.kind === 'array') throw new Unsupported('a builtin storing an aggregate'); });
  w.checkDef(and(...places.map((p) => p.def), ...values.map((v) => v.def)));
  places.forEach((p, i) => {
    const v = values[i]!;
    const bad = [p.type, ...p.via].map((t: Type) => outOfRange(t, v.iv, v.text)).filter((x): x is string => x !== null);
    w.check(bad.length ? bad.map((x) => `(${x})`).join(' || ') : null, 'ranges');
  });
  let n = 0;
  const temp = (): string => w.setup.temp(n++);
  const staged: Place[] = places.map((p) => ({
    ...p,
    steps: p.steps.map((st) => {
      if (st.kind === 'field' || st.index.iv![0] === st.index.iv![1]) return st;
      const t = temp();
      w.line(`${t} = ${st.index.text};`);
      return { ...st, index: { ...st.index, text: t } };
    }),
  }));
  const texts = values.map((v) => {
    const t = temp();
    w.line(`${t} = ${v.text};`);
    return t;
  });
  staged.forEach((p, i) => w.storeAmong(candidates(p).map((c) => ({ cond: c.cond, leaf: leafAt(p.root, c.path) })), () => texts[i]!));
  for (let i = 0; i < n; i++) w.line(`${w.setup.temp(i)} = 0;`);
  w.temps = Math.max(w.temps, n);
}

/** The effect of a condition's builtin in the branch where the condition is `branch`. */
export function conditionAct(cond: A.Expr, env: Env, w: Writer, property: string, branch: boolean): void {
  const call = callInCondition(cond);
  if (!call || !isBuiltin(call.callee.name) || isPure(call.callee.name)) return;
  const known = cond === call ? branch : cond.kind === 'unary' ? !branch : undefined;
  act(call, env, w, property, known);
}

export { not };
