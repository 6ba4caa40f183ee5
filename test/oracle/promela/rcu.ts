/**
 * RCU for the AST oracle, from docs/language.md ("RCU") and not from
 * src/lower/rcu.ts: a different encoding of the same state, so that a
 * mistake in either shows up as a different state count or verdict.
 *
 * Every process p (the model's instances, then one executor per callback
 * fn) has `rcu_nest_p`, its read-side nesting depth, and `rcu_wait_p`, the
 * pids its grace period still waits for, as a bit mask (an executor's is
 * its callback's grace period); each callback k has `rcu_queued_k`. A
 * process that never reads keeps depth 0, and one that never waits an
 * empty mask, so the extra variables add no states. A grace period begins
 * by setting the mask to the pids whose depth is above 0; an outermost
 * unlock clears its pid's bit in every mask; it is over when the mask is 0.
 */
import type * as A from '../../../src/syntax/ast.ts';
import type { Checked } from '../../../src/check/check.ts';
import { Unsupported } from './types.ts';
import { compile, type Env } from './expr.ts';
import { ME, type Writer } from './effect.ts';

/** What every step of the model's RCU needs: the processes and the callbacks. */
export interface RcuInfo {
  readonly processes: number;
  readonly callbacks: readonly string[];
  /** The pids of the running actor's instances: first..last. */
  readonly pids: readonly [number, number];
}

const MAX_NEST = 4;
const nest = (p: number): string => `rcu_nest_${p}`;
const wait = (p: number): string => `rcu_wait_${p}`;
const queued = (k: number): string => `rcu_queued_${k}`;

/** The callback fns the model queues, wherever a call_rcu names them, in source order. */
export function rcuCallbacks(checked: Checked): string[] {
  const out: string[] = [];
  const visit = (s: A.Stmt): void => {
    switch (s.kind) {
      case 'block': return s.stmts.forEach(visit);
      case 'labelled': return visit(s.stmt);
      case 'atomic': return s.body.stmts.forEach(visit);
      case 'if': visit(s.then); if (s.else) visit(s.else); return;
      case 'while': case 'loop': return visit(s.body);
      case 'choose': return s.branches.forEach(visit);
      case 'call': {
        const a = s.args[0];
        if (s.callee.name === 'call_rcu' && !checked.ctx.fns.has('call_rcu') && a?.kind === 'name' && !out.includes(a.name)) out.push(a.name);
        return;
      }
      default: return;
    }
  };
  for (const d of checked.model.decls) if (d.kind === 'fn' || d.kind === 'actor') visit(d.body);
  return out;
}

export function usesRcu(checked: Checked): boolean {
  let found = false;
  const names = new Set(['rcu_read_lock', 'rcu_read_unlock', 'synchronize_rcu', 'call_rcu', 'rcu_dereference']);
  const visit = (s: A.Stmt): void => {
    if (s.kind === 'call' && names.has(s.callee.name)) found = true;
    if (s.kind === 'assign' && s.value.kind === 'call' && names.has(s.value.callee.name)) found = true;
    if ((s.kind === 'if' || s.kind === 'while') && JSON.stringify(s.cond).includes('"rcu_dereference"')) found = true;
    if (s.kind === 'block') s.stmts.forEach(visit);
    if (s.kind === 'labelled') visit(s.stmt);
    if (s.kind === 'atomic') s.body.stmts.forEach(visit);
    if (s.kind === 'if') { visit(s.then); if (s.else) visit(s.else); }
    if (s.kind === 'while' || s.kind === 'loop') visit(s.body);
    if (s.kind === 'choose') s.branches.forEach(visit);
  };
  for (const d of checked.model.decls) if (d.kind === 'fn' || d.kind === 'actor') visit(d.body);
  return found;
}

export function rcuDecls(processes: number, callbacks: readonly string[]): string[] {
  if (processes > 30) throw new Unsupported(`${processes} processes: the oracle's RCU masks have 30 bits`);
  const out: string[] = [];
  for (let p = 0; p < processes; p++) out.push(`byte ${nest(p)};`, `int ${wait(p)};`);
  callbacks.forEach((_, k) => out.push(`bool ${queued(k)};`));
  return out;
}

function info(env: Env): RcuInfo {
  const r = env.rcu;
  if (!r) throw new Error('internal error: RCU outside an actor');
  return r;
}

