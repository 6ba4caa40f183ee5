/**
 * The text and JSON reports and value rendering, on results of the
 * reference explorer for hand-built IR programs. Counts and traces were
 * derived by hand (see the comments); the layout is pinned exactly, since
 * golden files and proofs depend on it being deterministic.
 */
import { describe, expect, it } from 'vitest';
import type { Expr, LockMode, Op, Program, Property, Step } from '../src/lower/ir.ts';
import type { StructType, Type, Value } from '../src/check/types.ts';
import type { Span } from '../src/text/source.ts';
import { explore } from '../src/explore/reference.ts';
import type { CheckResult, PropertyVerdict } from '../src/explore/verdict.ts';
import { formatResult, formatStats, formatTrace } from '../src/report/text.ts';
import { toJson } from '../src/report/json.ts';
import { formatValue, jsonValue } from '../src/report/values.ts';

// ---------------------------------------------------------------- IR builders

const BOOL: Type = { kind: 'bool' };
const MUTEX: Type = { kind: 'lock', lock: 'mutex' };
const RWSEM: Type = { kind: 'lock', lock: 'rwsem' };
const NOWHERE: Span = { start: 0, end: 0 };
const k = (value: Value): Expr => ({ kind: 'const', value });
const g = (index: number): Expr => ({ kind: 'global', index });
const field = (object: Expr, f: number): Expr => ({ kind: 'field', object, field: f });
const bin = (op: Extract<Expr, { kind: 'binary' }>['op'], left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right, span: NOWHERE });

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

interface StepSpec { label: string; span: Span; guard?: Expr; effect?: Op[]; next?: number; callPath?: string[] }
interface ActorSpec { name: string; count?: number; daemon?: boolean; steps: StepSpec[] }

/** Steps run in sequence (pc i to i + 1 unless `next` says otherwise); properties get the built-ins appended. */
function build(path: string, text: string, globals: { name: string; type: Type; init: Value }[], actorSpecs: ActorSpec[], declared: Property[]): Program {
  const steps: Step[] = [];
  const actors = actorSpecs.map((a, actor) => {
    const stepsAt = a.steps.map((s, pc) => {
      steps.push({ id: steps.length, actor, pc, guard: s.guard ?? null, effect: s.effect ?? [], next: s.next ?? pc + 1, label: s.label, labelled: true, callPath: s.callPath ?? [a.name], span: s.span });
      return [steps.length - 1];
    });
    return { name: a.name, daemon: a.daemon ?? false, count: a.count ?? 1, isArray: a.count !== undefined, symmetric: false, fairness: 'weak' as const, locals: [], pcCount: a.steps.length + 1, endPc: a.steps.length, stepsAt: [...stepsAt, []], span: NOWHERE };
  });
  return {
    model: 'test',
    variant: 'default',
    options: { reclaim_skips_pinned: false },
    file: { path, text },
    globals: globals.map((v) => ({ ...v, span: NOWHERE })),
    actors,
    instances: actors.flatMap((a, actor) => Array.from({ length: a.count }, (_, self) => ({ actor, self, name: a.isArray ? `${a.name}[${self}]` : a.name }))),
    steps,
    symmetry: [],
    properties: [...declared, { kind: 'deadlock', name: 'deadlock' }, { kind: 'ranges', name: 'ranges' }, { kind: 'locking', name: 'locking' }],
  };
}

const lockStep = (label: string, place: Expr, mode: LockMode, span: Span, callPath?: string[]): StepSpec =>
  ({ label, span, guard: { kind: 'canAcquire', lock: place, mode }, effect: [{ kind: 'acquire', lock: place, mode, span }], ...(callPath ? { callPath } : {}) });
const unlockStep = (label: string, place: Expr, mode: LockMode, span: Span, callPath?: string[]): StepSpec =>
  ({ label, span, effect: [{ kind: 'release', lock: place, mode, span }], ...(callPath ? { callPath } : {}) });

