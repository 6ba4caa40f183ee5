/**
 * Step coverage, as SPIN lists unreached code: a model whose properties
 * hold because half of it never runs is a wrong model. After a complete
 * search Weft names each step that never fired (file:line, call path,
 * label) and the `reachable` targets that were hit; `--coverage` prints
 * how many times every step fired. Pure text from a CheckResult.
 */
import { whereLine } from '../text/source.ts';
import type { CheckResult } from '../explore/verdict.ts';
import type { Step } from '../lower/ir.ts';

/**
 * ```
 * coverage: 2 of 23 steps never fired:
 *   models/gup-writeback.weft:131  reclaim › try_to_unmap  (reclaim)
 * reachable targets hit: pinned_clean_after_writeback, reclaim_freed_buffers
 * ```
 * Nothing after an incomplete search: a step it did not reach may still run.
 */
export function formatCoverageSummary(result: CheckResult): string {
  if (!result.complete) return '';
  const { program } = result;
  const never = program.steps.filter((s) => (result.coverage[s.id] ?? 0) === 0);
  const lines = [never.length === 0
    ? `coverage: all ${program.steps.length} steps fired`
    : `coverage: ${never.length} of ${program.steps.length} steps never fired:`];
  const rows = never.map((s) => [whereLine(program.file, s.span), where(s)]);
  lines.push(...columns(rows).map((l) => `  ${l}`));
  const hit = result.verdicts.filter((v) => v.kind === 'reachable' && v.status === 'reached').map((v) => v.property);
  if (hit.length) lines.push(`reachable targets hit: ${hit.join(', ')}`);
  return lines.join('\n');
}

/**
 * `--coverage`: every step with how many times it fired (successors
 * generated, already-seen ones included, and failures raised), in the
 * model's order.
 */
export function formatCoverageTable(result: CheckResult): string {
  const { program } = result;
  const rows = program.steps.map((s) => [(result.coverage[s.id] ?? 0).toLocaleString('en-US'), whereLine(program.file, s.span), where(s)]);
  const width = Math.max(5, ...rows.map((r) => r[0]!.length));
  const title = `steps fired${result.complete ? '' : ' (search incomplete)'}:`;
  return [title, ...columns(rows.map((r) => [r[0]!.padStart(width), ...r.slice(1)])).map((l) => `  ${l}`)].join('\n');
}

/** `writeback › folio_lock`: the call path ending in the step's label (once); a condition's two steps say which way they go. */
function where(s: Step): string {
  const label = s.branch === undefined || s.labelled ? s.label : `${s.label} is ${s.branch}`;
  const path = s.callPath.at(-1) === label ? s.callPath : [...s.callPath, label];
  return path.join(' › ');
}

function columns(rows: readonly string[][]): string[] {
  if (rows.length === 0) return [];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}
