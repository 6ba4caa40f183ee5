/**
 * `weft diff MODEL A B`: the verdicts of two variants side by side, read as
 * what a patch (B) does to a baseline (A). A property that can be violated
 * (an invariant, assert, warning, liveness property or built-in) *closes*
 * when it is violated in A and holds in B, *opens* when it holds in A and
 * is violated in B, is *left* when violated in both, and holds in both
 * otherwise. A reachability target is no bug when reached: it is *now
 * reached* or *no longer reached*, or the same in both. A verdict the
 * search could not decide, or a property only one variant has, is listed
 * apart. With `mail`, each violation that closes, opens or is left is
 * drawn as a race (report/race.ts): a closed one in A, the others in B.
 */
import type { PropertyKind } from '../lower/ir.ts';
import type { CheckResult, PropertyVerdict } from '../explore/verdict.ts';
import { asciiText } from '../text/escape.ts';
import { assertNever } from '../util.ts';
import { cellText } from './table.ts';
import { kindColumn, reasonText, reductionText } from './text.ts';
import { reductionJson } from './json.ts';
import { fit, listLines, MAIL_WIDTH, wrap } from './plain.ts';
import { raceLines } from './race.ts';

export const CHANGES = ['closes', 'opens', 'leaves', 'holds-both', 'now-reached', 'no-longer-reached', 'reached-both', 'unreachable-both', 'undecided', 'one-side'] as const;
export type Change = (typeof CHANGES)[number];

export interface DiffRow {
  readonly property: string;
  readonly kind: PropertyKind;
  readonly a: PropertyVerdict | undefined;
  readonly b: PropertyVerdict | undefined;
  readonly change: Change;
}

/** Every property of A, then those only B has, each with what B does to it. */
export function diffVerdicts(a: CheckResult, b: CheckResult): DiffRow[] {
  const names = [...a.program.properties, ...b.program.properties.filter((p) => !a.program.properties.some((q) => q.name === p.name))];
  return names.map((p) => {
    const va = a.verdicts.find((v) => v.property === p.name);
    const vb = b.verdicts.find((v) => v.property === p.name);
    return { property: p.name, kind: p.kind, a: va, b: vb, change: changeOf(p.kind, va, vb) };
  });
}

function changeOf(kind: PropertyKind, a: PropertyVerdict | undefined, b: PropertyVerdict | undefined): Change {
  if (!a || !b) return 'one-side';
  if (a.status === 'unknown' || b.status === 'unknown') return 'undecided';
  if (kind === 'reachable') {
    const ra = a.status === 'reached';
    const rb = b.status === 'reached';
    return ra && rb ? 'reached-both' : ra ? 'no-longer-reached' : rb ? 'now-reached' : 'unreachable-both';
  }
  const va = a.status === 'violated';
  const vb = b.status === 'violated';
  return va && vb ? 'leaves' : va ? 'closes' : vb ? 'opens' : 'holds-both';
}

/** The heading of a group, naming the variants. */
function groupTitle(change: Change, a: string, b: string): string {
  switch (change) {
    case 'closes': return `closes (violated in ${a}, holds in ${b})`;
    case 'opens': return `opens (holds in ${a}, violated in ${b})`;
    case 'leaves': return 'leaves (violated in both)';
    case 'holds-both': return 'holds in both';
    case 'now-reached': return `now reached (unreachable in ${a}, reached in ${b})`;
    case 'no-longer-reached': return `no longer reached (reached in ${a}, unreachable in ${b})`;
    case 'reached-both': return 'reached in both';
    case 'unreachable-both': return 'unreachable in both';
    case 'undecided': return 'not decided (a search was incomplete)';
    case 'one-side': return 'a property of one variant only';
    default: return assertNever(change);
  }
}

/** Groups listed one property a line, with both verdicts; the others (same in both) as a list of names. */
const DETAILED: readonly Change[] = ['closes', 'opens', 'leaves', 'now-reached', 'no-longer-reached', 'undecided', 'one-side'];
/** Printed even when empty: that a patch opens nothing is the news. */
const ALWAYS: readonly Change[] = ['closes', 'opens', 'leaves'];

function nameOf(r: DiffRow): string {
  return r.kind === r.property ? r.property : `${kindColumn(r.kind)} ${r.property}`;
}

