/**
 * The terminal report: one line per property, the statistics, then one
 * trace per violation, read like the kernel functions the model follows.
 * Pure and deterministic: apart from the time, rate and memory figures
 * (left out with `stats: false`) the same result always prints the same
 * text, so golden files can pin it.
 */
import type { Program, PropertyKind } from '../lower/ir.ts';
import { whereLine } from '../text/source.ts';
import type { CheckResult, IncompleteReason, PropertyVerdict, Stats } from '../explore/verdict.ts';
import { conditionText, propertyText, readsText, shownReads, type Condition, type Trace, type TraceStep } from '../explore/trace.ts';
import type { State } from '../explore/state.ts';
import { decisiveSteps } from './decisive.ts';
import { MAIL_WIDTH } from './plain.ts';
import { formatValue } from './values.ts';
import { END_LINE, fairnessLines, lassoLength, loopLine } from './lasso.ts';
import { assertNever } from '../util.ts';

export interface TextOptions {
  /** Print time, states/s and memory (default true); counts are always printed. */
  readonly stats?: boolean;
  /** Print the trace of each violation after the summary (default true). */
  readonly traces?: boolean;
  /** Also print the witness of each reached `reachable` target (default false). */
  readonly witnesses?: boolean;
  /** Under each step, the variables it changed (`diff`, the default) or every variable (`full`). */
  readonly traceStyle?: TraceStyle;
}

export const TRACE_STYLES = ['diff', 'full'] as const;
export type TraceStyle = (typeof TRACE_STYLES)[number];

/**
 * ```
 * models/classic/peterson.weft, variant default
 *   invariant  mutual_exclusion  holds
 *   builtin    ranges            holds
 * 1,234 states, 2,345 transitions, depth 17, 0.05 s, 24,680 states/s, 61 MB
 * ```
 */
export function formatResult(result: CheckResult, opts: TextOptions = {}): string {
  const { program } = result;
  const lines: string[] = [program.variant ? `${program.file.path}, variant ${program.variant}` : program.file.path];
  const nameWidth = Math.max(24, ...result.verdicts.map((v) => v.property.length));
  for (const v of result.verdicts) {
    lines.push(`  ${kindColumn(v.kind).padEnd(10)} ${v.property.padEnd(nameWidth)} ${statusText(v)}`);
  }
  lines.push(formatStats(result.stats, opts.stats !== false));
  if (result.reduction) lines.push(reductionText(result));
  if (!result.complete) lines.push(`search incomplete: ${reasonText(result.reason)}; verdicts marked unknown were not decided`);
  let text = lines.join('\n');
  for (const v of result.verdicts) {
    const wanted = (v.status === 'violated' && opts.traces !== false) || (v.status === 'reached' && opts.witnesses === true);
    if (wanted && v.trace) text += `\n\n${formatTrace(result, v, opts.traceStyle ?? 'diff')}`;
  }
  return `${text}\n`;
}

/** `1,234 states, 2,345 transitions, depth 17` and, with `time`, `, 0.05 s, 24,680 states/s, 61 MB`. */
export function formatStats(stats: Stats, time = true): string {
  const counts = `${plural(stats.states, 'state')}, ${plural(stats.transitions, 'transition')}, depth ${stats.depth}`;
  if (!time) return counts;
  const mb = Math.round(stats.peakMemoryBytes / 2 ** 20);
  const store = stats.storeBytes === null || stats.states === 0 ? '' : ` (store ${group(Math.round(stats.storeBytes / 2 ** 20))} MB, ${Math.round(stats.storeBytes / stats.states)} B/state)`;
  return `${counts}, ${stats.seconds.toFixed(2)} s, ${group(stats.statesPerSecond)} states/s, ${group(mb)} MB${store}`;
}

/**
 * Consecutive steps of one actor instance are grouped under its name; each
 * step shows its label, the call path below the actor, and file:line, then
 * for a condition's step why it went its way (`if (x > 0) is false because
 * x = 0`), the shared values it read that no other line shows (`read b =
 * 1`), and the variables it changed (or, in the `full` style, every
 * variable). The
 * two steps whose order decides the violation, where Weft can tell
 * (report/decisive.ts), are marked with `▶` and named after the verdict.
 * ```
 * invariant pin_keeps_fs_data violated after 17 steps:
 *   pinner
 *     #1   follow_page_pte      pin_user_pages   models/gup-writeback.weft:177
 *   ...
 *   ▶ #7   follow_page_pte      pin_user_pages   models/gup-writeback.weft:173
 *            folio.pins: 0 -> 1
 *   ...
 *   ✗ invariant pin_keeps_fs_data: folio.pins > 0 -> folio.buffers   models/gup-writeback.weft:320
 *   ▶ decided by the order of #7 (pinner follow_page_pte)
 *     and #17 (reclaim try_to_free_buffers): folio.pins, folio.buffers
 * ```
 */
