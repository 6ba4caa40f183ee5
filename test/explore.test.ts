/**
 * The reference explorer on hand-built IR programs. Every expected count and
 * trace below was worked out by hand from the model's semantics (the
 * comments show how), so a change in the explorer's semantics, successor
 * order or bookkeeping makes a test fail.
 */
import { describe, expect, it } from 'vitest';
import type { Expr, LockMode, Op, Program, Property, Step } from '../src/lower/ir.ts';
import type { Type, Value } from '../src/check/types.ts';
import type { Span } from '../src/text/source.ts';
import { evaluate, Fault, takeStep } from '../src/explore/evaluate.ts';
import { explore } from '../src/explore/reference.ts';
import { initialState, stateKey } from '../src/explore/state.ts';
import type { PropertyVerdict, CheckResult } from '../src/explore/verdict.ts';
import type { Trace } from '../src/explore/trace.ts';

// ---------------------------------------------------------------- IR builders

const BOOL: Type = { kind: 'bool' };
const int = (lo: number, hi: number): Type => ({ kind: 'int', lo, hi });
const MUTEX: Type = { kind: 'lock', lock: 'mutex' };
const RWSEM: Type = { kind: 'lock', lock: 'rwsem' };

const k = (value: Value): Expr => ({ kind: 'const', value });
const g = (index: number): Expr => ({ kind: 'global', index });
const l = (index: number): Expr => ({ kind: 'local', index });
const NOWHERE: Span = { start: 0, end: 0 };
const bin = (op: Extract<Expr, { kind: 'binary' }>['op'], left: Expr, right: Expr, span: Span = NOWHERE): Expr => ({ kind: 'binary', op, left, right, span });
const not = (operand: Expr): Expr => ({ kind: 'unary', op: '!', operand });
const index = (object: Expr, i: Expr, size: number, span: Span = NOWHERE): Expr => ({ kind: 'index', object, index: i, size, span });

const assign = (target: Expr, value: Expr, type: Type, span: Span): Op => ({ kind: 'assign', target, value, type, span });

/** Finds the `nth` whole-word occurrence of `snippet` in `text`: spans point at real source so messages can quote it. */
function spanIn(text: string): (snippet: string, nth?: number) => Span {
  return (snippet, nth = 0) => {
    let start = -1;
    for (let i = 0; i <= nth; i++) {
      // Whole words only: `lock(b)` must not match inside `unlock(b)`.
      do start = text.indexOf(snippet, start + 1);
      while (start > 0 && /\w/.test(text[start - 1]!));
      if (start < 0) throw new Error(`test bug: '${snippet}' (#${nth}) is not in the model text`);
    }
    return { start, end: start + snippet.length };
  };
}

interface VarSpec { name: string; type: Type; init?: Value }
/** One step; by default at pc = its position in the actor, going to the next pc. */
interface StepSpec { label: string; span: Span; guard?: Expr; effect?: Op[]; pc?: number; next?: number }
interface ActorSpec { name: string; count?: number; daemon?: boolean; locals?: VarSpec[]; steps: StepSpec[]; endPc?: number }
interface ModelSpec { text: string; globals?: VarSpec[]; actors: ActorSpec[]; properties?: Property[] }

const lockStep = (label: string, place: Expr, mode: LockMode, span: Span): StepSpec =>
  ({ label, span, guard: { kind: 'canAcquire', lock: place, mode }, effect: [{ kind: 'acquire', lock: place, mode, span }] });
const unlockStep = (label: string, place: Expr, mode: LockMode, span: Span): StepSpec =>
  ({ label, span, effect: [{ kind: 'release', lock: place, mode, span }] });

function varInfo(v: VarSpec) {
  return { name: v.name, type: v.type, init: v.init ?? (v.type.kind === 'int' ? v.type.lo : v.type.kind === 'bool' ? false : 0), span: NOWHERE };
}

