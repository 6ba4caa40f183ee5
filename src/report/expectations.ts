/**
 * `expect` lines: a model says which verdicts each variant must produce, so
 * that `weft check` fails when a change to the model (or to Weft) changes
 * one. A violation nobody expected fails the run too; a property that holds
 * needs no expect line.
 */
import type * as A from '../syntax/ast.ts';
import type { CheckResult, PropertyVerdict, Status } from '../explore/verdict.ts';
import { whereLine, type Span } from '../text/source.ts';
import { namedBy } from '../syntax/families.ts';

export interface ExpectationOutcome {
  /** Where an expect line names the property (a line may name several), or null for a violation no line expected. */
  readonly at: Span | null;
  readonly property: string;
  readonly wanted: string;
  readonly actual: Status;
  /** 'unknown' when the search stopped before it could tell. */
  readonly met: boolean | 'unknown';
}

/** What an expect word means as a verdict status. */
function wantedStatus(word: A.ExpectWord): Status {
  switch (word) {
    case 'holds': return 'holds';
    case 'violated': return 'violated';
    case 'reached': return 'reached';
    case 'unreachable': return 'unreachable';
  }
}

const isBad = (v: PropertyVerdict): boolean => v.status === 'violated' || v.status === 'unreachable';

/** What the expectations read of a check: its variant, its properties, and their verdicts. */
export type Checked = Pick<CheckResult, 'verdicts'> & { readonly program: Pick<CheckResult['program'], 'variant' | 'properties' | 'file'> };

/**
 * `memoryModel`: 'lkmm' for the verdicts of `--memory-model lkmm`, which
 * the lines `expect v under lkmm: ...` claim; the others claim those of
 * interleavings.
 */
export function evaluateExpectations(model: A.Model, result: Checked, memoryModel: 'sc' | 'lkmm' = 'sc'): ExpectationOutcome[] {
  const variant = result.program.variant;
  const lines = model.decls.filter((d): d is A.ExpectDecl => d.kind === 'expect' && d.variant.name === variant && (d.memoryModel?.name ?? 'sc') === memoryModel);
  const out: ExpectationOutcome[] = [];
  const names = result.verdicts.map((v) => v.property);
  // `enters` stands for each `enters[...]`, one outcome each; a family may have no copy in this variant.
  const named = (p: A.Ident): string[] => namedBy(p.name, names);
  for (const e of lines) {
    for (const p of e.properties) {
      for (const property of named(p)) {
        const v = result.verdicts.find((x) => x.property === property);
        const actual: Status = v?.status ?? 'unknown';
        const wanted = wantedStatus(e.word);
        out.push({ at: p.span, property, wanted, actual, met: actual === 'unknown' ? 'unknown' : actual === wanted });
      }
    }
  }
  for (const v of result.verdicts) {
    if (isBad(v) && !lines.some((e) => e.properties.some((p) => named(p).includes(v.property)))) {
      out.push({ at: null, property: v.property, wanted: v.status === 'unreachable' ? 'reached' : 'holds', actual: v.status, met: false });
    }
  }
  return out;
}

export function formatExpectations(outcomes: readonly ExpectationOutcome[], result: Checked, memoryModel: 'sc' | 'lkmm' = 'sc'): string {
  const file = result.program.file;
  const under = memoryModel === 'lkmm' ? ' under lkmm' : '';
  const lines: string[] = [];
  const met = outcomes.filter((o) => o.met === true).length;
  const declared = outcomes.filter((o) => o.at).length;
  for (const o of outcomes) {
    if (o.met === true) continue;
    const where = o.at ? `${whereLine(file, o.at)}: ` : '';
    if (o.met === 'unknown') lines.push(`  ? ${where}expect ${result.program.variant}${under}: ${o.wanted} ${o.property} — not decided: the search was incomplete`);
    else if (o.at) lines.push(`  ✗ ${where}expect ${result.program.variant}${under}: ${o.wanted} ${o.property} — but it is ${o.actual}`);
    // The line to add on a line of its own: it is to be copied, and keeps the first under 80 columns.
    else lines.push(`  ✗ ${o.property} is ${o.actual}, and no expect line says so; if that is intended, add:`, `      expect ${result.program.variant}${under}: ${o.actual} ${o.property};`);
  }
  if (declared) lines.unshift(`expectations: ${met} of ${declared} met`);
  return lines.join('\n');
}

/** 0 all met, 1 something unmet or unexpected, 3 undecided (incomplete search). */
export function expectationExit(outcomes: readonly ExpectationOutcome[], complete: boolean): 0 | 1 | 3 {
  if (outcomes.some((o) => o.met === false)) return 1;
  if (!complete || outcomes.some((o) => o.met === 'unknown')) return 3;
  return 0;
}
