/**
 * `npm run bench:por`: how much Weft's partial-order reduction (--por)
 * saves against SPIN's own, on the same models: every variant of every
 * model under models/ and the benchmark models at small sizes. Per model
 * it prints the states of Weft's full search and of --por, and of pan on
 * Weft's Promela export (docs/promela.md: same state count) depth-first
 * with -DNOREDUCE and with SPIN's reduction on, and each tool's reduction
 * factor. Counts only, no timings; verdict agreement is test/por.test.ts's.
 *
 *   npm run bench:por                  everything (a few minutes, most of it gcc)
 *   npm run bench:por -- models/classic bench/models/filter.weft   files or directories
 *   npm run bench:por -- --markdown    the table as Markdown (bench/README.md)
 *
 * SPIN's reduction differs in kind: it reduces only statements on local
 * variables and exclusive channels (none in Weft's export, which keeps
 * everything global so that the counts match), so on an exported model it
 * mostly saves the intermediate states of atomic sequences it does not store anyway.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel, variantNames } from '../src/pipeline.ts';
import { loadModelFile } from '../src/commands/support.ts';
import type { Program } from '../src/lower/ir.ts';
import { check } from '../src/explore/engine.ts';
import { exportPromela } from '../src/export/promela.ts';
import { group, root } from './common.ts';

const args = process.argv.slice(2);
const markdown = args.includes('--markdown');
const paths = args.filter((a) => !a.startsWith('--'));
/** The benchmark models at sizes a full search and two pan builds do in seconds. */
const SIZED: readonly [string, Record<string, string>][] = [
  ['bench/models/philosophers.weft', { N: '6' }],
  ['bench/models/filter.weft', { N: '4' }],
  ['bench/models/gup-two-pinners.weft', { USERS: '2' }],
];

function weftFiles(p: string): string[] {
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p).sort().flatMap((f) => weftFiles(join(p, f))).filter((f) => f.endsWith('.weft'));
}

function programs(path: string, defines: Record<string, string>): Program[] {
  // From disk, so that a model's imports are read (the flagship's parts under models/gup/).
  const loaded = loadModelFile(join(root, path));
  const model = loaded.model;
  if (!model) return [];
  const hasVariants = model.decls.some((d) => d.kind === 'variant');
  return variantNames(model).flatMap((v) => {
    const c = compileModel(loaded.sources, model, { variant: hasVariants ? v : null, defines });
    return c.ok ? [c.program] : [];
  });
}

/** pan's stored states depth-first, with or without SPIN's reduction, or why there is none. */
function pan(pml: string, reduce: boolean, states: number): number | string {
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-por-'));
  try {
    writeFileSync(join(dir, 'model.pml'), pml);
    const spin = spawnSync('spin', ['-a', '-o1', '-o2', 'model.pml'], { cwd: dir, encoding: 'utf8' });
    if (spin.status !== 0) return 'spin -a failed';
    const gcc = spawnSync('gcc', ['-O2', '-DSAFETY', ...(reduce ? [] : ['-DNOREDUCE']), '-w', '-o', 'pan', 'pan.c'], { cwd: dir, encoding: 'utf8' });
    if (gcc.status !== 0) return 'gcc failed';
    const w = Math.max(10, Math.ceil(Math.log2(Math.max(2, states))) + 1);
    const run = spawnSync('./pan', [`-m${50 * states + 10_000}`, `-w${w}`, '-c0', '-n'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    const m = /([0-9]+) states, stored/.exec(run.stdout);
    return m ? Number(m[1]) : 'pan printed no count';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A table with a header row: Markdown, or columns padded (numbers to the right). */
function table(rows: readonly string[][], md: boolean): string {
  const num = (x: string): boolean => /^[0-9,.]+$/.test(x) || x === '-';
  if (md) return rows.map((r, i) => `| ${r.join(' | ')} |${i === 0 ? `\n|${r.map((_, j) => (num(rows[1]?.[j] ?? '') ? ' ---: |' : ' --- |')).join('')}` : ''}`).join('\n');
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
  return rows.map((r) => r.map((x, j) => (num(x) ? x.padStart(widths[j]!) : x.padEnd(widths[j]!))).join('  ').trimEnd()).join('\n');
}

const factor = (full: number, reduced: number | string): string => (typeof reduced === 'number' && reduced > 0 ? (full / reduced).toFixed(2) : '-');

const rows: string[][] = [];
const jobs: [string, Record<string, string>][] = paths.length ? paths.flatMap((p) => weftFiles(p).map((f) => [f, {}] as [string, Record<string, string>])) : [...weftFiles('models').map((f) => [f, {}] as [string, Record<string, string>]), ...SIZED];
let sumFull = 0;
let sumPor = 0;
for (const [file, defines] of jobs) {
  for (const p of programs(file, defines)) {
    const full = await check(p, 'compiled', {});
    const por = await check(p, 'compiled', {}, { por: true });
    let pml: string | null = null;
    try {
      pml = exportPromela(p);
    } catch {
      pml = null;
    }
    const spinFull = pml ? pan(pml, false, full.stats.states) : 'not exported';
    const spinPor = pml ? pan(pml, true, full.stats.states) : 'not exported';
    sumFull += full.stats.states;
    sumPor += por.stats.states;
    const size = Object.entries(defines).map(([k, v]) => `${k}=${v}`).join(' ');
    rows.push([`${file}${size ? ` ${size}` : ''}`, p.variant, group(full.stats.states), group(por.stats.states), factor(full.stats.states, por.stats.states),
      typeof spinFull === 'number' ? group(spinFull) : spinFull, typeof spinPor === 'number' ? group(spinPor) : spinPor, typeof spinFull === 'number' ? factor(spinFull, spinPor) : '-']);
    if (!markdown) process.stdout.write(`${rows.at(-1)!.join('  ')}\n`);
  }
}
process.stdout.write(`\n${table([['model', 'variant', 'weft full', 'weft --por', 'weft factor', 'spin full', 'spin reduced', 'spin factor'], ...rows], markdown)}\n`);
process.stdout.write(`all: Weft ${group(sumFull)} states in full, ${group(sumPor)} with --por (factor ${factor(sumFull, sumPor)})\n`);
