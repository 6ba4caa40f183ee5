/**
 * The report of an LKMM check, for a kernel developer who knows herd7:
 * the verdict with herd's counts, then for an outcome the model allows the
 * execution (each thread's events at their lines, what each read read,
 * the coherence order), the cycle it makes that no interleaving has, and
 * the fences or annotations that would forbid it; for an outcome it
 * forbids, the cycle of hb, pb or rb that every such execution has.
 * Events are lettered a, b, c... in thread order, as herd's diagrams do.
 */
import type { Cycle, Edge, ExecutionView } from '../explore/lkmm/explain.ts';
import type { Fix } from '../explore/lkmm/fix.ts';
import type { CondTerm, MemCond, MemProgram, MemVerdict, Value } from '../explore/lkmm/program.ts';
import { lineCol, type SourceFile } from '../text/source.ts';

export interface LkmmReport {
  readonly name: string;
  /** The condition as written, `exists (0:r0=0 /\ 1:r0=0)`. */
  readonly condition: string;
  readonly verdict: MemVerdict;
  /** The allowed execution with the outcome (or, for Never, a forbidden one). */
  readonly execution: ExecutionView | null;
  readonly cycle: Cycle | null;
  /** For an allowed outcome: what forbids it (null: no fence on the cycle does; undefined: not searched). */
  readonly fix?: readonly Fix[] | null;
}

export function lkmmText(r: LkmmReport, program: MemProgram): string {
  const v = r.verdict;
  const out = [`${r.name}: ${r.condition}`, `  ${v.observation}: ${v.positive} of ${v.positive + v.negative} executions the LKMM allows have this outcome`];
  if (v.flags.length) out.push(`  flags: ${v.flags.join(', ')}`);
  const x = r.execution;
  if (!x) return out.join('\n') + '\n';
  const name = letters(x);
  const at = (id: number): string => {
    const e = x.events[id]!;
    const line = e.span && program.source ? ` (line ${lineCol(program.source as SourceFile, e.span.start).line})` : '';
    return `${name.get(id) ?? '?'}: ${e.label}${line}`;
  };
  out.push('', v.positive > 0 ? '  an execution with this outcome:' : '  an execution with this outcome (forbidden):');
  program.threads.forEach((t, i) => {
    out.push(`    ${t.name}`);
    for (const e of x.events) if (e.thread === i) out.push(`      ${at(e.id)}`);
  });
  if (x.rf.length) out.push('    reads from:', ...x.rf.map((f) => `      ${name.get(f.read)} reads ${x.events[f.write]!.thread < 0 ? `the initial value (${x.events[f.write]!.label.replace('W[init] ', '')})` : name.get(f.write)}`));
  for (const c of x.co) out.push(`    coherence order of ${c.loc}: ${c.order.map((id) => x.events[id]!.thread < 0 ? 'init' : name.get(id)).join(' → ')}`);
  if (r.cycle) {
    const title = r.cycle.check === 'sc'
      ? '  the cycle no interleaving has (each po edge is one the LKMM does not keep in order):'
      : `  forbidden: every execution with this outcome breaks ${r.cycle.check}; this one has the cycle:`;
    out.push('', title, ...r.cycle.edges.flatMap((e) => edgeLines(e, at, '    ')));
  }
  if (r.fix === null) out.push('', '  no fence or annotation on the cycle\'s program-order edges forbids this outcome');
  else if (r.fix) out.push('', `  ${fixText(r.fix, program)} forbids this outcome (checked)`);
  return out.join('\n') + '\n';
}

function edgeLines(e: Edge, at: (id: number) => string, indent: string): string[] {
  const head = `${indent}${at(e.from)}  --${e.relation}-->  ${at(e.to)}: ${e.why}`;
  return [head, ...(e.via ?? []).flatMap((s) => edgeLines(s, at, `${indent}    `))];
}

