/**
 * One trace as a table of lanes: a column per actor instance that takes a
 * step in it (or is stuck in a deadlock), a row per step with the step's
 * card in its instance's lane, then the verdict row and, for a deadlock,
 * where each instance waits. Under every step row is a hidden row with the
 * full state after that step, which the page script reveals on a click.
 * The two steps whose order decides a violation (report/decisive.ts) are
 * marked `▶`, as in the text report.
 */
import type { Program } from '../lower/ir.ts';
import { propertyText, type Trace, type TraceStep } from '../explore/trace.ts';
import type { PropertyVerdict } from '../explore/verdict.ts';
import type { SourceFile } from '../text/source.ts';
import { esc, idPart, lineLink, lineOf, plural } from './markup.ts';
import { decisiveSteps } from '../report/decisive.ts';
import { renderState } from './state.ts';

/** The lane colours cycle through this many classes `c0`..`c7`, by instance index. */
const COLOURS = 8;

/** `invariant pin_keeps_fs_data`, `assert assertions`; built-in properties by name alone: `deadlock`. */
export function titleOf(v: PropertyVerdict): string {
  return v.kind === v.property ? v.property : `${v.kind} ${v.property}`;
}

export function traceId(v: PropertyVerdict): string {
  return `trace-${idPart(v.property)}`;
}

/** `after 17 steps`, `in 12 steps`, `in the initial state`. */
export function lengthText(v: PropertyVerdict, trace: Trace): string {
  const n = trace.steps.length;
  if (n === 0) return 'in the initial state';
  return v.status === 'reached' ? `in ${plural(n, 'step')}` : `after ${plural(n, 'step')}`;
}

/** The instances with a lane, in program order: those that take a step, and those a deadlock leaves waiting. */
export function lanesOf(trace: Trace): number[] {
  const used = new Set<number>(trace.steps.map((s) => s.instance));
  for (const b of trace.failure?.blocked ?? []) used.add(b.instance);
  return [...used].sort((a, b) => a - b);
}

function laneCell(instance: number, content: string): string {
  return `<td class="lane c${instance % COLOURS}">${content}</td>`;
}

function stepCard(step: TraceStep): string {
  const path = step.callPath.slice(1);
  const changes = step.changes.map((c) =>
    `<li><code class="path">${esc(c.path)}</code> <span class="values"><span class="old">${esc(c.before)}</span><span class="arrow" aria-label="becomes"> → </span><span class="new">${esc(c.after)}</span></span></li>`);
  return [
    `<div class="card">`,
    `<div class="label"><code>${esc(step.label)}</code>${step.failed ? ' <span class="badge violated">fails</span>' : ''}</div>`,
    path.length ? `<div class="callpath" title="${esc(step.callPath.join(' › '))}">${path.map((p) => `<span>${esc(p)}</span>`).join('<wbr> › ')}</div>` : '',
    changes.length ? `<ul class="changes">${changes.join('')}</ul>` : '',
    `</div>`,
  ].join('');
}