function verdict(result: CheckResult, name: string): PropertyVerdict {
  const v = result.verdicts.find((x) => x.property === name);
  if (!v) throw new Error(`no verdict for ${name}`);
  return v;
}

// ---------------------------------------------------------------- models

const GUP = `model gup;
enum Pte { none, ro, rw }
struct Folio { lock: mutex; dirty: bool; buffers: bool; pins: 0..2; }
shared folio: Folio = { dirty: false, buffers: false, pins: 0 };
shared pte: Pte = none;
fn page_mkwrite() {
  lock(folio.lock);
  attach: atomic { folio.buffers = true; folio.dirty = true; }
  unlock(folio.lock);
}
actor pinner {
  page_mkwrite();
  map: pte = rw;
  pin: folio.pins += 1;
  drop: folio.buffers = false;
}
daemon writeback {
  loop { await folio.dirty; clean: folio.dirty = false; }
}
invariant pin_keeps_fs_data: folio.pins > 0 -> folio.buffers;
reachable clean_and_pinned: folio.pins > 0 && !folio.dirty;
`;

const PTE: Type = { kind: 'enum', name: 'Pte', members: ['none', 'ro', 'rw'] };
const PINS: Type = { kind: 'int', lo: 0, hi: 2 };
const FOLIO: StructType = {
  kind: 'struct',
  name: 'Folio',
  fields: [{ name: 'lock', type: MUTEX }, { name: 'dirty', type: BOOL }, { name: 'buffers', type: BOOL }, { name: 'pins', type: PINS }],
};

function gup(): Program {
  const S = spanIn(GUP);
  const folio = g(0);
  const [lock, dirty, buffers, pins] = [field(folio, 0), field(folio, 1), field(folio, 2), field(folio, 3)];
  const inFn = ['pinner', 'page_mkwrite'];
  const set = (place: Expr, value: Expr, type: Type, snippet: string): Op => ({ kind: 'assign', target: place, value, type, span: S(snippet) });
  return build('gup.weft', GUP, [{ name: 'folio', type: FOLIO, init: [0, false, false, 0] }, { name: 'pte', type: PTE, init: 0 }], [
    {
      name: 'pinner',
      steps: [
        lockStep('lock(folio.lock)', lock, 'exclusive', S('lock(folio.lock)'), inFn),
        { label: 'attach', span: S('attach: atomic'), callPath: inFn, effect: [set(buffers, k(true), BOOL, 'folio.buffers = true'), set(dirty, k(true), BOOL, 'folio.dirty = true')] },
        unlockStep('unlock(folio.lock)', lock, 'exclusive', S('unlock(folio.lock)'), inFn),
        { label: 'map', span: S('map: pte = rw'), effect: [set(g(1), k(2), PTE, 'pte = rw')] },
        { label: 'pin', span: S('pin: folio.pins += 1'), effect: [set(pins, bin('+', pins, k(1)), PINS, 'folio.pins += 1')] },
        { label: 'drop', span: S('drop: folio.buffers = false'), effect: [set(buffers, k(false), BOOL, 'folio.buffers = false')] },
      ],
    },
    {
      name: 'writeback',
      daemon: true,
      steps: [
        { label: 'await folio.dirty', span: S('await folio.dirty'), guard: dirty },
        { label: 'clean', span: S('clean: folio.dirty = false'), effect: [set(dirty, k(false), BOOL, 'folio.dirty = false')], next: 0 },
      ],
    },
  ], [
    { kind: 'invariant', name: 'pin_keeps_fs_data', expr: bin('->', bin('>', pins, k(0)), buffers), span: S('invariant pin_keeps_fs_data: folio.pins > 0 -> folio.buffers;') },
    { kind: 'reachable', name: 'clean_and_pinned', expr: bin('&&', bin('>', pins, k(0)), { kind: 'unary', op: '!', operand: dirty }), span: S('reachable clean_and_pinned: folio.pins > 0 && !folio.dirty;') },
  ]);
}

const ABBA = `shared a: mutex;
shared b: mutex;
actor p { lock(a); lock(b); unlock(b); unlock(a); }
actor q { lock(b); lock(a); unlock(a); unlock(b); }
`;

