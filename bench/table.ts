/** The benchmark's tables and its Weft/SPIN ratios. */
import { group, TOOL_NAMES, type Row } from './common.ts';

export const rate = (r: Row): number | null => (r.seconds > 0 ? r.states / r.seconds : null);
/** Memory per stored state: peak RSS when measured, else the tool's own figure. */
export const perState = (r: Row): number | null => {
  const b = r.peakBytes ?? r.ownBytes;
  return b === null || r.states === 0 ? null : b / r.states;
};

export const COLUMNS = ['model', 'size', 'tool', 'states', 'transitions', 'seconds', 'states/s', 'peak RSS MiB', 'RSS B/state', 'own B/state', 'vector B', 'note'];

export function cells(r: Row): string[] {
  const sps = rate(r);
  const rss = r.peakBytes === null ? null : r.peakBytes / r.states;
  return [
    r.model,
    r.size,
    TOOL_NAMES[r.tool],
    group(r.states),
    group(r.transitions),
    r.seconds.toFixed(2),
    sps === null ? '-' : group(sps),
    r.peakBytes === null ? '-' : group(r.peakBytes / 2 ** 20),
    rss === null || r.states === 0 ? '-' : group(rss),
    r.ownBytes === null || r.states === 0 ? '-' : group(r.ownBytes / r.states),
    r.vector === null ? '-' : String(r.vector),
    r.note,
  ];
}

const numeric = (i: number): boolean => i >= 3 && i <= 10;
/** Column widths of the rows printed while the benchmark runs. */
const STREAM_WIDTHS = [15, 8, 21, 11, 13, 8, 10, 12, 11, 11, 8, 0];

export function streamLine(c: readonly string[]): string {
  return c.map((x, i) => (numeric(i) ? x.padStart(STREAM_WIDTHS[i]!) : x.padEnd(STREAM_WIDTHS[i]!))).join('  ').trimEnd();
}

export function table(rows: readonly string[][], markdown: boolean): string {
  if (markdown) {
    const line = (c: readonly string[]): string => `| ${c.join(' | ')} |`;
    return [line(COLUMNS), line(COLUMNS.map((_, i) => (numeric(i) ? '---:' : '---'))), ...rows.map(line)].join('\n');
  }
  const widths = COLUMNS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (c: readonly string[]): string => c.map((x, i) => (numeric(i) ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}

export interface Comparison {
  readonly line: string;
  readonly fast: boolean;
  readonly small: boolean;
}

/** Weft against SPIN's best of `spin` (complete runs), per metric: the fastest and the leanest mode. */
export function compare(weft: Row, spin: readonly Row[]): Comparison | null {
  const done = spin.filter((r) => r.complete && rate(r) !== null && perState(r) !== null);
  const wRate = rate(weft);
  const wMem = perState(weft);
  if (!done.length || wRate === null || wMem === null || !weft.complete) return null;
  const fastest = done.reduce((a, b) => (rate(b)! > rate(a)! ? b : a));
  const leanest = done.reduce((a, b) => (perState(b)! < perState(a)! ? b : a));
  const mismatch = done.filter((r) => r.states !== weft.states);
  const line = `states/s ${ratio(wRate, rate(fastest)!)} (${TOOL_NAMES[fastest.tool]}: ${group(rate(fastest)!)}), `
    + `peak B/state ${ratio(wMem, perState(leanest)!)} (${TOOL_NAMES[leanest.tool]}: ${group(perState(leanest)!)})`
    + (mismatch.length ? `; NOTE: state counts differ (${mismatch.map((r) => `${TOOL_NAMES[r.tool]} ${group(r.states)}`).join(', ')}), not exact` : '');
  return { line, fast: wRate >= rate(fastest)!, small: wMem <= perState(leanest)! };
}

/** SPIN's modes that check what Weft checks: all but the -DNOCLAIM ones when there is a claim. */
export const checksInvariants = (r: Row): boolean => !r.tool.endsWith('noclaim');

/**
 * The runs that search the whole space, as Weft does: all but SPIN's
 * partial-order reduction, which is compared with Weft's own once Weft
 * has one (TODO: weft --por, issue 15).
 */
export const fullSearch = (r: Row): boolean => !r.tool.endsWith('-por');