/** Declared properties first, then one per distinct assert property, then the built-ins. */
function build(spec: ModelSpec): Program {
  const steps: Step[] = [];
  const asserts: Property[] = [];
  const collectAsserts = (ops: readonly Op[]): void => {
    for (const op of ops) {
      if (op.kind === 'assert' && !asserts.some((p) => p.name === op.property)) asserts.push({ kind: 'assert', name: op.property, span: op.span });
      if (op.kind === 'if') { collectAsserts(op.then); collectAsserts(op.else); }
      if (op.kind === 'choose') op.branches.forEach(collectAsserts);
    }
  };
  const actors = spec.actors.map((a, actor) => {
    const endPc = a.endPc ?? a.steps.length;
    const stepsAt: number[][] = Array.from({ length: endPc + 1 }, () => []);
    a.steps.forEach((s, i) => {
      const pc = s.pc ?? i;
      const step: Step = { id: steps.length, actor, pc, guard: s.guard ?? null, effect: s.effect ?? [], next: s.next ?? pc + 1, label: s.label, labelled: true, callPath: [a.name], span: s.span };
      stepsAt[pc]!.push(step.id);
      steps.push(step);
      collectAsserts(step.effect);
    });
    return { name: a.name, daemon: a.daemon ?? false, count: a.count ?? 1, isArray: a.count !== undefined, symmetric: false, fairness: 'weak' as const, locals: (a.locals ?? []).map(varInfo), pcCount: endPc + 1, endPc, stepsAt, span: NOWHERE };
  });
  const instances = actors.flatMap((a, actor) =>
    Array.from({ length: a.count }, (_, self) => ({ actor, self, name: a.isArray ? `${a.name}[${self}]` : a.name })));
  return {
    model: 'test',
    variant: 'default',
    options: {},
    file: { path: 'test.weft', text: spec.text },
    globals: (spec.globals ?? []).map(varInfo),
    actors,
    instances,
    steps,
    symmetry: [],
    properties: [
      ...(spec.properties ?? []),
      ...asserts,
      { kind: 'deadlock', name: 'deadlock' },
      { kind: 'ranges', name: 'ranges' },
      { kind: 'locking', name: 'locking' },
    ],
  };
}

function verdict(result: CheckResult, name: string): PropertyVerdict {
  const v = result.verdicts.find((x) => x.property === name);
  if (!v) throw new Error(`no verdict for ${name}`);
  return v;
}

/** `inc[0] read`, one per step, with ✗ on a failed one. */
function moves(trace: Trace | undefined): string[] {
  return (trace?.steps ?? []).map((s) => `${s.instanceName} ${s.label}${s.failed ? ' ✗' : ''}`);
}

function counts(result: CheckResult) {
  return { states: result.stats.states, transitions: result.stats.transitions, depth: result.stats.depth, complete: result.complete };
}

// ---------------------------------------------------------------- models

/**
 * Two instances increment a shared counter non-atomically: read it into a
 * local, then write back local + 1 (and count themselves done).
 */
const COUNTER = `
shared counter: 0..3 = 1;
shared done: 0..2;
actor inc[2] {
  var t: 0..3;
  read: t = counter;
  write: atomic { counter = t + 1; done += 1; }
}
invariant no_lost_update: done == 2 -> counter == 3;
reachable lost: done == 2 && counter == 2;
reachable three: counter == 3;
reachable zero: counter == 0;
`;

function counter(counterType: Type = int(0, 3), withProperties = true): Program {
  const S = spanIn(COUNTER);
  const [counterG, doneG] = [g(0), g(1)];
  return build({
    text: COUNTER,
    globals: [{ name: 'counter', type: counterType, init: 1 }, { name: 'done', type: int(0, 2) }],
    actors: [{
      name: 'inc',
      count: 2,
      locals: [{ name: 't', type: counterType }],
      steps: [
        { label: 'read', span: S('read: t = counter;'), effect: [assign(l(0), counterG, counterType, S('t = counter'))] },
        {
          label: 'write',
          span: S('write: atomic'),
          effect: [
            assign(counterG, bin('+', l(0), k(1)), counterType, S('counter = t + 1')),
            assign(doneG, bin('+', doneG, k(1)), int(0, 2), S('done += 1')),
          ],
        },
      ],
    }],
    properties: withProperties ? [
      { kind: 'invariant', name: 'no_lost_update', expr: bin('->', bin('==', doneG, k(2)), bin('==', counterG, k(3))), span: S('invariant no_lost_update: done == 2 -> counter == 3;') },
      { kind: 'reachable', name: 'lost', expr: bin('&&', bin('==', doneG, k(2)), bin('==', counterG, k(2))), span: S('reachable lost: done == 2 && counter == 2;') },
      { kind: 'reachable', name: 'three', expr: bin('==', counterG, k(3)), span: S('reachable three: counter == 3;') },
      { kind: 'reachable', name: 'zero', expr: bin('==', counterG, k(0)), span: S('reachable zero: counter == 0;') },
    ] : [],
  });
}

/** Two mutexes taken in opposite orders. */
const ABBA = `
shared a: mutex;
shared b: mutex;
actor p { lock(a); lock(b); unlock(b); unlock(a); }
actor q { lock(b); lock(a); unlock(a); unlock(b); }
`;

