/**
 * What the Murphi export refuses, because Rumur could not count or judge it
 * as Weft does (docs/murphi.md, "Refused"):
 *
 *   W4080  wait queues and RCU: their lowered tables name instances by
 *          constants, which the export does not map yet;
 *   W4081  liveness properties: Rumur's `liveness` is "from every state a
 *          state satisfying Q is reachable", not Weft's fair runs;
 *   W4082  a slot of instance numbers whose range has more than one value
 *          outside the instances: a scalarset has one spare value only,
 *          `undefined`;
 *   W4083  arithmetic that may leave 32 bits: the verifier computes in
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
  const first = program.actors[0]?.span ?? { start: 0, end: 0 };
  const queue = program.globals.find((g) => hasWaitQueue(g.type));
  if (queue) out.push(diag('W4080', program.file, queue.span, [`the wait queue '${queue.name}'`, 'Rumur would need its waiters mapped to instances, which the export does not do yet']));
  // RCU's hidden shared variables have names no model can write (lower/rcu.ts).
  if (program.globals.some((g) => !/^[A-Za-z_]\w*$/.test(g.name))) out.push(diag('W4080', program.file, first, ['RCU', 'its grace periods are tables indexed by instance, which the export does not map yet']));
  for (const p of program.properties) {
    if (p.kind === 'liveness') out.push(diag('W4081', program.file, p.span, [p.name, "Rumur's liveness is 'a state where Q holds stays reachable', not Weft's fair runs; check it with weft check"]));
  }
  const layout = new Layout(program);
  for (const slot of layout.wideIds) {
    const root = slot.root.kind === 'global' ? program.globals[slot.root.index]! : program.actors[slot.root.actor]!.locals[slot.root.index]!;
    const t = slotType(program, slot);
    const actor = program.symmetry.find((g) => g.ids.includes(slot))!;
    const a = program.actors[actor.actor]!;
    out.push(diag('W4082', program.file, root.span, [root.name, `it holds instance numbers of symmetric '${a.name}' in ${t.kind === 'int' ? `${t.lo}..${t.hi}` : t.kind}, which has more than one value outside 0..${a.count - 1}, and a scalarset has one spare value (undefined)`]));
  }
  for (const d of promelaRefusals(program)) {
    const text = spanText(program.file, d.span).replace(/\s+/g, ' ').trim();
    out.push(diag('W4083', program.file, d.span, [`'${text}'`]));
  }
  return out;
}

function hasWaitQueue(t: import('../check/types.ts').Type): boolean {
  if (t.kind === 'array') return t.waitQueue === true || hasWaitQueue(t.element);
  if (t.kind === 'struct') return t.fields.some((f) => hasWaitQueue(f.type));
  return false;
}
