/**
 * A violation drawn as kernel commit messages draw races: one column per
 * CPU (an actor instance), time going down, each step under the kernel
 * functions it runs in (its call path, printed as nested `fn()` lines that
 * are repeated only when they change), the variables it changed under it.
 *
 *     CPU0 (pinner)                   CPU1 (reclaim)
 *     pin_user_pages_fast()
 *       __get_user_pages()
 *         follow_page_pte [#10]
 *           folio.pins: 0 -> 1
 *                                     filemap_release_folio()
 *                                       try_to_free_buffers [#20]
 *                                         folio.buffers: true -> false
 *     -> invariant pin_keeps_fs_data violated: pinned > 0 -> folio.buffers
 *
 * Which steps are drawn (raceWindow): where report/decisive.ts finds the
 * two steps whose order decides the violation, the steps from the first of
 * them to the end, with the two instances as CPU0 and CPU1; a liveness
 * lasso's cycle (from the step after which Q never holds again, when
 * that is a few steps before the cycle), with the instances that move in
 * it; otherwise (a
 * deadlock, a run that stops, a violation no other instance raced) the
 * last steps of the trace, the two instances that move most in them as
 * the columns. Steps of instances without a column are folded
 * into one line per run (`.. #11-#16 writeback: folio_lock, ...`). The
 * whole trace is in `weft check --variant V`.
 */
import type { CheckResult, PropertyVerdict } from '../explore/verdict.ts';
import type { TraceStep } from '../explore/trace.ts';
import { asciiText } from '../text/escape.ts';
import { decisiveSteps, type Decisive } from './decisive.ts';
import { END_TEXT, lassoLength, starvedNames } from './lasso.ts';
import { fit, MAIL_WIDTH, wrap } from './plain.ts';

/** Steps drawn when no pair of steps decides the violation and no cycle is to be shown. */
export const LAST_STEPS = 8;
/**
 * Columns drawn: two, as commit messages draw races (a third in 80
 * columns leaves too little for a call path); the steps of other
 * instances are folded into notes.
 */
export const MAX_COLUMNS = 2;
const GAP = 2;
/** A line too wide for its column keeps its indentation while at least this much of its text still shows. */
const KEEP = 24;

export interface RaceWindow {
  /** 1-based step indexes, inclusive. */
  readonly from: number;
  readonly to: number;
  /** The instances drawn as columns, CPU0 first. */
  readonly columns: readonly number[];
  readonly decisive: Decisive | null;
}

export function raceWindow(result: CheckResult, verdict: PropertyVerdict): RaceWindow | null {
  const steps = verdict.trace?.steps;
  if (!steps || steps.length === 0) return null;
  const decisive = decisiveSteps(result.program, verdict);
  if (decisive) {
    const at = (i: number): number => steps[i - 1]!.instance;
    return { from: decisive.first, to: steps.length, columns: [at(decisive.first), at(decisive.second)], decisive };
  }
  const lasso = verdict.lasso;
  const from = lasso?.end === 'cycle' ? cycleFrom(lasso) : Math.max(1, steps.length - LAST_STEPS + 1);
  // The instances that move most in the drawn steps get the columns, in the order they first move.
  const moves = new Map<number, number>();
  for (const s of steps.slice(from - 1)) moves.set(s.instance, (moves.get(s.instance) ?? 0) + 1);
  const order = [...moves.keys()];
  const kept = [...order].sort((x, y) => moves.get(y)! - moves.get(x)! || order.indexOf(x) - order.indexOf(y)).slice(0, MAX_COLUMNS);
  return { from, to: steps.length, columns: order.filter((i) => kept.includes(i)), decisive: null };
}

/**
 * A lasso's drawing starts at its cycle, or earlier at the step after
 * which Q never holds again, when at most LAST_STEPS steps of the stem
 * follow it: what went wrong is often there, and the cycle only repeats
 * its consequence (data lost at #31, then reclaim looking at the folio
 * round after round).
 */
function cycleFrom(lasso: { readonly loopStart: number; readonly triggerAt: number }): number {
  const stemAfter = lasso.loopStart - lasso.triggerAt;
  return lasso.triggerAt >= 1 && stemAfter > 0 && stemAfter <= LAST_STEPS ? lasso.triggerAt : lasso.loopStart + 1;
}