/** The running instance's variable among first..last, by its pid. */
function mine(r: RcuInfo, name: (p: number) => string): string {
  const [first, last] = r.pids;
  let text = name(last);
  for (let p = last - 1; p >= first; p--) text = `(${ME} == ${p} -> ${name(p)} : ${text})`;
  return text;
}

function storeMine(r: RcuInfo, w: Writer, name: (p: number) => string, value: (leaf: string) => string): void {
  const [first, last] = r.pids;
  const opts = [];
  for (let p = first; p <= last; p++) opts.push({ cond: `${ME} == ${p}`, leaf: { name: name(p), type: { kind: 'bool' as const }, init: false, key: '' } });
  w.storeAmong(opts, (leaf) => value(leaf.name));
}

/** The mask of the processes inside a read-side critical section now. */
function readersNow(r: RcuInfo): string {
  const bits = [];
  for (let p = 0; p < r.processes; p++) bits.push(`(${nest(p)} > 0 -> ${2 ** p} : 0)`);
  return bits.join(' + ') || '0';
}

/** The effect of rcu_read_lock, rcu_read_unlock, call_rcu and rcu_dereference's warning; false for another builtin. */
export function rcuAct(call: { readonly callee: A.Ident; readonly args: readonly A.Expr[] }, env: Env, w: Writer, property: string): boolean {
  const name = call.callee.name;
  if (!['rcu_read_lock', 'rcu_read_unlock', 'call_rcu', 'rcu_dereference'].includes(name)) return false;
  const r = info(env);
  const depth = mine(r, nest);
  switch (name) {
    case 'rcu_read_lock':
      w.check(`${depth} >= ${MAX_NEST}`, 'locking');
      storeMine(r, w, nest, (l) => `${l} + 1`);
      return true;
    case 'rcu_read_unlock': {
      w.check(`${depth} == 0`, 'locking');
      w.line('if');
      w.line(`:: ${depth} == 1 ->`);
      for (let p = 0; p < r.processes; p++) {
        w.writes.add(wait(p));
        w.line(`  ${wait(p)} = ${wait(p)} & ~(1 << ${ME});`);
      }
      w.line(':: else');
      w.line('fi;');
      storeMine(r, w, nest, (l) => `${l} - 1`);
      return true;
    }
    case 'rcu_dereference':
      // A warning: reported, and the step goes on (pan -c0 carries on past the assert).
      w.line('if');
      w.line(`:: ${depth} == 0 -> assert(${w.setup.flag(property)})`);
      w.line(':: else');
      w.line('fi;');
      return true;
    case 'call_rcu': {
      const cb = (call.args[0] as A.Expr & { kind: 'name' }).name;
      const k = r.callbacks.indexOf(cb);
      const exec = r.processes - r.callbacks.length + k;
      // The kernel's "Leaked duplicate callback": a warning, and the call does nothing.
      w.line('if');
      w.line(`:: ${queued(k)} -> assert(${w.setup.flag(property)})`);
      w.line(`:: else -> ${queued(k)} = true; ${wait(exec)} = ${readersNow(r)}`);
      w.line('fi;');
      w.writes.add(queued(k));
      w.writes.add(wait(exec));
      return true;
    }
  }
  return false;
}

/** rcu_dereference(p) gives p. */
export function rcuValue(call: { readonly args: readonly A.Expr[] }, env: Env): ReturnType<typeof compile> {
  return compile(call.args[0]!, env);
}

/** synchronize_rcu(): the step that begins the grace period and the one that waits for its end. */
export function synchronizeSteps(env: Env): { begin: (w: Writer) => void; over: string } {
  const r = info(env);
  return {
    begin: (w) => {
      w.check(`${mine(r, nest)} != 0`, 'locking');
      storeMine(r, w, wait, () => readersNow(r));
    },
    over: `${mine(r, wait)} == 0`,
  };
}

/** An executor's rcu_do_batch: enabled once callback k is queued and its grace period is over; it dequeues it. */
export function doBatch(r: RcuInfo, k: number): { guard: string; run: (w: Writer) => void } {
  const exec = r.processes - r.callbacks.length + k;
  return {
    guard: `${queued(k)} && ${wait(exec)} == 0`,
    run: (w) => { w.writes.add(queued(k)); w.line(`${queued(k)} = false;`); },
  };
}
