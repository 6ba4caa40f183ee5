/**
 * The step structure of an actor body, for the AST oracle, built from
 * docs/language.md's table of what one step is:
 *
 *   - an assignment, `await`, a lock operation, `assert`, `pick`, `skip`
 *     and a whole `atomic {}` are one step each;
 *   - `if` and `while` read their condition in a step of its own, unless
 *     the condition is fixed before the search (options and constants),
 *     which selects code and takes no step;
 *   - `choose` takes no step: its pc offers the first step of each branch
 *     (a branch that begins with a loop or `break`, or is empty, begins
 *     with an implicit `skip` step);
 *   - `loop`, `break`, `continue` (to the loop's head: a `while`'s test),
 *     blocks and calls take no step.
 *
 * A Node is a program counter: control waits there. Compiling a statement
 * in front of the node `k` that follows it gives the node where control
 * is before it; statements that take no step give an existing node (the
 * one after them, a loop's head, the target of a `break`), so a pc is one
 * node however many ways lead to it.
 */
import type * as A from '../../../src/syntax/ast.ts';
import { Unsupported } from './types.ts';
import { compile, fixed, not, type Env } from './expr.ts';
import { callEnv, exec, execAll, guardOf, paramChecks, type Writer } from './effect.ts';
import { callInCondition, conditionAct, isBuiltin, isPure } from './kernel.ts';
import { waitEvent } from './waitq.ts';
import { synchronizeSteps } from './rcu.ts';

export interface Step {
  /**
   * What enables the step; null: always. `def`: evaluating the guard does
   * not fault; when it does, the step is not enabled and, if `fault`, an
   * option of its own reports `ranges` (one per condition read).
   */
  readonly guard: Guard | null;
  /** The effect; null for a step that only moves the pc. */
  readonly run: ((w: Writer) => void) | null;
  readonly next: Node;
  readonly note: string;
  /** Checks made when the step is taken, before its effect: the parameter ranges of the calls it begins. */
  readonly prechecks: ((w: Writer) => void)[];
}

export interface Guard {
  readonly text: string;
  readonly def: string | null;
  readonly fault: boolean;
}

export class Node {
  steps: Step[] | null = null;
  /** A loop head is the node of the loop body's entry, known only after the body is compiled. */
  forward: Node | null = null;
  /** A `choose`: the steps of the branches' entry nodes. */
  union: Node[] | null = null;
  /** The head of a `loop` or `while`: control comes back here. */
  loopHead = false;
}

export function resolve(n: Node): Node {
  const seen = new Set<Node>();
  let x = n;
  while (x.forward) {
    if (seen.has(x)) throw new Unsupported('a loop whose body takes no step');
    seen.add(x);
    x = x.forward;
  }
  return x;
}

/** The steps offered at a node. */
export function stepsOf(n: Node, seen: Set<Node> = new Set()): Step[] {
  const x = resolve(n);
  if (seen.has(x)) throw new Unsupported('a choose that offers itself');
  if (x.union) {
    seen.add(x);
    const out = x.union.flatMap((m) => stepsOf(m, seen));
    seen.delete(x);
    return out;
  }
  return x.steps ?? [];
}

export interface Builder {
  readonly text: (span: A.Stmt['span']) => string;
  /** Every labelled statement compiled, with the node where control is before it: `a@l` is true there. */
  readonly labels: { readonly name: string; readonly node: Node }[];
}

function stepNode(steps: Step[]): Node {
  const n = new Node();
  n.steps = steps;
  return n;
}

/** Where `break` and `continue` of the innermost loop go: after it, and to its head. */
export interface Loop {
  readonly brk: Node;
  readonly cont: Node;
}

export function compileStmts(stmts: readonly A.Stmt[], env: Env, k: Node, lp: Loop | null, b: Builder): Node {
  let next = k;
  for (let i = stmts.length - 1; i >= 0; i--) next = compileStmt(stmts[i]!, env, next, lp, b, null);
  return next;
}