/** `invariant pin_keeps_fs_data`; built-in properties by name alone. */
export function titleOf(v: PropertyVerdict): string {
  return v.kind === v.property ? v.property : `${v.kind} ${v.property}`;
}

/** `violated after 20 steps`, `violated by 14 steps, then a cycle of 21 steps`. */
export function violatedText(v: PropertyVerdict): string {
  const n = v.trace?.steps.length ?? 0;
  if (v.lasso) return `violated ${lassoLength(v.lasso, n)}`;
  return n === 0 ? 'violated in the initial state' : `violated after ${n} step${n === 1 ? '' : 's'}`;
}

/** A cell of the drawing: a line of one column (indented by `depth` levels), or of the whole width. */
interface Row {
  readonly column: number | null;
  readonly depth: number;
  readonly text: string;
  /** ` [#10]` after a deciding step's label: kept when the text is cut. */
  readonly mark?: string;
  /** How much of the text is kept before its indentation shrinks (KEEP by default). */
  readonly keep?: number;
}

/** The lines of the drawing of one violation, its heading first; every line fits MAIL_WIDTH. */
export function raceLines(result: CheckResult, verdict: PropertyVerdict, heading: string): string[] {
  const trace = verdict.trace;
  const window = raceWindow(result, verdict);
  const title = titleOf(verdict);
  if (!trace || !window) return wrap(`${heading}${title} ${violatedText(verdict)}${trace ? '' : ' (no trace)'}`);
  const shown = window.from === 1 ? '' : window.from === window.to ? ` (#${window.to} drawn)` : ` (#${window.from}-#${window.to} drawn)`;
  const out = wrap(`${heading}${title} ${violatedText(verdict)}${shown}:`);
  const lasso = verdict.lasso;
  if (lasso?.end === 'cycle') out.push(fit(`  -- steps #${lasso.loopStart + 1}-#${window.to} repeat for ever --`, MAIL_WIDTH));
  const marked = new Set(window.decisive ? [window.decisive.first, window.decisive.second] : []);
  const rows = stepRows(trace.steps.slice(window.from - 1, window.to), window.columns, marked);
  const names = window.columns.map((i, c) => `CPU${c} (${trace.steps.find((s) => s.instance === i)!.instanceName})`);
  out.push('', ...layout(names, rows), '');
  out.push(...footer(verdict, window.decisive));
  return out;
}

/** Each step's rows: the functions entered since its column's last step, its label, its changes. */
function stepRows(steps: readonly TraceStep[], columns: readonly number[], marked: ReadonlySet<number>): Row[] {
  const rows: Row[] = [];
  const stacks = columns.map((): readonly string[] => []);
  let folded: TraceStep[] = [];
  const flush = (): void => {
    if (folded.length) rows.push({ column: null, depth: 0, text: foldedText(folded) });
    folded = [];
  };
  for (const s of steps) {
    const column = columns.indexOf(s.instance);
    if (column < 0) { folded.push(s); continue; }
    flush();
    const path = s.callPath.slice(1).map(asciiText);
    const last = stacks[column]!;
    let common = 0;
    while (common < path.length && common < last.length && path[common] === last[common]) common++;
    for (let d = common; d < path.length; d++) rows.push({ column, depth: d, text: `${path[d]}()` });
    stacks[column] = path;
    rows.push({ column, depth: path.length, text: `${asciiText(s.label)}${s.failed ? ' (fails)' : ''}`, mark: marked.has(s.index) ? ` [#${s.index}]` : '' });
    // A change's values are its point: its line moves left rather than lose them.
    for (const c of s.changes) rows.push({ column, depth: path.length + 1, text: asciiText(`${c.path}: ${c.before} -> ${c.after}`), keep: Infinity });
  }
  flush();
  return rows;
}

/** `.. #11-#16 writeback: folio_lock, folio_mkclean; bio: folio_end_writeback`. */
function foldedText(steps: readonly TraceStep[]): string {
  const runs: { name: string; labels: string[] }[] = [];
  for (const s of steps) {
    const run = runs.at(-1);
    if (run && run.name === s.instanceName) run.labels.push(s.label);
    else runs.push({ name: s.instanceName, labels: [s.label] });
  }
  const range = steps.length === 1 ? `#${steps[0]!.index}` : `#${steps[0]!.index}-#${steps.at(-1)!.index}`;
  return asciiText(`.. ${range} ${runs.map((r) => `${r.name}: ${r.labels.join(', ')}`).join('; ')}`);
}