export function formatTrace(result: CheckResult, verdict: PropertyVerdict, style: TraceStyle = 'diff'): string {
  const { program } = result;
  const { file } = program;
  const trace = verdict.trace;
  const title = titleOf(verdict);
  if (!trace) return `${title} ${verdict.status}`;
  const lasso = verdict.lasso;
  const lines = [`${title} ${verdict.kind === 'deadlock' ? '' : `${verdict.status} `}${lasso ? lassoLength(lasso, trace.steps.length) : lengthText(trace)}:`];
  const decisive = decisiveSteps(program, verdict);
  const marked = new Set(decisive ? [decisive.first, decisive.second] : []);

  const below = (s: TraceStep): string => s.callPath.slice(1).join(' › ');
  const changeIndent = ' '.repeat(4 + `#${trace.steps.length}`.length + 2);
  // The call path in a column of its own while the rows fit TRACE_WIDTH; on a line of its own under
  // each step, wrapped after a `›`, where the column would make them wider (deep call paths).
  const inColumn = columns(trace.steps.map((s) => [`#${s.index}`, s.label, below(s), whereLine(file, s.span)]));
  const fits = inColumn.every((l) => 4 + [...l].length <= TRACE_WIDTH);
  const stepLines = fits ? inColumn : columns(trace.steps.map((s) => [`#${s.index}`, s.label, whereLine(file, s.span)]));
  const pathLines = (s: TraceStep): string[] => (fits || s.callPath.length < 2 ? [] : callPathLines(s.callPath.slice(1), changeIndent));
  if (style === 'full') lines.push('  initial state', ...fullState(program, trace.initial, changeIndent));
  trace.steps.forEach((s, i) => {
    const loops = lasso?.end === 'cycle' && i === lasso.loopStart;
    if (loops) lines.push(loopLine(lasso, trace.steps.length));
    if (i === 0 || loops || trace.steps[i - 1]!.instance !== s.instance) lines.push(`  ${s.instanceName}`);
    lines.push(`  ${marked.has(s.index) ? '▶ ' : '  '}${stepLines[i]}`, ...pathLines(s));
    if (s.condition) lines.push(...conditionLines(s.condition, changeIndent));
    for (const r of shownReads(s)) lines.push(`${changeIndent}read ${r.path} = ${r.value}`);
    if (style === 'full' && !s.failed) lines.push(...fullState(program, s.state, changeIndent));
    else for (const c of s.changes) lines.push(`${changeIndent}${c.path}: ${c.before} -> ${c.after}`);
  });

  if (lasso?.end === 'terminal') lines.push(END_LINE);

  if (verdict.status === 'reached') {
    const span = verdict.span;
    lines.push(`  ✓ ${title}${span ? `: ${propertyText(program, span)}   ${whereLine(file, span)}` : ''}`);
  } else if (trace.failure) {
    const f = trace.failure;
    lines.push(`  ✗ ${title}: ${f.message}${f.span ? `   ${whereLine(file, f.span)}` : ''}`);
    if (lasso) lines.push(`    ${verdict.message ?? ''}`, ...fairnessLines(lasso));
    const blocked = f.blocked ?? [];
    const who = (b: (typeof blocked)[number]): string => `${b.instanceName}${b.daemon ? ' (daemon)' : ''}`;
    const whoWidth = Math.max(0, ...blocked.map((b) => who(b).length));
    const labelWidth = Math.max(0, ...blocked.flatMap((b) => b.waits.map((w) => w.label.length)));
    for (const b of blocked) {
      if (b.waits.length === 0) lines.push(`      ${who(b).padEnd(whoWidth)}  has no step to take`);
      b.waits.forEach((w, i) => {
        const head = i === 0 ? `${who(b).padEnd(whoWidth)}  waits at` : `${''.padEnd(whoWidth)}        or`;
        lines.push(`      ${head} ${w.label.padEnd(labelWidth)}  ${whereLine(file, w.span)}`);
      });
    }
  }
  if (decisive) {
    const name = (i: number): string => {
      const s = trace.steps[i - 1]!;
      return `#${i} (${s.instanceName} ${s.label})`;
    };
    const head = `  ▶ decided by the order of ${name(decisive.first)}`;
    const tail = `and ${name(decisive.second)}: ${decisive.paths.join(', ')}`;
    // On two lines, the second step under the first, where one would pass TRACE_WIDTH.
    if ([...head].length + 1 + [...tail].length <= TRACE_WIDTH) lines.push(`${head} ${tail}`);
    else lines.push(head, `    ${tail}`);
  }
  return lines.join('\n');
}

