/**
 * A liveness counterexample in the trace view: the rows that make a lasso
 * read as one. The trace's steps are the stem then the cycle
 * (LassoReport); the cycle's rows are tinted and joined by a bracket down
 * the step numbers, from a row "from here steps #k..#n repeat for ever"
 * above the cycle's first step to a row below its last that links back
 * to that first step. A run that stops gets a row saying so instead. The
 * run position where the property is lost (P holds, for leads-to; Q never
 * holds again from there) gets a ◆ row under its state, and under the
 * violation each instance's fairness: the text report's words
 * (report/lasso.ts), so both say the same.
 *
 * Every name and model text goes through `esc`.
 */
import type { Program } from '../lower/ir.ts';
import { statementText } from '../explore/evaluate.ts';
import type { LassoReport, PropertyVerdict } from '../explore/verdict.ts';
import { cycleHeading, END_TEXT, instanceText, loopText, starvedNames, TERMINAL_FAIR } from '../report/lasso.ts';
import { assertNever } from '../util.ts';
import { esc, laneColour } from './markup.ts';

/** Whether the row of step `index` (1-based) is on the cycle. */
export function onCycle(lasso: LassoReport | undefined, index: number): boolean {
  return lasso?.end === 'cycle' && index > lasso.loopStart;
}

/**
 * Whether a row placed after step `position` (0: after the initial state)
 * and before the next step stands inside the cycle's bracket: the rows
 * between two cycle steps do, and so do those after the last one, above
 * the row that links back.
 */
function insideBracket(lasso: LassoReport, position: number): boolean {
  return lasso.end === 'cycle' && position > lasso.loopStart;
}

function stepLink(traceId: string, index: number): string {
  return `<a class="goto" href="#${traceId}-${index}">#${index}</a>`;
}

/** The row above the cycle's first step (step #loopStart+1). */
export function loopStartRow(lasso: LassoReport, steps: number, width: number): string {
  return `<tr class="loop loop-start" data-testid="loop-start" data-step="${lasso.loopStart + 1}"><td class="n" aria-hidden="true"></td>` +
    `<td colspan="${width - 1}"><span class="loop-note"><span class="loop-icon" aria-hidden="true">↻</span> ${esc(loopText(lasso, steps))}</span></td></tr>`;
}

/** The row below the cycle's last step: the run is back where the cycle started, and the link goes there. */
export function loopBackRow(lasso: LassoReport, steps: number, width: number, traceId: string): string {
  const first = lasso.loopStart + 1;
  const start = lasso.loopStart === 0 ? 'the initial state' : `the state after #${lasso.loopStart}`;
  return `<tr class="loop loop-back" data-testid="loop-back" data-step="${first}"><td class="n" aria-hidden="true"></td>` +
    `<td colspan="${width - 1}"><span class="loop-note"><span class="loop-icon" aria-hidden="true">↺</span> back to ${stepLink(traceId, first)}: the state after #${steps} is ${esc(start)}, so the cycle repeats for ever</span></td></tr>`;
}

/** The row after the last step of a run that stops. */
export function stopsRow(width: number): string {
  return `<tr class="stops" data-testid="run-stops"><td class="n" aria-hidden="true">■</td><td colspan="${width - 1}">${esc(END_TEXT)}</td></tr>`;
}

/**
 * The ◆ row under the state at `lasso.triggerAt`: where P holds for
 * leads-to, from where Q never holds for the other forms. It names the
 * property's own expressions, as the verdict's message does.
 */
export function triggerRow(program: Program, v: PropertyVerdict, lasso: LassoReport, width: number): string {
  const p = program.properties.find((x) => x.name === v.property);
  if (p?.kind !== 'liveness') return '';
  const q = `<code>${esc(statementText(program, p.qSpan))}</code>`;
  let text: string;
  switch (p.form) {
    case 'leadsTo': text = `${p.pSpan ? `<code>${esc(statementText(program, p.pSpan))}</code>` : 'P'} holds here, and ${q} never holds from here on`; break;
    case 'eventually': text = `from here on ${q} never holds`; break;
    case 'alwaysEventually': text = `from here on ${q} never holds again`; break;
    default: return assertNever(p.form);
  }
  const classes = ['trigger', insideBracket(lasso, lasso.triggerAt) && 'cycle'].filter(Boolean).join(' ');
  return `<tr class="${classes}" data-testid="trigger" data-step="${lasso.triggerAt}"><td class="n" title="where the property is lost">◆</td><td colspan="${width - 1}">${text}</td></tr>`;
}

/** Under the violation: why the run is fair to each instance, and who it starves. */
export function fairnessRow(lasso: LassoReport, width: number): string {
  if (lasso.end === 'terminal') {
    return `<tr class="fairness" data-testid="fairness"><td class="n"></td><td colspan="${width - 1}"><p class="fair-head">${esc(TERMINAL_FAIR)}</p></td></tr>`;
  }
  const items = lasso.instances.map((i) => {
    const starved = lasso.starved.includes(i.instance);
    return `<li class="${laneColour(i.instance)}${starved ? ' starved' : ''}" data-testid="fair" data-instance="${esc(i.instanceName)}" data-respected="${i.respected}">` +
      `<span class="who">${esc(i.instanceName)}</span> <span class="tag">${esc(i.fairness)}</span>${starved ? ' <span class="badge starved">starved</span>' : ''} <span class="how">${esc(instanceText(i))}</span></li>`;
  });
  const starved = starvedNames(lasso);
  return `<tr class="fairness" data-testid="fairness"><td class="n"></td><td colspan="${width - 1}">` +
    `<p class="fair-head">${esc(cycleHeading(lasso))}:</p><ul class="fair">${items.join('')}</ul>` +
    (starved.length ? `<p class="starved-list" data-testid="starved">starved: ${starved.map((n) => `<strong>${esc(n)}</strong>`).join(', ')}</p>` : '') +
    `</td></tr>`;
}

/** The instances a lasso starves get a lane too, even when they never move: they are the point of the counterexample. */
export function starvedLanes(lasso: LassoReport | undefined): readonly number[] {
  return lasso?.end === 'cycle' ? lasso.starved : [];
}
