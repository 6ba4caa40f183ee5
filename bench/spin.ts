/**
 * SPIN on Weft's Promela export: `spin -a -o1 -o2`, gcc -O2 -DSAFETY
 * -DNOREDUCE (depth-first, and breadth-first with -DBFS; with a never
 * claim also -DNOCLAIM), pan -c0 with a hash table sized like Weft's and a
 * depth bound raised until the search is not cut short.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileModel, parseModel, variantNames } from '../src/pipeline.ts';
import type { Program } from '../src/lower/ir.ts';
import { group, root, type Args, type BenchModel, type Row, type Tool } from './common.ts';
import { run, tempDirs } from './processes.ts';

export type ExportPromela = (program: Program) => string;

export async function loadExporter(): Promise<ExportPromela | string> {
  const path = join(root, 'src', 'export', 'promela.ts');
  if (!existsSync(path)) return 'src/export/promela.ts does not exist yet';
  const mod = (await import(pathToFileURL(path).href)) as { exportPromela?: ExportPromela };
  if (typeof mod.exportPromela !== 'function') return 'src/export/promela.ts exports no exportPromela()';
  return mod.exportPromela;
}

export function programOf(m: BenchModel, size: number): Program {
  const file = { path: m.file, text: readFileSync(join(root, m.file), 'utf8') };
  const parsed = parseModel(file);
  if (!parsed.model) throw new Error(`${m.file} does not parse`);
  const hasVariants = parsed.model.decls.some((d) => d.kind === 'variant');
  const variant = m.variant ?? variantNames(parsed.model)[0]!;
  const c = compileModel(file, parsed.model, { variant: hasVariants ? variant : null, defines: { ...m.defines, [m.option]: String(size) } });
  if (!c.ok) throw new Error(`${m.file} does not check with ${m.option}=${size}`);
  return c.program;
}

interface PanRun {
  /** "states, stored": with BFS this includes the intermediate states of atomic sequences. */
  readonly stored: number;
  /** "nominal states (stored-atomic)", printed by BFS runs: the model's states. */
  readonly nominal: number | null;
  readonly transitions: number;
  readonly seconds: number;
  readonly depth: number;
  readonly vector: number | null;
  readonly totalMiB: number | null;
  readonly stackMiB: number;
  readonly peakBytes: number | null;
  readonly tooShallow: boolean;
  readonly problem: string | null;
}

/** A number pan printed; it prints some counts with %g (`5.91466e+06 nominal states`), so NUM matches both forms. */
function num(re: RegExp, text: string): number | null {
  const m = new RegExp(re.source.replace('NUM', '([0-9]+(?:\\.[0-9]+)?(?:e[+-]?[0-9]+)?)')).exec(text);
  return m ? Math.round(Number(m[1]) * 1e6) / 1e6 : null;
}

async function runPan(dir: string, m: number, w: number, seconds: number, timeTool: boolean): Promise<PanRun> {
  const panArgs = [`-m${m}`, `-w${w}`, '-c0', '-n'];
  const rssFile = join(dir, 'pan.rss');
  const r = timeTool
    ? await run('/usr/bin/time', ['-f', '%M', '-o', rssFile, './pan', ...panArgs], dir, seconds)
    : await run('./pan', panArgs, dir, seconds);
  const out = r.stdout;
  const states = num(/NUM states, stored/, out);
  const rssKb = timeTool && existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : NaN;
  const problem = r.timedOut ? `killed after ${seconds} s`
    : states === null ? `pan printed no statistics (exit ${r.code}): ${(r.stderr || out).trim().split('\n').slice(-3).join(' | ')}`
    : /out of memory|MEMLIM bound/i.test(out) ? 'out of memory (-DMEMLIM)'
    : /not supported in BFS/.test(out) ? `pan: ${/[^\n]*not supported in BFS/.exec(out)![0].replace(/^pan:\d+: /, '')}`
    : /Search not completed/.test(out) && !/max search depth too small/.test(out) ? 'pan: search not completed'
    : null;
  return {
    stored: states ?? 0,
    nominal: num(/NUM nominal states/, out),
    transitions: num(/NUM transitions \(= stored\+matched\)/, out) ?? 0,
    seconds: num(/pan: elapsed time NUM seconds/, out) ?? 0,
    depth: num(/depth reached NUM/, out) ?? 0,
    vector: num(/State-vector NUM byte/, out),
    totalMiB: num(/NUM\s+total actual memory usage/, out),
    stackMiB: num(/NUM\s+memory used for DFS stack/, out) ?? 0,
    peakBytes: Number.isFinite(rssKb) ? rssKb * 1024 : null,
    tooShallow: /max search depth too small/.test(out),
    problem,
  };
}

export interface SpinMode {
  readonly tool: Tool;
  readonly defines: readonly string[];
  /** With SPIN's partial-order reduction: gcc without -DNOREDUCE. */
  readonly reduce?: boolean;
}

/** The export's options to `spin -a`: no dead-variable reduction, no hiding of write-only variables (src/export/promela.ts). */
const EXPORT_SPIN_ARGS = ['-o1', '-o2'];