/** Every variable of a state, one per line: the shared ones, then each instance's locals. */
function fullState(program: Program, state: State, indent: string): string[] {
  const out = program.globals.map((g, i) => `${indent}${g.name} = ${formatValue(g.type, state.globals[i]!, program)}`);
  program.instances.forEach((inst, i) => {
    program.actors[inst.actor]!.locals.forEach((l, j) => {
      out.push(`${indent}${inst.name}.${l.name} = ${formatValue(l.type, state.locals[i]![j]!, program)}`);
    });
  });
  return out;
}

/** The width a trace's step rows keep to where their content allows: a mail reply's 80 columns. */
export const TRACE_WIDTH = MAIL_WIDTH;

/** Why a condition went its way; the values it read on a line of their own where one line would pass TRACE_WIDTH. */
function conditionLines(c: Condition, indent: string): string[] {
  const whole = `${indent}${conditionText(c)}`;
  if ([...whole].length <= TRACE_WIDTH || c.reads.length === 0) return [whole];
  return [`${indent}${conditionText({ ...c, reads: [] })}`, `${indent}  because ${readsText(c.reads)}`];
}

/** `in a › b › c` under a step, wrapped after a `›` so that each line keeps to TRACE_WIDTH where a name allows. */
function callPathLines(path: readonly string[], indent: string): string[] {
  const out: string[] = [];
  let line = `${indent}in ${path[0]}`;
  for (const name of path.slice(1)) {
    if ([...line].length + 3 + [...name].length > TRACE_WIDTH) {
      out.push(`${line} ›`);
      line = `${indent}   ${name}`;
    } else line += ` › ${name}`;
  }
  return [...out, line];
}

/**
 * Aligns cells into columns two spaces apart; a column empty in every row
 * (no step has a call path) is left out, and the last is not padded.
 */
function columns(rows: readonly (readonly string[])[]): string[] {
  const n = rows[0]?.length ?? 0;
  const widths = Array.from({ length: n }, (_, c) => Math.max(...rows.map((r) => [...r[c]!].length)));
  const keep = widths.map((w, c) => w > 0 || c === n - 1);
  return rows.map((r) => r
    .map((cell, c) => (c === n - 1 ? cell : cell + ' '.repeat(widths[c]! - [...cell].length)))
    .filter((_, c) => keep[c])
    .join('  '));
}

/** `invariant pin_keeps_fs_data`, `assert assertions`; built-in properties by name alone: `ranges`, `deadlock`. */
function titleOf(v: PropertyVerdict): string {
  return v.kind === v.property ? v.property : `${v.kind} ${v.property}`;
}

function lengthText(trace: Trace): string {
  const n = trace.steps.length;
  return n === 0 ? 'in the initial state' : `after ${plural(n, 'step')}`;
}

function statusText(v: PropertyVerdict): string {
  switch (v.status) {
    case 'holds': case 'unreachable': case 'unknown':
      return v.status;
    case 'violated':
      if (v.trace && v.lasso) return `violated ${lassoLength(v.lasso, v.trace.steps.length)}`;
      return v.trace ? `violated ${lengthText(v.trace)}` : 'violated';
    case 'reached':
      if (!v.trace) return 'reached';
      return v.trace.steps.length === 0 ? 'reached in the initial state' : `reached in ${plural(v.trace.steps.length, 'step')}`;
    default:
      return assertNever(v.status);
  }
}

export function kindColumn(kind: PropertyKind): string {
  switch (kind) {
    case 'invariant': case 'reachable': case 'liveness': case 'assert': case 'warning': case 'deadlock':
      return kind;
    case 'ranges': case 'locking':
      return 'builtin';
    default:
      return assertNever(kind);
  }
}

export function reasonText(reason: IncompleteReason | undefined): string {
  switch (reason) {
    case 'max-states': return 'the state limit was reached';
    case 'max-memory': return 'the memory limit was reached';
    case 'time-limit': return 'the time limit was reached';
    case 'interrupted': return 'interrupted';
    case undefined: return 'stopped early';
    default: return assertNever(reason);
  }
}

export function plural(n: number, word: string): string {
  return `${group(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** Thousands separators without the locale: output must not depend on the machine. */
function group(n: number): string {
  const digits = String(Math.round(Math.abs(n)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

/** The line that says how a search was reduced (`result.reduction` is set). */
export function reductionText(result: CheckResult): string {
  const r = result.reduction!;
  switch (r.kind) {
    case 'por': {
      const liveness = result.program.properties.some((p) => p.kind === 'liveness') ? '; liveness not decided' : '';
      return `partial-order reduction (--por): ${plural(r.reducedStates, 'state')} expanded with fewer moves; traces are shortest within the reduced search${liveness}`;
    }
    case 'symmetry':
      return `symmetry reduction: states counted up to a permutation of the instances of ${r.actors.join(', ')} (--no-symmetry counts every state); verdicts and shortest traces are the full search's`;
    default: return assertNever(r);
  }
}
