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
 * for traces and `trace-<property>-<n>` for steps. A state panel is
 * built from its <template> when first shown (view/trace.ts stateRow), so
 * `data-var` exists after the click. Given the expect lines' outcomes, a
 * trace and a verdict carry `data-expected` (true: a line predicts it,
 * drawn slate blue with an `expected` badge; false: not as the lines say,
 * drawn red with `not expected`), hooks `expected`, `unexpected` and
 * `expect-note`. Kernel names never wrap inside a word (view/style.ts): a
 * lane is as wide as its longest name (trace.ts laneMin), and a call path
 * breaks only after a `›`.
 */
import type { Program } from '../lower/ir.ts';
import type { CheckResult, PropertyVerdict } from '../explore/verdict.ts';
import { formatStats, kindColumn, reasonText } from '../report/text.ts';
import type { SourceFile } from '../text/source.ts';
import { esc, group as group3, idPart, lineOf, plural } from './markup.ts';
import { listedProperties, mailCell } from '../report/mail.ts';
import { renderSource } from './source.ts';
import { expectednessOf, expectedTag, lengthText, renderTrace, traceId } from './trace.ts';
import type { ExpectationOutcome } from '../report/expectations.ts';
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
  /**
   * What the model's expect lines say of the verdicts (report/expectations.ts
   * evaluateExpectations): a violation a line predicts is shown as expected,
   * not as a failure. Without them every violation is shown as a failure.
   */
  readonly expectations?: readonly ExpectationOutcome[];
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

/** The input for a CheckResult as `weft check` produced it, with what the expect lines say of it. */
export function htmlInputOf(result: CheckResult, options: HtmlOptions = {}, expectations?: readonly ExpectationOutcome[]): HtmlInput {
  const { program } = result;
  return { source: program.file, model: program.model, variant: program.variant, result, options, ...(expectations ? { expectations } : {}) };
}

export function renderHtml(input: HtmlInput): string {
  const { source, result } = input;
  const { program } = result;
  const opts = input.options ?? {};
  const violated = result.verdicts.filter((v) => v.status === 'violated' && v.trace);
  const reached = opts.witnesses === false ? [] : result.verdicts.filter((v) => v.status === 'reached' && v.trace);

  const marks = new Map<number, string>();
  for (const v of result.verdicts) if (v.span && v.status !== 'holds') marks.set(lineOf(source, v.span), v.status === 'violated' ? 'prop bad' : 'prop');

  const expected = (v: PropertyVerdict) => expectednessOf(input.expectations, v.property);
  const traces = [
    ...violated.map((v) => renderTrace(program, source, v, v.trace!, true, { expected: expected(v) })),
    ...reached.map((v) => renderTrace(program, source, v, v.trace!, opts.openWitnesses === true, { expected: expected(v) })),
  ];
  const heading = violated.length ? `${plural(violated.length, 'violation')}` : 'no violation';
  const title = `${input.model}${input.variant ? ` (${input.variant})` : ''}: ${heading}`;
  return page(title, [
    header(input, violated, opts),
    traces.length ? HINT : '',
    traces.join('\n'),
  ], renderSource(source, marks));
}

const HINT = '<p class="hint">Click a step for the whole state after it and its line in the source; <kbd>↑</kbd> <kbd>↓</kbd> move between steps.</p>';

/** The page around the main column's parts and the source panel. */
function page(title: string, main: readonly string[], source: string): string {
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
    ...main,
    '</main>',
    source,
    '</div>',
    `<script>${PAGE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].filter((s) => s !== '').join('\n');
}

/** The headline: how many properties are violated, and whether the expect lines say so. */
function headline(violated: readonly PropertyVerdict[], outcomes: readonly ExpectationOutcome[] | undefined, complete: boolean, what = ''): string {
  const n = violated.length;
  const count = n === 1 ? 'one property' : `${n} properties`;
  if (n === 0) {
    return complete
      ? `<p class="headline good" data-testid="headline">✓ no property is violated${what}</p>`
      : `<p class="headline unknown" data-testid="headline">? no violation found${what}, but the search was incomplete</p>`;
  }
  const unexpected = violated.filter((v) => expectednessOf(outcomes, v.property) !== 'expected').length;
  if (outcomes && unexpected === 0) return `<p class="headline expected" data-testid="headline">${count} violated${what}, each as the model's expect lines say</p>`;
  if (outcomes) return `<p class="headline bad" data-testid="headline">✗ ${count} violated${what}, ${unexpected === n ? (n === 1 ? 'not' : 'none') : `${unexpected} not`} as the model's expect lines say</p>`;
  return `<p class="headline bad" data-testid="headline">✗ ${count} violated${what}</p>`;
}

