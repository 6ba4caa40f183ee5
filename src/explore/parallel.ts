/**
 * The compiled engine on several threads (--workers): a level-synchronous
 * breadth-first search over the shared store of sharedStore.ts, with the
 * same result as the sequential compiled.ts for any number of threads: the
 * same numbering of states (so the same shortest traces), the same first
 * evidence per property, the same counts.
 *
 * A level is cut into chunks of consecutive heads, which the threads (the
 * main thread is thread 0) claim in turn. Two rounds a level, one message:
 * expand (chunks until none is left), then, in each thread as soon as
 * every thread is done expanding, place (the entries a thread's chunks
 * own, at their final indices, evaluating the state properties there).
 * Findings are events keyed by their place in the sequential order; the
 * level's events, sorted, go through the same FindingLog as the
 * sequential engine's, so the first in sequential order decides, whoever
 * found it first in time. A level smaller than the threshold is done by
 * the main thread alone, so a small model never starts a thread; the
 * workers start when the levels near it (a sixteenth of it), and until
 * they have loaded the model the main thread does the bigger levels alone
 * too, rather than wait for them.
 */
import type { Worker } from 'node:worker_threads';
import type { Program } from '../lower/ir.ts';
import type { CompiledModel } from '../emit/contract.ts';
import { decodeState, type Layout } from '../emit/layout.ts';
import { Budget } from './budget.ts';
import { FindingLog } from './findingLog.ts';
import { verdictsOf, type SearchTree } from './findings.ts';
import { before, BLOCK, ensure, i32, u32, maxIds, MAX_THREADS, newBuffers, newGrowable, newLevel, growTo, NEXT_ID, POLL_EVERY, READY, STOP, type Event, type Shape } from './sharedStore.ts';
import { Expander } from './expander.ts';
import { serve, type Reply, type Request, type WorkerData } from './protocol.ts';
import { fillPlan, insertHanded } from './tableFill.ts';
import { startWorker, workerCode } from './workerSource.ts';
import type { Move } from './trace.ts';
import type { CheckResult, IncompleteReason, Limits } from './verdict.ts';

/** How long the main thread spins for the workers to be done expanding before it waits for their answers (and places after them). */
const SPIN_MS = 2;

/** Levels with fewer states than this are expanded by the main thread alone. */
export const PARALLEL_THRESHOLD = 8192;

