/**
 * The barrier or annotation that forbids an outcome, where one exists:
 * for each program-order edge of the allowed outcome's cycle (explain.ts's
 * scCycle), the kernel's ways of ordering it: a release store or acquire
 * load, smp_wmb()/smp_rmb() for two stores or two loads, smp_mb() for
 * anything (the only one for a store then a load). The search puts
 * smp_mb() on every edge; if the outcome is still allowed, no fence forbids
 * it. Otherwise it drops each edge's fix, or weakens it, while the outcome
 * stays forbidden: what is left is a fix none of whose parts can go
 * (minimal, not necessarily the cheapest), checked by the engine itself.
 */
import type { ExecEvent } from './candidates.ts';
import type { Cycle } from './explain.ts';
import type { FenceKind, MemInstr, MemProgram } from './program.ts';

export type Fix =
  | { readonly kind: 'fence'; readonly fence: FenceKind; readonly after: MemInstr; readonly before: MemInstr }
  | { readonly kind: 'acquire'; readonly load: MemInstr }
  | { readonly kind: 'release'; readonly store: MemInstr };

/** A fix that makes `forbidden(program)` true, or null when smp_mb() on every edge does not. */
export function findFix(program: MemProgram, events: readonly ExecEvent[], cycle: Cycle, forbidden: (p: MemProgram) => boolean): Fix[] | null {
  const choices: Fix[][] = [];
  for (const e of cycle.edges) {
    if (e.relation !== 'po') continue;
    const [a, b] = [events[e.from]!, events[e.to]!];
    if (!a.instr || !b.instr || a.instr === b.instr) continue;
    choices.push(options(a, b));
  }
  if (choices.length === 0) return null;
  // The last option of each edge is smp_mb().
  const pick: (Fix | null)[] = choices.map((o) => o[o.length - 1]!);
  const apply = (): MemProgram => withFixes(program, pick.filter((f): f is Fix => f !== null));
  if (!forbidden(apply())) return null;
  for (let k = 0; k < choices.length; k++) {
    const strongest = pick[k]!;
    let kept: Fix | null = strongest;
    for (const option of [null, ...choices[k]!.slice(0, -1)]) {
      pick[k] = option;
      if (forbidden(apply())) { kept = option; break; }
    }
    pick[k] = kept;
  }
  return pick.filter((f): f is Fix => f !== null);
}

function options(a: ExecEvent, b: ExecEvent): Fix[] {
  const mb: Fix = { kind: 'fence', fence: 'mb', after: a.instr!, before: b.instr! };
  const aLoad = a.instr!.kind === 'load' && a.annot !== 'acquire';
  const bStore = b.instr!.kind === 'store' && b.annot !== 'release';
  const out: Fix[] = [];
  if (a.kind === 'R' && aLoad) out.push({ kind: 'acquire', load: a.instr! });
  if (b.kind === 'W' && bStore && a.kind !== 'W') out.push({ kind: 'release', store: b.instr! });
  if (a.kind === 'W' && b.kind === 'W') {
    if (bStore) out.push({ kind: 'release', store: b.instr! });
    out.push({ kind: 'fence', fence: 'wmb', after: a.instr!, before: b.instr! });
  }
  if (a.kind === 'R' && b.kind === 'R') out.push({ kind: 'fence', fence: 'rmb', after: a.instr!, before: b.instr! });
  out.push(mb);
  return out;
}

/** The program with the fixes applied: fences inserted after their instruction, loads and stores upgraded. */
export function withFixes(program: MemProgram, fixes: readonly Fix[]): MemProgram {
  const rewrite = (body: readonly MemInstr[]): MemInstr[] => body.flatMap((i): MemInstr[] => {
    let x: MemInstr = i.kind === 'if' ? { ...i, then: rewrite(i.then), else: rewrite(i.else) } : i;
    for (const f of fixes) {
      if (f.kind === 'acquire' && f.load === i && x.kind === 'load') x = { ...x, mode: 'acquire' };
      if (f.kind === 'release' && f.store === i && x.kind === 'store') x = { ...x, mode: 'release' };
    }
    const fences = fixes.filter((f): f is Fix & { kind: 'fence' } => f.kind === 'fence' && f.after === i)
      .map((f): MemInstr => ({ kind: 'fence', fence: f.fence, span: i.span }));
    return [x, ...fences];
  });
  return { ...program, threads: program.threads.map((t) => ({ ...t, body: rewrite(t.body) })) };
}
