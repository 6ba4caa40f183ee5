/**
 * Runs Rumur on an exported Murphi model (src/export/murphi.ts) and reads
 * its answer: the number of states it stored, and the properties it found
 * violated or reached (each error "weft TAG" names one; any other error of
 * the verifier, a value out of range or a bad index, is Weft's `ranges`;
 * a printed "weft TAG" line is a warning). Also the orbit counter the
 * symmetry comparison needs: Weft's full state space, each state mapped to
 * the least of its images under every permutation of each symmetric
 * actor's instances (Program.symmetry), counted once per orbit.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Type, Value } from '../../src/check/types.ts';
import type { Program, Slot } from '../../src/lower/ir.ts';
import { RUMUR_OPTIONS, type MurphiModel } from '../../src/export/murphi.ts';
import { initialState, stateKey, type State } from '../../src/explore/state.ts';
import { isTransition, stepOutcomes } from '../../src/explore/transitions.ts';

const run = promisify(execFile);
const onPath = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
export const rumurAvailable = onPath('rumur') && onPath('cc');

export interface RumurResult {
  readonly states: number;
  /** Properties violated, targets reached, warnings printed: Weft's names, sorted. */
  readonly found: readonly string[];
  /** Error messages that name no property of the model and are not the verifier's own (should be none). */
  readonly unknown: readonly string[];
}

export async function checkWithRumur(model: MurphiModel, symmetry: 'off' | 'exhaustive'): Promise<RumurResult> {
  const dir = await mkdtemp(join(tmpdir(), 'weft-rumur-'));
  try {
    await writeFile(join(dir, 'm.m'), model.text);
    await run('rumur', [...RUMUR_OPTIONS, '--symmetry-reduction', symmetry, join(dir, 'm.m'), '-o', join(dir, 'm.c')], { maxBuffer: 1 << 26 });
    await run('cc', ['-O1', '-mcx16', '-o', join(dir, 'm'), join(dir, 'm.c'), '-lpthread'], { maxBuffer: 1 << 26 });
    // The verifier exits 1 when it found an error: its output is what counts.
    const out = await run(join(dir, 'm'), [], { maxBuffer: 1 << 28 }).then((r) => r.stdout, (e: { stdout?: string }) => e.stdout ?? '');
    return parseRumur(out, model);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function parseRumur(out: string, model: MurphiModel): RumurResult {
  const byTag = new Map([...model.tags].map(([p, t]) => [t, p]));
  const m = /(\d+) states, \d+ rules fired/.exec(out);
  if (!m) throw new Error(`no state count in Rumur's output:\n${out.slice(0, 2000)}`);
  const found = new Set<string>();
  const unknown = new Set<string>();
  const lines = out.split('\n');
  lines.forEach((line, i) => {
    const put = /^weft (\S+)$/.exec(line);
    if (put) { const p = byTag.get(put[1]!); if (p) found.add(p); else unknown.add(line); }
    if (!line.startsWith('The following is the error trace for the error:')) return;
    let j = i + 1;
    while (j < lines.length && lines[j]!.trim() === '') j++;
    const msg = lines[j]?.trim() ?? '';
    const tagged = /^weft (\S+)$/.exec(msg);
    if (tagged) {
      const p = byTag.get(tagged[1]!);
      if (p) found.add(p); else unknown.add(msg);
    } else if (/out-of-range|index out of range|division by zero|undefined|overflow|modulus by zero/.test(msg)) found.add('ranges');
    else unknown.add(msg);
  });
  return { states: Number(m[1]), found: [...found].sort(), unknown: [...unknown] };
}

// ---------------------------------------------------------------- orbits

/** Every state of the full search, by the reference semantics (the order does not matter here). */
export function allStates(program: Program, limit = 2_000_000): State[] {
  const init = initialState(program);
  const seen = new Set([stateKey(init)]);
  const states = [init];
  for (let head = 0; head < states.length; head++) {
    for (let i = 0; i < program.instances.length; i++) {
      for (const { outcomes } of stepOutcomes(program, states[head]!, i)) {
        for (const o of outcomes) {
          if (!isTransition(o)) continue;
          const k = stateKey(o.state);
          if (seen.has(k)) continue;
          if (seen.size >= limit) throw new Error('too many states for the orbit counter');
          seen.add(k);
          states.push(o.state);
        }
      }
    }
  }
  return states;
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

function key(slot: Slot): string {
  const root = slot.root.kind === 'global' ? `g${slot.root.index}` : `l${slot.root.actor}.${slot.root.index}`;
  return root + slot.path.map((p) => (p.kind === 'elem' ? '.e' : `.f${p.index}`)).join('');
}

/** The number of orbits of Weft's full state space under the symmetric actors' permutations. */
export function orbitCount(program: Program, states: readonly State[]): number {
  const first = program.actors.map((_, a) => program.instances.findIndex((x) => x.actor === a));
  const ids = new Map<string, number>();
  const indexed = new Map<string, number>();
  for (const g of program.symmetry) {
    for (const s of g.ids) ids.set(key(s), g.actor);
    for (const s of g.indexed) indexed.set(key(s), g.actor);
  }
  const groups = program.symmetry.map((g) => ({ actor: g.actor, perms: permutations(program.actors[g.actor]!.count) }));
  // Every combination of one permutation per symmetric actor: per actor, instance self -> new self.
  let combos: Map<number, number[]>[] = [new Map()];
  for (const g of groups) combos = combos.flatMap((c) => g.perms.map((p) => new Map([...c, [g.actor, p]])));

  const canon = new Set<string>();
  for (const s of states) {
    let best: string | null = null;
    for (const perm of combos) {
      // The global instance number i after the permutation.
      const inst = (i: number): number => {
        const a = program.instances[i]!.actor;
        const p = perm.get(a);
        return p ? first[a]! + p[i - first[a]!]! : i;
      };
      const map = (v: Value, t: Type, k: string): Value => {
        switch (t.kind) {
          case 'int': {
            const a = ids.get(k);
            const n = a === undefined ? 0 : program.actors[a]!.count;
            return a !== undefined && (v as number) >= 0 && (v as number) < n ? perm.get(a)![v as number]! : v;
          }
          case 'lock': {
            const x = v as number;
            if (t.lock !== 'rwsem') return x === 0 ? 0 : inst(x - 1) + 1;
            if (x < 0) return -(inst(-x - 1) + 1);
            let mask = 0;
            for (let i = 0; i < program.instances.length; i++) if (Math.floor(x / 2 ** i) % 2 === 1) mask += 2 ** inst(i);
            return mask;
          }
          case 'struct': return (v as Value[]).map((f, i) => map(f, t.fields[i]!.type, `${k}.f${i}`));
          case 'array': {
            const elems = (v as Value[]).map((e) => map(e, t.element, `${k}.e`));
            const a = indexed.get(k);
            if (a === undefined) return elems;
            const out = [...elems];
            elems.forEach((e, i) => { out[perm.get(a)![i]!] = e; });
            return out;
          }
          default: return v;
        }
      };
      const globals = s.globals.map((v, i) => map(v, program.globals[i]!.type, `g${i}`));
      const pcs = [...s.pcs];
      const locals = [...s.locals];
      s.pcs.forEach((pc, i) => {
        const a = program.instances[i]!.actor;
        pcs[inst(i)] = pc;
        locals[inst(i)] = s.locals[i]!.map((v, li) => map(v, program.actors[a]!.locals[li]!.type, `l${a}.${li}`));
      });
      const text = JSON.stringify([globals, pcs, locals]);
      if (best === null || text < best) best = text;
    }
    canon.add(best!);
  }
  return canon.size;
}