function compileStmt(s: A.Stmt, env: Env, k: Node, lp: Loop | null, b: Builder, label: string | null): Node {
  const note = b.text(s.span);
  const simple = (guard: Step['guard'], run: Step['run']): Node => stepNode([{ guard, run, next: k, note, prechecks: [] }]);
  switch (s.kind) {
    case 'block': return compileStmts(s.stmts, env, k, lp, b);
    case 'labelled': {
      const node = compileStmt(s.stmt, env, k, lp, b, s.label.name);
      b.labels.push({ name: s.label.name, node });
      return node;
    }
    case 'var': throw new Unsupported('a local declared inside a body');
    case 'if': {
      const f = fixed(s.cond, env);
      if (f !== undefined) return f ? compileStmt(s.then, env, k, lp, b, null) : s.else ? compileStmt(s.else, env, k, lp, b, null) : k;
      const c = compile(s.cond, env);
      const t = compileStmt(s.then, env, k, lp, b, null);
      const e = s.else ? compileStmt(s.else, env, k, lp, b, null) : k;
      return stepNode([
        { guard: { text: c.text, def: c.def, fault: true }, run: acts(s.cond, env, label, true), next: t, note: `${note} (true)`, prechecks: [] },
        // The fault of reading the condition is reported once, by the first option.
        { guard: { text: not(c.text), def: c.def, fault: false }, run: acts(s.cond, env, label, false), next: e, note: `${note} (false)`, prechecks: [] },
      ]);
    }
    case 'while': {
      const f = fixed(s.cond, env);
      if (f === false) return k;
      if (f === true) return loop(s.body, env, k, b);
      const head = new Node();
      const c = compile(s.cond, env);
      const body = compileStmt(s.body, env, head, { brk: k, cont: head }, b, null);
      head.loopHead = true;
      head.steps = [
        { guard: { text: c.text, def: c.def, fault: true }, run: acts(s.cond, env, label, true), next: body, note: `${note} (true)`, prechecks: [] },
        { guard: { text: not(c.text), def: c.def, fault: false }, run: acts(s.cond, env, label, false), next: k, note: `${note} (false)`, prechecks: [] },
      ];
      return head;
    }
    case 'loop': return loop(s.body, env, k, b);
    case 'break':
      if (!lp) throw new Error('internal error: break outside a loop');
      return lp.brk;
    case 'continue':
      if (!lp) throw new Error('internal error: continue outside a loop');
      return lp.cont;
    // The checker unrolls every `for` before this oracle reads the checked AST, so
    // it cannot see a bug of the unrolling (test/unroll.test.ts compares hand-written copies).
    case 'for': throw new Error('internal error: a for that the checker did not unroll');
    case 'await': {
      const c = compile(s.cond, env);
      return simple({ text: c.text, def: c.def, fault: true }, null);
    }
    case 'lockop': return simple(guarded(guardOf([s], env)), (w) => exec(s, env, w, null));
    case 'atomic': return simple(guarded(guardOf(s.body.stmts, env)), (w) => execAll(s.body.stmts, env, w));
    case 'assert': case 'skip': case 'assign': case 'pick':
      return simple(null, (w) => exec(s, env, w, label));
    case 'choose': {
      const n = new Node();
      n.union = s.branches.map((br) => {
        const entry = compileStmts(br.stmts, env, k, lp, b);
        return beginsWithControl(entry, k, lp) ? stepNode([{ guard: null, run: null, next: entry, note: `${b.text(br.span)} (implicit skip)`, prechecks: [] }]) : entry;
      });
      return n;
    }
    case 'call': {
      // wait_event is the kernel's macro, several steps (waitq.ts); any other kernel builtin is one step (kernel.ts).
      if (s.callee.name === 'wait_event') return waitEvent(s, env, k, note);
      // synchronize_rcu() is two steps: its grace period begins, then it is over (rcu.ts).
      if (s.callee.name === 'synchronize_rcu' && !env.ctx.fns.has(s.callee.name)) {
        const sync = synchronizeSteps(env);
        const over = stepNode([{ guard: { text: sync.over, def: null, fault: false }, run: null, next: k, note: `${note} (grace period over)`, prechecks: [] }]);
        return stepNode([{ guard: null, run: sync.begin, next: over, note, prechecks: [] }]);
      }
      // A kernel builtin is one step (kernel.ts).
      if (isBuiltin(s.callee.name)) return simple(guarded(guardOf([s], env)), (w) => exec(s, env, w, label));
      const c = callEnv(s, env);
      // A `break` in a fn leaves a loop of the fn: the checker allows no other.
      const entry = compileStmts(c.body, c.env, k, null, b);
      // The arguments are checked by each step the body can start with; a body without steps checks none.
      const checks = paramChecks(s, env);
      if (checks && resolve(entry) !== resolve(k)) for (const st of stepsOf(entry)) st.prechecks.push(checks);
      return entry;
    }
  }
}

/** The step of a condition that holds a builtin does what the builtin does, in each branch. */
function acts(cond: A.Expr, env: Env, label: string | null, branch: boolean): Step['run'] {
  const call = callInCondition(cond);
  if (!call || !isBuiltin(call.callee.name) || isPure(call.callee.name)) return null;
  return (w) => conditionAct(cond, env, w, label ?? 'warnings', branch);
}

function guarded(g: { text: string; def: string | null } | null): Guard | null {
  return g && { ...g, fault: true };
}

function loop(body: A.Stmt, env: Env, k: Node, b: Builder): Node {
  const head = new Node();
  const entry = compileStmt(body, env, head, { brk: k, cont: head }, b, null);
  if (resolve(entry) === head) {
    // A loop whose body takes no step (`loop {}`, or only fixed conditions): control stays there for
    // ever, a pc with no step, as Weft has it (a deadlock unless the actor is a daemon).
    head.steps = [];
    head.loopHead = true;
    return head;
  }
  head.forward = entry;
  resolve(entry).loopHead = true;
  return entry;
}

/**
 * A choose branch that begins with a loop or `break`, or is empty, starts
 * with an implicit skip, so that the loop does not come back to the
 * choice. "Begins" is what runs first, through blocks, calls and fixed
 * conditions: the branch's entry is a loop's head (`loop` or `while`), or
 * the branch has no step of its own (its entry is what follows it, or a
 * `break`'s or `continue`'s target).
 */
function beginsWithControl(entry: Node, k: Node, lp: Loop | null): boolean {
  const e = resolve(entry);
  return e.loopHead || e === resolve(k) || (lp !== null && (e === resolve(lp.brk) || e === resolve(lp.cont)));
}
