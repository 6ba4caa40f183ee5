/**
 * What the Murphi export refuses, because Rumur could not count or judge it
 * as Weft does (docs/murphi.md, "Refused"). Wait queues and RCU are
 * exported as lowering makes them (plain tables indexed by instance);
 * with a symmetric actor lower/symmetry.ts refuses them first (W3090).
 *
 *   W4080  liveness properties: Rumur's `liveness` is "from every state a
 *          state satisfying Q is reachable", not Weft's fair runs;
 *   W4081  a slot of instance numbers whose range has more than one value
 *          outside the instances: a scalarset has one spare value only,
 *          `undefined`;
 *   W4082  arithmetic that may leave 32 bits: the verifier computes in
 *          int32 (Weft in ±(2^53-1)), so an overflow there would be a
 *          `ranges` error Weft does not see (the interval analysis of
 *          promelaRange.ts, which has the same bound).
 */
import type { Program } from '../lower/ir.ts';
import { diag, type Diagnostic } from '../text/diagnostic.ts';
import { spanText } from '../text/source.ts';
import { promelaRefusals } from './promelaRange.ts';
import { Layout, slotType } from './murphiLayout.ts';

export function murphiRefusals(program: Program): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of program.properties) {
    if (p.kind === 'liveness') out.push(diag('W4080', program.file, p.span, [p.name, "Rumur's liveness is 'a state where Q holds stays reachable', not Weft's fair runs; check it with weft check"]));
  }
  const layout = new Layout(program);
  for (const slot of layout.wideIds) {
    const root = slot.root.kind === 'global' ? program.globals[slot.root.index]! : program.actors[slot.root.actor]!.locals[slot.root.index]!;
    const t = slotType(program, slot);
    const actor = program.symmetry.find((g) => g.ids.includes(slot))!;
    const a = program.actors[actor.actor]!;
    out.push(diag('W4081', program.file, root.span, [root.name, `it holds instance numbers of symmetric '${a.name}' in ${t.kind === 'int' ? `${t.lo}..${t.hi}` : t.kind}, which has more than one value outside 0..${a.count - 1}, and a scalarset has one spare value (undefined)`]));
  }
  for (const d of promelaRefusals(program)) {
    const text = spanText(program.file, d.span).replace(/\s+/g, ' ').trim();
    out.push(diag('W4082', program.file, d.span, [`'${text}'`]));
  }
  return out;
}
