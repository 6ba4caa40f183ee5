/**
 * The full state after a step, as the trace view reveals it on a click:
 * every shared variable, then per actor instance where it stands and its
 * locals. Structs and arrays are opened into their scalar leaves
 * (`folio.dirty`, `fork[2]`, `cpu[1].i`), named like the changes of a
 * trace step, and each leaf is rendered by `formatValue` as the text
 * report renders it. The leaves the step changed are marked, with the
 * value they had before.
 */
import type { Program } from '../lower/ir.ts';
import type { Type, Value } from '../check/types.ts';
import type { State } from '../explore/state.ts';
import type { TraceStep } from '../explore/trace.ts';
import { formatValue, isLeafValue } from '../report/values.ts';
import type { SourceFile } from '../text/source.ts';
import { esc, lineLink, lineOf } from './markup.ts';

interface Leaf {
  readonly name: string;
  readonly value: string;
}

/** `name` and every scalar below it, in declaration order. */
function leaves(program: Program, name: string, type: Type, value: Value): Leaf[] {
  if (type.kind === 'struct' && Array.isArray(value)) {
    return type.fields.flatMap((f, i) => leaves(program, `${name}.${f.name}`, f.type, (value as readonly Value[])[i]!));
  }
  if (type.kind === 'array' && !isLeafValue(type) && Array.isArray(value)) {
    return (value as readonly Value[]).flatMap((v, i) => leaves(program, `${name}[${i}]`, type.element, v));
  }
  return [{ name, value: formatValue(type, value, program) }];
}

function rows(items: readonly Leaf[], before: ReadonlyMap<string, string>, strip = ''): string {
  if (items.length === 0) return '<p class="none">no variables</p>';
  return `<dl class="vars">${items.map((l) => {
    const was = before.get(l.name);
    const shown = strip && l.name.startsWith(strip) ? l.name.slice(strip.length) : l.name;
    return `<div class="var${was === undefined ? '' : ' changed'}" data-var="${esc(l.name)}"><dt>${esc(shown)}</dt><dd>${esc(l.value)}${was === undefined ? '' : ` <span class="was">was ${esc(was)}</span>`}</dd></div>`;
  }).join('')}</dl>`;
}

/** Where an instance stands: `finished`, or the label(s) of the step(s) it takes next, with their line. */
function position(program: Program, file: SourceFile, instance: number, pc: number): string {
  const actor = program.actors[program.instances[instance]!.actor]!;
  if (pc === actor.endPc) return '<span class="pos done">finished</span>';
  const next = (actor.stepsAt[pc] ?? []).map((id) => program.steps[id]!);
  const seen = new Set<string>();
  const parts = next.filter((s) => !seen.has(s.label) && seen.add(s.label)).map((s) => `<code>${esc(s.label)}</code> ${lineLink(file, lineOf(file, s.span), true)}`);
  return `<span class="pos">next ${parts.join(' or ') || '<em>nothing</em>'}</span>`;
}

/** The state panel for `state`, the one after `step` (none for the initial state). */
export function renderState(program: Program, file: SourceFile, state: State, step: TraceStep | null): string {
  const before = new Map((step?.changes ?? []).map((c) => [c.path, c.before] as const));
  const shared = program.globals.flatMap((g, i) => leaves(program, g.name, g.type, state.globals[i]!));
  const boxes = [`<section class="box shared"><h4>shared</h4>${rows(shared, before)}</section>`];
  program.instances.forEach((inst, i) => {
    const actor = program.actors[inst.actor]!;
    const locals = actor.locals.flatMap((l, j) => leaves(program, `${inst.name}.${l.name}`, l.type, state.locals[i]![j]!));
    const mine = step?.instance === i ? ' mine' : '';
    boxes.push(
      `<section class="box inst${mine}" data-instance="${esc(inst.name)}"><h4>${esc(inst.name)}${actor.daemon ? ' <span class="tag">daemon</span>' : ''}</h4>` +
      `${position(program, file, i, state.pcs[i]!)}${locals.length ? rows(locals, before, `${inst.name}.`) : ''}</section>`,
    );
  });
  const title = step ? `state after step ${step.index}${step.failed ? ' (the failing step changes nothing)' : ''}` : 'initial state';
  return `<div class="state-view"><p class="state-title">${esc(title)}</p><div class="boxes">${boxes.join('')}</div></div>`;
}
