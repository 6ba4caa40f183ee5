/**
 * `weft check --format mail`: the verdicts as a report a kernel developer
 * can paste into a reply. Printable ASCII, every line at most 80 columns
 * (report/plain.ts): a compact verdict table (a row per property, grouped
 * by kind, a column per variant), then each violated property drawn once
 * as a race (report/race.ts), in the first variant of the table where it is
 * violated, with the other variants that violate it named under it.
 *
 * The table takes the first of these layouts that fits in 80 columns:
 * variant names as column heads and cells with trace lengths (`X26`,
 * `R9`, `X14+21`); letters as heads (A = the first variant, named in a
 * legend with its state count) and lengths; letters without lengths (`X`,
 * `R`); and that last one cut into blocks of variants.
 */
import type { PropertyVerdict } from '../explore/verdict.ts';
import { asciiText } from '../text/escape.ts';
import type { ExpectationOutcome } from './expectations.ts';
import type { Column } from './table.ts';
import { kindColumn, plural, reasonText } from './text.ts';
import { fit, listLines, MAIL_WIDTH, wrap } from './plain.ts';
import { raceLines } from './race.ts';

/** A property as the table lists it: its name and the kind group it goes under. */
interface Listed {
  readonly name: string;
  readonly group: string;
}

/** Every property of any variant, in the order they are first declared. */
export function listedProperties(columns: readonly Column[]): Listed[] {
  const out: Listed[] = [];
  for (const c of columns) {
    // The deadlock freedom is a built-in property, listed with ranges and locking.
    for (const p of c.result.program.properties) if (!out.some((x) => x.name === p.name)) out.push({ name: p.name, group: p.kind === 'deadlock' ? 'builtin' : kindColumn(p.kind) });
  }
  return out;
}

/** `X26`, `X14+21` (a lasso: stem + cycle), `X20s` (a run that stops), `R9`, `.`, `-`, `?`; `_` not in this variant. */
export function mailCell(v: PropertyVerdict | undefined, lengths: boolean): string {
  if (!v) return '_';
  const n = v.trace?.steps.length;
  const length = !lengths || n === undefined ? '' : v.lasso ? (v.lasso.end === 'cycle' ? `${v.lasso.loopStart}+${n - v.lasso.loopStart}` : `${n}s`) : String(n);
  switch (v.status) {
    case 'holds': return '.';
    case 'unreachable': return '-';
    case 'unknown': return '?';
    case 'violated': return `X${length}`;
    case 'reached': return `R${length}`;
  }
}

/** A, B, ..., Z, AA, AB, ...: the column heads when the variants' names do not fit. */
export function letterOf(i: number): string {
  const letter = String.fromCharCode(65 + (i % 26));
  return i < 26 ? letter : letterOf(Math.floor(i / 26) - 1) + letter;
}

const LABEL_LIMIT = 40;

/**
 * The verdict table and its legend, in `width` columns (MAIL_WIDTH for
 * mail; the terminal's table, report/table.ts, takes this layout at its own
 * width when its wordy one does not fit). `seconds` adds each variant's
 * time, after its state count.
 */
