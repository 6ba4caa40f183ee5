/**
 * The peers written by hand (bench/peers/NAME.pml for SPIN, NAME.m for
 * Rumur; their headers say why each stores exactly Weft's states): how a
 * size and a variant reach them, and the benchmark's SPIN rows on them.
 *
 * A size is the model's option of the same name: `spin -a -DN=6` (SPIN
 * runs cpp on the model) and the Murphi constant `N: 6;` (Murphi has no
 * preprocessor: the line is rewritten). A variant other than the model's
 * first is the macro or constant of its name in capitals: -DORDERED,
 * `ORDERED: true;`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModel, variantNames } from '../src/pipeline.ts';
import { group, root, type Args, type BenchModel, type Row } from './common.ts';
import { runSpinModes, type SpinMode } from './spin.ts';

export const peerPath = (m: BenchModel, ext: 'pml' | 'm'): string => join(root, 'bench', 'peers', `${m.name}.${ext}`);

/** The variant's switch in the hand models, or null for the model's first variant (or a model without variants). */
export function variantSwitch(m: BenchModel, variant: string | undefined): string | null {
  const file = { path: m.file, text: readFileSync(join(root, m.file), 'utf8') };
  const parsed = parseModel(file);
  if (!parsed.model) throw new Error(`${m.file} does not parse`);
  const names = variantNames(parsed.model);
  const v = variant ?? m.variant;
  if (v === undefined || v === names[0]) return null;
  if (!names.includes(v)) throw new Error(`${m.file} has no variant ${v}`);
  return v.toUpperCase();
}

/** The options of `spin -a` that set the size, the other options and the variant. */
export function promelaDefines(m: BenchModel, size: number, variant?: string): string[] {
  const sw = variantSwitch(m, variant);
  return [...Object.entries({ ...m.defines, [m.option]: String(size) }).map(([k, v]) => `-D${k}=${v}`), ...(sw ? [`-D${sw}`] : [])];
}

/** The Murphi model with the size, the other options and the variant written into its constants. */
export function murphiText(m: BenchModel, size: number, variant?: string): string {
  let text = readFileSync(peerPath(m, 'm'), 'utf8');
  const sw = variantSwitch(m, variant);
  const set = { ...m.defines, [m.option]: String(size), ...(sw ? { [sw]: 'true' } : {}) };
  for (const [k, v] of Object.entries(set)) {
    const line = new RegExp(`^(\\s+${k}:\\s*)[^;]+;`, 'm');
    if (!line.test(text)) throw new Error(`${peerPath(m, 'm')} has no constant line \`${k}: ...;\``);
    text = text.replace(line, `$1${v};`);
  }
  return text;
}

/**
 * SPIN on the hand-written model: DFS and BFS as for the export
 * (-DSAFETY -DNOREDUCE), DFS with SPIN's partial-order reduction (its own,
 * smaller count; its note gives the factor), and, where the model has a
 * never claim (then pan checks no end states), DFS with -DNOCLAIM for
 * Weft's deadlock.
 */
export async function runHandSpin(m: BenchModel, size: number, weftStates: number, args: Args, timeTool: boolean): Promise<Row[]> {
  const pml = readFileSync(peerPath(m, 'pml'), 'utf8');
  const claim = /^never\s*\{/m.test(pml);
  const modes: SpinMode[] = [
    { tool: 'spin-hand-dfs', defines: [] },
    { tool: 'spin-hand-bfs', defines: ['-DBFS'] },
    { tool: 'spin-hand-dfs-por', defines: [], reduce: true },
    ...(claim ? [{ tool: 'spin-hand-dfs-noclaim', defines: ['-DNOCLAIM'] }] satisfies SpinMode[] : []),
  ];
  const rows = await runSpinModes(m, size, pml, weftStates, args, timeTool, modes, promelaDefines(m, size));
  return rows.map((r) => (r.tool === 'spin-hand-dfs-por' && r.complete && r.states > 0
    ? { ...r, note: `SPIN's reduction: ${(weftStates / r.states).toFixed(2)}x fewer states than the full ${group(weftStates)}; ${r.note}` }
    : r));
}