/**
 * The report: a heading, the groups in CHANGES order, the state counts;
 * with `mail`, the races after it. ASCII, every line within MAIL_WIDTH.
 */
export function formatDiff(path: string, a: CheckResult, b: CheckResult, opts: { mail: boolean }): string {
  const an = asciiText(a.program.variant);
  const bn = asciiText(b.program.variant);
  const rows = diffVerdicts(a, b);
  const out = wrap(`${path}: ${an} -> ${bn}`);
  const width = Math.max(...rows.filter((r) => DETAILED.includes(r.change)).map((r) => 2 + nameOf(r).length), 0);
  for (const change of CHANGES) {
    const group = rows.filter((r) => r.change === change);
    if (group.length === 0 && !ALWAYS.includes(change)) continue;
    const title = groupTitle(change, an, bn);
    out.push('');
    if (group.length === 0) { out.push(...wrap(`${title}: none`)); continue; }
    if (!DETAILED.includes(change)) { out.push(...listLines(`${title} (${group.length}): `, group.map((r) => asciiText(r.property)))); continue; }
    out.push(...wrap(`${title}: ${group.length}`));
    for (const r of group) {
      const cells = `${cellText(r.a)} -> ${cellText(r.b)}`;
      const name = asciiText(`  ${nameOf(r)}`);
      const line = `${name.padEnd(width)}  ${cells}`;
      out.push(...(line.length <= MAIL_WIDTH ? [line] : [fit(name, MAIL_WIDTH), fit(`      ${cells}`, MAIL_WIDTH)]));
    }
  }
  out.push('', fit(`states: ${a.stats.states.toLocaleString('en-US')} -> ${b.stats.states.toLocaleString('en-US')}`, MAIL_WIDTH));
  for (const r of [a, b]) if (!r.complete) out.push(...wrap(`${asciiText(r.program.variant)}: search incomplete (${reasonText(r.reason)})`));
  // Each side's own: --por's count of reduced states differs between variants.
  for (const r of [a, b]) if (r.reduction) out.push(...wrap(asciiText(`${r.program.variant}: ${reductionText(r)}`)));
  const lengths = rows.some((r) => r.a?.lasso || r.b?.lasso);
  out.push(...wrap(`(n) is the length of the shortest trace${lengths ? '; (s+c) a liveness lasso, a stem of s steps then a cycle of c steps repeating for ever; (n, stops) a run of n steps that stops' : ''}.`));
  if (opts.mail) out.push(...diffRaces(rows, a, b));
  return `${out.join('\n')}\n`;
}

/** A closed violation drawn in A (the race the patch closes), one left or opened in B. */
function diffRaces(rows: readonly DiffRow[], a: CheckResult, b: CheckResult): string[] {
  const out: string[] = [];
  for (const change of ['closes', 'opens', 'leaves'] as const) {
    for (const r of rows.filter((x) => x.change === change)) {
      const [result, verdict] = change === 'closes' ? [a, r.a!] : [b, r.b!];
      out.push('', ...raceLines(result, verdict, `${change}: ${asciiText(result.program.variant)}: `));
    }
  }
  if (out.length === 0) return out;
  return ['', ...wrap('Each violation drawn from its shortest trace, the deciding steps marked [#n]: a closed one in the variant it is violated in, one left or opened in the second; weft check --variant V prints the whole trace.'), ...out];
}

/** The JSON of `weft diff --json` (docs/json.md). */
export function diffJson(path: string, a: CheckResult, b: CheckResult): object {
  // As docs/json.md promises, a field that does not apply is null, never missing.
  const side = (v: PropertyVerdict | undefined): object | null => (v ? { status: v.status, steps: v.trace?.steps.length ?? null, loopStart: v.lasso?.loopStart ?? null, end: v.lasso?.end ?? null } : null);
  return {
    file: path,
    a: { variant: a.program.variant, complete: a.complete, states: a.stats.states, reduction: reductionJson(a.reduction) },
    b: { variant: b.program.variant, complete: b.complete, states: b.stats.states, reduction: reductionJson(b.reduction) },
    properties: diffVerdicts(a, b).map((r) => ({ property: r.property, kind: r.kind, change: r.change, a: side(r.a), b: side(r.b) })),
  };
}