function abba(): Program {
  const S = spanIn(ABBA);
  const steps = (first: number, second: number, nth: number): StepSpec[] => {
    const [x, y] = [first === 0 ? 'a' : 'b', second === 0 ? 'a' : 'b'];
    return [
      lockStep(`lock(${x})`, g(first), 'exclusive', S(`lock(${x})`, nth)),
      lockStep(`lock(${y})`, g(second), 'exclusive', S(`lock(${y})`, nth)),
      unlockStep(`unlock(${y})`, g(second), 'exclusive', S(`unlock(${y})`, nth)),
      unlockStep(`unlock(${x})`, g(first), 'exclusive', S(`unlock(${x})`, nth)),
    ];
  };
  return build('abba.weft', ABBA, [{ name: 'a', type: MUTEX, init: 0 }, { name: 'b', type: MUTEX, init: 0 }], [
    { name: 'p', steps: steps(0, 1, 0) },
    { name: 'q', steps: steps(1, 0, 1) },
  ], []);
}

// ---------------------------------------------------------------- tests

describe('values', () => {
  const program = build('v.weft', '', [], [{ name: 'r', count: 2, steps: [] }, { name: 'w', steps: [] }], []);
  it('renders every type by its declaration', () => {
    expect(formatValue(BOOL, true, program)).toBe('true');
    expect(formatValue(PINS, 2, program)).toBe('2');
    expect(formatValue(PTE, 2, program)).toBe('rw');
    expect(formatValue(FOLIO, [2, true, false, 1], program)).toBe('{lock: r[1], dirty: true, buffers: false, pins: 1}');
    expect(formatValue({ kind: 'array', element: MUTEX, size: 3 }, [0, 1, 3], program)).toBe('[free, r[0], w]');
  });

  it('renders an rwsem as free, its readers (bit i = instance i) or its writer', () => {
    expect(formatValue(RWSEM, 0, program)).toBe('free');
    expect(formatValue(RWSEM, 0b11, program)).toBe('read: r[0], r[1]');
    expect(formatValue(RWSEM, 0b10, program)).toBe('read: r[1]');
    expect(formatValue(RWSEM, -3, program)).toBe('write: w');
  });

  it('gives JSON values: structs as objects, enums and locks as text', () => {
    expect(jsonValue(FOLIO, [1, true, false, 1], program)).toEqual({ lock: 'r[0]', dirty: true, buffers: false, pins: 1 });
    expect(jsonValue({ kind: 'array', element: PTE, size: 2 }, [0, 2], program)).toEqual(['none', 'rw']);
  });
});

/*
 * The gup model. Only pinner changes buffers, pins, pte and the lock, so a
 * state is (pinner pc p, writeback pc w, dirty). Before attach (p = 0, 1)
 * dirty is false and writeback waits: 2 states. From p = 2 on, (w, dirty)
 * is (0, true), (1, true) or (0, false) (writeback only reaches pc 1 while
 * dirty, and leaves it cleaning): 3 states for each of p = 2..6, 15. In
 * all 17. Transitions: 2 for p = 0, 1; for p = 2..5 pinner moves in all 3
 * states and writeback in 2 (12 + 8); for p = 6 writeback's 2: 24. The
 * farthest state (p 6, clean) takes 6 + 2 = 8 steps. pins > 0 and not
 * buffers holds exactly at p = 6, first reached by pinner's 6 steps alone;
 * pins > 0 and clean needs pinner's first 5 and writeback's 2: 7 steps.
 */