export function renderTrace(program: Program, file: SourceFile, v: PropertyVerdict, trace: Trace, open: boolean): string {
  const lanes = lanesOf(trace);
  // A trace without steps (violated in the initial state) still gets one, empty, lane column.
  const laneColumns = Math.max(lanes.length, 1);
  const width = laneColumns + 2;
  const decisive = decisiveSteps(program, v);
  const marked = new Set(decisive ? [decisive.first, decisive.second] : []);
  const head = lanes.map((i) => {
    const inst = program.instances[i]!;
    const daemon = program.actors[inst.actor]!.daemon ? ' <span class="tag">daemon</span>' : '';
    return `<th scope="col" class="lane c${i % COLOURS}" data-testid="lane" data-lane="${esc(inst.name)}">${esc(inst.name)}${daemon}</th>`;
  });
  const body: string[] = [
    `<tr class="step initial" data-testid="initial" data-step="0" tabindex="0" aria-expanded="false"><td class="n">0</td><td class="init" colspan="${laneColumns}">initial state</td><td class="where"></td></tr>`,
    stateRow(0, width, renderState(program, file, trace.initial, null)),
  ];
  for (const s of trace.steps) {
    const final = s.index === trace.steps.length;
    const classes = ['step', s.failed && 'failed', final && v.status === 'violated' && 'final', final && v.status === 'reached' && 'goal', marked.has(s.index) && 'decisive'];
    const line = lineOf(file, s.span);
    const mark = marked.has(s.index) ? '<span class="mark" title="one of the two steps whose order decides the violation">▶</span>' : '';
    body.push(
      `<tr class="${classes.filter(Boolean).join(' ')}" id="${traceId(v)}-${s.index}" data-testid="step" data-step="${s.index}" data-instance="${esc(s.instanceName)}" data-line="${line}" tabindex="0" aria-expanded="false">` +
      `<td class="n">${mark}${s.index}</td>${lanes.map((i) => laneCell(i, i === s.instance ? stepCard(s) : '')).join('')}<td class="where">${lineLink(file, line)}</td></tr>`,
      stateRow(s.index, width, renderState(program, file, s.state, s)),
    );
  }
  body.push(...verdictRows(program, file, v, trace, lanes, width));
  if (decisive) {
    const name = (i: number): string => {
      const s = trace.steps[i - 1]!;
      return `<a class="goto" href="#${traceId(v)}-${i}">#${i}</a> (${esc(s.instanceName)} <code>${esc(s.label)}</code>)`;
    };
    body.push(`<tr class="decided" data-testid="decisive"><td class="n mark">▶</td><td colspan="${width - 1}">decided by the order of ${name(decisive.first)} and ${name(decisive.second)}: ${decisive.paths.map((p) => `<code>${esc(p)}</code>`).join(', ')}</td></tr>`);
  }
  const badge = v.status === 'violated' && v.kind === 'deadlock' ? 'deadlock' : v.status;
  return [
    `<details class="trace ${v.status}" id="${traceId(v)}" data-testid="trace" data-property="${esc(v.property)}" data-status="${v.status}"${open ? ' open' : ''}>`,
    `<summary><h2><span class="badge ${v.status}">${badge}</span> ${esc(titleOf(v))} <span class="len">${esc(lengthText(v, trace))}</span></h2></summary>`,
    `<div class="scroll"><table class="lanes" data-testid="trace-table" style="--lanes: ${laneColumns}">`,
    `<thead><tr><th scope="col" class="n">#</th>${lanes.length ? head.join('') : '<th scope="col"></th>'}<th scope="col" class="where">source</th></tr></thead>`,
    `<tbody>`,
    ...body,
    `</tbody></table></div>`,
    `</details>`,
  ].join('\n');
}

/** The hidden row under step `index` (0: the initial state) that the page script reveals. */
function stateRow(index: number, width: number, content: string): string {
  return `<tr class="state-row" data-testid="state" data-step="${index}" hidden><td colspan="${width}">${content}</td></tr>`;
}

function verdictRows(program: Program, file: SourceFile, v: PropertyVerdict, trace: Trace, lanes: readonly number[], width: number): string[] {
  if (v.status === 'reached') {
    const line = v.span ? lineOf(file, v.span) : null;
    const text = v.span ? `: <code>${esc(propertyText(program, v.span))}</code>` : '';
    return [`<tr class="verdict reached" data-testid="witness"${line ? ` data-line="${line}"` : ''}><td class="n">✓</td><td colspan="${width - 2}"><strong>${esc(titleOf(v))}</strong> reached${text}</td><td class="where">${line ? lineLink(file, line) : ''}</td></tr>`];
  }
  const f = trace.failure;
  const message = f?.message ?? v.message ?? '';
  const span = f?.span ?? v.span;
  const line = span ? lineOf(file, span) : null;
  const rows = [
    `<tr class="verdict violated" data-testid="violation"${line ? ` data-line="${line}"` : ''}><td class="n">✗</td><td colspan="${width - 2}"><strong>${esc(titleOf(v))}</strong>${v.kind === 'deadlock' ? '' : ' violated'}${message ? `: <span class="message">${esc(message)}</span>` : ''}</td><td class="where">${line ? lineLink(file, line) : ''}</td></tr>`,
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
