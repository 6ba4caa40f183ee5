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
import type { Program } from '../../src/lower/ir.ts';
import { RUMUR_OPTIONS, type MurphiModel } from '../../src/export/murphi.ts';
import { stateKey, type State } from '../../src/explore/state.ts';
import { fullSpace, orbits } from './orbits.ts';

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
  const space = fullSpace(program, limit);
  if (!space) throw new Error('too many states for the orbit counter');
  return [...space.states.values()];
}

/** The number of orbits of Weft's full state space under the symmetric actors' permutations. */
export function orbitCount(program: Program, states: readonly State[]): number {
  return orbits(program, { states: new Map(states.map((s) => [stateKey(s), s])), succ: new Map() });
}
