/**
 * What one step does, as Promela statements inside the step's `atomic`,
 * for the AST oracle: the statements of an atomic block (or the one
 * statement of a simple step) run in order, with `if`, `choose` and `pick`
 * branching inside the step (docs/language.md, Steps).
 *
 * Faults end the path in Weft: a failing branch has no successor. pan with
 * -c0 would carry on after a failed assert(), so a failing branch reports
 * with assert(FLAG), puts back every variable the step may have written
 * (saved in `old_` locals when the step starts), and jumps to the label
 * the step started from: pan is back in a state it has stored, so the count
 * stays Weft's, and the step still counts as a move (no deadlock there).
 * Save areas and staging temporaries are 0 whenever a state is stored.
 */
import type * as A from '../../../src/syntax/ast.ts';
import type { Type } from '../../../src/check/types.ts';
import { Unsupported, shapes, type Leaf } from './types.ts';
import { and, compile, fixed, not, type Binding, type C, type Env } from './expr.ts';
import { candidates, leafAt, resolvePlace, valueParts, type Place } from './places.ts';
import { act, assignCall, callGuard, conditionAct, isBuiltin, isPure } from './kernel.ts';

export const ME = '_pid';

export interface WriterSetup {
  readonly flag: (property: string) => string;
  /** The label the step starts from, where a failing branch returns. */
  readonly self: string;
  /** leaf name -> save area, for the leaves this step writes; empty when it cannot fail or writes nothing. */
  readonly shadows: ReadonlyMap<string, string>;
  /** The name of staging temporary i. */
  readonly temp: (i: number) => string;
}

export class Writer {
  readonly lines: string[] = [];
  readonly writes = new Set<string>();
  canFail = false;
  temps = 0;
  private depth = 0;

  constructor(readonly setup: WriterSetup) {}

  line(text: string): void {
    this.lines.push(`${'  '.repeat(this.depth)}${text}`);
  }

  /** Statements that end a failing branch. */
  fail(property: string): string {
    this.canFail = true;
    const s = this.setup;
    const restore = [...s.shadows].map(([leaf, old]) => `${leaf} = ${old}`);
    const clear = [...s.shadows.values()].map((old) => `${old} = 0`);
    return [`assert(${s.flag(property)})`, ...restore, ...clear, `goto ${s.self}`].join('; ');
  }

  check(bad: string | null, property: string): void {
    if (bad === null || bad === 'false') return;
    this.line('if');
    this.line(`:: ${bad} -> ${this.fail(property)}`);
    this.line(':: else');
    this.line('fi;');
  }

  checkDef(def: string | null): void {
    if (def !== null) this.check(not(def), 'ranges');
  }

  /** One `if` whose options are the given heads (null: always open) with bodies written by `body(i)`. */
  branches(heads: readonly (string | null)[], body: (i: number) => void): void {
    this.line('if');
    heads.forEach((h, i) => {
      this.line(h === null ? ':: skip;' : `:: ${h} ->`);
      this.depth++;
      const start = this.lines.length;
      body(i);
      if (this.lines.length === start) this.line('skip');
      this.depth--;
    });
    this.line('fi;');
  }

  /** A store into one leaf among candidates (def already checked). */
  storeAmong(options: readonly { cond: string | null; leaf: Leaf }[], value: (leaf: Leaf) => string): void {
    for (const o of options) this.writes.add(o.leaf.name);
    if (options.length === 1) {
      this.line(`${options[0]!.leaf.name} = ${value(options[0]!.leaf)};`);
      return;
    }
    this.branches(options.map((o, i) => (i === options.length - 1 ? 'else' : o.cond)), (i) => this.line(`${options[i]!.leaf.name} = ${value(options[i]!.leaf)};`));
  }
}

/** The condition under which `value` (an integer within `iv`) is outside a leaf's type; null when it cannot be. */
export function outOfRange(t: Type, iv: readonly [number, number] | null, value: string): string | null {
  if (t.kind !== 'int') return null;
  const [lo, hi] = iv ?? [-Infinity, Infinity];
  if (hi < t.lo || lo > t.hi) return 'true';
  const low = lo < t.lo ? `${value} < ${t.lo}` : null;
  const high = hi > t.hi ? `${value} > ${t.hi}` : null;
  return low && high ? `${low} || ${high}` : low ?? high;
}

/** The environment of a called fn: its parameters bound to the arguments, in the caller's environment. */
export function callEnv(s: A.Stmt & { kind: 'call' }, env: Env): { env: Env; body: readonly A.Stmt[] } {
  const fn = env.ctx.fns.get(s.callee.name);
  if (!fn) throw new Error(`internal error: no fn ${s.callee.name}`);
  const params: Binding[] = s.args.map((arg) => ({ arg, env }));
  return { env: { ...env, params, quant: [] }, body: fn.decl.body.stmts };
}

/** The leaves a scalar place may name, with their selecting conditions. */
export function leafOptions(p: Place): { cond: string | null; leaf: Leaf }[] {
  return candidates(p).map((c) => ({ cond: c.cond, leaf: leafAt(p.root, c.path) }));
}

