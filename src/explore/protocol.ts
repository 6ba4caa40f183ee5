/**
 * What the parallel search's driver (parallel.ts) asks of a thread and what
 * the thread answers: the main thread serves its own Expander directly,
 * a worker (worker.ts) through messages.
 */
import { i32, type Buffers, type Event, type Shape } from './sharedStore.ts';
import type { FillPlan } from './tableFill.ts';
import { Expander } from './expander.ts';
import { fillRegions, zeroShare } from './tableFill.ts';

/** A request to a worker thread (explore/worker.ts) and what it answers. */
export type Request =
  | { kind: 'hello' }
  | { kind: 'begin'; table: SharedArrayBuffer; first: number; limit: number; keep: number; a: number; b: number; least: number; todo: Uint8Array; decided: Uint8Array }
  /**
   * A level: begins it, expands chunks until none is left, and places once the level's `threads` are done
   * (Expander.finish): one message, since a worker that begins late only claims fewer chunks.
   */
  | { kind: 'expand'; level: Extract<Request, { kind: 'begin' }>; threads: number }
  | { kind: 'rollback' }
  | { kind: 'key'; chunk: number; j: number }
  /** With the table, which the threads clear first (tableFill.ts's zeroShare says why). */
  | { kind: 'sort'; plan: FillPlan; table: SharedArrayBuffer; sorted: SharedArrayBuffer; starts: SharedArrayBuffer }
  | { kind: 'fill'; plan: FillPlan; table: SharedArrayBuffer; sorted: SharedArrayBuffer; starts: SharedArrayBuffer };
export interface Reply {
  readonly transitions: number;
  readonly coverage: Float64Array;
  readonly events: Event[];
  readonly key: { head: number; seq: number } | null;
  /** After fill: the entries whose probe left this thread's regions (tableFill.ts), as pairs. */
  readonly handed: number[];
}
/** A worker's workerData. */
export interface WorkerData {
  readonly js: string;
  readonly buffers: Buffers;
  readonly id: number;
  readonly shape: Shape;
}

/** Runs a request on an Expander (the main thread's directly, a worker's through worker.ts). */
export function serve(ex: Expander, r: Request): Reply {
  let key: Reply['key'] = null;
  let handed: number[] = [];
  switch (r.kind) {
    case 'hello': break;
    case 'begin': ex.begin(r.table, r.first, r.limit, r.keep, { a: r.a, b: r.b, least: r.least }, r.todo, r.decided); break;
    case 'expand': serve(ex, r.level); ex.expandClaimed(); ex.finish(r.threads); break;
    case 'rollback': ex.rollback(); break;
    case 'key': key = ex.entryKey(r.chunk, r.j); break;
    case 'sort': {
      zeroShare(i32(r.table), ex.id, r.plan.cut.length - 1);
      ex.sortSlice(r.plan, i32(r.sorted), new Uint32Array(r.starts));
      break;
    }
    case 'fill': handed = fillRegions(r.plan, ex.id, i32(r.table), i32(r.sorted), new Uint32Array(r.starts)); break;
  }
  return { transitions: ex.transitions, coverage: ex.coverage, events: r.kind === 'expand' ? ex.events : [], key, handed };
}
