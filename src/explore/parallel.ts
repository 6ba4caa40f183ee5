/**
 * The compiled engine on several threads (--workers): a level-synchronous
 * breadth-first search over the shared store of sharedStore.ts, with the
 * same result as the sequential compiled.ts for any number of threads: the
 * same numbering of states (so the same shortest traces), the same first
 * evidence per property, the same counts.
 *
 * A level is split into contiguous ranges, one per thread in order (the
 * main thread is thread 0). Three rounds a level: expand (each thread its
 * range), own (keep the entries a thread owns), place (at final indices,
 * evaluating the state properties there). Findings are events keyed by
 * their place in the sequential order; the level's events, sorted, go
 * through the same FindingLog as the sequential engine's, so the first in
 * sequential order decides, whoever found it first in time. A level
 * smaller than the threshold is done by the main thread alone, so a small
 * model never starts a thread.
 */
import { Worker } from 'node:worker_threads';
import type { Program } from '../lower/ir.ts';
import type { CompiledModel } from '../emit/contract.ts';
import { decodeState, type Layout } from '../emit/layout.ts';
import { Budget } from './budget.ts';
import { FindingLog } from './findingLog.ts';
import { verdictsOf, type SearchTree } from './findings.ts';
import { before, ensure, Expander, i32, u32, MAX_THREADS, newBuffers, POLL_EVERY, STOP, type Event, type Shape } from './sharedStore.ts';
import { serve, type Reply, type Request, type WorkerData } from './protocol.ts';
import { hash, secondLane } from './store.ts';
import type { Move } from './trace.ts';
import type { CheckResult, IncompleteReason, Limits } from './verdict.ts';

/** Levels with fewer states than this are expanded by the main thread alone. */
export const PARALLEL_THRESHOLD = 8192;

/** The worker's entry: in a clone TypeScript sources run through tsx, which a worker registers itself (workerBoot.mjs). */
function workerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./workerBoot.mjs', import.meta.url) : new URL('./worker.js', import.meta.url);
}

