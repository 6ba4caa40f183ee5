/**
 * What one step of a statement is, read from the lowered program (the IR,
 * lower/ir.ts): the steps lowering made whose span is the statement's. So
 * the hover says what the explorers run, and cannot disagree with
 * docs/language.md "Steps" unless lowering does.
 */
import type * as A from '../syntax/ast.ts';
import type { Op, Program, Step } from '../lower/ir.ts';
import { lineCol } from '../text/source.ts';
import { code } from './markdown.ts';

const same = (a: A.Stmt['span'], b: A.Stmt['span']): boolean => a.start === b.start && a.end === b.end;

/** The steps lowering made for this statement itself (a labelled one's are its inner statement's, or, for an assert, its own). */
export function stepsOf(program: Program, s: A.Stmt): Step[] {
  return program.steps.filter((st) => same(st.span, s.span) || (s.kind === 'labelled' && same(st.span, s.stmt.span)));
}

export function describeSteps(program: Program, stmt: A.Stmt, outer: readonly A.Stmt[]): string {
  const own = stepsOf(program, stmt);
  const head = `variant ${program.variant}`;
  if (own.length === 0) {
    for (let i = outer.length - 1; i >= 0; i--) {
      const around = stepsOf(program, outer[i]!);
      if (around.length) return `**Part of one step** (${head}): ${code(around[0]!.label)} at line ${lineCol(program.file, outer[i]!.span.start).line} is taken whole.`;
    }
    const inside = program.steps.filter((st) => st.span.start >= stmt.span.start && st.span.end <= stmt.span.end).length;
    return `**No step of its own** (${head}): ${inside ? `control passes to the ${inside} step${inside === 1 ? '' : 's'} inside it` : 'it takes none'}.`;
  }
  // One program point (an actor, the fns inlined on the way, a pc) is one step; two steps from one point are its outcomes.
  const points = new Map<string, Step[]>();
  for (const st of own) {
    const key = `${st.actor}|${st.callPath.join('›')}|${st.pc}`;
    points.set(key, [...(points.get(key) ?? []), st]);
  }
  const groups = [...points.values()];
  const count = groups.length === 1 ? '**One step**' : `**${groups.length} steps**`;
  const lines = groups.slice(0, 8).map((g) => `- ${pointText(program, g)}`);
  if (groups.length > 8) lines.push(`- and ${groups.length - 8} more`);
  return [`${count} (${head}):`, ...lines].join('\n');
}

function pointText(program: Program, g: readonly Step[]): string {
  const first = g[0]!;
  const actor = program.actors[first.actor]!;
  const where = first.callPath.length > 1 ? first.callPath.join(' › ') : `${actor.daemon ? 'daemon' : 'actor'} ${actor.name}`;
  const parts = [`${code(first.label)} in ${where}`];
  const branches = g.filter((st) => st.branch !== undefined);
  if (branches.length) parts.push(`reads its condition; the outcome ${branches.map((b) => String(b.branch)).join(' or ')} picks the way on`);
  else if (first.condition?.keyword === 'await') parts.push('enabled only when its condition holds');
  else if (first.guard?.kind === 'canAcquire') parts.push('enabled when the lock can be taken');
  else if (first.guard) parts.push('enabled only when its guard holds');
  const effects = [...new Set(g.flatMap((st) => st.effect.flatMap(opText)))];
  parts.push(effects.length ? effects.join(', ') : branches.length ? 'changes nothing else' : 'changes nothing but the program counter');
  if (g.length > 1 && !branches.length) parts.push(`${g.length} outcomes`);
  return parts.join('; ');
}

function opText(op: Op): string[] {
  switch (op.kind) {
    case 'assign': case 'stores': return ['stores'];
    case 'check': return ["checks an argument against its parameter's range"];
    case 'pick': return [`one successor per value ${op.lo}..${op.hi}`];
    case 'assert': return [`asserts (property ${code(op.property)})`];
    case 'warn': return [`may warn (property ${code(op.property)})`];
    case 'acquire': return [`takes the lock${op.mode === 'read' ? ' for reading' : ''}`];
    case 'release': return ['releases the lock'];
    case 'if': return [...op.then.flatMap(opText), ...op.else.flatMap(opText)];
    case 'choose': return [`one successor per branch (${op.branches.length})`];
  }
}
