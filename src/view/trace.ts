/**
 * One trace as a table of lanes: a column per actor instance that takes a
 * step in it (or is stuck in a deadlock), a row per step with the step's
 * card in its instance's lane, then the verdict row and, for a deadlock,
 * where each instance waits. Under every step row is a hidden row with the
 * full state after that step, which the page script reveals on a click.
 * The two steps whose order decides a violation (report/decisive.ts) are
 * marked `▶`, as in the text report. A liveness counterexample's cycle,
 * or the end of a run that stops, is drawn by view/lasso.ts.
 */
import type { Program } from '../lower/ir.ts';
import { conditionText, propertyText, shownReads, type Condition, type ReadValue, type Trace, type TraceStep } from '../explore/trace.ts';
import type { PropertyVerdict } from '../explore/verdict.ts';
import type { ExpectationOutcome } from '../report/expectations.ts';
import type { SourceFile } from '../text/source.ts';
import { esc, idPart, laneColour, lineLink, lineOf, plural } from './markup.ts';
import { decisiveSteps } from '../report/decisive.ts';
import { lassoLength } from '../report/lasso.ts';
import { renderState } from './state.ts';
import { fairnessRow, loopBackRow, loopStartRow, onCycle, starvedLanes, stopsRow, triggerRow } from './lasso.ts';

/** `invariant pin_keeps_fs_data`, `assert assertions`; built-in properties by name alone: `deadlock`. */
export function titleOf(v: PropertyVerdict): string {
  return v.kind === v.property ? v.property : `${v.kind} ${v.property}`;
}

/**
 * `trace-<property>`; on the page of every variant (`scope`, the variant's
 * name) `v-<variant>-trace-<property>`, unique across the variants
 * (identifiers have no `-`, and idPart escapes anything else).
 */
export function traceId(v: PropertyVerdict, scope?: string): string {
  return `${scope === undefined ? '' : `v-${idPart(scope)}-`}trace-${idPart(v.property)}`;
}

/**
 * What the model's expect lines say of a verdict: `expected` when a line
 * names it with this verdict, `unexpected` when the verdict is not what a
 * line says (or is a violation no line names), null when nothing is said
 * (a property that holds needs no line) or the outcomes are not known.
 */
export type Expectedness = 'expected' | 'unexpected' | null;

export function expectednessOf(outcomes: readonly ExpectationOutcome[] | undefined, property: string): Expectedness {
  const mine = (outcomes ?? []).filter((o) => o.property === property);
  if (mine.some((o) => o.met === false)) return 'unexpected';
  return mine.some((o) => o.met === true && o.at) ? 'expected' : null;
}

/** The words beside a verdict the expect lines settle. */
export function expectedTag(e: Expectedness): string {
  if (e === 'expected') return ' <span class="badge expected" data-testid="expected" title="as the model\'s expect line says">expected</span>';
  if (e === 'unexpected') return ' <span class="badge unexpected" data-testid="unexpected" title="not as the model\'s expect lines say">not expected</span>';
  return '';
}

export interface TraceOptions {
  /** The trace's element id (traceId), its steps' ids after it. */
  readonly id?: string;
  /** What the expect lines say of this verdict: an expected violation is drawn as expected, not as a failure. */
  readonly expected?: Expectedness;
}

/** `after 17 steps`, `in 12 steps`, `in the initial state`; for a lasso `by 2 steps, then a cycle of 3 steps` (as the text report). */
export function lengthText(v: PropertyVerdict, trace: Trace): string {
  const n = trace.steps.length;
  if (v.lasso) return lassoLength(v.lasso, n);
  if (n === 0) return 'in the initial state';
  return v.status === 'reached' ? `in ${plural(n, 'step')}` : `after ${plural(n, 'step')}`;
}

/** The instances with a lane, in program order: those that take a step, those a deadlock leaves waiting, those a cycle starves. */
export function lanesOf(trace: Trace, v?: PropertyVerdict): number[] {
  const used = new Set<number>(trace.steps.map((s) => s.instance));
  for (const b of trace.failure?.blocked ?? []) used.add(b.instance);
  for (const i of starvedLanes(v?.lasso)) used.add(i);
  return [...used].sort((a, b) => a - b);
}

