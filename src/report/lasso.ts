/**
 * The words of a liveness counterexample in the text report: how long the
 * stem and the cycle are, where the cycle starts, and for each instance
 * how the repeated part treats its fairness, so a reader can see why the
 * run counts as fair (explore/liveness.ts defines a fair run).
 */
import { assertNever } from '../util.ts';
import type { LassoInstance, LassoReport } from '../explore/verdict.ts';

/** `a run of 2 steps, then 3 steps repeating for ever`, or `a run that stops after 3 steps`. */
export function lassoLength(lasso: LassoReport, steps: number): string {
  const cycle = steps - lasso.loopStart;
  if (lasso.end === 'terminal') return steps === 0 ? 'by a run that stops in the initial state' : `by a run that stops after ${count(steps)}`;
  return lasso.loopStart === 0 ? `by a cycle of ${count(cycle)} from the initial state` : `by ${count(lasso.loopStart)}, then a cycle of ${count(cycle)}`;
}

/** The line before the cycle's first step (#loopStart+1 .. #steps). */
export function loopLine(lasso: LassoReport, steps: number): string {
  const k = lasso.loopStart + 1;
  return k === steps ? `  -- from here step #${k} repeats for ever --` : `  -- from here steps #${k}..#${steps} repeat for ever --`;
}

export const END_LINE = '  -- the run stops here: no instance can move --';

/** Under the ✗ line: each instance on the repeated part, and why the run is fair to it. */
export function fairnessLines(lasso: LassoReport): string[] {
  if (lasso.end === 'terminal') return ['    a run that stops where no instance can move is fair: nothing is owed to an instance that cannot move'];
  const width = Math.max(...lasso.instances.map((i) => `${i.instanceName} (${i.fairness})`.length));
  const lines = [`    on the cycle (${count(lasso.instances[0]?.positions ?? 0, 'state')}):`];
  for (const i of lasso.instances) lines.push(`      ${`${i.instanceName} (${i.fairness})`.padEnd(width)}  ${instanceText(i)}`);
  const starved = lasso.instances.filter((i) => lasso.starved.includes(i.instance)).map((i) => i.instanceName);
  if (starved.length) lines.push(`    starved: ${starved.join(', ')}`);
  return lines;
}

function instanceText(i: LassoInstance): string {
  const enabled = `can move at ${i.enabledAt} of ${i.positions} cycle states and never does`;
  switch (i.respected) {
    case 'moves': return `moves ${count(i.moves, 'time')} in each round`;
    case 'disabled-throughout': return 'cannot move anywhere on the cycle: nothing is owed to it';
    case 'disabled-somewhere':
      return `${enabled}: fair, weak fairness is owed only to an instance that can move at every state from some point on, and it cannot move ${i.disabledAt === null ? 'at some state' : i.disabledAt === 0 ? 'in the initial state' : `in the state after step #${i.disabledAt}`} (strong fairness would rule this run out)`;
    case 'unconstrained':
      return i.moves > 0 ? `moves ${count(i.moves, 'time')} in each round` : i.enabledAt === 0 ? 'cannot move anywhere on the cycle' : `${enabled}: fair, it is owed nothing (fairness none)`;
    case 'violated': return `${enabled}: this run is not fair to it (a bug in Weft: such a run is no counterexample)`;
    default: return assertNever(i.respected);
  }
}

function count(n: number, word = 'step'): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