export async function runSpin(m: BenchModel, size: number, pml: string, weftStates: number, args: Args, timeTool: boolean): Promise<Row[]> {
  const claim = /^never\s*\{/m.test(pml);
  const modes: SpinMode[] = [
    { tool: 'spin-dfs', defines: [] },
    { tool: 'spin-bfs', defines: ['-DBFS'] },
    // pan checks end states (Weft's deadlock) only without a claim; with -DNOCLAIM it ignores the claim (the invariants).
    ...(claim ? [{ tool: 'spin-dfs-noclaim', defines: ['-DNOCLAIM'] }, { tool: 'spin-bfs-noclaim', defines: ['-DNOCLAIM', '-DBFS'] }] satisfies SpinMode[] : []),
  ];
  return runSpinModes(m, size, pml, weftStates, args, timeTool, modes, EXPORT_SPIN_ARGS);
}

/** pan in each of `modes` on one Promela text, `spin -a` given `spinArgs`; a mode that fails is a row with a note. */
export async function runSpinModes(m: BenchModel, size: number, pml: string, weftStates: number, args: Args, timeTool: boolean, modes: readonly SpinMode[], spinArgs: readonly string[]): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-spin-'));
  tempDirs.add(dir);
  const base = { model: m.name, size: `${m.option}=${size}` };
  const rows: Row[] = [];
  try {
    for (const mode of modes) {
      try {
        rows.push(await runSpinMode(dir, mode, pml, spinArgs, weftStates, args, timeTool, base));
      } catch (e) {
        rows.push({ ...base, tool: mode.tool, complete: false, note: `failed: ${(e as Error).message.split('\n').slice(0, 3).join(' ')}`, states: 0, transitions: 0, seconds: 0, peakBytes: null, ownBytes: null, vector: null });
      }
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
}

async function runSpinMode(top: string, mode: SpinMode, pml: string, spinArgs: readonly string[], weftStates: number, args: Args, timeTool: boolean, base: { model: string; size: string }): Promise<Row> {
  const bfs = mode.defines.includes('-DBFS');
  const dir = join(top, mode.tool);
  mkdirSync(dir);
  // pan refuses BFS on a model with `hidden` variables; a hidden byte that is never written is as good as a plain one.
  const text = bfs ? pml.replace(/^hidden\s+/gm, '') : pml;
  writeFileSync(join(dir, 'model.pml'), text);
  const spin = spawnSync('spin', ['-a', ...spinArgs, 'model.pml'], { cwd: dir, encoding: 'utf8' });
  if (spin.status !== 0) throw new Error(`spin -a failed: ${(spin.stdout + spin.stderr).trim()}`);
  const flags = ['-O2', '-DSAFETY', ...(mode.reduce ? [] : ['-DNOREDUCE']), ...mode.defines, `-DMEMLIM=${args.maxMemory}`, '-w', '-o', 'pan', 'pan.c'];
  const gcc = spawnSync('gcc', flags, { cwd: dir, encoding: 'utf8' });
  if (gcc.status !== 0) throw new Error(`gcc ${flags.join(' ')}: ${gcc.stderr.split('\n').find((l) => /error/.test(l))?.trim() ?? gcc.stderr.trim()}`);
  const w = Math.max(10, Math.ceil(Math.log2(Math.max(2, weftStates))) + 1);
  // A step of Weft is an atomic sequence of several Promela statements, each a level of pan's DFS stack.
  const enough = 50 * weftStates + 10_000;
  let depth = Math.min(enough, 100_000);
  let runs = 0;
  let r: PanRun;
  for (;;) {
    r = await runPan(dir, depth, w, args.timeLimit, timeTool);
    runs++;
    // With a never claim, pan can hit the bound with every state stored (the claim runs on alone in a deadlock state).
    if (r.problem || !r.tooShallow || depth >= enough || (r.nominal ?? r.stored) >= weftStates * (1 - 5e-6)) break;
    depth = Math.min(enough, depth * 10);
  }
  // BFS prints the nominal count with %g: six significant digits.
  const near = (x: number): boolean => Math.abs(x - weftStates) <= Math.max(0.5, weftStates * 5e-6);
  const rounded = r.nominal !== null && r.nominal !== weftStates && near(r.nominal);
  const allStored = (r.nominal ?? r.stored) >= weftStates || rounded;
  // pan zeroes its whole DFS stack up front: do not charge SPIN for a stack far deeper than it needed.
  if (!r.problem && !r.tooShallow && !bfs && depth > 2 * (r.depth + 1000) && r.totalMiB !== null && r.stackMiB > 0.1 * r.totalMiB) {
    const tight = await runPan(dir, r.depth + 1000, w, args.timeLimit, timeTool);
    runs++;
    if (!tight.problem && !tight.tooShallow) { r = tight; depth = r.depth + 1000; }
  }
  const states = rounded ? weftStates : (r.nominal ?? r.stored);
  const notes = [
    r.problem ?? '',
    r.tooShallow && !allStored ? `search cut at depth -m${depth}` : '',
    r.tooShallow && allStored ? `pan hit the depth bound, with all of Weft's states stored` : '',
    !r.tooShallow && r.depth >= depth - 1 ? 'the search ran to the depth bound' : '',
    r.nominal !== null && r.stored !== states ? `${group(r.stored)} stored with atomic intermediates` : '',
    rounded ? `pan printed ${r.nominal!.toPrecision(6)} nominal states, taken as Weft's count` : '',
    `-m${depth} -w${w}${runs > 1 ? `, ${runs} runs` : ''}`,
  ].filter(Boolean);
  return {
    ...base,
    tool: mode.tool,
    complete: !r.problem && (!r.tooShallow || allStored),
    note: notes.join('; '),
    states,
    transitions: r.transitions,
    seconds: r.seconds,
    peakBytes: r.peakBytes,
    ownBytes: r.totalMiB === null ? null : r.totalMiB * 2 ** 20,
    vector: r.vector,
  };
}