function laneCell(instance: number, content: string, extra = ''): string {
  return `<td class="lane ${laneColour(instance)}${extra}">${content}</td>`;
}

/** `warns`: the step that recorded the warning a warning's trace ends at (it goes on, with its changes). */
function stepCard(step: TraceStep, warns = false): string {
  const path = step.callPath.slice(1);
  const changes = step.changes.map((c) =>
    `<li><code class="path">${esc(c.path)}</code> <span class="values"><span class="old">${esc(c.before)}</span><span class="arrow" aria-label="becomes"> → </span><span class="new">${esc(c.after)}</span></span></li>`);
  const reads = shownReads(step).map((r) => `<li><span class="read">read</span> ${readHtml(r)}</li>`);
  return [
    `<div class="card">`,
    `<div class="label"><code>${esc(step.label)}</code>${step.failed ? ' <span class="badge violated">fails</span>' : warns ? ' <span class="badge violated">warns</span>' : ''}</div>`,
    path.length ? `<div class="callpath" title="${esc(step.callPath.join(' › '))}">${path.map((p) => `<span>${esc(p)}</span>`).join('&nbsp;› ')}</div>` : '',
    step.condition ? conditionHtml(step.condition) : '',
    reads.length ? `<ul class="reads" data-testid="reads">${reads.join('')}</ul>` : '',
    changes.length ? `<ul class="changes">${changes.join('')}</ul>` : '',
    `</div>`,
  ].join('');
}

/** `b = 1`, as the text report's `read b = 1`. */
function readHtml(r: ReadValue): string {
  return `<code class="path">${esc(r.path)}</code> = <span class="value">${esc(r.value)}</span>`;
}

/** `if (x > 0) is false because x = 0`, as the text report says it. */
function conditionHtml(c: Condition): string {
  const because = c.reads.length ? ` because ${c.reads.map(readHtml).join(', ')}` : '';
  return `<div class="condition" data-testid="condition"><code>${esc(c.text)}</code> is <span class="outcome ${c.holds}">${c.holds}</span>${because}</div>`;
}