function abba(qIsDaemon = false): Program {
  const S = spanIn(ABBA);
  return build({
    text: ABBA,
    globals: [{ name: 'a', type: MUTEX }, { name: 'b', type: MUTEX }],
    actors: [
      {
        name: 'p',
        steps: [
          lockStep('lock(a)', g(0), 'exclusive', S('lock(a)')),
          lockStep('lock(b)', g(1), 'exclusive', S('lock(b)')),
          unlockStep('unlock(b)', g(1), 'exclusive', S('unlock(b)')),
          unlockStep('unlock(a)', g(0), 'exclusive', S('unlock(a)')),
        ],
      },
      {
        name: 'q',
        daemon: qIsDaemon,
        steps: [
          lockStep('lock(b)', g(1), 'exclusive', S('lock(b)', 1)),
          lockStep('lock(a)', g(0), 'exclusive', S('lock(a)', 1)),
          unlockStep('unlock(a)', g(0), 'exclusive', S('unlock(a)', 1)),
          unlockStep('unlock(b)', g(1), 'exclusive', S('unlock(b)', 1)),
        ],
      },
    ],
  });
}

// ---------------------------------------------------------------- tests

describe('state', () => {
  it('starts every instance at pc 0 with initial values, frozen', () => {
    const s = initialState(counter());
    expect(s).toEqual({ globals: [1, 0], pcs: [0, 0], locals: [[0], [0]] });
    expect(Object.isFrozen(s.locals[1])).toBe(true);
    expect(stateKey(s)).toBe('[[1,0],[0,0],[[0],[0]]]');
  });
});

describe('evaluate', () => {
  const program = counter();
  const state = initialState(program);
  const ev = (e: Expr): Value => evaluate({ program, state, instance: 0, bound: [] }, e);

  it('divides and takes remainders truncating toward zero, like C', () => {
    expect(ev(bin('/', k(-7), k(2)))).toBe(-3);
    expect(ev(bin('%', k(-7), k(2)))).toBe(-1);
    expect(ev(bin('/', k(7), k(-2)))).toBe(-3);
    expect(ev(bin('%', k(7), k(-2)))).toBe(1);
    // -1 / 2 is -0 in JavaScript; states must not distinguish it from 0.
    expect(Object.is(ev(bin('/', k(-1), k(2))), 0)).toBe(true);
  });

  it('short-circuits &&, || and -> so the right side is not evaluated', () => {
    const boom = bin('>', bin('/', k(1), k(0)), k(0));
    expect(ev(bin('&&', k(false), boom))).toBe(false);
    expect(ev(bin('||', k(true), boom))).toBe(true);
    expect(ev(bin('->', k(false), boom))).toBe(true);
    expect(() => ev(bin('->', k(true), boom))).toThrow(Fault);
  });

  it('reports division by zero as a ranges fault quoting the source', () => {
    const text = 'x = 10 / z;';
    const p = { ...program, file: { path: 'd.weft', text } };
    try {
      evaluate({ program: p, state, instance: 0, bound: [] }, bin('/', k(10), k(0), spanIn(text)('10 / z')));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(Fault);
      expect((e as Fault).property).toBe('ranges');
      expect((e as Fault).message).toBe('division by zero (10 / z)');
    }
  });

  it('evaluates quantifiers over their range, conditionals and self', () => {
    const sq: Expr = { kind: 'binary', op: '*', left: { kind: 'bound', depth: 0 }, right: { kind: 'bound', depth: 0 }, span: NOWHERE };
    expect(ev({ kind: 'quant', quantifier: 'exists', depth: 0, lo: 0, hi: 3, body: bin('==', sq, k(9)) })).toBe(true);
    expect(ev({ kind: 'quant', quantifier: 'forall', depth: 0, lo: 0, hi: 3, body: bin('<', sq, k(9)) })).toBe(false);
    // An empty range: forall is vacuously true, exists false.
    expect(ev({ kind: 'quant', quantifier: 'forall', depth: 0, lo: 1, hi: 0, body: k(false) })).toBe(true);
    expect(ev({ kind: 'cond', cond: k(false), then: k(1), else: k(2) })).toBe(2);
    expect(evaluate({ program, state, instance: 1, bound: [] }, { kind: 'self' })).toBe(1);
  });

  it('takeStep records immer patches and moves the pc', () => {
    const [outcome, ...rest] = takeStep(program, state, 1, program.steps[0]!);
    expect(rest).toEqual([]);
    expect(outcome!.kind).toBe('state');
    if (outcome!.kind !== 'state') return;
    expect(outcome!.state).toEqual({ globals: [1, 0], pcs: [0, 1], locals: [[0], [1]] });
    expect(outcome!.patches.map((p) => p.path)).toEqual([['locals', 1, 0], ['pcs', 1]]);
    // The step of the other pc is disabled: no outcome at all.
    expect(takeStep(program, state, 1, program.steps[1]!)).toEqual([]);
  });
});

