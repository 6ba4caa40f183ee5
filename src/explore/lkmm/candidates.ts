/**
 * Candidate executions: one run per thread (threads.ts), the initial
 * writes, and every rf and co that fits them, the way herd7 builds them
 * for the LKMM (herd's own rf and co generation, cos-opt.cat's `cobase`,
 * and lock.cat's rf for the lock events). model.ts then keeps those the
 * model allows.
 *
 *   - rf: each read reads a write (or the initial write) of its location
 *     that wrote the value the run says it read;
 *   - lock.cat: an LF or RL reads the LKW of its own critical section, or
 *     else one LKW of another thread; an RU reads the UL just before it in
 *     its thread, and also one UL or initial write of another thread;
 *   - co: each location's writes (LKW included, UL not yet) in an order
 *     that starts with the initial write, ends with an LKW left unmatched,
 *     and contains `cobase` (the orders the reads already observe); then
 *     each UL is put right after its LKW, and an LKR reads the write just
 *     before its LKW in co when that is an unlock or the initial write.
 */
import { EventSet, Relation } from './relation.ts';
import { sameValue, type Annotation, type EventKind, type ThreadRun } from './threads.ts';
import type { MemInstr, MemProgram, Value } from './program.ts';

export interface ExecEvent {
  readonly id: number;
  /** -1 for the initial writes. */
  readonly thread: number;
  readonly kind: EventKind;
  readonly init: boolean;
  readonly loc: string | null;
  readonly value: Value | null;
  readonly annot: Annotation;
  readonly atomic: boolean;
  readonly instr: MemInstr | null;
}

/** The parts of an execution that do not depend on rf and co. */
export interface Skeleton {
  readonly n: number;
  readonly events: readonly ExecEvent[];
  readonly runs: readonly ThreadRun[];
  readonly set: (pred: (e: ExecEvent) => boolean) => EventSet;
  readonly po: Relation;
  readonly loc: Relation;
  readonly int: Relation;
  readonly ext: Relation;
  readonly addr: Relation;
  readonly data: Relation;
  readonly ctrl: Relation;
  /** herd's rmw (RMW instructions) with lock.cat's lk-rmw. */
  readonly rmw: Relation;
  readonly lkRmw: Relation;
  readonly critical: Relation;
}

export interface Candidate {
  readonly skeleton: Skeleton;
  readonly rf: Relation;
  readonly co: Relation;
  readonly fr: Relation;
  /** The final value of each location: its last write in co. */
  readonly final: ReadonlyMap<string, Value | null>;
}

export function skeleton(program: MemProgram, runs: readonly ThreadRun[]): Skeleton {
  const events: ExecEvent[] = program.locations.map((l, i) => ({ id: i, thread: -1, kind: 'W', init: true, loc: l.name, value: l.init, annot: null, atomic: false, instr: null }));
  const base: number[] = [];
  runs.forEach((run, t) => {
    base.push(events.length);
    for (const e of run.events) events.push({ id: events.length, thread: t, kind: e.kind, init: false, loc: e.loc, value: e.value, annot: e.annot, atomic: e.atomic, instr: e.instr });
  });
  const n = events.length;
  const set = (pred: (e: ExecEvent) => boolean): EventSet => EventSet.of(n, (i) => pred(events[i]!));
  const po = Relation.of(n, (i, j) => events[i]!.thread >= 0 && events[i]!.thread === events[j]!.thread && i < j);
  const loc = Relation.of(n, (i, j) => events[i]!.loc !== null && events[i]!.loc === events[j]!.loc);
  // herd: `int` is same thread, the initial writes in none; `ext` is not the same thread (initial writes among themselves are).
  const int = Relation.of(n, (i, j) => events[i]!.thread >= 0 && events[i]!.thread === events[j]!.thread);
  const ext = Relation.of(n, (i, j) => events[i]!.thread !== events[j]!.thread);
  const lift = (pick: (r: ThreadRun) => readonly (readonly [number, number])[]): Relation =>
    Relation.fromPairs(n, runs.flatMap((r, t) => pick(r).map(([a, b]) => [a + base[t]!, b + base[t]!] as const)));
  const kind = (k: EventKind): EventSet => set((e) => e.kind === k);
  const poLoc = po.inter(loc);
  const lkRmw = poLoc.restrict(kind('LKR'), kind('LKW')).diff(po.seq(po));
  const ulOrLkw = kind('UL').union(kind('LKW'));
  const critical = poLoc.restrict(kind('LKW'), kind('UL')).diff(Relation.seqAll(poLoc, Relation.identity(ulOrLkw), poLoc));
  return { n, events, runs, set, po, loc, int, ext, addr: lift((r) => r.addr), data: lift((r) => r.data), ctrl: lift((r) => r.ctrl), rmw: lift((r) => r.rmw).union(lkRmw), lkRmw, critical };
}

