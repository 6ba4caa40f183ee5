/**
 * A model's shapes under the LKMM (commands/shapes.ts) as the report and
 * the model's page print them: the variants that share a list of shapes
 * together, and each shape's verdicts in one line.
 */
import { DATA_RACE } from '../check/check.ts';
import type { Checked, ExpectationOutcome } from './expectations.ts';

export interface ShapeGroup { readonly variants: readonly string[]; readonly shapes: readonly string[] }

/** The variants given the same shapes, together, in the order first given. */
export function shapeGroups(of: ReadonlyMap<string, readonly string[]>, variants: readonly string[] = [...of.keys()]): ShapeGroup[] {
  const groups: { variants: string[]; shapes: readonly string[] }[] = [];
  for (const v of variants) {
    const list = of.get(v) ?? [];
    const g = groups.find((x) => x.shapes.join() === list.join());
    if (g) g.variants.push(v); else groups.push({ variants: [v], shapes: list });
  }
  return groups;
}

/** `reached pinned_unseen ✓`: each verdict, marked as an `under lkmm` line expects it; data_race only where it is violated. */
export function shapeVerdictText(checked: Checked, outcomes: readonly ExpectationOutcome[]): string {
  const mark = (property: string): string => {
    const o = outcomes.find((x) => x.property === property && x.at);
    return o ? (o.met === true ? ' ✓' : ' ✗') : '';
  };
  return checked.verdicts.filter((v) => v.property !== DATA_RACE || v.status === 'violated').map((v) => `${v.status} ${v.property}${mark(v.property)}`).join(', ');
}