function header(input: HtmlInput, violated: readonly PropertyVerdict[], opts: HtmlOptions): string {
  const { result, source } = input;
  const options = Object.entries(result.program.options);
  const complete = result.complete !== false;
  const verdict = headline(violated, input.expectations, complete);
  return [
    '<header class="head" data-testid="header">',
    `<p class="brand">weft · counterexample view</p>`,
    `<h1><span class="model">${esc(input.model)}</span>${input.variant ? ` <span class="variant">variant <strong>${esc(input.variant)}</strong></span>` : ''}</h1>`,
    `<p class="file"><a href="#L1">${esc(source.path)}</a>${options.length ? ` · options ${options.map(([k, v]) => `<code>${esc(k)} = ${esc(optionText(v))}</code>`).join(' ')}` : ''}</p>`,
    verdict,
    verdictTable(result.verdicts, opts, input.expectations),
    result.stats ? `<p class="stats" data-testid="stats">${esc(formatStats(result.stats, opts.stats !== false))}</p>` : '',
    complete ? '' : `<p class="incomplete" data-testid="incomplete">search incomplete: ${esc(reasonText(result.reason))}; verdicts marked unknown were not decided</p>`,
    '</header>',
  ].filter((s) => s !== '').join('\n');
}

function verdictTable(verdicts: readonly PropertyVerdict[], opts: HtmlOptions, outcomes?: readonly ExpectationOutcome[]): string {
  const items = verdicts.map((v) => {
    const linked = v.trace && (v.status === 'violated' || (v.status === 'reached' && opts.witnesses !== false));
    const detail = v.trace ? lengthText(v, v.trace) : '';
    const shown = detail && linked ? `<a href="#${traceId(v)}">${esc(detail)}</a>` : esc(detail);
    // Only a violation needs the word: a verdict that holds or is reached reads as fine already.
    const e = v.status === 'violated' || v.status === 'unreachable' ? expectednessOf(outcomes, v.property) : expectednessOf(outcomes, v.property) === 'unexpected' ? 'unexpected' : null;
    return `<li class="${v.status}${e ? ` ${e}` : ''}" data-testid="verdict" data-property="${esc(v.property)}" data-status="${v.status}"${e ? ` data-expected="${e === 'expected'}"` : ''}><span class="badge ${v.status}">${v.status}</span> <span class="kind">${kindColumn(v.kind)}</span> <code class="name">${esc(v.property)}</code> <span class="detail">${shown}</span>${expectedTag(e)}</li>`;
  });
  return `<ul class="verdicts" data-testid="verdicts" aria-label="verdicts">${items.join('')}</ul>`;
}

function optionText(v: Program['options'][string]): string {
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}



/**
 * `weft check FILE --all-variants --html out.html`: one page for every
 * variant. At the top the property × variant table (a row per property,
 * grouped by kind as the text table groups them, a column per variant
 * headed by its name), each cell the verdict as the compact text table
 * writes it (report/mail.ts mailCell: `X26`, `R9`, `.`, `-`) and, where the
 * verdict has a trace, a link to it further down the same page; then a
 * section per variant (`variant-<name>`) with its traces, collapsed until
 * a cell's link opens one. Trace and step ids carry the variant
 * (`v-<variant>-trace-<property>`, traceId), so they are unique on the page.
 * Stable hooks beyond those of the one-variant page: data-testid `matrix`,
 * `matrix-head` (data-variant), `cell` (data-variant, data-property,
 * data-status, data-expected), `variant` (a section, data-variant).
 */
export interface AllVariantsInput {
  readonly source: SourceFile;
  readonly model: string;
  /** Each variant's result and what its expect lines say of it, in the model's order. */
  readonly columns: readonly { readonly result: CheckResult; readonly outcomes: readonly ExpectationOutcome[] }[];
  readonly options?: HtmlOptions;
}

