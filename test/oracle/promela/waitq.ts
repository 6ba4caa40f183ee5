/**
 * Wait queues and completions for the AST oracle, from docs/language.md
 * ("Wait queues", "Completions") and the kernel's include/linux/wait.h and
 * kernel/sched/completion.c, not from src/lower/waitq.ts.
 *
 * A wait queue is flattened like any variable (types.ts): one bool leaf
 * per actor instance, in instance order, so instance `_pid`'s entry is the
 * leaf at its index. prepare_to_wait sets it, finish_wait clears it,
 * wake_up clears every entry, schedule() waits until the running instance
 * is on no queue. wait_event(wq, cond) is the kernel's macro, a node per
 * part (`waitEvent`): if (cond) done; loop { prepare_to_wait; if (cond)
 * break; schedule(); } finish_wait.
 *
 * A completion is its count, 0..MAX, or ALL after complete_all (the
 * kernel's UINT_MAX); complete() past MAX is a `ranges` violation.
 */
import type * as A from '../../../src/syntax/ast.ts';
import type { Type } from '../../../src/check/types.ts';
import type { PathStep, Root } from './types.ts';
import { and, compile, fixed, not, type Env } from './expr.ts';
import { candidates, leafAt, resolvePlace, type Place } from './places.ts';
import { ME, type Writer } from './effect.ts';
import { Node, type Step } from './stmt.ts';

/** docs/language.md, "Completions": a completion counts to 3; complete_all makes it "all", stored as 4. */
const MAX = 3;
const ALL = 4;

type Call = { readonly callee: A.Ident; readonly args: readonly A.Expr[]; readonly span: A.Expr['span'] };

const QUEUE_OPS = new Set(['prepare_to_wait', 'finish_wait', 'wake_up', 'wake_up_all', 'schedule']);

function isQueue(t: Type): t is Type & { kind: 'array' } {
  return t.kind === 'array' && t.waitQueue === true;
}

/** The entry of instance `k` in each queue a place may name, with the condition that selects the queue. */
function entries(p: Place, k: number): { cond: string | null; leaf: string }[] {
  return candidates(p).map((c) => ({ cond: c.cond, leaf: leafAt(p.root, [...c.path, { kind: 'index', index: k }]).name }));
}

function sizeOf(p: Place): number {
  if (!isQueue(p.type)) throw new Error('internal error: not a wait queue');
  return p.type.size;
}

/** Sets entries of a queue: the running instance's, or (`everyone`) every instance's. */
function setEntries(p: Place, on: boolean, everyone: boolean, w: Writer): void {
  w.checkDef(p.def);
  const opts: { cond: string | null; leaf: string }[] = [];
  for (let k = 0; k < sizeOf(p); k++) {
    // _pid is the running instance's index among all instances.
    for (const e of entries(p, k)) opts.push({ cond: everyone ? e.cond : and(`${ME} == ${k}`, e.cond), leaf: e.leaf });
  }
  const value = on ? 'true' : 'false';
  for (const o of opts) w.writes.add(o.leaf);
  const always = opts.filter((o) => o.cond === null);
  for (const o of always) w.line(`${o.leaf} = ${value};`);
  const some = opts.filter((o) => o.cond !== null);
  if (some.length === 0) return;
  if (everyone) {
    // Each entry of the queue the place selects.
    for (const o of some) w.branches([`(${o.cond})`, 'else'], (i) => { if (i === 0) w.line(`${o.leaf} = ${value};`); });
    return;
  }
  w.branches([...some.map((o) => `(${o.cond})`), 'else'], (i) => { if (i < some.length) w.line(`${some[i]!.leaf} = ${value};`); });
}

/** Every wait queue leaf of the model's shared variables, by instance: `byInstance[k]` are instance k's entries. */
function allEntries(globals: readonly Root[]): string[][] {
  const out: string[][] = [];
  const walk = (root: Root, t: Type, path: PathStep[]): void => {
    if (isQueue(t)) {
      for (let k = 0; k < t.size; k++) (out[k] ??= []).push(leafAt(root, [...path, { kind: 'index', index: k }]).name);
      return;
    }
    if (t.kind === 'array') for (let i = 0; i < t.size; i++) walk(root, t.element, [...path, { kind: 'index', index: i }]);
    if (t.kind === 'struct') for (const f of t.fields) walk(root, f.type, [...path, { kind: 'field', name: f.name }]);
  };
  for (const g of globals) walk(g, g.type, []);
  return out;
}

/** schedule()'s guard: the running instance is on no queue; null when the model has no queue. */
function awake(env: Env): { text: string; def: string | null } | null {
  const byInstance = allEntries(env.globals);
  if (byInstance.length === 0) return null;
  const asleep = byInstance.map((leaves, k) => `(${ME} == ${k} && (${leaves.join(' || ')}))`);
  return { text: `!(${asleep.join(' || ')})`, def: null };
}

