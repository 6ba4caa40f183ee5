/**
 * Permuting Weft's states by the instances of its symmetric actors, written
 * apart from explore/symmetry/canon.ts (which works on packed bytes): on
 * the reference interpreter's State values, by the Slots of
 * Program.symmetry. The full state space comes from the reference
 * semantics (explore/transitions.ts). test/symmetry.test.ts and
 * test/murphi.test.ts count orbits with it.
 */
import type { Type, Value } from '../../src/check/types.ts';
import type { Program, Slot } from '../../src/lower/ir.ts';
import { initialState, stateKey, type State } from '../../src/explore/state.ts';
import { successorsOf } from '../../src/explore/transitions.ts';
import { exclusiveHolder, lockValue, readers, writer } from '../../src/state/locks.ts';

/** Per symmetric group: a permutation of its instances (perm[i] is where instance i goes). */
export type Perms = readonly (readonly number[])[];

export interface Sym {
  readonly program: Program;
  readonly ids: Map<string, number>;
  readonly indexed: Map<string, number>;
  /** Global instance -> [group, self], or undefined. */
  readonly groupOf: readonly ([number, number] | undefined)[];
  readonly base: readonly number[];
}

export function slotKey(s: Slot): string {
  const root = s.root.kind === 'global' ? `g${s.root.index}` : `l${s.root.actor}.${s.root.index}`;
  return [root, ...s.path.map((p) => (p.kind === 'elem' ? '[]' : `.${p.index}`))].join('');
}

export function symOf(program: Program): Sym {
  const ids = new Map<string, number>();
  const indexed = new Map<string, number>();
  program.symmetry.forEach((s, g) => {
    s.ids.forEach((slot) => ids.set(slotKey(slot), g));
    s.indexed.forEach((slot) => indexed.set(slotKey(slot), g));
  });
  const base = program.symmetry.map((s) => program.instances.findIndex((i) => i.actor === s.actor));
  const groupOf = program.instances.map((inst) => {
    const g = program.symmetry.findIndex((s) => s.actor === inst.actor);
    return g < 0 ? undefined : ([g, inst.self] as [number, number]);
  });
  return { program, ids, indexed, groupOf, base };
}

export function permute(sym: Sym, state: State, perms: Perms): State {
  const inst = (i: number): number => {
    const g = sym.groupOf[i];
    return g ? sym.base[g[0]]! + perms[g[0]]![g[1]]! : i;
  };
  const value = (v: Value, t: Type, key: string): Value => {
    switch (t.kind) {
      case 'array': {
        const xs = (v as Value[]).map((x) => value(x, t.element, `${key}[]`));
        const g = sym.indexed.get(key);
        if (g === undefined) return xs;
        const out: Value[] = new Array(xs.length);
        xs.forEach((x, i) => { out[perms[g]![i]!] = x; });
        return out;
      }
      case 'struct': return t.fields.map((f, i) => value((v as Value[])[i]!, f.type, `${key}.${i}`));
      case 'lock': {
        const n = v as number;
        if (t.lock !== 'rwsem') { const h = exclusiveHolder(n); return h === null ? n : lockValue.heldBy(inst(h)); }
        const w = writer(n);
        if (w !== null) return lockValue.writerOf(inst(w));
        return readers(n).reduce((m, r) => m + 2 ** inst(r), 0);
      }
      default: {
        const g = sym.ids.get(key);
        const n = v as number;
        return g !== undefined && n >= 0 && n < perms[g]!.length ? perms[g]![n]! : v;
      }
    }
  };
  const { program } = sym;
  const pcs: number[] = new Array(state.pcs.length);
  const locals: Value[][] = new Array(state.locals.length);
  program.instances.forEach((ins, i) => {
    pcs[inst(i)] = state.pcs[i]!;
    locals[inst(i)] = state.locals[i]!.map((v, j) => value(v, program.actors[ins.actor]!.locals[j]!.type, `l${ins.actor}.${j}`));
  });
  return { globals: state.globals.map((v, i) => value(v, program.globals[i]!.type, `g${i}`)), pcs, locals };
}

export function allPerms(n: number): number[][] {
  if (n <= 1) return [[0].slice(0, n)];
  return allPerms(n - 1).flatMap((p) => Array.from({ length: n }, (_, at) => [...p.slice(0, at), n - 1, ...p.slice(at)]));
}

/** Every combination of a permutation per group. */
export function everyPerms(program: Program): Perms[] {
  return program.symmetry.reduce<Perms[]>((acc, s) => acc.flatMap((ps) => allPerms(program.actors[s.actor]!.count).map((p) => [...ps, p])), [[]]);
}

/** A transposition and a rotation per group: they generate every permutation. */
export function generators(program: Program): Perms[] {
  const id = program.symmetry.map((s) => Array.from({ length: program.actors[s.actor]!.count }, (_, i) => i));
  return id.flatMap((p, g) => {
    const n = p.length;
    if (n < 2) return [];
    const swap = [1, 0, ...p.slice(2)];
    const rotate = p.map((i) => (i + 1) % n);
    return [swap, rotate].map((q) => id.map((x, h) => (h === g ? q : x)));
  });
}

export interface Space {
  readonly states: Map<string, State>;
  readonly succ: Map<string, string[]>;
}

export function fullSpace(program: Program, cap: number): Space | null {
  const init = initialState(program);
  const states = new Map([[stateKey(init), init]]);
  const succ = new Map<string, string[]>();
  const queue = [init];
  while (queue.length) {
    const s = queue.shift()!;
    const out: string[] = [];
    for (let i = 0; i < program.instances.length; i++) {
      for (const t of successorsOf(program, s, i)) {
        const k = stateKey(t);
        out.push(k);
        if (!states.has(k)) {
          if (states.size >= cap) return null;
          states.set(k, t);
          queue.push(t);
        }
      }
    }
    succ.set(stateKey(s), out);
  }
  return { states, succ };
}

export function orbits(program: Program, space: Space): number {
  const sym = symOf(program);
  const perms = everyPerms(program);
  const reps = new Set<string>();
  for (const s of space.states.values()) {
    let least: string | null = null;
    for (const p of perms) {
      const k = stateKey(permute(sym, s, p));
      if (least === null || k < least) least = k;
    }
    reps.add(least!);
  }
  return reps.size;
}