/**
 * The columns side by side in MAIL_WIDTH: each as wide as its widest line
 * when they fit, otherwise the width shared out, a narrow column giving
 * what it does not need to the others. A line too wide for its column
 * moves left (its indentation shrinks) before it is cut.
 */
function layout(names: readonly string[], rows: readonly Row[]): string[] {
  const n = names.length;
  const natural = names.map((name, c) => Math.max(name.length, ...rows.filter((r) => r.column === c).map((r) => 2 * r.depth + r.text.length + (r.mark ?? '').length)));
  const widths = shareWidths(natural, MAIL_WIDTH - GAP * (n - 1));
  const offsets = widths.map((_, c) => widths.slice(0, c).reduce((a, w) => a + w + GAP, 0));
  const place = (c: number, text: string): string => `${' '.repeat(offsets[c]!)}${text}`;
  const cell = (r: Row, width: number): string => {
    const mark = r.mark ?? '';
    // Cut the text before giving up its nesting, down to KEEP columns; then move it left.
    const room = width - mark.length;
    const indent = Math.max(0, Math.min(2 * r.depth, room - Math.min(r.text.length, r.keep ?? KEEP)));
    return `${fit(`${' '.repeat(indent)}${r.text}`, room)}${mark}`;
  };
  const header = names.map((name, c) => fit(name, widths[c]!).padEnd(c === n - 1 ? 0 : widths[c]! + GAP)).join('');
  return [header.trimEnd(), ...rows.map((r) => (r.column === null ? fit(r.text, MAIL_WIDTH) : place(r.column, cell(r, widths[r.column]!))).trimEnd())];
}

/** Water-filling: every column its natural width if all fit, else an equal share, unused share passed on. */
function shareWidths(natural: readonly number[], total: number): number[] {
  if (natural.reduce((a, w) => a + w, 0) <= total) return [...natural];
  const widths = natural.map(() => 0);
  let left = total;
  let open = natural.map((_, i) => i);
  while (open.length) {
    const share = Math.floor(left / open.length);
    const small = open.filter((i) => natural[i]! <= share);
    if (small.length === 0) {
      for (const i of open) widths[i] = share;
      break;
    }
    for (const i of small) { widths[i] = natural[i]!; left -= natural[i]!; }
    open = open.filter((i) => !small.includes(i));
  }
  return widths;
}

/** Under the drawing: the violation, then what decided it, where instances wait, who starves. */
function footer(verdict: PropertyVerdict, d: Decisive | null): string[] {
  const trace = verdict.trace!;
  const out: string[] = [];
  const lasso = verdict.lasso;
  if (lasso?.end === 'terminal') out.push(fit(`-- ${END_TEXT} --`, MAIL_WIDTH));
  const f = trace.failure;
  out.push(...wrap(`${titleOf(verdict)}${verdict.kind === 'deadlock' ? '' : ' violated'}${f ? `: ${f.message}` : ''}`, MAIL_WIDTH, '-> ', '   '));
  if (lasso && verdict.message) out.push(...wrap(verdict.message, MAIL_WIDTH, '   ', '   '));
  if (lasso) {
    const starved = starvedNames(lasso);
    if (starved.length) out.push(...wrap(`starved: ${starved.join(', ')}`, MAIL_WIDTH, '   ', '   '));
  }
  for (const b of f?.blocked ?? []) {
    const where = b.waits.length === 0 ? 'has no step to take' : `waits at ${b.waits.map((w) => w.label).join(' or ')}`;
    out.push(...wrap(`${b.instanceName}${b.daemon ? ' (daemon)' : ''} ${where}`, MAIL_WIDTH, '   ', '     '));
  }
  if (d) {
    const name = (i: number): string => `#${i} (${trace.steps[i - 1]!.instanceName} ${trace.steps[i - 1]!.label})`;
    out.push(...wrap(`decided by the order of ${name(d.first)} and ${name(d.second)}: ${d.paths.join(', ')}`, MAIL_WIDTH, '   ', '   '));
  }
  return out;
}