describe('text report', () => {
  it('prints one line per property, the counts, then each violation', async () => {
    const result = await explore(gup());
    expect(formatResult(result, { stats: false })).toBe(`gup.weft, variant default
  invariant  pin_keeps_fs_data        violated after 6 steps
  reachable  clean_and_pinned         reached in 7 steps
  deadlock   deadlock                 holds
  builtin    ranges                   holds
  builtin    locking                  holds
17 states, 24 transitions, depth 8

invariant pin_keeps_fs_data violated after 6 steps:
  pinner
    #1  lock(folio.lock)    page_mkwrite  gup.weft:7
        folio.lock: free -> pinner
    #2  attach              page_mkwrite  gup.weft:8
        folio.buffers: false -> true
        folio.dirty: false -> true
    #3  unlock(folio.lock)  page_mkwrite  gup.weft:9
        folio.lock: pinner -> free
    #4  map                               gup.weft:13
        pte: none -> rw
    #5  pin                               gup.weft:14
        folio.pins: 0 -> 1
    #6  drop                              gup.weft:15
        folio.buffers: true -> false
  ✗ invariant pin_keeps_fs_data: folio.pins > 0 -> folio.buffers   gup.weft:20
`);
  });

  it('prints a reached witness on request, with the target it reaches', async () => {
    const result = await explore(gup());
    const text = formatTrace(result, verdict(result, 'clean_and_pinned'));
    const lines = text.split('\n');
    expect(lines[0]).toBe('reachable clean_and_pinned reached after 7 steps:');
    expect(lines[lines.length - 1]).toBe('  ✓ reachable clean_and_pinned: folio.pins > 0 && !folio.dirty   gup.weft:21');
    expect(formatResult(result, { stats: false, witnesses: true })).toContain(text);
    expect(formatResult(result, { stats: false, traces: false })).not.toContain('#1');
  });

  it('prints a deadlock with the place each unfinished instance waits at', async () => {
    const result = await explore(abba());
    // p takes a, q takes b (see test/explore.test.ts for the search order).
    expect(formatTrace(result, verdict(result, 'deadlock'))).toBe(`deadlock after 2 steps:
  p
    #1  lock(a)  abba.weft:3
        a: free -> p
  q
    #2  lock(b)  abba.weft:4
        b: free -> q
  ✗ deadlock: no step is enabled, and p, q have not finished
      p  waits at lock(b)  abba.weft:3
      q  waits at lock(a)  abba.weft:4`);
  });

  it('says "in the initial state" for a violation before any step', async () => {
    const text = 'shared x: bool;\ninvariant set: x;\n';
    const program = build('init.weft', text, [{ name: 'x', type: BOOL, init: false }], [], [
      { kind: 'invariant', name: 'set', expr: g(0), span: spanIn(text)('invariant set: x;') },
    ]);
    const result = await explore(program);
    expect(formatResult(result, { stats: false })).toBe(`init.weft, variant default
  invariant  set                      violated in the initial state
  deadlock   deadlock                 holds
  builtin    ranges                   holds
  builtin    locking                  holds
1 state, 0 transitions, depth 0

invariant set violated in the initial state:
  ✗ invariant set: x   init.weft:2
`);
  });

  it('marks an incomplete search and its undecided verdicts', async () => {
    const result = await explore(gup(), { maxStates: 3 });
    const text = formatResult(result, { stats: false });
    expect(text).toContain('  invariant  pin_keeps_fs_data        unknown\n');
    expect(text).toContain('3 states, ');
    expect(text).toContain('search incomplete: the state limit was reached; verdicts marked unknown were not decided');
  });

  it('formats statistics with locale-independent separators', () => {
    const stats = { states: 1234, transitions: 2345, depth: 17, seconds: 0.05, statesPerSecond: 24680, peakMemoryBytes: 61 * 2 ** 20, storeBytes: null };
    expect(formatStats(stats)).toBe('1,234 states, 2,345 transitions, depth 17, 0.05 s, 24,680 states/s, 61 MB');
    expect(formatStats(stats, false)).toBe('1,234 states, 2,345 transitions, depth 17');
    expect(formatStats({ ...stats, states: 1234567 }, false)).toBe('1,234,567 states, 2,345 transitions, depth 17');
    // The compiled engine also says how much its state store holds.
    expect(formatStats({ ...stats, storeBytes: 1234 * 40 })).toBe('1,234 states, 2,345 transitions, depth 17, 0.05 s, 24,680 states/s, 61 MB (store 0 MB, 40 B/state)');
  });
});