describe('the counter race', () => {
  /*
   * A state is (counter, pc and t of inc[0], pc and t of inc[1]); done
   * equals the number of instances past `write`, and t is 0 until read.
   * Breadth-first, writing r for read and w for write:
   *   depth 0: c1 00 00                                         1 state
   *   depth 1: c1 1(t1) 0,  c1 0 1(t1)                          2
   *   depth 2: c2 2 0,  c1 1(t1) 1(t1),  c2 0 2                 3
   *   depth 3: c2 2(t1) 1(t2),  c2 2 1(t1),  c2 1(t1) 2,  c2 1(t2) 2(t1)   4
   *   depth 4: c3 2 2 (t1,t2),  c2 2 2 (t1,t1),  c3 2 2 (t2,t1) 3
   * 13 states. Transitions: 2 from depth 0, 4 from depth 1 (the two
   * reads from each), 4 from depth 2 (1 + 2 + 1), 4 from depth 3 (one
   * write each) = 14.
   */
  it('explores exactly 13 states and 14 transitions to depth 4', async () => {
    const result = await explore(counter());
    expect(counts(result)).toEqual({ states: 13, transitions: 14, depth: 4, complete: true });
  });

  it('finds the lost update with the shortest trace: both read, then both write', async () => {
    const result = await explore(counter());
    const v = verdict(result, 'no_lost_update');
    expect(v.status).toBe('violated');
    // The only violating state is c2 with both done (depth 4); BFS first reaches it from
    // "both read" (depth 2, found from inc[0]'s read first), via inc[0]'s then inc[1]'s write.
    expect(moves(v.trace)).toEqual(['inc[0] read', 'inc[1] read', 'inc[0] write', 'inc[1] write']);
    expect(v.trace!.steps.map((s) => s.changes.map((c) => `${c.path}: ${c.before} -> ${c.after}`))).toEqual([
      ['inc[0].t: 0 -> 1'],
      ['inc[1].t: 0 -> 1'],
      ['counter: 1 -> 2', 'done: 0 -> 1'],
      // inc[1] stores 2 over 2: counter does not change, so it is not listed.
      ['done: 1 -> 2'],
    ]);
    expect(v.trace!.failure?.message).toBe('done == 2 -> counter == 3');
    expect(v.trace!.final).toEqual(v.trace!.steps[3]!.state);
  });

  it('decides reachable targets: witnesses are shortest, never-true targets are unreachable', async () => {
    const result = await explore(counter());
    expect(verdict(result, 'lost').status).toBe('reached');
    expect(verdict(result, 'lost').trace!.steps).toHaveLength(4);
    // counter == 3 first appears in depth 4 from the first depth-3 state (inc[0] read and wrote, inc[1] read 2).
    expect(moves(verdict(result, 'three').trace)).toEqual(['inc[0] read', 'inc[0] write', 'inc[1] read', 'inc[1] write']);
    expect(verdict(result, 'three').trace!.failure).toBeUndefined();
    expect(verdict(result, 'zero').status).toBe('unreachable');
    expect(verdict(result, 'deadlock').status).toBe('holds');
    expect(verdict(result, 'ranges').status).toBe('holds');
    expect(verdict(result, 'locking').status).toBe('holds');
  });

  it('gives the same verdicts and traces on every run', async () => {
    const a = await explore(counter());
    const b = await explore(counter());
    const strip = (r: CheckResult) => ({ ...r, stats: { ...r.stats, seconds: 0, statesPerSecond: 0, peakMemoryBytes: 0 } });
    expect(strip(b)).toEqual(strip(a));
  });

  /*
   * With counter: 0..2 the two depth-4 states with counter 3 become range
   * errors: 11 states, 12 transitions. The first error is found expanding
   * the first depth-3 state (inc[0] read and wrote 2, inc[1] read 2).
   */
  it('reports a store out of range as a ranges violation ending with the failing step', async () => {
    const result = await explore(counter(int(0, 2), false));
    expect(counts(result)).toEqual({ states: 11, transitions: 12, depth: 4, complete: true });
    const v = verdict(result, 'ranges');
    expect(v.status).toBe('violated');
    expect(v.message).toBe('value 3 is outside 0..2 (counter = t + 1)');
    expect(moves(v.trace)).toEqual(['inc[0] read', 'inc[0] write', 'inc[1] read', 'inc[1] write ✗']);
    const last = v.trace!.steps[3]!;
    expect(last.changes).toEqual([]);
    expect(last.state).toBe(v.trace!.steps[2]!.state);
    // The failing step counts as enabled, so the state it fails from is not a deadlock.
    expect(verdict(result, 'deadlock').status).toBe('holds');
  });
});