export function renderAllVariantsHtml(input: AllVariantsInput): string {
  const { source, columns } = input;
  const opts = input.options ?? {};
  const traced = (v: PropertyVerdict): boolean => !!v.trace && (v.status === 'violated' || (v.status === 'reached' && opts.witnesses !== false));
  const marks = new Map<number, string>();
  for (const c of columns) {
    for (const v of c.result.verdicts) {
      if (!v.span || v.status === 'holds') continue;
      const line = lineOf(source, v.span);
      if (v.status === 'violated' || !marks.has(line)) marks.set(line, v.status === 'violated' ? 'prop bad' : 'prop');
    }
  }
  const violated = columns.flatMap((c) => c.result.verdicts.filter((v) => v.status === 'violated' && v.trace).map((v) => ({ c, v })));
  const unexpected = violated.filter(({ c, v }) => expectednessOf(c.outcomes, v.property) !== 'expected').length;
  const complete = columns.every((c) => c.result.complete !== false);
  const summary = violated.length === 0
    ? (complete ? '<p class="headline good" data-testid="headline">✓ no property is violated in any variant</p>' : '<p class="headline unknown" data-testid="headline">? no violation found, but a search was incomplete</p>')
    : `<p class="headline ${unexpected ? 'bad' : 'expected'}" data-testid="headline">${unexpected ? '✗ ' : ''}${plural(violated.length, 'violation')} in ${plural(new Set(violated.map((x) => x.c)).size, 'variant')}, ${unexpected === 0 ? "each as the model's expect lines say" : `${unexpected} not as the model's expect lines say`}</p>`;
  const head = [
    '<header class="head" data-testid="header">',
    '<p class="brand">weft · every variant</p>',
    `<h1><span class="model">${esc(input.model)}</span> <span class="variant">${plural(columns.length, 'variant')}</span></h1>`,
    `<p class="file"><a href="#L1">${esc(source.path)}</a></p>`,
    summary,
    matrix(columns, traced),
    '</header>',
  ].join('\n');
  const sections = columns.map((c) => {
    const { program } = c.result;
    const variant = program.variant;
    const vs = c.result.verdicts;
    const shown = [...vs.filter((v) => v.status === 'violated' && v.trace), ...vs.filter((v) => v.status === 'reached' && traced(v))];
    const traces = shown.map((v) => renderTrace(program, source, v, v.trace!, false, { id: traceId(v, variant), expected: expectednessOf(c.outcomes, v.property) }));
    const options = Object.entries(program.options);
    return [
      `<section class="variant-part" id="variant-${idPart(variant)}" data-testid="variant" data-variant="${esc(variant)}">`,
      `<h2 class="variant-title">variant <span class="name">${esc(variant)}</span></h2>`,
      `<p class="stats">${esc(formatStats(c.result.stats, opts.stats !== false))}${options.length ? ` · options ${options.map(([k, v]) => `<code>${esc(k)} = ${esc(optionText(v))}</code>`).join(' ')}` : ''}</p>`,
      headline(vs.filter((v) => v.status === 'violated' && v.trace), c.outcomes, c.result.complete !== false),
      c.result.complete === false ? `<p class="incomplete" data-testid="incomplete">search incomplete: ${esc(reasonText(c.result.reason))}; verdicts marked unknown were not decided</p>` : '',
      ...traces,
      '</section>',
    ].filter((x) => x !== '').join('\n');
  });
  const title = `${input.model}: ${plural(columns.length, 'variant')}, ${plural(violated.length, 'violation')}`;
  return page(title, [head, violated.length ? '<p class="hint">A cell with a trace links to it below; click a step for the whole state after it and its line in the source.</p>' : '', ...sections], renderSource(source, marks));
}

/** The property × variant table of the page of every variant. */
function matrix(columns: AllVariantsInput['columns'], traced: (v: PropertyVerdict) => boolean): string {
  const listed = listedProperties(columns);
  const heads = columns.map((c) => {
    const variant = c.result.program.variant;
    return `<th scope="col" class="vh" data-testid="matrix-head" data-variant="${esc(variant)}"><a href="#variant-${idPart(variant)}" title="${esc(variant)}"><span class="name">${esc(variant)}</span></a></th>`;
  });
  const rows: string[] = [];
  let group = '';
  for (const p of listed) {
    if (p.group !== group) { group = p.group; rows.push(`<tr class="group"><th scope="rowgroup" class="prop">${esc(group)}</th><td colspan="${columns.length}"></td></tr>`); }
    const cells = columns.map((c) => {
      const variant = c.result.program.variant;
      const v = c.result.verdicts.find((x) => x.property === p.name);
      const e = expectednessOf(c.outcomes, p.name);
      const text = esc(mailCell(v, true));
      const status = v?.status ?? 'absent';
      const title = v ? `${variant}: ${v.status}${v.trace ? ` ${lengthText(v, v.trace)}` : ''}${e === 'expected' ? ', as expected' : e === 'unexpected' ? ', not as expected' : ''}` : `${variant}: not a property of this variant`;
      const inner = v && traced(v) ? `<a href="#${traceId(v, variant)}">${text}</a>` : `<span>${text}</span>`;
      return `<td class="cell ${status}${e ? ` ${e}` : ''}" data-testid="cell" data-variant="${esc(variant)}" data-property="${esc(p.name)}" data-status="${status}"${e ? ` data-expected="${e === 'expected'}"` : ''} title="${esc(title)}">${inner}</td>`;
    });
    rows.push(`<tr data-property="${esc(p.name)}"><th scope="row" class="prop"><code class="name">${esc(p.name)}</code></th>${cells.join('')}</tr>`);
  }
  rows.push(`<tr class="states"><th scope="row" class="prop">states</th>${columns.map((c) => `<td class="cell count">${group3(c.result.stats.states)}${c.result.complete === false ? '?' : ''}</td>`).join('')}</tr>`);
  const legendText = "X violated (after n steps; s+c a lasso's stem and cycle, ns a run of n steps that stops), R reached in n steps, . holds, - unreachable, ? not decided, _ not a property of the variant. An expected violation, one the model's expect lines predict, is slate blue; a verdict not as they say is outlined in red. Each cell with a trace links to it.";
  return [
    '<div class="matrix-scroll">',
    `<table class="matrix" data-testid="matrix"><thead><tr><th scope="col" class="prop corner">property</th>${heads.join('')}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody></table>`,
    '</div>',
    `<p class="legend" data-testid="legend">${esc(legendText)}</p>`,
  ].join('\n');
}
