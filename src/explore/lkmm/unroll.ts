/**
 * An actor's steps (the IR's graph of program counters) as the structured
 * code of a litmus thread, for the LKMM mode (fromModel.ts). Two things
 * turn a graph into code:
 *
 *   - Loops are unrolled: each node is a pc with, for every loop head,
 *     how many times the back edge to it has been taken since the loop was
 *     entered. A back edge past the bound leads to `cut`: the execution
 *     went round more often than the bound allows and is left out (the
 *     report says whether any allowed execution was).
 *   - A branch's two sides meet again at its immediate postdominator, and
 *     only the code between the branch and that point goes inside the
 *     `if`: the LKMM's control dependencies reach the events inside the
 *     branches, not those after them (herd's structured control, which a
 *     C `if` written by hand has). Where code is reached from both sides
 *     before they meet (a `break` inside an `if`), it is copied into each,
 *     as C written without goto would.
 *
 * A node with no path to the end (it only reaches `cut`, or waits for
 * ever) is dead: it postdominates nothing, and its code runs to `cut`.
 */
import type { ActorInfo, Step } from '../../lower/ir.ts';

export type Target = UNode | 'cut';

export interface UNode {
  readonly id: number;
  readonly pc: number;
  /** Each step leaving pc, with where it goes. */
  readonly out: readonly { readonly step: Step; readonly to: Target }[];
}

export interface Unrolled {
  readonly entry: UNode;
  /** The immediate postdominator of a live node (undefined for the end, null for a dead node). */
  readonly ipdom: (n: UNode) => UNode | null | undefined;
  readonly isEnd: (n: UNode) => boolean;
}

export class NeedsBound extends Error {
  constructor(readonly step: Step) { super('a loop'); }
}

export class TooBig extends Error {}

/** Nodes one actor may unroll into: past this the model is too big for the mode. */
export const MAX_NODES = 20_000;

/** From `from` (the entry unless a slice starts later: slice.ts) to the end, or to `stop` where the slice ends. */
export function unrollActor(actor: ActorInfo, steps: readonly Step[], bound: number | null, from = 0, stop: number | null = null): Unrolled {
  const ends = (pc: number): boolean => pc === actor.endPc || pc === stop;
  const back = backEdges(actor, steps);
  const bodies = loopBodies(actor, steps, back);
  const nodes = new Map<string, UNode>();
  const all: UNode[] = [];
  const node = (pc: number, counts: ReadonlyMap<number, number>): UNode => {
    const key = `${pc}|${[...counts].map(([h, c]) => `${h}:${c}`).join(',')}`;
    const found = nodes.get(key);
    if (found) return found;
    if (all.length >= MAX_NODES) throw new TooBig();
    const out: { step: Step; to: Target }[] = [];
    const n: UNode = { id: all.length, pc, out };
    nodes.set(key, n);
    all.push(n);
    // Where the slice stops, nothing after it is unrolled (a loop there needs no bound).
    if (ends(pc)) return n;
    for (const id of actor.stepsAt[pc]!) {
      const step = steps[id]!;
      const next = step.next;
      const c = new Map(counts);
      if (back.has(`${pc}>${next}`)) {
        if (bound === null) throw new NeedsBound(step);
        const taken = c.get(next) ?? 0;
        if (taken >= bound) { out.push({ step, to: 'cut' }); continue; }
        c.set(next, taken + 1);
      } else if (back.has(`head:${next}`)) c.set(next, 0);
      // Out of a loop, its count is forgotten: the code after it is one node however often it went round.
      for (const h of [...c.keys()]) if (!bodies.get(h)!.has(next)) c.delete(h);
      out.push({ step, to: node(next, c) });
    }
    return n;
  };
  const entry = node(from, new Map());
  const isEnd = (n: UNode): boolean => ends(n.pc);
  return { entry, ipdom: postdominators(all, isEnd), isEnd };
}

/**
 * The back edges of a depth-first search from the entry (`from>to`), and
 * each loop head (`head:pc`): every cycle of the graph has one back edge,
 * so bounding them bounds every loop.
 */
function backEdges(actor: ActorInfo, steps: readonly Step[]): Set<string> {
  const out = new Set<string>();
  const state = new Map<number, 'open' | 'done'>();
  // An explicit stack: an actor can have thousands of pcs.
  const stack: { pc: number; i: number }[] = [{ pc: 0, i: 0 }];
  state.set(0, 'open');
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const ids = actor.stepsAt[top.pc]!;
    if (top.i >= ids.length) { state.set(top.pc, 'done'); stack.pop(); continue; }
    const next = steps[ids[top.i++]!]!.next;
    const s = state.get(next);
    if (s === 'open') { out.add(`${top.pc}>${next}`); out.add(`head:${next}`); }
    else if (s === undefined) { state.set(next, 'open'); stack.push({ pc: next, i: 0 }); }
  }
  return out;
}

/** The pcs of each loop (its head's): those that reach one of its back edges without passing the head. */
function loopBodies(actor: ActorInfo, steps: readonly Step[], back: ReadonlySet<string>): Map<number, Set<number>> {
  const preds = new Map<number, number[]>();
  actor.stepsAt.forEach((ids, pc) => ids.forEach((id) => { const n = steps[id]!.next; preds.set(n, [...(preds.get(n) ?? []), pc]); }));
  const bodies = new Map<number, Set<number>>();
  for (const e of back) {
    const m = /^(\d+)>(\d+)$/.exec(e);
    if (!m) continue;
    const [tail, head] = [Number(m[1]), Number(m[2])];
    const body = bodies.get(head) ?? new Set([head]);
    const work = [tail];
    while (work.length) {
      const pc = work.pop()!;
      if (body.has(pc)) continue;
      body.add(pc);
      work.push(...(preds.get(pc) ?? []));
    }
    bodies.set(head, body);
  }
  return bodies;
}

/** Immediate postdominators on the unrolled graph, which has no cycles: successors before their predecessors. */
function postdominators(all: readonly UNode[], isEnd: (n: UNode) => boolean): Unrolled['ipdom'] {
  const ipdom = new Map<number, UNode | null>();
  const depth = new Map<number, number>();
  const live = (n: Target): n is UNode => n !== 'cut' && depth.has(n.id);
  const meet = (a: UNode, b: UNode): UNode => {
    while (a !== b) {
      if (depth.get(a.id)! >= depth.get(b.id)!) a = ipdom.get(a.id)!;
      else b = ipdom.get(b.id)!;
    }
    return a;
  };
  const order: UNode[] = [];
  const seen = new Set<number>();
  const stack: { n: UNode; i: number }[] = all.length ? [{ n: all[0]!, i: 0 }] : [];
  if (all.length) seen.add(all[0]!.id);
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.i >= top.n.out.length) { order.push(top.n); stack.pop(); continue; }
    const to = top.n.out[top.i++]!.to;
    if (to !== 'cut' && !seen.has(to.id)) { seen.add(to.id); stack.push({ n: to, i: 0 }); }
  }
  for (const n of order) {
    if (isEnd(n)) { depth.set(n.id, 0); continue; }
    const succ = n.out.map((o) => o.to).filter(live);
    if (!succ.length) { ipdom.set(n.id, null); continue; }
    const p = succ.reduce(meet);
    ipdom.set(n.id, p);
    depth.set(n.id, depth.get(p.id)! + 1);
  }
  return (n) => (isEnd(n) ? undefined : ipdom.get(n.id) ?? null);
}
