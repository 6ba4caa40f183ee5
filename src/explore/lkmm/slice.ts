/**
 * A chosen set of actors and steps, for the LKMM mode and `weft litmus
 * export` (`--actors gup_fast,unmapper@clear..check`): what a litmus test
 * written by hand takes of a bigger model, the few accesses of the shape
 * in question. Each chosen instance becomes a thread that runs its code
 * from the label FROM (or its start) up to the label TO (or its end); the
 * others take no part. Every variable starts at its initial value, the
 * chosen steps' locals too: the test asks what those steps can do from
 * the model's initial state, as the hand-written test would.
 *
 * In the final state a property is asked of, a chosen instance stands at
 * TO (or at its end) and an instance left out at its start, with its
 * locals as they started.
 */
import type { Program } from '../../lower/ir.ts';

/** One item of `--actors`: an actor (every instance) or one instance, and the labels its steps run between. */
export interface ActorChoice {
  readonly name: string;
  readonly from: string | null;
  readonly to: string | null;
}

/** Where each chosen instance starts and stops: instance index → pcs. */
export type Slice = ReadonlyMap<number, { readonly from: number; readonly to: number | null }>;

const ITEM = /^([A-Za-z_][A-Za-z0-9_]*(?:\[\d+\])?)(?:@([A-Za-z_][A-Za-z0-9_]*)?(?:\.\.([A-Za-z_][A-Za-z0-9_]*))?)?$/;

/** `a,b@l,c[1]@l..m,d@..m` as choices, or what is wrong with it. */
export function parseActorChoices(text: string): { readonly ok: true; readonly choices: ActorChoice[] } | { readonly ok: false; readonly why: string } {
  const choices: ActorChoice[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    const m = ITEM.exec(item);
    if (!m || (item.includes('@') && !m[2] && !m[3])) return { ok: false, why: `'${item}' is not NAME, NAME@FROM, NAME@FROM..TO or NAME@..TO` };
    choices.push({ name: m[1]!, from: m[2] ?? null, to: m[3] ?? null });
  }
  return { ok: true, choices };
}

/** The choices on the lowered program: every name an instance or an actor, every label one place in its code. */
export function resolveSlice(program: Program, choices: readonly ActorChoice[]): { readonly ok: true; readonly slice: Slice } | { readonly ok: false; readonly why: string } {
  const slice = new Map<number, { from: number; to: number | null }>();
  for (const c of choices) {
    const matched = program.instances.map((inst, i) => ({ inst, i }))
      .filter(({ inst }) => inst.name === c.name || program.actors[inst.actor]!.name === c.name);
    if (!matched.length) {
      const names = program.actors.map((a) => a.name);
      return { ok: false, why: `no actor or instance '${c.name}' (the actors: ${names.join(', ')})` };
    }
    const actor = program.actors[matched[0]!.inst.actor]!;
    const at = (label: string): number | string => {
      const pcs = actor.labels?.get(label) ?? [];
      const known = [...(actor.labels?.keys() ?? [])];
      if (pcs.length === 0) return `${actor.name} has no label '${label}' (its labels: ${known.length ? known.join(', ') : 'none'})`;
      if (pcs.length > 1) return `the label '${label}' stands at ${pcs.length} places in ${actor.name}'s code (a function inlined twice): choose a label that stands once`;
      return pcs[0]!;
    };
    const from = c.from === null ? 0 : at(c.from);
    const to = c.to === null ? null : at(c.to);
    if (typeof from === 'string') return { ok: false, why: from };
    if (typeof to === 'string') return { ok: false, why: to };
    for (const { inst, i } of matched) {
      if (slice.has(i)) return { ok: false, why: `${inst.name} is chosen twice` };
      slice.set(i, { from, to });
    }
  }
  return { ok: true, slice };
}

/** The choices as the report and the exported test's comment print them. */
export function choicesText(choices: readonly ActorChoice[]): string {
  return choices.map((c) => (c.from === null && c.to === null ? c.name : `${c.name}@${c.from ?? ''}${c.to === null ? '' : `..${c.to}`}`)).join(',');
}