describe('limits', () => {
  it('stops at maxStates with complete: false and undecided verdicts unknown', async () => {
    const result = await explore(counter(), { maxStates: 5 });
    expect(result.complete).toBe(false);
    expect(result.reason).toBe('max-states');
    expect(result.stats.states).toBe(5);
    // Nothing was violated in the first 5 states (depth <= 2), so nothing is decided.
    expect(result.verdicts.map((v) => v.status)).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'unknown', 'unknown', 'unknown']);
  });

  it('completes when the state space fits maxStates exactly', async () => {
    const result = await explore(counter(), { maxStates: 13 });
    expect(result.complete).toBe(true);
    expect(result.reason).toBeUndefined();
  });

  it('an aborted signal interrupts before the first expansion', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await explore(counter(), { signal: controller.signal });
    expect(result.complete).toBe(false);
    expect(result.reason).toBe('interrupted');
    expect(result.stats.states).toBe(1);
  });

  it('a zero time limit stops at the first check', async () => {
    const result = await explore(counter(), { timeLimitSeconds: 0 });
    expect(result.reason).toBe('time-limit');
  });
});

describe('deadlock', () => {
  /*
   * p holds a at pcs 1..3 and b at pc 2; q holds b at pcs 1..3 and a at
   * pc 2. Of the 25 pc pairs, 5 hold a lock twice ((1..3,2) and (2,1..3))
   * and (3,3) cannot be reached (whoever got to 3 first keeps its first
   * lock, so the other cannot pass its pc 2): 19 states. Counting moves:
   * p moves from pc 0 unless q is at 2 (4 states), from 1 only when q is at
   * 0 or 4 (2), from 2 always (2), from 3 always (3): 11; q symmetrically
   * 11: 22 transitions. (4,4) is 8 steps from the start.
   */
  it('counts 19 states, 22 transitions, depth 8', async () => {
    expect(counts(await explore(abba()))).toEqual({ states: 19, transitions: 22, depth: 8, complete: true });
  });

  it('finds the deadlock after p takes a and q takes b, and says where each waits', async () => {
    const v = verdict(await explore(abba()), 'deadlock');
    expect(v.status).toBe('violated');
    expect(moves(v.trace)).toEqual(['p lock(a)', 'q lock(b)']);
    expect(v.trace!.steps.map((s) => s.changes)).toEqual([
      [{ path: 'a', before: 'free', after: 'p' }],
      [{ path: 'b', before: 'free', after: 'q' }],
    ]);
    const blocked = v.trace!.failure!.blocked!;
    expect(blocked.map((b) => [b.instanceName, b.waits.map((w) => w.label)])).toEqual([['p', ['lock(b)']], ['q', ['lock(a)']]]);
    expect(v.message).toBe('no step is enabled, and p, q have not finished');
  });

  it('a blocked daemon does not excuse an unfinished actor', async () => {
    const v = verdict(await explore(abba(true)), 'deadlock');
    expect(v.status).toBe('violated');
    expect(v.message).toBe('no step is enabled, and p has not finished');
  });

  const AWAIT = 'shared flag: bool; await flag;';
  const awaiting = (daemon: boolean) => build({
    text: AWAIT,
    globals: [{ name: 'flag', type: BOOL }],
    actors: [{ name: 'w', daemon, steps: [{ label: 'await flag', span: spanIn(AWAIT)('await flag'), guard: g(0) }] }],
  });

  it('a daemon blocked forever is a valid end; an actor is a deadlock in the initial state', async () => {
    const ok = await explore(awaiting(true));
    expect(verdict(ok, 'deadlock').status).toBe('holds');
    const bad = await explore(awaiting(false));
    expect(verdict(bad, 'deadlock').status).toBe('violated');
    expect(verdict(bad, 'deadlock').trace!.steps).toEqual([]);
    expect(counts(bad)).toEqual({ states: 1, transitions: 0, depth: 0, complete: true });
  });
});

