/**
 * Explanations of LKMM verdicts, in the terms of the kernel's
 * tools/memory-model/Documentation/explanation.txt:
 *   - an execution: each thread's events at their source lines, the write
 *     each read reads from, and the coherence order where a location has
 *     more than one write;
 *   - for an outcome the model forbids, the cycle that forbids it: in hb
 *     (happens-before), pb (propagates-before), rb (RCU) or the coherence
 *     order, each edge named by the relation that gives it (rfe, ppo with
 *     the fence, annotation or dependency behind it, prop, strong-fence);
 *   - for an outcome the model allows, the cycle it makes in program order
 *     and the communication relations, which no interleaving has (each po
 *     edge of it is one the model does not keep in order).
 * The data here is plain JSON; report/lkmm.ts renders it.
 */
import type { Relation } from './relation.ts';
import type { Candidate, ExecEvent } from './candidates.ts';
import type { ModelResult } from './model.ts';
import type { MemSpan, Value } from './program.ts';
import { valueKey } from './threads.ts';

export interface EventView {
  readonly id: number;
  /** herd's notation: `W[once] x=1`, `R[acquire] y=0`, `F[mb]`, `LKW lo`. */
  readonly label: string;
  readonly thread: number;
  readonly span: MemSpan | null;
}

export interface Edge {
  readonly from: number;
  readonly to: number;
  /** The relation, as the LKMM names it: rfe, fre, coe, po, ppo, prop, pb, ... */
  readonly relation: string;
  /** What gives it, in words: "smp_wmb()", "an address dependency", "reads the value written by". */
  readonly why: string;
  /** The steps it is made of, for a composite relation (prop, pb): each a base relation between two events. */
  readonly via?: readonly Edge[];
}

export interface ExecutionView {
  readonly events: readonly EventView[];
  /** For each read, the write it reads from. */
  readonly rf: readonly { readonly read: number; readonly write: number }[];
  /** Each location with more than one write besides its initial one: its writes in coherence order. */
  readonly co: readonly { readonly loc: string; readonly order: readonly number[] }[];
  readonly final: readonly { readonly loc: string; readonly value: string }[];
}

export interface Cycle {
  /** The check the cycle breaks (happens-before, propagation, rcu, coherence, atomic), or 'sc' for an allowed outcome's cycle. */
  readonly check: string;
  readonly edges: readonly Edge[];
}

export function executionView(c: Candidate): ExecutionView {
  const s = c.skeleton;
  const events = s.events.map((e) => ({ id: e.id, label: label(e), thread: e.thread, span: e.instr?.span ?? null }));
  const rf = c.rf.pairs().filter(([w, r]) => s.events[r]!.kind === 'R' || !s.events[w]!.init).map(([write, read]) => ({ read, write }));
  const co: { loc: string; order: number[] }[] = [];
  for (const loc of new Set(s.events.filter((e) => e.loc !== null).map((e) => e.loc!))) {
    const ws = s.events.filter((e) => e.loc === loc && (e.kind === 'W' || e.kind === 'LKW' || e.kind === 'UL')).map((e) => e.id);
    if (ws.length <= 2) continue;
    co.push({ loc, order: ws.sort((a, b) => (c.co.has(a, b) ? -1 : c.co.has(b, a) ? 1 : 0)) });
  }
  const final = [...c.final].filter(([, v]) => v !== null).map(([loc, v]) => ({ loc, value: valueKey(v as Value) }));
  return { events, rf, co, final };
}

function label(e: ExecEvent): string {
  const ann = e.annot && e.annot !== 'plain' ? `[${e.annot}]` : '';
  const v = e.value === null ? '' : `=${typeof e.value === 'number' ? e.value : e.value.loc}`;
  if (e.init) return `W[init] ${e.loc}${v}`;
  if (e.kind === 'F') return `F${ann}`;
  if (e.kind === 'R' || e.kind === 'W') return `${e.kind}${ann} ${e.loc}${v}`;
  return `${e.kind} ${e.loc}`;
}

