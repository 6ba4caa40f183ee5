/**
 * Partial-order reduction by persistent sets, chosen per state at the
 * granularity of instances (Godefroid, "Partial-Order Methods for the
 * Verification of Concurrent Systems", 1996, the conflicting-process
 * closure; Valmari's stubborn sets with a process's steps at its pc taken
 * together). From a state, the search takes the steps of a set S of
 * instances instead of all of them, when
 *
 *   C1 (persistence) S is closed: for each member's step at its pc that is
 *      enabled, every other instance that can still reach (from its own pc,
 *      in its actor's control flow) a step that conflicts with it is in S;
 *      for each member's step that is disabled, every instance that can
 *      reach a step writing what its guard reads is in S. No run of
 *      outsiders can then touch what S's steps do, nor enable one of them;
 *   C2 (invisibility) no enabled step of S writes what a state property
 *      reads (invariants, reachable targets, the `at` and locals they name)
 *      or may fail (asserts, warnings, ranges, locking: events the search
 *      reports, treated as visible);
 *   C0 S has an enabled step, and leaves out some enabled instance (else
 *      there is nothing to reduce).
 *
 * The cycle proviso (C3) depends on the search order, so the explorer
 * applies it: breadth-first, a reduced state is accepted only when every
 * successor it takes lies on the next level (new, or first found there),
 * so that every cycle of the reduced graph has a state expanded fully
 * (explore/compiled.ts). Conditions C0-C3 preserve every reachable
 * valuation of what the properties read, deadlocks, and every failing step
 * (visible steps are only ever taken in full expansions of the same
 * valuations), so invariants, reachable targets, deadlock, asserts,
 * warnings, ranges and locking get the verdicts of the full search.
 * Liveness is not preserved under the explorer's fairness and is refused.
 *
 * Of the candidate sets (one closure from each enabled instance) the one
 * with the fewest enabled steps is taken, ties to the lowest instance: the
 * choice depends on the state alone, so the reduced search is as
 * deterministic as the full one.
 */
import type { Program } from '../../lower/ir.ts';
import type { Layout } from '../../emit/layout.ts';
import { conflict, guardReads, overlaps, propertyReads, stepFootprint, type Footprint, type Range } from './footprint.ts';

/** Per step of one instance: what it needs of the others. */
interface StepInfo {
  readonly visible: boolean;
  /** Per other instance, per pc of its actor: 1 when from there it can reach a step conflicting with this one. */
  readonly conflicts: readonly (Uint8Array | null)[];
  /** Per other instance, per pc: 1 when from there it can reach a step writing what this step's guard reads. */
  readonly enablers: readonly (Uint8Array | null)[];
}

export class StubbornSets {
  private readonly footprints: Footprint[][];
  private readonly visibleReads: readonly Range[];
  /** Per actor, per pc: the steps its instances can take from there on, the pc's own included. */
  private readonly reach: readonly (readonly (readonly number[])[])[];
  private readonly infos = new Map<number, StepInfo>();
  private readonly inS: Uint8Array;
  private readonly members: number[] = [];

  constructor(
    private readonly program: Program,
    private readonly layout: Layout,
  ) {
    this.footprints = program.instances.map((inst, i) => program.steps.map((s) => (s.actor === inst.actor ? stepFootprint(program, layout, i, s) : NONE)));
    this.visibleReads = propertyReads(program, layout);
    this.reach = program.actors.map((a) => a.stepsAt.map((_, pc) => reachable(program, a.stepsAt, pc)));
    this.inS = new Uint8Array(program.instances.length);
  }

  /** Is step `step` of `instance` visible (C2)? */
  visible(instance: number, step: number): boolean {
    return this.info(instance, step).visible;
  }

  /**
   * The instances whose steps to take in a state where `pcs[i]` is instance
   * i's pc and `enabled(i, step)` says which steps are enabled, or null to
   * take all (no persistent set smaller than the enabled ones). `candidates`
   * are the instances with an enabled step, in instance order.
   */
  choose(pcs: ArrayLike<number>, enabled: (instance: number, step: number) => boolean, candidates: readonly number[]): readonly number[] | null {
    if (candidates.length < 2) return null;
    let best: number[] | null = null;
    let bestSteps = Infinity;
    for (const start of candidates) {
      const r = this.closure(start, pcs, enabled, bestSteps);
      if (r === null) continue;
      const set = this.members.filter((i) => candidates.includes(i));
      if (set.length === candidates.length) continue;
      best = set;
      bestSteps = r;
      if (r === 1) break;
    }
    return best;
  }

  /**
   * Builds the closure of `start` in this.members; returns its number of
   * enabled steps, or null when it has a visible enabled step or cannot
   * beat `limit`.
   */
  private closure(start: number, pcs: ArrayLike<number>, enabled: (instance: number, step: number) => boolean, limit: number): number | null {
    const { inS, members } = this;
    for (const m of members) inS[m] = 0;
    members.length = 0;
    members.push(start);
    inS[start] = 1;
    let steps = 0;
    let ok = true;
    for (let k = 0; k < members.length && ok; k++) {
      const j = members[k]!;
      const actor = this.program.actors[this.program.instances[j]!.actor]!;
      for (const t of actor.stepsAt[pcs[j]!] ?? []) {
        const info = this.info(j, t);
        const on = enabled(j, t);
        if (on) {
          if (info.visible || ++steps >= limit) {
            ok = false;
            break;
          }
        }
        const needs = on ? info.conflicts : info.enablers;
        for (let o = 0; o < needs.length; o++) {
          const byPc = needs[o];
          if (byPc && !inS[o] && byPc[pcs[o]!]) {
            inS[o] = 1;
            members.push(o);
          }
        }
      }
    }
    return ok ? steps : null;
  }

  private info(instance: number, step: number): StepInfo {
    const key = instance * this.program.steps.length + step;
    let info = this.infos.get(key);
    if (!info) {
      const program = this.program;
      const fp = this.footprints[instance]![step]!;
      const guard = guardReads(program, this.layout, instance, program.steps[step]!);
      const byPc = (test: (other: Footprint) => boolean) =>
        program.instances.map((inst, o) => {
          if (o === instance) return null;
          const hits = new Set(program.steps.filter((s) => s.actor === inst.actor && test(this.footprints[o]![s.id]!)).map((s) => s.id));
          if (hits.size === 0) return null;
          return Uint8Array.from(this.reach[inst.actor]!, (steps) => (steps.some((s) => hits.has(s)) ? 1 : 0));
        });
      info = {
        visible: fp.mayFail || overlaps(fp.writes, this.visibleReads),
        conflicts: byPc((other) => conflict(fp, other)),
        enablers: byPc((other) => overlaps(other.writes, guard)),
      };
      this.infos.set(key, info);
    }
    return info;
  }
}

const NONE: Footprint = { reads: [], writes: [], mayFail: false };

/** The steps reachable from `pc` through the actor's control flow (steps at pc first). */
function reachable(program: Program, stepsAt: readonly (readonly number[])[], pc: number): number[] {
  const seen = new Set<number>([pc]);
  const out: number[] = [];
  const todo = [pc];
  while (todo.length) {
    const p = todo.pop()!;
    for (const s of stepsAt[p] ?? []) {
      out.push(s);
      const next = program.steps[s]!.next;
      if (!seen.has(next)) {
        seen.add(next);
        todo.push(next);
      }
    }
  }
  return out;
}
