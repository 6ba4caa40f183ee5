/**
 * `weft check models/` (several files, or a directory): a line per model,
 * one per variant under it, then the exit code of the worst. Pure text
 * from the rows.
 */
import type { CheckResult } from '../explore/verdict.ts';
import type { ExpectationOutcome } from './expectations.ts';

export type SummaryRow =
  | { readonly kind: 'checked'; readonly path: string; readonly result: CheckResult; readonly outcomes: readonly ExpectationOutcome[]; readonly code: 0 | 1 | 3 }
  /** The model did not parse or check (its diagnostics were printed), or could not be read. */
  | { readonly kind: 'rejected'; readonly path: string; readonly variant: string | null; readonly why: string };

/** Exit codes from best to worst: all as expected, incomplete, a property or expectation failed, bad input, internal error. */
const SEVERITY = [0, 3, 1, 2, 70] as const;

export function worstExit(codes: readonly number[]): number {
  return codes.reduce((a, b) => (SEVERITY.indexOf(b as (typeof SEVERITY)[number]) > SEVERITY.indexOf(a as (typeof SEVERITY)[number]) ? b : a), 0);
}

export function rowExit(row: SummaryRow): number {
  return row.kind === 'checked' ? row.code : 2;
}

/**
 * A heading line per model, its variants indented under it, so the path is
 * not repeated on every row and a row is at most 80 columns wide for any
 * variant name up to 35 characters:
 * ```
 * model / variant            states  violated  reached  expectations  result
 * models/classic/peterson.weft
 *   peterson                     20         0        2  4 of 4 met    ok
 * models/gup-writeback.weft
 *   m0_unpatched             15,844         8        8  22 of 22 met  ok
 * ```
 */
export function formatSummary(rows: readonly SummaryRow[]): string {
  const header = ['model / variant', 'states', 'violated', 'reached', 'expectations', 'result'];
  const cells = rows.map((r): string[] => {
    if (r.kind === 'rejected') return [`  ${r.variant ?? '-'}`, '-', '-', '-', '-', `error: ${r.why}`];
    const v = r.result.verdicts;
    const declared = r.outcomes.filter((o) => o.at).length;
    const met = r.outcomes.filter((o) => o.met === true).length;
    return [
      `  ${r.result.program.variant}`,
      group(r.result.stats.states),
      String(v.filter((x) => x.status === 'violated').length),
      String(v.filter((x) => x.status === 'reached').length),
      declared ? `${met} of ${declared} met` : 'none',
      resultText(r),
    ];
  });
  const numeric = (i: number): boolean => i >= 1 && i <= 3;
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string => c.map((x, i) => (i === c.length - 1 ? x : numeric(i) ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [line(header)];
  rows.forEach((r, i) => {
    if (i === 0 || rows[i - 1]!.path !== r.path) out.push(r.path);
    out.push(line(cells[i]!));
  });
  const codes = rows.map(rowExit);
  const failed = rows.filter((r) => rowExit(r) !== 0).length;
  const models = new Set(rows.map((r) => r.path)).size;
  return [
    ...out,
    '',
    `${models} model${models === 1 ? '' : 's'}, ${rows.length} variant${rows.length === 1 ? '' : 's'}: ${failed === 0 ? 'all as expected' : `${failed} not as expected`} (exit ${worstExit(codes)})`,
  ].join('\n');
}

function resultText(r: Extract<SummaryRow, { kind: 'checked' }>): string {
  switch (r.code) {
    case 0: return 'ok';
    case 3: return r.result.complete ? 'undecided' : `incomplete (${r.result.reason ?? 'stopped'})`;
    case 1: {
      const unmet = r.outcomes.filter((o) => o.met === false);
      const names = unmet.map((o) => o.property);
      return `FAILED: ${names.length > 3 ? `${names.slice(0, 3).join(', ')}, ...` : names.join(', ')}`;
    }
  }
}

function group(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