describe('locking', () => {
  const RELOCK = 'shared m: mutex; actor p { lock(m); lock(m); }';
  it('re-locking a held mutex is a locking violation', async () => {
    const S = spanIn(RELOCK);
    const program = build({
      text: RELOCK,
      globals: [{ name: 'm', type: MUTEX }],
      actors: [{ name: 'p', steps: [lockStep('lock(m)', g(0), 'exclusive', S('lock(m)')), lockStep('lock(m)', g(0), 'exclusive', S('lock(m)', 1))] }],
    });
    const result = await explore(program);
    const v = verdict(result, 'locking');
    expect(v.status).toBe('violated');
    expect(v.message).toBe('p re-locks m, which it already holds');
    expect(moves(v.trace)).toEqual(['p lock(m)', 'p lock(m) ✗']);
    // The error has no successor, so p never finishes and the state after the first lock has
    // an enabled (failing) step: 2 states, no deadlock.
    expect(counts(result)).toEqual({ states: 2, transitions: 1, depth: 1, complete: true });
    expect(verdict(result, 'deadlock').status).toBe('holds');
  });

  const UNLOCK = 'shared m: mutex; shared taken: bool; actor p { lock(m); taken = true; } actor q { unlock(m); await taken; unlock(m); }';
  it('unlocking a free mutex, or one held by another instance, is a locking violation', async () => {
    const S = spanIn(UNLOCK);
    const program = (qFirstUnlock: boolean) => build({
      text: UNLOCK,
      globals: [{ name: 'm', type: MUTEX }, { name: 'taken', type: BOOL }],
      actors: [
        { name: 'p', steps: [lockStep('lock(m)', g(0), 'exclusive', S('lock(m)')), { label: 'taken = true', span: S('taken = true'), effect: [assign(g(1), k(true), BOOL, S('taken = true'))] }] },
        {
          name: 'q',
          steps: qFirstUnlock
            ? [unlockStep('unlock(m)', g(0), 'exclusive', S('unlock(m)'))]
            : [{ label: 'await taken', span: S('await taken'), guard: g(1) }, unlockStep('unlock(m)', g(0), 'exclusive', S('unlock(m)', 1))],
        },
      ],
    });
    const free = verdict(await explore(program(true)), 'locking');
    // From the initial state, q's unlock fails at once: a 1-step trace.
    expect(free.message).toBe('q unlocks m, which is free');
    expect(moves(free.trace)).toEqual(['q unlock(m) ✗']);
    const held = verdict(await explore(program(false)), 'locking');
    // q can only unlock after p set taken, i.e. while p holds m: p's two steps, q's await, q's unlock.
    expect(held.message).toBe('q unlocks m, held by p');
    expect(moves(held.trace)).toEqual(['p lock(m)', 'p taken = true', 'q await taken', 'q unlock(m) ✗']);
  });

  const RW = 'shared s: rwsem; actor r[2] { down_read(s); up_read(s); } actor w { down_write(s); up_write(s); }';
  function rw(): Program {
    const S = spanIn(RW);
    return build({
      text: RW,
      globals: [{ name: 's', type: RWSEM }],
      actors: [
        { name: 'r', count: 2, steps: [lockStep('down_read(s)', g(0), 'read', S('down_read(s)')), unlockStep('up_read(s)', g(0), 'read', S('up_read(s)'))] },
        { name: 'w', steps: [lockStep('down_write(s)', g(0), 'write', S('down_write(s)')), unlockStep('up_write(s)', g(0), 'write', S('up_write(s)'))] },
      ],
      // s == 3: both reader bits set (instances 0 and 1).
      properties: [{ kind: 'reachable', name: 'two_readers', expr: bin('==', g(0), k(3)), span: S('shared s: rwsem;') }],
    });
  }

  /*
   * The lock is determined by the pcs (readers at pc 1 hold it for reading,
   * w at pc 1 for writing), so a state is a pc triple with no reader at 1
   * while w is at 1: 27 - 5 = 22 states, all reachable. Transitions: with w
   * at 0 or 2, each reader not at its end moves (6 of 9 states each, so 12
   * per w value, 24), w moves from 0 when no reader is at 1 (4); with w at 1
   * (readers at 0 or 2, 4 states) only w moves (4): 32. (2,2,2) is 6 steps away.
   */
  it('rwsem: readers share, the writer excludes: 22 states, 32 transitions, depth 6', async () => {
    const result = await explore(rw());
    expect(counts(result)).toEqual({ states: 22, transitions: 32, depth: 6, complete: true });
    expect(result.verdicts.filter((v) => v.status !== 'holds').map((v) => v.property)).toEqual(['two_readers']);
    const v = verdict(result, 'two_readers');
    expect(moves(v.trace)).toEqual(['r[0] down_read(s)', 'r[1] down_read(s)']);
    expect(v.trace!.steps.map((s) => s.changes[0])).toEqual([
      { path: 's', before: 'free', after: 'read: r[0]' },
      { path: 's', before: 'read: r[0]', after: 'read: r[0], r[1]' },
    ]);
  });

  const RWBAD = 'shared s: rwsem; actor w { down_write(s); down_read(s); } actor r { up_read(s); }';
  it('rwsem misuse: releasing a free rwsem, re-taking one held for writing', async () => {
    const S = spanIn(RWBAD);
    const result = await explore(build({
      text: RWBAD,
      globals: [{ name: 's', type: RWSEM }],
      actors: [
        { name: 'w', steps: [lockStep('down_write(s)', g(0), 'write', S('down_write(s)')), lockStep('down_read(s)', g(0), 'read', S('down_read(s)'))] },
        { name: 'r', steps: [unlockStep('up_read(s)', g(0), 'read', S('up_read(s)'))] },
      ],
    }));
    // r's up_read fails in the initial state, before w's second step can.
    expect(verdict(result, 'locking').message).toBe('r releases s for reading, which is free');
    const w = takeStep(result.program, { globals: [-1], pcs: [1, 0], locals: [[], []] }, 0, result.program.steps[1]!);
    expect(w).toEqual([{ kind: 'error', property: 'locking', message: 'w takes s for reading, which it already holds for writing', span: S('down_read(s)') }]);
    const r = takeStep(result.program, { globals: [-1], pcs: [1, 0], locals: [[], []] }, 1, result.program.steps[2]!);
    expect(r[0]).toMatchObject({ kind: 'error', message: 'r releases s for reading, which it does not hold for reading (held for writing by w)' });
  });
});