/** The cycle that forbids a candidate, from its first failed check; null when it fails none of these. */
export function forbiddingCycle(c: Candidate, m: ModelResult): Cycle | null {
  const r = m.rel;
  const check = m.failed.find((a) => a === 'happens-before' || a === 'propagation' || a === 'rcu' || a === 'coherence' || a === 'atomic');
  if (!check) return null;
  if (check === 'atomic') {
    // An RMW whose read and write have another thread's write between them in co: rmw & (fre ; coe).
    const [read, write] = r.rmw!.inter(r.fre!.seq(r.coe!)).pairs()[0]!;
    const mid = c.skeleton.events.find((e) => r.fre!.has(read, e.id) && r.coe!.has(e.id, write))!.id;
    return { check, edges: [{ from: read, to: mid, relation: 'fre', why: 'is overwritten by' }, { from: mid, to: write, relation: 'coe', why: 'comes before in coherence order' }, { from: write, to: read, relation: 'rmw', why: 'is the write of the same atomic operation as' }] };
  }
  const rel = check === 'happens-before' ? r.hb! : check === 'propagation' ? r.pb! : check === 'rcu' ? r.rb! : r['po-loc']!.union(r.rf!, r.co!, r.fr!);
  const nodes = shortestCycle(rel);
  if (!nodes) return null;
  const edges = nodes.map((from, i) => {
    const to = nodes[(i + 1) % nodes.length]!;
    return check === 'happens-before' ? hbEdge(c, m, from, to)
      : check === 'propagation' ? pbEdge(c, m, from, to)
      : check === 'rcu' ? { from, to, relation: 'rb', why: 'prop ; rcu-fence ; hb* ; pb*: an RCU grace period against a read-side critical section' }
      : comEdge(c, m, from, to);
  });
  return { check, edges };
}

/** An allowed outcome's cycle in po and the communication relations: what no interleaving could give. */
export function scCycle(c: Candidate, m: ModelResult): Cycle | null {
  const r = m.rel;
  const rel = r.po!.union(r.rfe!, r.coe!, r.fre!);
  const nodes = shortestCycle(rel);
  if (!nodes) return null;
  return {
    check: 'sc',
    edges: nodes.map((from, i) => {
      const to = nodes[(i + 1) % nodes.length]!;
      if (r.po!.has(from, to)) return { from, to, relation: 'po', why: poWhy(c, m, from, to) };
      return comEdge(c, m, from, to);
    }),
  };
}

function poWhy(c: Candidate, m: ModelResult, from: number, to: number): string {
  if (m.rel.ppo!.has(from, to)) return `kept in order: ${ppoWhy(c, m, from, to)}`;
  return 'not kept in order: the model lets the later access go first';
}

function comEdge(c: Candidate, m: ModelResult, from: number, to: number): Edge {
  const r = m.rel;
  const ext = c.skeleton.events[from]!.thread !== c.skeleton.events[to]!.thread;
  if (r.rf!.has(from, to)) return { from, to, relation: ext ? 'rfe' : 'rfi', why: 'is read by' };
  if (r.co!.has(from, to)) return { from, to, relation: ext ? 'coe' : 'coi', why: 'is overwritten by (coherence order)' };
  if (r.fr!.has(from, to)) return { from, to, relation: ext ? 'fre' : 'fri', why: 'reads a value overwritten by' };
  return { from, to, relation: 'po-loc', why: 'comes first in program order, at the same location' };
}

function hbEdge(c: Candidate, m: ModelResult, from: number, to: number): Edge {
  const r = m.rel;
  if (r.rfe!.has(from, to)) return { from, to, relation: 'rfe', why: 'is read by' };
  if (r.ppo!.has(from, to)) return { from, to, relation: 'ppo', why: ppoWhy(c, m, from, to) };
  return { from, to, relation: 'prop', why: 'propagates to the other event\'s CPU first (prop & int)', via: propSteps(c, m, from, to) };
}

/**
 * A prop edge as its parts: `(overwrite & ext)? ; cumul-fence* ; rfe?`: the
 * write the first event is overwritten by or is, the fences that carry it
 * to other CPUs, and the read of the last.
 */
function propSteps(c: Candidate, m: ModelResult, from: number, to: number): Edge[] {
  const r = m.rel;
  const ids = c.skeleton.events.map((e) => e.id);
  const cf = r['cumul-fence']!;
  const overwriteExt = r.overwrite!.inter(r.rfe!.union(r.coe!, r.fre!));
  const cfStar = cf.star();
  for (const x of [from, ...ids.filter((i) => overwriteExt.has(from, i))]) {
    for (const y of ids.filter((i) => cfStar.has(x, i))) {
      if (y !== to && !r.rfe!.has(y, to)) continue;
      const steps: Edge[] = [];
      if (x !== from) steps.push(comEdge(c, m, from, x));
      for (const [a, b] of path(cf, x, y)) steps.push({ from: a, to: b, relation: 'cumul-fence', why: cumulWhy(c, m, a, b) });
      if (y !== to) steps.push({ from: y, to, relation: 'rfe', why: 'is read by' });
      return steps;
    }
  }
  return [];
}

function cumulWhy(c: Candidate, m: ModelResult, from: number, to: number): string {
  const r = m.rel;
  if (r.wmb!.has(from, to)) return 'smp_wmb()';
  if (r['po-unlock-rf-lock-po']!.has(from, to)) return 'an unlock and a later lock of the same lock';
  return ppoWhy(c, m, from, to).replace(/^the /, '') + ' (A-cumulative)';
}