describe('JSON report', () => {
  it('has a stable key order and every field present', async () => {
    const json = toJson(await explore(gup())) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['schema', 'model', 'file', 'variant', 'options', 'complete', 'reason', 'reduction', 'stats', 'verdicts', 'coverage']);
    expect(json).toMatchObject({ schema: 1, model: 'test', file: 'gup.weft', variant: 'default', options: { reclaim_skips_pinned: false }, complete: true, reason: null });
    expect(json.stats).toMatchObject({ states: 17, transitions: 24, depth: 8 });
    const verdicts = json.verdicts as Record<string, unknown>[];
    expect(verdicts.map((v) => [v.property, v.status])).toEqual([
      ['pin_keeps_fs_data', 'violated'], ['clean_and_pinned', 'reached'], ['deadlock', 'holds'], ['ranges', 'holds'], ['locking', 'holds'],
    ]);
    expect(Object.keys(verdicts[0]!)).toEqual(['property', 'kind', 'status', 'message', 'file', 'line', 'column', 'trace']);
    expect(verdicts[2]).toEqual({ property: 'deadlock', kind: 'deadlock', status: 'holds', message: null, file: null, line: null, column: null, trace: null });
  });

  it('renders each step with its changes and the whole state after it, by name', async () => {
    const json = toJson(await explore(gup())) as { verdicts: { trace: { length: number; steps: unknown[]; failure: unknown; initial: unknown } }[] };
    const trace = json.verdicts[0]!.trace;
    expect(trace.length).toBe(6);
    expect(trace.initial).toEqual({
      shared: { folio: { lock: 'free', dirty: false, buffers: false, pins: 0 }, pte: 'none' },
      instances: { pinner: { pc: 0, finished: false, locals: {} }, writeback: { pc: 0, finished: false, locals: {} } },
    });
    expect(trace.steps[1]).toEqual({
      number: 2,
      instance: 'pinner',
      stepId: 1,
      label: 'attach',
      callPath: ['pinner', 'page_mkwrite'],
      file: 'gup.weft',
      line: 8,
      column: 3,
      failed: false,
      condition: null,
      reads: [],
      changes: [{ path: 'folio.buffers', before: 'false', after: 'true' }, { path: 'folio.dirty', before: 'false', after: 'true' }],
      state: {
        shared: { folio: { lock: 'pinner', dirty: true, buffers: true, pins: 0 }, pte: 'none' },
        instances: { pinner: { pc: 2, finished: false, locals: {} }, writeback: { pc: 0, finished: false, locals: {} } },
      },
    });
    expect(trace.failure).toEqual({ message: 'folio.pins > 0 -> folio.buffers', file: 'gup.weft', line: 20, column: 1, blocked: null });
  });

  it('leaves out time, rate and memory with stats: false, so the output is reproducible', async () => {
    const result = await explore(gup());
    const json = toJson(result, { stats: false }) as { stats: unknown };
    expect(json.stats).toEqual({ states: 17, transitions: 24, depth: 8, seconds: null, statesPerSecond: null, peakMemoryBytes: null, storeBytes: null });
    expect(JSON.stringify(toJson(await explore(gup()), { stats: false }))).toBe(JSON.stringify(toJson(result, { stats: false })));
  });

  it('lists the blocked instances of a deadlock', async () => {
    const json = toJson(await explore(abba())) as { verdicts: { trace: { failure: unknown } | null }[] };
    expect(json.verdicts[0]!.trace!.failure).toEqual({
      message: 'no step is enabled, and p, q have not finished',
      file: null,
      line: null,
      column: null,
      blocked: [
        { instance: 'p', daemon: false, waits: [{ stepId: 1, label: 'lock(b)', file: 'abba.weft', line: 3, column: 20 }] },
        { instance: 'q', daemon: false, waits: [{ stepId: 5, label: 'lock(a)', file: 'abba.weft', line: 4, column: 20 }] },
      ],
    });
  });
});