/** Every candidate of one choice of runs, or none when lock.cat rules the choice out whatever rf and co are. */
export function* candidates(s: Skeleton): Generator<Candidate> {
  const { n, events } = s;
  const kind = (k: EventKind): EventSet => s.set((e) => e.kind === k);
  const poLoc = s.po.inter(s.loc);
  const LKW = kind('LKW');
  const unmatched = LKW.diff(s.critical.domain());
  if (!Relation.identity(unmatched).seq(s.loc).restrict(null, unmatched).diff(Relation.of(n, (i, j) => i === j)).isEmpty()) return;

  // rf choices, one list of options per read-like event.
  const options: number[][] = [];
  const readers: number[] = [];
  const LF = kind('LF').union(kind('RL'));
  const UL = kind('UL');
  const rfiLf = poLoc.restrict(LKW, LF).diff(Relation.seqAll(Relation.identity(LKW), poLoc, Relation.identity(UL), poLoc));
  const rfiRu = poLoc.restrict(UL, kind('RU')).diff(Relation.seqAll(Relation.identity(UL), poLoc, Relation.identity(LKW), poLoc));
  const fixed: [number, number][] = [...rfiLf.pairs(), ...rfiRu.pairs()];
  const lfWithRfi = rfiLf.range();
  for (const r of events) {
    const writers = (ok: (w: ExecEvent) => boolean): number[] => events.filter((w) => w.loc === r.loc && ok(w)).map((w) => w.id);
    if (r.kind === 'R') options.push(writers((w) => w.kind === 'W' && w.value !== null && sameValue(w.value, r.value!)));
    else if ((r.kind === 'LF' || r.kind === 'RL') && !lfWithRfi.has(r.id)) options.push(writers((w) => w.kind === 'LKW' && w.thread !== r.thread));
    else if (r.kind === 'RU') options.push(writers((w) => (w.kind === 'UL' || w.init) && w.thread !== r.thread));
    else continue;
    readers.push(r.id);
  }
  if (options.some((o) => o.length === 0)) return;

  // co: per location, the writes W | LKW.
  const wSet = s.set((e) => e.kind === 'W' || e.kind === 'LKW');
  const locs = [...new Set(events.filter((e) => wSet.has(e.id)).map((e) => e.loc!))];
  const writesAt = locs.map((l) => events.filter((e) => e.loc === l && wSet.has(e.id)).map((e) => e.id));

  for (const choice of product(options)) {
    const rf = Relation.fromPairs(n, [...fixed, ...choice.map((w, k) => [w, readers[k]!] as const)]);
    const cobase = coBase(s, rf, poLoc, wSet, unmatched);
    if (!cobase.acyclic()) continue;
    const perLoc = writesAt.map((ws) => linearisations(ws, cobase));
    for (const orders of product(perLoc)) {
      let co0 = Relation.empty(n);
      for (const order of orders) for (let a = 0; a < order.length; a++) for (let b = a + 1; b < order.length; b++) co0.add(order[a]!, order[b]!);
      const co = co0.union(s.critical, s.critical.inverse().seq(co0)).plus();
      const IWorUL = s.set((e) => e.init || e.kind === 'UL');
      const singlestep = co.diff(co.seq(co));
      const rfAll = rf.union(Relation.identity(IWorUL).seq(singlestep).seq(s.lkRmw.inverse()));
      const fr = rfAll.inverse().seq(co);
      yield { skeleton: s, rf: rfAll, co, fr, final: finals(s, orders) };
    }
  }
}

/** cos-opt.cat's `cobase`: co edges the test already observes, with stdlib's co0 and lock.cat's. */
function coBase(s: Skeleton, rf: Relation, poLoc: Relation, W: EventSet, unmatched: EventSet): Relation {
  const R = s.set((e) => e.kind === 'R' || e.kind === 'LKR' || e.kind === 'LF' || e.kind === 'RL' || e.kind === 'RU');
  const id = Relation.of(s.n, (i, j) => i === j);
  const invrf = rf.inverse();
  const ww = poLoc.restrict(W, W);
  const rw = rf.seq(poLoc.restrict(R, W));
  const wr = poLoc.restrict(W, R).seq(invrf).diff(id);
  const rr = rf.seq(poLoc.restrict(R, R)).seq(invrf).diff(id);
  const IW = s.set((e) => e.init);
  const LKW = s.set((e) => e.kind === 'LKW');
  const co0 = Relation.product(IW, W.diff(IW)).inter(s.loc)
    .union(Relation.product(IW, LKW).inter(s.loc))
    .union(Relation.product(LKW, unmatched).inter(s.loc).diff(Relation.identity(unmatched)));
  return ww.union(rw, wr, rr, co0);
}

/** The orders of `items` that contain `before` (restricted to them). */
function linearisations(items: readonly number[], before: Relation): number[][] {
  const out: number[][] = [];
  const order: number[] = [];
  const used = new Set<number>();
  const go = (): void => {
    if (order.length === items.length) { out.push([...order]); return; }
    for (const x of items) {
      if (used.has(x)) continue;
      if (items.some((y) => !used.has(y) && y !== x && before.has(y, x))) continue;
      used.add(x); order.push(x);
      go();
      order.pop(); used.delete(x);
    }
  };
  go();
  return out;
}

function finals(s: Skeleton, orders: readonly number[][]): Map<string, Value | null> {
  const out = new Map<string, Value | null>();
  for (const order of orders) {
    const last = s.events[order[order.length - 1]!]!;
    out.set(last.loc!, last.kind === 'W' ? last.value : null);
  }
  return out;
}

/** Every choice of one element from each list. */
export function* product<T>(lists: readonly (readonly T[])[]): Generator<T[]> {
  const pick: T[] = [];
  function* go(k: number): Generator<T[]> {
    if (k === lists.length) { yield [...pick]; return; }
    for (const x of lists[k]!) { pick.push(x); yield* go(k + 1); pick.pop(); }
  }
  yield* go(0);
}