export function renderTrace(program: Program, file: SourceFile, v: PropertyVerdict, trace: Trace, open: boolean, opts: TraceOptions = {}): string {
  const { lasso } = v;
  const id = opts.id ?? traceId(v);
  const expected = opts.expected ?? null;
  const lanes = lanesOf(trace, v);
  const starved = new Set(starvedLanes(lasso));
  // A trace without steps (violated in the initial state) still gets one, empty, lane column.
  const laneColumns = Math.max(lanes.length, 1);
  const width = laneColumns + 2;
  const decisive = decisiveSteps(program, v);
  const marked = new Set(decisive ? [decisive.first, decisive.second] : []);
  const head = lanes.map((i) => {
    const inst = program.instances[i]!;
    const daemon = program.actors[inst.actor]!.daemon ? ' <span class="tag">daemon</span>' : '';
    const starves = starved.has(i) ? ' <span class="tag starved" title="can move on the cycle and never does">starved</span>' : '';
    return `<th scope="col" class="lane ${laneColour(i)}" data-testid="lane" data-lane="${esc(inst.name)}">${esc(inst.name)}${daemon}${starves}</th>`;
  });
  // Rows a lasso adds after the state at each run position: its ◆ and, above the cycle's first step, the loop start.
  const after = (position: number): string[] => !lasso ? [] : [
    ...(position === lasso.triggerAt ? [triggerRow(program, v, lasso, width)] : []),
    ...(lasso.end === 'cycle' && position === lasso.loopStart ? [loopStartRow(lasso, trace.steps.length, width)] : []),
  ].filter((r) => r !== '');
  const body: string[] = [
    `<tr class="step initial" data-testid="initial" data-step="0" tabindex="0" aria-expanded="false"><td class="n">0</td><td class="init" colspan="${laneColumns}">initial state</td><td class="where"></td></tr>`,
    stateRow(0, width, renderState(program, file, trace.initial, null)),
    ...after(0),
  ];
  for (const s of trace.steps) {
    const final = s.index === trace.steps.length;
    const cycle = onCycle(lasso, s.index);
    // A lasso's last step is no more at fault than any other: the whole run is the counterexample.
    const classes = ['step', s.failed && 'failed', final && v.status === 'violated' && !lasso && 'final', final && v.status === 'reached' && 'goal', marked.has(s.index) && 'decisive', cycle && 'cycle'];
    const line = lineOf(file, s.span);
    const mark = marked.has(s.index) ? '<span class="mark" title="one of the two steps whose order decides the violation">▶</span>' : '';
    body.push(
      `<tr class="${classes.filter(Boolean).join(' ')}" id="${id}-${s.index}" data-testid="step" data-step="${s.index}" data-instance="${esc(s.instanceName)}" data-line="${line}" tabindex="0" aria-expanded="false">` +
      `<td class="n">${mark}${s.index}</td>${lanes.map((i) => laneCell(i, i === s.instance ? stepCard(s, final && v.kind === 'warning') : '', cycle && starved.has(i) ? ' starved' : '')).join('')}<td class="where">${lineLink(file, line)}</td></tr>`,
      stateRow(s.index, width, renderState(program, file, s.state, s), cycle),
      ...after(s.index),
    );
  }
  if (lasso?.end === 'cycle') body.push(loopBackRow(lasso, trace.steps.length, width, id));
  if (lasso?.end === 'terminal') body.push(stopsRow(width));
  body.push(...verdictRows(program, file, v, trace, lanes, width, expected));
  if (lasso) body.push(fairnessRow(lasso, width));
  if (decisive) {
    const name = (i: number): string => {
      const s = trace.steps[i - 1]!;
      return `<a class="goto" href="#${id}-${i}">#${i}</a> (${esc(s.instanceName)} <code>${esc(s.label)}</code>)`;
    };
    body.push(`<tr class="decided" data-testid="decisive"><td class="n mark">▶</td><td colspan="${width - 1}">decided by the order of ${name(decisive.first)} and ${name(decisive.second)}: ${decisive.paths.map((p) => `<code>${esc(p)}</code>`).join(', ')}</td></tr>`);
  }
  const badge = v.status === 'violated' && v.kind === 'deadlock' ? 'deadlock' : v.status;
  return [
    `<details class="trace ${v.status}${expected ? ` ${expected}` : ''}" id="${id}" data-testid="trace" data-property="${esc(v.property)}" data-status="${v.status}"${expected ? ` data-expected="${expected === 'expected'}"` : ''}${lasso ? ` data-lasso="${lasso.end}" data-loop-start="${lasso.loopStart}"` : ''}${open ? ' open' : ''}>`,
    `<summary><h2><span class="badge ${v.status}">${badge}</span>${expectedTag(expected)} <span class="name">${esc(titleOf(v))}</span> <span class="len">${esc(lengthText(v, trace))}</span></h2></summary>`,
    `<div class="scroll"><table class="lanes" data-testid="trace-table" style="--lanes: ${laneColumns}; --lane-min: ${laneMin(program, trace, lanes)}px">`,
    `<thead><tr><th scope="col" class="n">#</th>${lanes.length ? head.join('') : '<th scope="col"></th>'}<th scope="col" class="where">source</th></tr></thead>`,
    `<tbody>`,
    ...body,
    `</tbody></table></div>`,
    `</details>`,
  ].join('\n');
}

/**
 * How wide a lane must be, in CSS pixels, for the longest word of any card
 * in the trace to fit on one line: a step's label (12px), a name of its
 * call path, a condition's or a read's word, a change (`path old → new`,
 * kept on one line; 11.5px), or an instance's name in the lane head
 * (14px). Monospace glyphs are 0.6em wide (DejaVu Sans Mono, Menlo, SF
 * Mono; Consolas is narrower), plus the card's and the cell's padding. At
 * least 160px (10rem), the width lanes had before.
 */