/** Can this instance take the lock now, or find that it already holds it (which is then reported, not waited for)? */
export function canAcquire(op: A.LockOp, lock: string): string {
  switch (op) {
    case 'lock': return `${lock} == 0 || ${lock} == ${ME} + 1`;
    case 'down_read': return `${lock} >= 0 || ${lock} == -(${ME} + 1)`;
    case 'down_write': return `${lock} == 0 || ${lock} == -(${ME} + 1) || ${isReader(lock)}`;
    default: throw new Error(`internal error: ${op} does not wait`);
  }
}

function isReader(lock: string): string {
  return `(${lock} > 0 && ((${lock} >> ${ME}) & 1) == 1)`;
}

/** The guard of a step: what its first statement waits for; null when it does not wait. */
export function guardOf(stmts: readonly A.Stmt[], env: Env): { text: string; def: string | null } | null {
  const s = stmts[0];
  if (!s) return null;
  switch (s.kind) {
    case 'block': return guardOf(s.stmts, env);
    case 'labelled': return guardOf([s.stmt], env);
    case 'atomic': return guardOf(s.body.stmts, env);
    case 'call': {
      if (isBuiltin(s.callee.name)) return callGuard(s, env);
      const c = callEnv(s, env);
      return guardOf(c.body, c.env);
    }
    case 'await': {
      const c = compile(s.cond, env);
      return { text: c.text, def: c.def };
    }
    case 'lockop': {
      if (s.op !== 'lock' && s.op !== 'down_read' && s.op !== 'down_write') return null;
      const p = resolvePlace(s.target, env);
      const opts = leafOptions(p);
      const parts = opts.map((o) => ({ cond: o.cond, text: `(${canAcquire(s.op, o.leaf.name)})` }));
      let text = parts[parts.length - 1]!.text;
      for (let i = parts.length - 2; i >= 0; i--) text = `(${parts[i]!.cond} -> ${parts[i]!.text} : ${text})`;
      return { text, def: p.def };
    }
    default: return null;
  }
}

/** Writes the statements `stmts` of one step. `label` is the label written on an assert (its property). */
export function execAll(stmts: readonly A.Stmt[], env: Env, w: Writer): void {
  for (const s of stmts) exec(s, env, w, null);
}

export function exec(s: A.Stmt, env: Env, w: Writer, label: string | null): void {
  switch (s.kind) {
    case 'block': return execAll(s.stmts, env, w);
    case 'labelled': return exec(s.stmt, env, w, s.label.name);
    case 'atomic': return execAll(s.body.stmts, env, w);
    case 'var': throw new Unsupported('a local declared inside a body');
    case 'while': case 'loop': case 'break': case 'continue': case 'for': throw new Unsupported(`'${s.kind}' inside one step`);
    // Only the first statement of a step may wait, and its guard is the step's (guardOf).
    case 'await': return;
    case 'skip': return;
    case 'call': {
      if (isBuiltin(s.callee.name)) return act(s, env, w, label ?? 'warnings');
      const c = callEnv(s, env);
      paramChecks(s, env)?.(w);
      return execAll(c.body, c.env, w);
    }
    case 'if': {
      const f = fixed(s.cond, env);
      if (f !== undefined) {
        if (f) exec(s.then, env, w, null);
        else if (s.else) exec(s.else, env, w, null);
        return;
      }
      const c = compile(s.cond, env);
      w.checkDef(c.def);
      w.branches([`(${c.text})`, 'else'], (i) => {
        // A builtin in the condition acts first, in the branch it leads to.
        conditionAct(s.cond, env, w, label ?? 'warnings', i === 0);
        if (i === 0) exec(s.then, env, w, null);
        else if (s.else) exec(s.else, env, w, null);
      });
      return;
    }
    case 'choose':
      w.branches(s.branches.map(() => null), (i) => execAll(s.branches[i]!.stmts, env, w));
      return;
    case 'assert': {
      const c = compile(s.cond, env);
      w.checkDef(c.def);
      w.check(c.text === 'true' ? null : not(c.text), label ?? 'assertions');
      return;
    }
    case 'pick': {
      const p = resolvePlace(s.target, env);
      w.checkDef(p.def);
      const lo = fixed(s.lo, env) as number;
      const hi = fixed(s.hi, env) as number;
      const opts = leafOptions(p);
      const values = Array.from({ length: hi - lo + 1 }, (_, k) => lo + k);
      w.branches(values.map(() => null), (i) => {
        const v = values[i]!;
        if ([p.type, ...p.via].some((t) => outOfRange(t, [v, v], String(v)) !== null)) w.line(`${w.fail('ranges')};`);
        else w.storeAmong(opts, () => String(v));
      });
      return;
    }
    case 'lockop': return lockOp(s.op, s.target, env, w);
    case 'assign':
      if (s.op === '=' && s.value.kind === 'call' && !isPure(s.value.callee.name)) return assignCall(s.target, s.value, env, w, label ?? 'warnings');
      return assign(s, env, w);
  }
}