class Pool {
  private readonly workers: Worker[] = [];
  constructor(data: Omit<WorkerData, 'id'>, count: number) {
    for (let id = 1; id <= count; id++) this.workers.push(new Worker(workerUrl(), { workerData: { ...data, id } satisfies WorkerData }));
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
  /** Levels below this size stay on the main thread (tests lower it). */
  readonly threshold?: number;
}

export async function exploreParallel(program: Program, layout: Layout, model: CompiledModel, limits: Limits, opts: ParallelOptions): Promise<CheckResult> {
  const steps = program.steps.length;
  if (program.instances.length * steps > 2 ** 32) throw new Error(`internal error: ${program.instances.length} instances of ${steps} steps are too many for the compiled engine`);
  const threads = Math.max(1, Math.min(opts.workers, MAX_THREADS));
  const threshold = opts.threshold ?? PARALLEL_THRESHOLD;
  const budget = new Budget(limits);
  const words = model.bytes / 4;
  const buffers = newBuffers(threads);
  let arena = u32(buffers.arena);
  let parents = i32(buffers.parents);
  let moves = u32(buffers.moves);
  const decode = (i: number) => decodeState(program, layout, new Uint8Array(arena.slice(i * words, (i + 1) * words).buffer));
  const log = new FindingLog(program, decode);
  const shape: Shape = {
    steps, properties: program.properties.length, ranges: log.ranges, deadlock: log.deadlock,
    stateProperties: Uint8Array.from(program.properties, (p) => (p.kind === 'invariant' || p.kind === 'reachable' ? 1 : 0)),
  };
  const main = new Expander(model, buffers, 0, shape);
  const control = new Int32Array(buffers.control);
  let pool: Pool | null = null;
  let table = new SharedArrayBuffer(3 * 4 * (1 << 12));

  let count = 0;
  let transitions = 0;
  const coverage = new Float64Array(steps);
  let depth = 0;
  let reason: IncompleteReason | null = null;
  let level = 0;
  const levels: number[] = [];

  const grow = (states: number): void => {
    ensure(buffers.arena, states * words * 4);
    ensure(buffers.parents, states * 4);
    ensure(buffers.moves, states * 4);
    arena = u32(buffers.arena);
    parents = i32(buffers.parents);
    moves = u32(buffers.moves);
  };
  /** A table for `expected` states at most half full, the states so far rehashed into it. */
  const rehash = (expected: number): void => {
    let bits = 12;
    while (2 ** bits < 2 * expected) bits++;
    if (3 * 4 * 2 ** bits <= table.byteLength) return;
    if (bits > 29) throw new Error('internal error: more states than the parallel store holds');
    table = new SharedArrayBuffer(3 * 4 * 2 ** bits);
    const t = new Int32Array(table);
    const mask = 2 ** bits - 1;
    for (let i = 0; i < count; i++) {
      let s = hash(arena, i * words, words) >>> (32 - bits);
      while (t[s * 3 + 1] !== 0) s = (s + 1) & mask;
      t[s * 3] = secondLane() | 0;
      t[s * 3 + 1] = i + 1;
    }
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
    // Level 0: the initial state, through the same rounds on the main thread.
    main.begin(table, 1, log.todo, decidedNow());
    main.root();
    grow(1);
    main.place(0, main.own());
    apply(main.events);
    count = 1;
    levels.push(1);
    let prevNew = 1;
    let lastNew = 1;
    let start = 0;
    while (start < count && !reason) {
      const a = start;
      const b = count;
      const n = b > a + threshold ? threads : 1;
      if (n > 1 && !pool) pool = new Pool({ js: opts.js, buffers, shape }, threads - 1);
      const guess = lastNew * Math.max(1, lastNew / prevNew);
      rehash(count + n * 1.5 * guess);
      const capacity = Math.floor((0.75 * (new Int32Array(table).length / 3) - count) / n);
      const todo = Uint8Array.from(log.todo);
      const decided = decidedNow();
      const bounds = Array.from({ length: n + 1 }, (_, w) => a + Math.floor(((b - a) * w) / n));
      const begin: Request = { kind: 'begin', table, limit: capacity, todo, decided };
      serve(main, begin);
      if (n > 1) await pool!.call(() => begin);
      // Round 1: expand. The main thread does its range between budget checks; the workers theirs meanwhile.
      const others = n > 1 ? pool!.call((w) => (w < n ? { kind: 'expand', a: bounds[w]!, b: bounds[w + 1]! } : null)) : Promise.resolve([]);
      // The budget is looked at every POLL_EVERY heads of the search, as the sequential engine does (the states
      // of the level being expanded are counted once it is placed: the open level's size shows as 0).
      for (let h = bounds[0]!; h < bounds[1]!; ) {
        if (h % POLL_EVERY === 0) {
          reason = await budget.check(0, () => ({ states: count, transitions, queue: count - h, level, levels: [...levels, 0] }));
          if (reason) { Atomics.store(control, STOP, 1); break; }
        }
        const end = Math.min(bounds[1]!, (Math.floor(h / POLL_EVERY) + 1) * POLL_EVERY);
        if (!main.expand(h, end)) break;
        h = end;
      }
      const expanded = (await others).filter((r): r is Reply => r !== null);
      // Stopped (a limit, Ctrl-C): the level is dropped; the result is the search up to its start.
      if (reason) break;
      if (main.aborted || expanded.some((r) => r.aborted)) {
        // The table could overflow in this level: undo it, grow the table for twice as many states, and do it again.
        serve(main, { kind: 'rollback' });
        if (n > 1) await pool!.call((w) => (w < n ? { kind: 'rollback' } : null));
        rehash(new Int32Array(table).length / 3);
        lastNew *= 2;
        continue;
      }
      // Round 2: own. Every thread has finished expanding, so owners are final.
      const kept = [main.own(), ...(n > 1 ? await pool!.call((w) => (w < n ? { kind: 'own' } : null)) : []).filter((r): r is Reply => r !== null).map((r) => r.kept)];
      const total = kept.reduce((x, y) => x + y, 0);
      const bases = kept.map((_, w) => kept.slice(0, w).reduce((x, y) => x + y, b));
      let keep = total;
      let cut: { head: number; seq: number } | null = null;
      if (limits.maxStates !== undefined && count + total > limits.maxStates) {
        // The sequential search stops at the discovery of state maxStates + 1: find it, in final order.
        keep = limits.maxStates - count;
        const w = kept.findIndex((k, i) => bases[i]! - b + k > keep);
        const j = keep - (bases[w]! - b);
        cut = w === 0 ? main.entryKey(j) : (await pool!.call((id) => (id === w ? { kind: 'key', j } : null)))[w - 1]!.key;
      }
      grow(count + keep);
      // Round 3: place, each thread its kept entries (within the cut) at their final indices.
      const place = (w: number): Request => ({ kind: 'place', base: bases[w]!, n: Math.max(0, Math.min(kept[w]!, b + keep - bases[w]!)) });
      const placing = n > 1 ? pool!.call((w) => (w < n ? place(w) : null)) : Promise.resolve([]);
      serve(main, place(0));
      const placed = (await placing).filter((r): r is Reply => r !== null);
      // A worker's events of both rounds come with its last reply; the main thread's are in `main`.
      const events = [main, ...placed].flatMap((r) => r.events);
      if (cut) {
        const c = cut;
        apply(events.filter((e) => before(e, { ...e, head: c.head, seq: c.seq }) < 0));
        main.countUpTo(a, c.head, c.seq);
        transitions += main.transitions;
        main.coverage.forEach((x, i) => { coverage[i]! += x; });
        reason = 'max-states';
      } else {
        apply(events);
        for (const r of [main, ...expanded]) {
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
      storeBytes: count * (model.bytes + 8) + table.byteLength,
    },
  };
}
