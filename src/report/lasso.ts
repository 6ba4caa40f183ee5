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

/**
 * The length in a verdict table cell: `3+2` for a stem of 3 steps then a
 * cycle of 2 (`0+3`: the cycle starts at the initial state), `3, stops` for
 * a run of 3 steps that stops. TABLE_LEGEND says so under the table.
 */
export function lassoCell(lasso: LassoReport, steps: number): string {
  switch (lasso.end) {
    case 'cycle': return `${lasso.loopStart}+${steps - lasso.loopStart}`;
    case 'terminal': return `${steps}, stops`;
    default: return assertNever(lasso.end);
  }
}

export const TABLE_LEGEND = '(s+c) is a liveness lasso: a stem of s steps, then a cycle of c steps that repeats for ever; (n, stops) a run of n steps that stops where no instance can move';

/** `from here steps #3..#5 repeat for ever`: where the cycle's first step (#loopStart+1) starts, up to #steps. */
export function loopText(lasso: LassoReport, steps: number): string {
  const k = lasso.loopStart + 1;
  return k === steps ? `from here step #${k} repeats for ever` : `from here steps #${k}..#${steps} repeat for ever`;
}

/** The line before the cycle's first step (#loopStart+1 .. #steps). */
export function loopLine(lasso: LassoReport, steps: number): string {
  return `  -- ${loopText(lasso, steps)} --`;
}

export const END_TEXT = 'the run stops here: no instance can move';
export const END_LINE = `  -- ${END_TEXT} --`;

/** Why a run that stops is fair, whatever the instances' fairness. */
export const TERMINAL_FAIR = 'a run that stops where no instance can move is fair: nothing is owed to an instance that cannot move';

/** `on the cycle (3 states)`: the heading of the per-instance fairness report. */
export function cycleHeading(lasso: LassoReport): string {
  return `on the cycle (${count(lasso.instances[0]?.positions ?? 0, 'state')})`;
}

/** The starved instances' names, in instance order. */
export function starvedNames(lasso: LassoReport): string[] {
  return lasso.instances.filter((i) => lasso.starved.includes(i.instance)).map((i) => i.instanceName);
}

/** Under the ✗ line: each instance on the repeated part, and why the run is fair to it. */
export function fairnessLines(lasso: LassoReport): string[] {
  if (lasso.end === 'terminal') return [`    ${TERMINAL_FAIR}`];
  const width = Math.max(...lasso.instances.map((i) => `${i.instanceName} (${i.fairness})`.length));
  const lines = [`    ${cycleHeading(lasso)}:`];
  for (const i of lasso.instances) lines.push(`      ${`${i.instanceName} (${i.fairness})`.padEnd(width)}  ${instanceText(i)}`);
  const starved = starvedNames(lasso);
  if (starved.length) lines.push(`    starved: ${starved.join(', ')}`);
  return lines;
}

/** How the cycle treats one instance's fairness, in a sentence (the text report's and the HTML view's). */
export function instanceText(i: LassoInstance): string {
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
