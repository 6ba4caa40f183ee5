/**
 * What the parallel search's driver (parallel.ts) asks of a thread and what
 * the thread answers: the main thread serves its own Expander directly,
 * a worker (worker.ts) through messages.
 */
import { Expander, type Buffers, type Event, type Shape } from './sharedStore.ts';

/** A request to a worker thread (explore/worker.ts) and what it answers. */
export type Request =
  | { kind: 'begin'; table: SharedArrayBuffer; limit: number; todo: Uint8Array; decided: Uint8Array }
  | { kind: 'expand'; a: number; b: number }
  | { kind: 'rollback' }
  | { kind: 'own' }
  | { kind: 'place'; base: number; n: number }
  | { kind: 'key'; j: number };
export interface Reply {
  readonly ok: boolean;
  readonly kept: number;
  readonly transitions: number;
  readonly coverage: Float64Array;
  readonly events: Event[];
  readonly aborted: boolean;
  readonly key: { head: number; seq: number } | null;
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
  let ok = true;
  let kept = 0;
  let key: Reply['key'] = null;
  switch (r.kind) {
    case 'begin': ex.begin(r.table, r.limit, r.todo, r.decided); break;
    case 'expand': ok = ex.expand(r.a, r.b); break;
    case 'rollback': ex.rollback(); break;
    case 'own': kept = ex.own(); break;
    case 'place': ex.place(r.base, r.n); break;
    case 'key': key = ex.entryKey(r.j); break;
  }
  return { ok, kept, transitions: ex.transitions, coverage: ex.coverage, events: r.kind === 'expand' || r.kind === 'place' ? ex.events : [], aborted: ex.aborted, key };
}