export function lockOp(op: A.LockOp, target: A.Expr, env: Env, w: Writer): void {
  const p = resolvePlace(target, env);
  w.checkDef(p.def);
  const opts = leafOptions(p);
  const one = (leaf: Leaf): void => {
    const l = leaf.name;
    w.writes.add(l);
    const mine = `${ME} + 1`;
    const writer = `-(${ME} + 1)`;
    const bit = `(1 << ${ME})`;
    switch (op) {
      case 'lock': w.check(`${l} == ${mine}`, 'locking'); w.line(`${l} = ${mine};`); return;
      case 'unlock': w.check(`${l} != ${mine}`, 'locking'); w.line(`${l} = 0;`); return;
      case 'down_read': w.check(`${l} == ${writer} || ${isReader(l)}`, 'locking'); w.line(`${l} = ${l} + ${bit};`); return;
      case 'down_write': w.check(`${l} == ${writer} || ${isReader(l)}`, 'locking'); w.line(`${l} = ${writer};`); return;
      case 'up_read': w.check(not(isReader(l)), 'locking'); w.line(`${l} = ${l} - ${bit};`); return;
      case 'up_write': w.check(`${l} != ${writer}`, 'locking'); w.line(`${l} = 0;`); return;
    }
  };
  if (opts.length === 1) one(opts[0]!.leaf);
  else w.branches(opts.map((o, i) => (i === opts.length - 1 ? 'else' : o.cond)), (i) => one(opts[i]!.leaf));
}

export function assign(s: A.Stmt & { kind: 'assign' }, env: Env, w: Writer): void {
  const p = resolvePlace(s.target, env);
  const t = p.type;
  if (t.kind === 'struct' || t.kind === 'array') return assignAggregate(p, s.value, env, w);
  let value: C = compile(s.value, env);
  if (s.op !== '=') {
    // x += e is x = x + e, in one step.
    const op = s.op === '+=' ? '+' : '-';
    const bin: A.Expr = { kind: 'binary', op, left: s.target, right: s.value, span: s.span };
    value = compile(bin, env);
  }
  w.checkDef(and(p.def, value.def));
  const bad = [t, ...p.via].map((x) => outOfRange(x, value.iv, value.text)).filter((x): x is string => x !== null);
  w.check(bad.length ? bad.map((x) => `(${x})`).join(' || ') : null, 'ranges');
  w.storeAmong(leafOptions(p), () => value.text);
}

/**
 * A struct or array store: every part's range is checked before any is
 * stored (Weft checks the whole value), then the value and the target's
 * indexes are staged in temporaries, so that storing one leaf cannot
 * change what a later one reads.
 */
function assignAggregate(p: Place, valueExpr: A.Expr, env: Env, w: Writer): void {
  const v = valueParts(valueExpr, p.type, env);
  w.checkDef(and(p.def, v.def));
  const subs = shapes(p.type);
  const bad = subs.map((sub, i) => outOfRange(sub.type, v.parts[i]!.iv, v.parts[i]!.text)).filter((b): b is string => b !== null);
  w.check(bad.length ? bad.map((b) => `(${b})`).join(' || ') : null, 'ranges');

  let n = 0;
  const temp = (): string => w.setup.temp(n++);
  // Stage the indexes: a place with the target's indexes replaced by their temporaries.
  const steps = p.steps.map((st) => {
    if (st.kind === 'field' || st.index.iv![0] === st.index.iv![1]) return st;
    const t = temp();
    w.line(`${t} = ${st.index.text};`);
    return { ...st, index: { ...st.index, text: t } };
  });
  const staged: Place = { ...p, steps };
  const values = v.parts.map((part) => {
    if (/^\(?-?\d+\)?$|^(true|false)$/.test(part.text)) return part.text;
    const t = temp();
    w.line(`${t} = ${part.text};`);
    return t;
  });
  const cands = candidates(staged);
  subs.forEach((sub, i) => {
    w.storeAmong(cands.map((c) => ({ cond: c.cond, leaf: leafAt(p.root, [...c.path, ...sub.path]) })), () => values[i]!);
  });
  for (let i = 0; i < n; i++) w.line(`${w.setup.temp(i)} = 0;`);
  w.temps = Math.max(w.temps, n);
}

/**
 * The check of a call's arguments against its parameters' ranges, or null
 * when every argument's type lies inside (docs/language.md, Functions: it
 * is made by each step the body can start with, or where the call is
 * inside one step).
 */
export function paramChecks(s: A.Stmt & { kind: 'call' }, env: Env): ((w: Writer) => void) | null {
  const fn = env.ctx.fns.get(s.callee.name)!;
  const checks: { arg: A.Expr; type: Type }[] = [];
  fn.params.forEach((p, i) => {
    if (p.type.kind !== 'int') return;
    const iv = compile(s.args[i]!, env).iv;
    if (iv && iv[0] >= p.type.lo && iv[1] <= p.type.hi) return;
    checks.push({ arg: s.args[i]!, type: p.type });
  });
  if (checks.length === 0) return null;
  return (w) => {
    for (const c of checks) {
      const v = compile(c.arg, env);
      w.checkDef(v.def);
      w.check(outOfRange(c.type, v.iv, v.text), 'ranges');
    }
  };
}