const n = (v: number, span: A.Expr['span']): A.Expr => ({ kind: 'number', value: v, span });
const op = (o: A.BinaryOp, l: A.Expr, r: A.Expr): A.Expr => ({ kind: 'binary', op: o, left: l, right: r, span: l.span });
const ifte = (c: A.Expr, t: A.Expr, e: A.Expr): A.Expr => ({ kind: 'cond', cond: c, then: t, else: e, span: c.span });

/** What a completion builtin stores into its completion; null for the others. */
export function completionStore(call: Call): { target: A.Expr; value: A.Expr } | null {
  const c = call.args[0];
  if (!c) return null;
  const s = call.span;
  const isAll = op('==', c, n(ALL, s));
  switch (call.callee.name) {
    case 'wait_for_completion': return { target: c, value: ifte(isAll, c, op('-', c, n(1, s))) };
    case 'try_wait_for_completion': return { target: c, value: ifte(op('==', c, n(0, s)), c, ifte(isAll, c, op('-', c, n(1, s)))) };
    case 'complete': return { target: c, value: ifte(isAll, c, op('+', c, n(1, s))) };
    case 'complete_all': return { target: c, value: n(ALL, s) };
    case 'reinit_completion': return { target: c, value: n(0, s) };
    default: return null;
  }
}

/** The value of try_wait_for_completion and completion_done: the count is not 0; undefined for other builtins. */
export function completionValue(call: Call, env: Env): ReturnType<typeof compile> | undefined {
  if (call.callee.name !== 'try_wait_for_completion' && call.callee.name !== 'completion_done') return undefined;
  return compile(op('!=', call.args[0]!, n(0, call.span)), env);
}

/** complete() past MAX: a ranges violation (before the store). */
export function completionCheck(call: Call, env: Env, w: Writer): void {
  if (call.callee.name !== 'complete') return;
  const c = compile(call.args[0]!, env);
  w.checkDef(c.def);
  w.check(`(${c.text} != ${ALL} && ${c.text} + 1 > ${MAX})`, 'ranges');
}

/** The guard of schedule() and wait_for_completion(c); undefined for other builtins. */
export function waitGuard(call: Call, env: Env): { text: string; def: string | null } | null | undefined {
  if (call.callee.name === 'schedule') return awake(env);
  if (call.callee.name !== 'wait_for_completion') return undefined;
  const c = compile(call.args[0]!, env);
  return { text: `(${c.text} != 0)`, def: c.def };
}

/** What a wait-queue builtin does; false for any other builtin. */
export function queueAct(call: Call, env: Env, w: Writer): boolean {
  const name = call.callee.name;
  if (!QUEUE_OPS.has(name)) return false;
  if (name === 'schedule') return true;
  const p = resolvePlace(call.args[0]!, env);
  setEntries(p, name === 'prepare_to_wait', name === 'wake_up' || name === 'wake_up_all', w);
  return true;
}

/** wait_event(wq, cond) in front of node `k`, as nodes of stmt.ts. */
export function waitEvent(call: Call, env: Env, k: Node, note: string): Node {
  const f = fixed(call.args[1]!, env);
  if (f === true) return k;
  const q = call.args[0]!;
  const node = (steps: Omit<Step, 'prechecks'>[]): Node => {
    const x = new Node();
    x.steps = steps.map((st) => ({ ...st, prechecks: [] }));
    return x;
  };
  const test = (yes: Node, no: Node, what: string): Node => {
    const c = compile(call.args[1]!, env);
    return node([
      { guard: { text: c.text, def: c.def, fault: true }, run: null, next: yes, note: `${note}: ${what} (true)` },
      { guard: { text: not(c.text), def: c.def, fault: false }, run: null, next: no, note: `${note}: ${what} (false)` },
    ]);
  };
  const head = new Node();
  const g = awake(env);
  const sleep = node([{ guard: g && { ...g, fault: true }, run: null, next: head, note: `${note}: schedule()` }]);
  const finish = node([{ guard: null, run: (w) => setEntries(resolvePlace(q, env), false, false, w), next: k, note: `${note}: finish_wait` }]);
  const recheck = f === false ? sleep : test(finish, sleep, 'recheck');
  head.steps = [{ guard: null, run: (w) => setEntries(resolvePlace(q, env), true, false, w), next: recheck, note: `${note}: prepare_to_wait`, prechecks: [] }];
  // Control comes back to the prepare_to_wait: a choose branch that begins here begins with a loop.
  head.loopHead = true;
  return f === false ? head : test(k, head, 'check');
}