describe('branching effects and faults', () => {
  const PICK = 'shared g: 0..2; actor a { pick g in 0..3; }';
  it('pick gives one successor per value in order and a range error for values outside the type', async () => {
    const S = spanIn(PICK);
    const program = build({
      text: PICK,
      globals: [{ name: 'g', type: int(0, 2) }],
      actors: [{ name: 'a', steps: [{ label: 'pick', span: S('pick g in 0..3'), effect: [{ kind: 'pick', target: g(0), lo: 0, hi: 3, type: int(0, 2), span: S('pick g in 0..3') }] }] }],
    });
    const outcomes = takeStep(program, initialState(program), 0, program.steps[0]!);
    expect(outcomes.map((o) => (o.kind === 'state' ? o.state.globals[0] : o.message))).toEqual([0, 1, 2, 'value 3 is outside 0..2 (pick g in 0..3)']);
    // Initial state plus g = 0, 1, 2 with a finished: 4 states, 3 transitions.
    const result = await explore(program);
    expect(counts(result)).toEqual({ states: 4, transitions: 3, depth: 1, complete: true });
    expect(moves(verdict(result, 'ranges').trace)).toEqual(['a pick ✗']);
  });

  const CHOOSE = 'shared g: 0..2; actor a { choose { g = 1; } or { g = 2; } or { g = 1; } }';
  it('choose gives one successor per branch; equal successors are one state but two transitions', async () => {
    const S = spanIn(CHOOSE);
    const set = (v: number, nth: number): Op[] => [assign(g(0), k(v), int(0, 2), S(`g = ${v}`, nth))];
    const program = build({
      text: CHOOSE,
      globals: [{ name: 'g', type: int(0, 2) }],
      actors: [{ name: 'a', steps: [{ label: 'choose', span: S('choose'), effect: [{ kind: 'choose', branches: [set(1, 0), set(2, 0), set(1, 1)] }] }] }],
    });
    // Initial, g = 1 done, g = 2 done: 3 states; 3 successors generated.
    expect(counts(await explore(program))).toEqual({ states: 3, transitions: 3, depth: 1, complete: true });
  });

  const GUARD = 'shared z: 0..1; actor a { await 10 / z > 0; }';
  it('a guard that divides by zero makes the step fail (and count as enabled)', async () => {
    const S = spanIn(GUARD);
    const program = build({
      text: GUARD,
      globals: [{ name: 'z', type: int(0, 1) }],
      actors: [{ name: 'a', steps: [{ label: 'await', span: S('await 10 / z > 0'), guard: bin('>', bin('/', k(10), g(0), S('10 / z')), k(0)) }] }],
    });
    const result = await explore(program);
    expect(verdict(result, 'ranges').message).toBe('division by zero (10 / z)');
    expect(moves(verdict(result, 'ranges').trace)).toEqual(['a await ✗']);
    expect(verdict(result, 'deadlock').status).toBe('holds');
    expect(counts(result)).toEqual({ states: 1, transitions: 0, depth: 0, complete: true });
  });

  const ARRAY = 'shared arr: bool[3]; shared i: 0..5; actor a { i = 4; arr[i] = true; } invariant none_set: forall k in 0..2: !arr[k];';
  it('an index out of bounds is a ranges violation naming the array', async () => {
    const S = spanIn(ARRAY);
    const arrType: Type = { kind: 'array', element: BOOL, size: 3 };
    const program = (first: number) => build({
      text: ARRAY,
      globals: [{ name: 'arr', type: arrType, init: [false, false, false] }, { name: 'i', type: int(0, 5) }],
      actors: [{
        name: 'a',
        steps: [
          { label: 'i = 4', span: S('i = 4'), effect: [assign(g(1), k(first), int(0, 5), S('i = 4'))] },
          { label: 'arr[i] = true', span: S('arr[i] = true'), effect: [assign(index(g(0), g(1), 3, S('arr[i]')), k(true), BOOL, S('arr[i] = true'))] },
        ],
      }],
      properties: [{
        kind: 'invariant',
        name: 'none_set',
        expr: { kind: 'quant', quantifier: 'forall', depth: 0, lo: 0, hi: 2, body: not(index(g(0), { kind: 'bound', depth: 0 }, 3)) },
        span: S('invariant none_set: forall k in 0..2: !arr[k];'),
      }],
    });
    const bad = await explore(program(4));
    expect(verdict(bad, 'ranges').message).toBe('index 4 is outside 0..2 of arr');
    expect(moves(verdict(bad, 'ranges').trace)).toEqual(['a i = 4', 'a arr[i] = true ✗']);
    expect(verdict(bad, 'none_set').status).toBe('holds');
    const good = await explore(program(1));
    expect(verdict(good, 'ranges').status).toBe('holds');
    const v = verdict(good, 'none_set');
    expect(moves(v.trace)).toEqual(['a i = 4', 'a arr[i] = true']);
    expect(v.trace!.steps[1]!.changes).toEqual([{ path: 'arr[1]', before: 'false', after: 'true' }]);
    expect(v.message).toBe('forall k in 0..2: !arr[k]');
  });

  it('a property that faults (a bad index) is a ranges violation at the state, not a verdict on the property', async () => {
    const text = 'shared arr: bool[3]; shared i: 0..5; actor a { i = 4; } invariant ok: !arr[i];';
    const S = spanIn(text);
    const result = await explore(build({
      text,
      globals: [{ name: 'arr', type: { kind: 'array', element: BOOL, size: 3 }, init: [false, false, false] }, { name: 'i', type: int(0, 5) }],
      actors: [{ name: 'a', steps: [{ label: 'i = 4', span: S('i = 4'), effect: [assign(g(1), k(4), int(0, 5), S('i = 4'))] }] }],
      properties: [{ kind: 'invariant', name: 'ok', expr: not(index(g(0), g(1), 3, S('arr[i]'))), span: S('invariant ok: !arr[i];') }],
    }));
    const v = verdict(result, 'ranges');
    expect(v.message).toBe('index 4 is outside 0..2 of arr (in invariant ok)');
    // The trace leads to the state where the invariant cannot be evaluated; no step failed.
    expect(moves(v.trace)).toEqual(['a i = 4']);
    expect(verdict(result, 'ok').status).toBe('holds');
  });

  it('an invariant false in the initial state is violated by an empty trace', async () => {
    const text = 'shared g: 0..1; invariant one: g == 1;';
    const S = spanIn(text);
    const result = await explore(build({
      text,
      globals: [{ name: 'g', type: int(0, 1) }],
      actors: [],
      properties: [{ kind: 'invariant', name: 'one', expr: bin('==', g(0), k(1)), span: S('invariant one: g == 1;') }],
    }));
    const v = verdict(result, 'one');
    expect(v.status).toBe('violated');
    expect(v.trace!.steps).toEqual([]);
    expect(v.trace!.final).toBe(v.trace!.initial);
    expect(verdict(result, 'deadlock').status).toBe('holds');
  });

  const ASSERT = 'shared g: 0..1; actor a { g = 1; check: assert(g == 0, "g was set"); }';
  it('a failing assert violates its own property with its message', async () => {
    const S = spanIn(ASSERT);
    const result = await explore(build({
      text: ASSERT,
      globals: [{ name: 'g', type: int(0, 1) }],
      actors: [{
        name: 'a',
        steps: [
          { label: 'g = 1', span: S('g = 1'), effect: [assign(g(0), k(1), int(0, 1), S('g = 1'))] },
          { label: 'check', span: S('check:'), effect: [{ kind: 'assert', cond: bin('==', g(0), k(0)), property: 'check', message: 'g was set', span: S('assert(g == 0, "g was set")') }] },
        ],
      }],
    }));
    const v = verdict(result, 'check');
    expect(v).toMatchObject({ kind: 'assert', status: 'violated', message: 'g was set', span: S('assert(g == 0, "g was set")') });
    expect(moves(v.trace)).toEqual(['a g = 1', 'a check ✗']);
  });
});