export function laneMin(program: Program, trace: Trace, lanes: readonly number[]): number {
  const words = (text: string): number => Math.max(0, ...text.split(/\s+/).map((w) => [...w].length));
  let px = Math.max(0, ...lanes.map((i) => [...program.instances[i]!.name].length * 14 * 0.62 + 40));
  for (const s of trace.steps) {
    px = Math.max(px, [...s.label].length * 12 * 0.6);
    for (const p of s.callPath.slice(1)) px = Math.max(px, ([...p].length + 2) * 11.5 * 0.6);
    for (const c of s.changes) px = Math.max(px, words(c.path) * 11.5 * 0.6, ([...c.before].length + [...c.after].length + 3) * 11.5 * 0.6);
    if (s.condition) px = Math.max(px, words(conditionText(s.condition)) * 11.5 * 0.6);
    for (const r of shownReads(s)) px = Math.max(px, words(`${r.path} = ${r.value}`) * 11.5 * 0.6);
  }
  return Math.max(160, Math.ceil(px + 34));
}

/**
 * The hidden row under step `index` (0: the initial state) that the page
 * script reveals. Its panel waits in a <template> until then: a page of
 * many traces (the page of every variant) then parses it, but does not
 * build it into the document, so the page opens and answers faster.
 */
function stateRow(index: number, width: number, content: string, cycle = false): string {
  return `<tr class="state-row${cycle ? ' cycle' : ''}" data-testid="state" data-step="${index}" hidden><td colspan="${width}"><template>${content}</template></td></tr>`;
}

function verdictRows(program: Program, file: SourceFile, v: PropertyVerdict, trace: Trace, lanes: readonly number[], width: number, expected: Expectedness): string[] {
  if (v.status === 'reached') {
    const line = v.span ? lineOf(file, v.span) : null;
    const text = v.span ? `: <code>${esc(propertyText(program, v.span))}</code>` : '';
    return [`<tr class="verdict reached" data-testid="witness"${line ? ` data-line="${line}"` : ''}><td class="n">✓</td><td colspan="${width - 2}"><strong>${esc(titleOf(v))}</strong> reached${text}</td><td class="where">${line ? lineLink(file, line) : ''}</td></tr>`];
  }
  const f = trace.failure;
  const message = f?.message ?? v.message ?? '';
  const span = f?.span ?? v.span;
  const line = span ? lineOf(file, span) : null;
  // A lasso's verdict also says where the property is lost (the text report's line under the ✗).
  const why = v.lasso && v.message ? `<div class="why" data-testid="why">${esc(v.message)}</div>` : '';
  const rows = [
    `<tr class="verdict violated${expected ? ` ${expected}` : ''}" data-testid="violation"${line ? ` data-line="${line}"` : ''}><td class="n">✗</td><td colspan="${width - 2}"><strong>${esc(titleOf(v))}</strong>${v.kind === 'deadlock' ? '' : ' violated'}${message ? `: <span class="message">${esc(message)}</span>` : ''}${expected === 'expected' ? ' <span class="expect-note" data-testid="expect-note">— expected: the model\'s expect line says so</span>' : expected === 'unexpected' ? ' <span class="expect-note" data-testid="expect-note">— not as the model\'s expect lines say</span>' : ''}${why}</td><td class="where">${line ? lineLink(file, line) : ''}</td></tr>`,
  ];
  if (f?.blocked) {
    const cells = lanes.map((i) => {
      const b = f.blocked!.find((x) => x.instance === i);
      if (!b) return laneCell(i, '<span class="pos done">finished</span>');
      if (b.waits.length === 0) return laneCell(i, '<div class="wait">has no step to take</div>');
      const waits = b.waits.map((w) => `<div class="wait">waits at <code>${esc(w.label)}</code> ${lineLink(file, lineOf(file, w.span))}</div>`);
      return laneCell(i, waits.join(''));
    });
    rows.push(`<tr class="blocked" data-testid="blocked"><td class="n"></td>${cells.join('')}<td class="where"></td></tr>`);
  }
  return rows;
}
