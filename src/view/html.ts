/**
 * The HTML counterexample view: one self-contained page (inline CSS and a
 * small inline script, no external assets, nothing fetched, works from
 * file://) showing a check's verdicts and, for each violation, its trace
 * as lanes, one per actor instance, beside the model source.
 *
 * `renderHtml` is pure: the same input always gives the same page (no
 * timestamps; time, rate and memory figures only with `stats: true`, as
 * `--no-stats` leaves them out of the text report). Stable hooks for tests
 * and tools: `data-testid` (header, verdict, trace, lane, step, state,
 * violation, witness, blocked, source; for a liveness lasso loop-start,
 * loop-back, run-stops, trigger, why, fairness, fair, starved),
 * `data-lane` (instance name), `data-step` (1-based step number, 0 for the
 * initial state; on loop-start and loop-back rows the cycle's first step,
 * on a trigger row the run position it marks), `data-property`,
 * `data-status`, `data-lasso` (cycle or terminal) and `data-loop-start`
 * on a lasso's trace, `data-line`, `data-var` (a variable leaf in a state
 * panel), and anchor ids `L<line>` for source lines, `trace-<property>`
 * for traces and `trace-<property>-<n>` for steps.
 */
import type { Program } from '../lower/ir.ts';
import type { CheckResult, PropertyVerdict } from '../explore/verdict.ts';
import { formatStats, kindColumn, reasonText } from '../report/text.ts';
import type { SourceFile } from '../text/source.ts';
import { esc, lineOf, plural } from './markup.ts';
import { renderSource } from './source.ts';
import { lengthText, renderTrace, traceId } from './trace.ts';
import { PAGE_CSS } from './style.ts';
import { PAGE_SCRIPT } from './script.ts';

/**
 * What the page is made from.
 *
 * - `weft check FILE --html out.html`: pass `htmlInputOf(result)` (or
 *   build it by hand as below) for the CheckResult the command printed,
 *   then write `renderHtml(input)` to the file.
 * - `weft view PROOF`: the proof's traces must first be turned back into
 *   `Trace` values (re-check the model, or replay the proof's moves on the
 *   reference interpreter with `buildTrace`): the page needs each step's
 *   State and the Program to render values by their declared types.
 */
export interface HtmlInput {
  /**
   * The model file: its path labels the page and every file:line, its
   * text fills the source panel. It must be the text the program was
   * compiled from (trace spans are offsets into it): normally
   * `result.program.file`. A model of several files (`import`) shows each
   * file in the panel, and lines are keyed across them (markup.ts lineOf).
   */
  readonly source: SourceFile;
  /** The model's name (`model NAME;`), as `program.model`. */
  readonly model: string;
  /** The variant checked, as `program.variant` (`default` for a model without variants); an empty string leaves it out. */
  readonly variant: string;
  /**
   * A whole CheckResult, or just the program and the verdicts: at least
   * the violated (and, for witnesses, the reached) ones with their
   * traces. Without `stats` the page shows no statistics; without
   * `complete` the search is taken as complete.
   */
  readonly result: HtmlResult;
  readonly options?: HtmlOptions;
}

export type HtmlResult = Pick<CheckResult, 'program' | 'verdicts'> & Partial<Pick<CheckResult, 'complete' | 'reason' | 'stats'>>;

export interface HtmlOptions {
  /** Show time, states/s and memory (default true); counts are always shown. False for reproducible pages. */
  readonly stats?: boolean;
  /** Also show the witness of each reached `reachable` target, collapsed (default true). */
  readonly witnesses?: boolean;
  /** Open the witnesses too (default false). */
  readonly openWitnesses?: boolean;
}

/** The input for a CheckResult as `weft check` produced it. */
export function htmlInputOf(result: CheckResult, options: HtmlOptions = {}): HtmlInput {
  const { program } = result;
  return { source: program.file, model: program.model, variant: program.variant, result, options };
}

