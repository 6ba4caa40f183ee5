/**
 * The table `--all-variants` prints: one row per property, one column per
 * variant, each cell the verdict and, for a violation or a reached target,
 * the length of its shortest trace (for a liveness violation, its lasso's
 * stem and cycle: `violated (2+3)`, or `violated (2, stops)`). A cell whose verdict differs from the
 * model's `expect` line is marked, so the table alone settles an argument.
 *
 * That wordy table is printed when it fits in TABLE_WIDTH columns. A model
 * with many variants (the flagship has 26: the wordy table is some 790
 * columns wide) gets the compact table of `--format mail` instead
 * (report/mail.ts mailTable, at TABLE_WIDTH): a column per variant headed
 * by a letter, named in a legend under the table with its state count,
 * cells of a symbol and the trace length (`X26`, `R9`, `X14+21`, `.`), and,
 * when even that does not fit, cut into blocks of variants one under the
 * other. A row still reads across every variant of a block at a glance,
 * which a transposed table (a row per variant, 30-odd property columns)
 * would not give, and the letters keep each column two or three characters
 * wide however long the variants' names. `--markdown` is always the wordy
 * table: a Markdown viewer wraps and scrolls it.
 */
import type { CheckResult, PropertyVerdict } from '../explore/verdict.ts';
import type { ExpectationOutcome } from './expectations.ts';
import { lassoCell, TABLE_LEGEND } from './lasso.ts';
import { mailTable } from './mail.ts';

/** The widest the terminal's table may be. */
export const TABLE_WIDTH = 100;

export interface Column {
  readonly result: CheckResult;
  readonly outcomes: readonly ExpectationOutcome[];
}

export function cellText(v: PropertyVerdict | undefined): string {
  if (!v) return '-';
  const n = v.trace?.steps.length;
  if (n === undefined || (v.status !== 'violated' && v.status !== 'reached')) return v.status;
  // A liveness counterexample's length alone would hide where its cycle starts, or that the run stops.
  return `${v.status} (${v.lasso ? lassoCell(v.lasso, n) : n})`;
}

/** The legend under the table; the lasso part only when a cell shows a lasso, so other tables read as before. */
function legend(columns: readonly Column[]): string {
  const lassos = columns.some((c) => c.result.verdicts.some((v) => v.status === 'violated' && v.trace && v.lasso));
  return lassos ? `${LEGEND}\n${TABLE_LEGEND}` : LEGEND;
}

/** Header and rows, shared by the terminal and Markdown renderings. */
function tableRows(columns: readonly Column[], opts: { stats: boolean }): { header: string[]; rows: string[][] } {
  const properties: { name: string; kind: string }[] = [];
  for (const c of columns) {
    for (const p of c.result.program.properties) {
      if (!properties.some((x) => x.name === p.name)) properties.push({ name: p.name, kind: p.kind });
    }
  }
  const header = ['property', ...columns.map((c) => c.result.program.variant)];
  const rows: string[][] = properties.map((p) => [
    `${p.kind === 'deadlock' || p.kind === 'ranges' || p.kind === 'locking' ? 'builtin' : p.kind} ${p.name}`,
    ...columns.map((c) => {
      const v = c.result.verdicts.find((x) => x.property === p.name);
      const o = c.outcomes.find((x) => x.property === p.name);
      const mark = o?.met === false ? ' ✗' : o?.met === true && o.at ? ' ✓' : '';
      return cellText(v) + mark;
    }),
  ]);
  rows.push(['states', ...columns.map((c) => `${c.result.stats.states.toLocaleString('en-US')}${c.result.complete ? '' : ' (incomplete)'}`)]);
  if (opts.stats) rows.push(['seconds', ...columns.map((c) => c.result.stats.seconds.toFixed(2))]);
  return { header, rows };
}

const LEGEND = '✓ as the model expects, ✗ not as it expects; (n) is the length of the shortest trace';

export function formatTable(columns: readonly Column[], opts: { stats: boolean }): string {
  const { header, rows } = tableRows(columns, opts);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]!].length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join('  ').trimEnd();
  const wordy = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  if (wordy.every((l) => [...l].length <= TABLE_WIDTH)) return [...wordy, '', legend(columns)].join('\n');
  return mailTable(columns, TABLE_WIDTH, opts.stats).join('\n');
}

/** The same table as Markdown, for docs and pull requests. */
export function formatMarkdownTable(columns: readonly Column[]): string {
  const { header, rows } = tableRows(columns, { stats: false });
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), `|${' --- |'.repeat(header.length)}`, ...rows.map(line), '', legend(columns)].join('\n');
}