class Pool {
  private readonly workers: Worker[] = [];
  /** Settles when every worker has answered a first request. */
  readonly up: Promise<unknown>;
  /** Why a worker could not start, once one has failed (the search does not wait for the pool, so it asks). */
  failed: unknown = null;
  constructor(code: URL, data: Omit<WorkerData, 'id'>, count: number, private readonly control: Int32Array) {
    for (let id = 1; id <= count; id++) this.workers.push(startWorker(code, { workerData: { ...data, id } satisfies WorkerData }));
    // Nothing else is asked of the pool until it is up (each call listens for one answer a worker).
    this.up = this.call(() => ({ kind: 'hello' }));
    this.up.catch((e: unknown) => { this.failed = e ?? new Error('a worker failed to start'); });
  }
  /**
   * Whether every worker has loaded the model: each says so in shared
   * memory as it has (worker.ts), so the search need not wait for a turn
   * of its event loop to hear it (then `up` settles at once).
   */
  get ready(): boolean {
    return Atomics.load(this.control, READY) === this.workers.length;
  }
  /** Sends `r(id)` to every worker; resolves with their replies in order. */
  call(r: (id: number) => Request | null): Promise<(Reply | null)[]> {
    return Promise.all(this.workers.map((w, i) => {
      const req = r(i + 1);
      if (!req) return null;
      return new Promise<Reply>((resolve, reject) => {
        const onError = (e: Error): void => { w.off('message', onMessage); reject(e); };
        const onMessage = (m: Reply): void => { w.off('error', onError); resolve(m); };
        w.once('message', onMessage);
        w.once('error', onError);
        w.postMessage(req);
      });
    }));
  }
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export interface ParallelOptions {
  readonly workers: number;
  /** The compiled module's JavaScript, for the workers to import. */
  readonly js: string;
  /** Levels below this size stay on the main thread (tests lower it); chunks have an eighth of it at least. */
  readonly threshold?: number;
  /** New states a thread may make in a level before it is done again, doubled each time (tests set it: a level is done again when the table could overflow). */
  readonly room?: number;
}

export async function exploreParallel(program: Program, layout: Layout, model: CompiledModel, limits: Limits, opts: ParallelOptions): Promise<CheckResult> {
  const steps = program.steps.length;
  if (program.instances.length * steps > 2 ** 32) throw new Error(`internal error: ${program.instances.length} instances of ${steps} steps are too many for the compiled engine`);
  const threads = Math.max(1, Math.min(opts.workers, MAX_THREADS));
  const threshold = opts.threshold ?? PARALLEL_THRESHOLD;
  const least = Math.max(1, Math.ceil(threshold / 8));
  const budget = new Budget(limits);
  const words = model.bytes / 4;
  const buffers = newBuffers();
  let arena = u32(buffers.arena);
  let order = u32(buffers.order);
  let parents = i32(buffers.parents);
  let moves = u32(buffers.moves);
  const decode = (i: number) => decodeState(program, layout, new Uint8Array(arena.slice(order[i]! * words, (order[i]! + 1) * words).buffer));
  const log = new FindingLog(program, decode);
  const shape: Shape = {
    steps, properties: program.properties.length, ranges: log.ranges, deadlock: log.deadlock,
    stateProperties: Uint8Array.from(program.properties, (p) => (p.kind === 'invariant' || p.kind === 'reachable' ? 1 : 0)),
  };
  const main = new Expander(model, buffers, 0, shape);
  const control = new Int32Array(buffers.control);
  let pool: Pool | null = null;
  // The workers' code is asked for now, as a clone bundles it (workerSource.ts), which takes a while.
  let code: URL | null = null;
  let codeFailed: unknown = null;
  const coding = threads > 1 ? workerCode().then((u) => { code = u; }, (e: unknown) => { codeFailed = e; }) : null;
  // Grown in place, never replaced: only the new half of a bigger table is fresh memory (tableFill.ts's Scratch says why that matters).
  const table = newGrowable();
  growTo(table, 4 * (1 << 12));
  const sorted = newGrowable();
  const nextId = (): number => Atomics.load(control, NEXT_ID);

  let count = 0;
  let transitions = 0;
  const coverage = new Float64Array(steps);
  let depth = 0;
  let reason: IncompleteReason | null = null;
  let level = 0;
  const levels: number[] = [];

  /** Room for ids below `ids` (vectors, owners, flags) and for `states` indices (ids, parents, moves). */
  const grow = (ids: number, states: number): void => {
    ensure(buffers.arena, ids * words * 4);
    ensure(buffers.owner, ids);
    ensure(buffers.flags, ids);
    ensure(buffers.order, states * 4);
    ensure(buffers.parents, states * 4);
    ensure(buffers.moves, states * 4);
    arena = u32(buffers.arena);
    order = u32(buffers.order);
    parents = i32(buffers.parents);
    moves = u32(buffers.moves);
  };
  /**
   * A table for ids below `expected` at most half full, the states so far
   * rehashed into it: every thread hashes and sorts a share of them, then
   * fills a share of the table's regions (tableFill.ts).
   */
  const rehash = async (expected: number): Promise<void> => {
    let bits = 12;
    while (2 ** bits < 2 * expected) bits++;
    if (4 * 2 ** bits <= table.byteLength) return;
    if (bits > 30) throw new Error('internal error: more states than the parallel store holds');
    // Fourfold at least, as a rehash moves every state so far: doubling, the filter lock N=6 moved 6.6 million
    // states on its way to 5.9 million (0.55 s on two threads), and its search took 4.90 s against 4.41 s
    // fourfold. The table is then 8 to 32 bytes a state rather than 8 to 16.
    bits = Math.min(30, Math.max(bits, Math.log2(table.byteLength / 4) + 2));
    // Its old slots are cleared by the threads, with the sort (tableFill.ts's zeroShare).
    growTo(table, 4 * 2 ** bits);
    const n = pool?.ready && count > threshold ? threads : 1;
    if (n > 1) await pool!.up;
    const plan = fillPlan(bits, count, n);
    // Kept between rehashes, as each thread's own arrays are (tableFill.ts's Scratch says why).
    ensure(sorted, 8 * count);
    const starts = new SharedArrayBuffer(4 * n * ((1 << plan.regionBits) + 1));
    const all = async (r: Request): Promise<number[]> => {
      const others = n > 1 ? pool!.call((w) => (w < n ? r : null)) : Promise.resolve([]);
      const mine = serve(main, r);
      return [...mine.handed, ...(await others).flatMap((x) => x?.handed ?? [])];
    };
    await all({ kind: 'sort', plan, table, sorted, starts });
    insertHanded(i32(table), await all({ kind: 'fill', plan, table, sorted, starts }));
  };
  /** Undoes a level's insertions: its slots cleared (older entries never moved, so their probes still find them), its ids free again. */
  const undo = (first: number): void => {
    const t = i32(table);
    const mask = t.length - 1;
    for (let s = 0; s < t.length; s++) if (t[s] !== 0 && (t[s]! & mask) - 1 >= first) t[s] = 0;
    Atomics.store(control, NEXT_ID, first);
  };
  const decidedNow = (): Uint8Array => Uint8Array.from(log.findings, (f) => (f ? 1 : 0));
  const apply = (events: Event[]): void => {
    events.sort(before);
    for (const e of events) {
      switch (e.kind) {
        case 'found': log.found(e.property, e.node); break;
        case 'fault': log.found(-1 - e.property, e.node); break;
        case 'fail': log.fail(e.property, e.node, e.instance, e.step); break;
        case 'warn': log.warn(e.property, e.node, e.instance, e.step); break;
        case 'deadlock': log.deadlocked(e.node); break;
      }
    }
  };

  try {
    // Level 0: the initial state, through the same rounds on the main thread (no heads: it is placed at index 0).
    grow(BLOCK, 1);
    newLevel(buffers);
    main.begin(table, 0, 1, 1, { a: 0, b: 0, least: 1 }, log.todo, decidedNow());
    main.claim();
    main.root();
    main.arrive();
    main.place();
    apply(main.events);
    count = 1;
    levels.push(1);
    let prevNew = 1;
    let lastNew = 1;
    let start = 0;
    let retries = 0;
    while (start < count && !reason) {
      const a = start;
      const b = count;
      // The workers start a while before they are needed: a worker takes a moment to load the model.
      // A turn of the event loop while the code is being made: esbuild's answers come through it.
      if (coding && !code && !codeFailed) await new Promise<void>((resolve) => setImmediate(resolve));
      if (threads > 1 && !pool && b - a > threshold / 16) {
        // Made once the code is there (a threshold given by hand, the tests', waits for it, as below).
        if (opts.threshold !== undefined) await coding;
        if (codeFailed) throw codeFailed;
        if (code) pool = new Pool(code, { js: opts.js, buffers, shape }, threads - 1, control);
      }
      if (pool?.failed) throw pool.failed;
      // The main thread goes on alone until the workers have loaded the model, rather than wait for them (the
      // result is the same for any number of threads). A threshold given by hand (the tests) waits, so that the
      // levels it names are the parallel ones.
      const n = b > a + threshold && pool && (pool.ready || opts.threshold !== undefined) ? threads : 1;
      if (n > 1) await pool!.up;
      const guess = lastNew * Math.max(1, lastNew / prevNew);
      // Ids are taken in blocks, so a thread may leave up to a block unused at the level's end.
      const first = nextId();
      await rehash(first + n * (1.5 * guess + BLOCK));
      // A thread's room: the table three quarters full at most, and no more ids than the vector array holds (a
      // table grown fourfold leaves room for many more states than the level will make, and the ids below it are
      // reserved, untouched, in the arena).
      if (maxIds(words) - first < n * (BLOCK + 1)) throw new Error('internal error: more states than the parallel store holds');
      const fits = Math.floor((Math.min(0.75 * (table.byteLength / 4), maxIds(words)) - first) / n) - BLOCK;
      const capacity = Math.min(fits, (opts.room ?? Infinity) * 2 ** retries);
      // Room by index too: the threads place as soon as all are done expanding, before the driver knows how many
      // states the level has (no more than the ids it may take; what is grown and never written costs no memory).
      grow(first + n * (capacity + BLOCK), count + n * (capacity + BLOCK));
      newLevel(buffers);
      // The states the level may keep: the sequential search stops at the discovery of state maxStates + 1.
      const room = limits.maxStates !== undefined ? limits.maxStates - count : Infinity;
      const begin = { kind: 'begin', table, first, limit: capacity, keep: room, a, b, least, todo: Uint8Array.from(log.todo), decided: decidedNow() } as const;
      serve(main, begin);
      // Round 1: expand. The main thread claims chunks between budget checks; the workers meanwhile.
      const others = n > 1 ? pool!.call((w) => (w < n ? { kind: 'expand', level: begin, threads: n } : null)) : Promise.resolve([]);
      // The budget is looked at every POLL_EVERY heads of the search, as the sequential engine does (the states
      // of the level being expanded are counted once it is placed: the open level's size shows as 0).
      let expanding = true;
      for (let r = main.claim(); r && expanding && !reason; r = main.claim()) {
        for (let h = r.a; h < r.b; ) {
          if (h % POLL_EVERY === 0) {
            reason = await budget.check(0, () => ({ states: count, transitions, queue: count - h, level, levels: [...levels, 0] }));
            if (reason) { Atomics.store(control, STOP, 1); break; }
          }
          const end = Math.min(r.b, (Math.floor(h / POLL_EVERY) + 1) * POLL_EVERY);
          if (!main.expand(h, end)) { expanding = false; break; }
          h = end;
        }
      }
      // Round 2, place, follows in each thread once every thread is done expanding (owners and kept counts are
      // final then): the workers' answers come after it. The main thread waits for them a moment, as they are done
      // within a chunk's time of it mostly, and else places after their answers.
      main.arrive();
      const until = performance.now() + SPIN_MS;
      while (!main.allArrived(n) && performance.now() < until);
      if (!reason && main.allArrived(n) && !main.levelAborted()) main.place();
      const replies = (await others).filter((r): r is Reply => r !== null);
      // Stopped (a limit, Ctrl-C): the level is dropped; the result is the search up to its start.
      if (reason) break;
      if (main.levelAborted()) {
        // The table could overflow in this level (or a thread used up its room): undo it, grow the table for twice
        // as many states (or double the room), and do it again.
        serve(main, { kind: 'rollback' });
        if (n > 1) await pool!.call((w) => (w < n ? { kind: 'rollback' } : null));
        undo(first);
        if (capacity === fits) await rehash(table.byteLength / 4);
        lastNew *= 2;
        retries++;
        continue;
      }
      main.place();
      const kept = main.keptCounts();
      const total = kept.reduce((x, y) => x + y, 0);
      const keep = Math.min(total, room);
      let cut: { head: number; seq: number } | null = null;
      if (keep < total) {
        // The state that stops the sequential search, in final order: entry j of chunk c.
        let c = 0;
        let j = keep;
        while (j >= kept[c]!) j -= kept[c++]!;
        const w = main.claimer(c);
        cut = w === 0 ? main.entryKey(c, j) : (await pool!.call((id) => (id === w ? { kind: 'key', chunk: c, j } : null)))[w - 1]!.key;
      }
      // A worker's events of both rounds come with its reply; the main thread's are in `main`.
      const events = [main, ...replies].flatMap((r) => r.events);
      if (cut) {
        const c = cut;
        apply(events.filter((e) => before(e, { ...e, head: c.head, seq: c.seq }) < 0));
        main.countUpTo(a, c.head, c.seq);
        transitions += main.transitions;
        main.coverage.forEach((x, i) => { coverage[i]! += x; });
        reason = 'max-states';
      } else {
        apply(events);
        for (const r of [main, ...replies]) {
          transitions += r.transitions;
          r.coverage.forEach((x, i) => { coverage[i]! += x; });
        }
      }
      if (keep > 0) depth = level + 1;
      count += keep;
      prevNew = lastNew;
      lastNew = Math.max(1, keep);
      levels.push(keep);
      start = b;
      level++;
      retries = 0;
    }
  } finally {
    Atomics.store(control, STOP, 1);
    await pool?.close();
  }

  const complete = reason === null;
  const tree: SearchTree = {
    state: decode,
    parent: (i) => parents[i]!,
    move: (i): Move | null => (i === 0 ? null : { instance: Math.floor(moves[i]! / steps), stepId: moves[i]! % steps }),
  };
  const seconds = budget.seconds();
  return {
    program,
    complete,
    ...(reason ? { reason } : {}),
    verdicts: verdictsOf(program, log.findings, tree, complete),
    coverage: Array.from(coverage),
    stats: {
      states: count,
      transitions,
      depth,
      seconds,
      statesPerSecond: seconds > 0 ? Math.round(count / seconds) : 0,
      peakMemoryBytes: budget.peakMemory(),
      // Vectors, owners and flags by id (ids a thread left unused included), ids, parents and moves by index, the table.
      storeBytes: nextId() * (model.bytes + 2) + count * 12 + table.byteLength,
    },
  };
}