export function mailTable(columns: readonly Column[], width: number = MAIL_WIDTH, seconds = false): string[] {
  const listed = listedProperties(columns);
  const cells = (lengths: boolean): string[][] => listed.map((p) => columns.map((c) => {
    const o = c.outcomes.find((x) => x.property === p.name);
    return mailCell(c.result.verdicts.find((x) => x.property === p.name), lengths) + (o?.met === false ? '!' : '');
  }));
  const names = columns.map((c) => asciiText(c.result.program.variant));
  const letters = columns.map((_, i) => letterOf(i));
  const states = columns.map((c) => `${c.result.stats.states.toLocaleString('en-US')}${c.result.complete ? '' : '?'}`);
  const times = seconds ? [columns.map((c) => c.result.stats.seconds.toFixed(2))] : [];
  const tries = [
    { heads: names, grid: [...cells(true), states, ...times], lengths: true, named: true },
    { heads: letters, grid: cells(true), lengths: true, named: false },
    { heads: letters, grid: cells(false), lengths: false, named: false },
  ];
  const labels = [...listed.map((p) => p.name), 'states', ...(seconds ? ['seconds'] : [])];
  const unnamed = labels.slice(0, listed.length);
  let chosen = tries[tries.length - 1]!;
  let lines: string[] | null = null;
  for (const t of tries) {
    lines = grid(listed, t.named ? labels : unnamed, t.heads, t.grid, columns.map((_, i) => i));
    if (lines.every((l) => l.length <= width)) { chosen = t; break; }
    lines = null;
  }
  // Still too wide: blocks of variants one under the other, as few as fit and as even as they can be
  // (26 variants in two blocks of 13, not 23 and 3).
  if (!lines) {
    const block = (from: number, end: number): string[] => grid(listed, unnamed, chosen.heads, chosen.grid, range(from, end));
    const fits = (from: number, end: number): boolean => block(from, end).every((l) => l.length <= width);
    let blocks = 0;
    for (let from = 0; from < columns.length; blocks++) {
      let to = from + 1;
      while (to < columns.length && fits(from, to + 1)) to++;
      from = to;
    }
    let size = Math.ceil(columns.length / blocks);
    const starts = (n: number): number[] => range(0, Math.ceil(columns.length / n)).map((k) => k * n);
    while (size > 1 && !starts(size).every((from) => fits(from, Math.min(from + size, columns.length)))) size--;
    lines = [];
    for (const from of starts(size)) {
      if (from > 0) lines.push('');
      lines.push(...block(from, Math.min(from + size, columns.length)).map((l) => fit(l, width)));
    }
  }
  const out = [...lines, ''];
  const detail = (c: Column): string => `${plural(c.result.stats.states, 'state')}${seconds ? `, ${c.result.stats.seconds.toFixed(2)} s` : ''}${c.result.complete ? '' : ', incomplete'}`;
  if (!chosen.named) columns.forEach((c, i) => out.push(...wrap(`${letters[i]}  ${names[i]} (${detail(c)})`, MAIL_WIDTH, '', '     ')));
  if (!chosen.named) out.push('');
  out.push(...legend(columns, chosen.lengths, chosen.named, seconds));
  return out;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** The rows of the table for the variants `which`: group headings, properties indented under them. */
function grid(listed: readonly Listed[], labels: readonly string[], heads: readonly string[], cells: readonly (readonly string[])[], which: readonly number[]): string[] {
  const labelWidth = Math.min(LABEL_LIMIT, Math.max(...labels.map((l, i) => (i < listed.length ? 2 : 0) + l.length)));
  const widths = which.map((c) => Math.max(heads[c]!.length, ...cells.map((r) => r[c]!.length)));
  const row = (label: string, items: readonly string[]): string[] => {
    const text = items.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd();
    if (label.length > labelWidth) return [label, `${' '.repeat(labelWidth)}  ${text}`];
    return [`${label.padEnd(labelWidth)}  ${text}`.trimEnd()];
  };
  const out = row('', which.map((c) => heads[c]!));
  let group = '';
  labels.forEach((label, i) => {
    const p = listed[i];
    if (p && p.group !== group) { group = p.group; out.push(group); }
    out.push(...row(p ? `  ${asciiText(label)}` : label, which.map((c) => cells[i]![c]!)));
  });
  return out;
}

function legend(columns: readonly Column[], lengths: boolean, named: boolean, seconds: boolean): string[] {
  const verdicts = columns.flatMap((c) => c.result.verdicts);
  const parts = ['X violated, . holds; for a reachable target R reached, - unreachable'];
  if (lengths) parts.push('a number after X or R: the steps of the shortest trace');
  if (lengths && verdicts.some((v) => v.lasso?.end === 'cycle')) parts.push('s+c: a liveness lasso, a stem of s steps then a cycle of c steps repeating for ever');
  if (lengths && verdicts.some((v) => v.lasso?.end === 'terminal')) parts.push('ns: a run of n steps that stops where no instance can move');
  if (verdicts.some((v) => v.status === 'unknown')) parts.push('? not decided: the search was incomplete');
  if (columns.some((c) => c.outcomes.some((o) => o.met === false))) parts.push("! not as the model's expect lines say");
  if (columns.some((c) => c.result.program.properties.length !== columns[0]!.result.program.properties.length)) parts.push('_ not a property of this variant');
  if (named) parts.push(seconds ? 'states: distinct states searched, in seconds' : 'states: distinct states searched');
  return wrap(`${parts.join('; ')}.`);
}

/** What the expect lines say of the verdicts: one line when all are met, else each unmet one. */
export function expectationLines(columns: readonly Column[]): string[] {
  const unmet = columns.flatMap((c) => c.outcomes.filter((o) => o.met !== true).map((o) => ({ variant: c.result.program.variant, o })));
  const declared = columns.some((c) => c.outcomes.some((o) => o.at));
  if (unmet.length === 0) return declared ? ["Every verdict is as the model's expect lines say."] : [];
  const why = (o: ExpectationOutcome): string => (o.met === 'unknown' ? `not decided (expected ${o.wanted})` : o.at ? `${o.actual}, expected ${o.wanted}` : `${o.actual}, and no expect line says so`);
  return [`Not as the model's expect lines say:`, ...unmet.flatMap(({ variant, o }) => wrap(`${variant}: ${o.property} is ${why(o)}`, MAIL_WIDTH, '  ', '    '))];
}

/** The whole report of `weft check --format mail`, one variant or all of them. */
export function formatMail(path: string, columns: readonly Column[]): string {
  const one = columns.length === 1;
  const first = columns[0]!.result.program;
  const out = wrap(one ? `${path}, variant ${first.variant}` : `${path}: ${columns.length} variants`);
  out.push('', ...mailTable(columns));
  for (const c of columns) if (!c.result.complete) out.push(...wrap(`${c.result.program.variant}: search incomplete (${reasonText(c.result.reason)})`));
  const expect = expectationLines(columns);
  if (expect.length) out.push('', ...expect);
  out.push(...racesSection(columns));
  return `${out.join('\n')}\n`;
}

/** Each violated property drawn once, in the first variant that violates it; the others named under it. */
function racesSection(columns: readonly Column[]): string[] {
  const out: string[] = [];
  const listed = listedProperties(columns);
  const one = columns.length === 1;
  for (const p of listed) {
    const violating = columns.filter((c) => c.result.verdicts.find((v) => v.property === p.name)?.status === 'violated');
    if (violating.length === 0) continue;
    const c = violating[0]!;
    const v = c.result.verdicts.find((x) => x.property === p.name)!;
    out.push('', ...raceLines(c.result, v, one ? '' : `${c.result.program.variant}: `));
    if (violating.length > 1) out.push(...listLines('also violated in: ', violating.slice(1).map((x) => x.result.program.variant)));
  }
  if (out.length === 0) return out;
  const intro = one
    ? 'Each violation drawn from its shortest trace, the deciding steps marked [#n]; weft check prints the whole trace.'
    : 'Each violated property drawn once, from its shortest trace in the first variant (in the order above) that violates it, the deciding steps marked [#n]; weft check --variant V prints the whole trace.';
  return ['', ...wrap(intro), ...out];
}