/** "a" for the first event of the first thread, and on: the initial writes get none. */
export function letters(x: ExecutionView): Map<number, string> {
  const out = new Map<number, string>();
  let k = 0;
  const threads = [...new Set(x.events.filter((e) => e.thread >= 0).map((e) => e.thread))].sort((a, b) => a - b);
  for (const t of threads) for (const e of x.events) if (e.thread === t) out.set(e.id, letter(k++));
  for (const e of x.events) if (e.thread < 0) out.set(e.id, 'init');
  return out;
}

function letter(k: number): string {
  return k < 26 ? String.fromCharCode(97 + k) : `e${k}`;
}

/** "an smp_mb() between lines 12 and 13, and smp_store_release() for the store at line 20". */
export function fixText(fixes: readonly Fix[], program: MemProgram): string {
  const line = (span: { start: number }): string => program.source ? String(lineCol(program.source, span.start).line) : '?';
  return fixes.map((f) => f.kind === 'fence'
    ? `${f.fence === 'mb' ? 'an smp_mb()' : f.fence === 'wmb' ? 'an smp_wmb()' : f.fence === 'rmb' ? 'an smp_rmb()' : `smp_${f.fence}()`} between lines ${line(f.after.span)} and ${line(f.before.span)}`
    : f.kind === 'acquire' ? `smp_load_acquire() for the load at line ${line(f.load.span)}`
    : `smp_store_release() for the store at line ${line(f.store.span)}`).join(', and ');
}

/** The condition as herd7 prints it: `exists (0:r0=0 /\ 1:r0=0)`. */
export function conditionText(p: MemProgram): string {
  const q = p.quantifier === 'not-exists' ? '~exists' : p.quantifier;
  return `${p.filter ? `filter (${condText(p.filter)}) ` : ''}${q} (${condText(p.condition)})`;
}

function condText(c: MemCond): string {
  switch (c.kind) {
    case 'true': return 'true';
    case 'eq': return `${termText(c.left)}=${valueText(c.right)}`;
    case 'not': return `not (${condText(c.operand)})`;
    case 'and': return `${wrap(c.left, 'or')} /\\ ${wrap(c.right, 'or')}`;
    case 'or': return `${condText(c.left)} \\/ ${condText(c.right)}`;
  }
}

function wrap(c: MemCond, weaker: 'or'): string {
  return c.kind === weaker ? `(${condText(c)})` : condText(c);
}

function termText(t: CondTerm): string {
  return t.kind === 'reg' ? `${t.thread}:${t.reg}` : t.name;
}

function valueText(v: Value): string {
  return typeof v === 'number' ? String(v) : v.loc;
}

/** The report as JSON (docs/json.md "LKMM"): events with their lines, so that tools need not re-read the test. */
export function lkmmJson(r: LkmmReport, program: MemProgram): unknown {
  const line = (span: { start: number } | null): number | null => (span && program.source ? lineCol(program.source, span.start).line : null);
  const x = r.execution;
  return {
    memoryModel: 'lkmm',
    test: r.name,
    condition: r.condition,
    observation: r.verdict.observation,
    positive: r.verdict.positive,
    negative: r.verdict.negative,
    flags: r.verdict.flags,
    execution: x && {
      events: x.events.filter((e) => e.thread >= 0).map((e) => ({ id: e.id, thread: program.threads[e.thread]!.name, event: e.label, line: line(e.span) })),
      rf: x.rf, co: x.co, final: x.final,
    },
    cycle: r.cycle,
    fix: r.fix === undefined ? undefined : r.fix && r.fix.map((f) => f.kind === 'fence'
      ? { insert: `smp_${f.fence}()`, afterLine: line(f.after.span), beforeLine: line(f.before.span) }
      : { replace: f.kind === 'acquire' ? 'smp_load_acquire()' : 'smp_store_release()', line: line(f.kind === 'acquire' ? f.load.span : f.store.span) }),
    fixText: r.fix ? fixText(r.fix, program) : null,
  };
}
