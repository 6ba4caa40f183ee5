/**
 * The LKMM mode's entry: every candidate execution of a memory program
 * (threads.ts, candidates.ts), the ones the model allows (model.ts), and
 * herd7's verdict on its condition: how many allowed executions satisfy
 * it and how many do not, with the first of each kept for explanations.
 */
import { candidates, product, skeleton, type Candidate } from './candidates.ts';
import { lkmm, type ModelResult } from './model.ts';
import { threadRuns, valueSets, sameValue, LkmmError } from './threads.ts';
import type { CondTerm, MemCond, MemProgram, MemVerdict, Value } from './program.ts';

export interface LkmmRun {
  readonly verdict: MemVerdict;
  /** An allowed execution that satisfies the condition, and one that does not (null when there is none). */
  readonly witness: { readonly candidate: Candidate; readonly model: ModelResult } | null;
  readonly counter: { readonly candidate: Candidate; readonly model: ModelResult } | null;
  /**
   * A candidate that satisfies the condition but the model forbids, for
   * explaining a Never: one that breaks hb, pb or rb rather than
   * coherence alone where there is one (those are what barriers decide).
   */
  readonly forbidden: { readonly candidate: Candidate; readonly model: ModelResult } | null;
  /** Candidates looked at, allowed or not. */
  readonly candidates: number;
}

export { LkmmError };

export function checkLkmm(program: MemProgram): LkmmRun {
  const values = valueSets(program);
  const runs = program.threads.map((t) => threadRuns(t, values));
  let positive = 0, negative = 0, looked = 0;
  const flags = new Set<string>();
  let witness: LkmmRun['witness'] = null, counter: LkmmRun['counter'] = null, forbidden: LkmmRun['forbidden'] = null;
  for (const choice of product(runs)) {
    const sk = skeleton(program, choice);
    for (const c of candidates(sk)) {
      looked++;
      const model = lkmm(c);
      if (program.filter && !holds(program.filter, c)) continue;
      if (model.failed.length > 0) {
        const better = !forbidden || (forbidden.model.failed.includes('coherence') && !model.failed.includes('coherence'));
        if (better && holds(program.condition, c)) forbidden = { candidate: c, model };
        continue;
      }
      model.flags.forEach((f) => flags.add(f));
      if (holds(program.condition, c)) { positive++; witness ??= { candidate: c, model }; }
      else { negative++; counter ??= { candidate: c, model }; }
    }
  }
  const observation = positive === 0 ? 'Never' : negative === 0 ? 'Always' : 'Sometimes';
  return { verdict: { observation, positive, negative, flags: [...flags].sort() }, witness, counter, forbidden, candidates: looked };
}

/** The condition on an execution's final registers and memory. */
export function holds(cond: MemCond, c: Candidate): boolean {
  switch (cond.kind) {
    case 'true': return true;
    case 'not': return !holds(cond.operand, c);
    case 'and': return holds(cond.left, c) && holds(cond.right, c);
    case 'or': return holds(cond.left, c) || holds(cond.right, c);
    case 'eq': { const v = termValue(cond.left, c); return v !== null && sameValue(v, cond.right); }
  }
}

export function termValue(t: CondTerm, c: Candidate): Value | null {
  if (t.kind === 'loc') return c.final.get(t.name) ?? null;
  return c.skeleton.runs[t.thread]?.registers.get(t.reg) ?? 0;
}