export function renderHtml(input: HtmlInput): string {
  const { source, result } = input;
  const { program } = result;
  const opts = input.options ?? {};
  const violated = result.verdicts.filter((v) => v.status === 'violated' && v.trace);
  const reached = opts.witnesses === false ? [] : result.verdicts.filter((v) => v.status === 'reached' && v.trace);

  const marks = new Map<number, string>();
  for (const v of result.verdicts) if (v.span && v.status !== 'holds') marks.set(lineOf(source, v.span), v.status === 'violated' ? 'prop bad' : 'prop');

  const traces = [
    ...violated.map((v) => renderTrace(program, source, v, v.trace!, true)),
    ...reached.map((v) => renderTrace(program, source, v, v.trace!, opts.openWitnesses === true)),
  ];
  const heading = violated.length ? `${plural(violated.length, 'violation')}` : 'no violation';
  const title = `${input.model}${input.variant ? ` (${input.variant})` : ''}: ${heading}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="weft">',
    `<title>${esc(title)} · weft</title>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    '<div class="layout">',
    '<main class="main">',
    header(input, violated.length, opts),
    traces.length ? '<p class="hint">Click a step for the whole state after it and its line in the source; <kbd>↑</kbd> <kbd>↓</kbd> move between steps.</p>' : '',
    traces.join('\n'),
    '</main>',
    renderSource(source, marks),
    '</div>',
    `<script>${PAGE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].filter((s) => s !== '').join('\n');
}

function header(input: HtmlInput, violations: number, opts: HtmlOptions): string {
  const { result, source } = input;
  const options = Object.entries(result.program.options);
  const complete = result.complete !== false;
  const verdict = violations
    ? `<p class="headline bad" data-testid="headline">✗ ${violations === 1 ? 'one property' : `${violations} properties`} violated</p>`
    : complete
      ? '<p class="headline good" data-testid="headline">✓ no property is violated</p>'
      : '<p class="headline unknown" data-testid="headline">? no violation found, but the search was incomplete</p>';
  return [
    '<header class="head" data-testid="header">',
    `<p class="brand">weft · counterexample view</p>`,
    `<h1><span class="model">${esc(input.model)}</span>${input.variant ? ` <span class="variant">variant <strong>${esc(input.variant)}</strong></span>` : ''}</h1>`,
    `<p class="file"><a href="#L1">${esc(source.path)}</a>${options.length ? ` · options ${options.map(([k, v]) => `<code>${esc(k)} = ${esc(optionText(v))}</code>`).join(' ')}` : ''}</p>`,
    verdict,
    verdictTable(result.verdicts, opts),
    result.stats ? `<p class="stats" data-testid="stats">${esc(formatStats(result.stats, opts.stats !== false))}</p>` : '',
    complete ? '' : `<p class="incomplete" data-testid="incomplete">search incomplete: ${esc(reasonText(result.reason))}; verdicts marked unknown were not decided</p>`,
    '</header>',
  ].filter((s) => s !== '').join('\n');
}

function verdictTable(verdicts: readonly PropertyVerdict[], opts: HtmlOptions): string {
  const items = verdicts.map((v) => {
    const linked = v.trace && (v.status === 'violated' || (v.status === 'reached' && opts.witnesses !== false));
    const detail = v.trace ? lengthText(v, v.trace) : '';
    const shown = detail && linked ? `<a href="#${traceId(v)}">${esc(detail)}</a>` : esc(detail);
    return `<li class="${v.status}" data-testid="verdict" data-property="${esc(v.property)}" data-status="${v.status}"><span class="badge ${v.status}">${v.status}</span> <span class="kind">${kindColumn(v.kind)}</span> <code>${esc(v.property)}</code> <span class="detail">${shown}</span></li>`;
  });
  return `<ul class="verdicts" data-testid="verdicts" aria-label="verdicts">${items.join('')}</ul>`;
}

function optionText(v: Program['options'][string]): string {
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}