/** The edges of a shortest path from a to b in a relation (empty when a = b). */
function path(rel: Relation, a: number, b: number): [number, number][] {
  if (a === b) return [];
  const prev = new Map<number, number>([[a, a]]);
  const queue = [a];
  for (let q = 0; q < queue.length; q++) {
    const u = queue[q]!;
    for (let v = 0; v < rel.n; v++) if (rel.has(u, v) && !prev.has(v)) { prev.set(v, u); queue.push(v); }
  }
  const out: [number, number][] = [];
  for (let v = b; v !== a; v = prev.get(v)!) out.unshift([prev.get(v)!, v]);
  return out;
}

/** Why two events of a thread are in ppo: the fence, annotation or dependency, as explanation.txt calls them. */
function ppoWhy(c: Candidate, m: ModelResult, from: number, to: number): string {
  const r = m.rel;
  const fenceBetween = (kinds: readonly string[]): string | null => {
    const f = c.skeleton.events.find((e) => e.kind === 'F' && kinds.includes(e.annot as string) && r.po!.has(from, e.id) && r.po!.has(e.id, to))
      ?? c.skeleton.events.find((e) => e.kind === 'F' && kinds.includes(e.annot as string) && (r.po!.has(from, e.id) || r.po!.has(e.id, to)));
    return f ? fenceName(f.annot as string) : null;
  };
  if (r.mb!.has(from, to)) return `the strong fence ${fenceBetween(['mb', 'before-atomic', 'after-atomic', 'after-spinlock', 'after-unlock-lock']) ?? 'of a fully ordered atomic operation'}`;
  if (r.gp!.has(from, to)) return 'the grace period of synchronize_rcu()';
  if (r.wmb!.has(from, to)) return 'smp_wmb() orders the two stores';
  if (r.rmb!.has(from, to)) return 'smp_rmb() orders the two loads';
  if (r['acq-po']!.has(from, to)) return 'the acquire load comes first';
  if (r['po-rel']!.has(from, to)) return 'the release store comes last';
  if (r.addr!.has(from, to)) return 'an address dependency';
  if (r.data!.has(from, to)) return 'a data dependency';
  if (r.ctrl!.has(from, to)) return 'a control dependency';
  if (r.overwrite!.has(from, to)) return 'the same location, written after (overwrite & int)';
  if (r['po-unlock-rf-lock-po']!.has(from, to)) return 'an unlock and a later lock of the same lock';
  return 'a dependency through a store to the same CPU (dep ; rfi)';
}

function pbEdge(c: Candidate, m: ModelResult, from: number, to: number): Edge {
  const r = m.rel;
  for (const x of c.skeleton.events) {
    if (!r.prop!.has(from, x.id)) continue;
    for (const y of c.skeleton.events) {
      if (!r['strong-fence']!.has(x.id, y.id) || !r['hb*']!.has(y.id, to)) continue;
      const via = [
        ...(from === x.id ? [] : propSteps(c, m, from, x.id)),
        { from: x.id, to: y.id, relation: 'strong-fence', why: ppoWhy(c, m, x.id, y.id) },
        ...path(r.hb!, y.id, to).map(([a, b]) => hbEdge(c, m, a, b)),
      ];
      return { from, to, relation: 'pb', why: 'prop ; strong-fence ; hb*', via };
    }
  }
  return { from, to, relation: 'pb', why: 'prop ; strong-fence ; hb*' };
}

function fenceName(annot: string): string {
  return annot === 'sync-rcu' ? 'synchronize_rcu()' : annot === 'rcu-lock' ? 'rcu_read_lock()' : annot === 'rcu-unlock' ? 'rcu_read_unlock()'
    : annot === 'barrier' ? 'barrier()' : `smp_${annot.replace(/-/g, '_').replace(/^(before|after)/, 'mb__$1')}()`;
}

/** The shortest cycle of a relation, as its nodes in order (breadth-first from each node). */
export function shortestCycle(rel: Relation): number[] | null {
  let best: number[] | null = null;
  for (let s = 0; s < rel.n; s++) {
    const prev = new Map<number, number>();
    const queue = [s];
    let found: number | null = null;
    for (let q = 0; q < queue.length && found === null; q++) {
      const u = queue[q]!;
      for (let v = 0; v < rel.n; v++) {
        if (!rel.has(u, v)) continue;
        if (v === s) { found = u; break; }
        if (!prev.has(v)) { prev.set(v, u); queue.push(v); }
      }
    }
    if (found === null) continue;
    const path = [found];
    while (path[0] !== s) path.unshift(prev.get(path[0]!)!);
    if (!best || path.length < best.length) best = path;
  }
  return best;
}
