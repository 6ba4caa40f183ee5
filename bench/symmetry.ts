/**
 * `npm run bench:symmetry`: what symmetry reduction saves, Weft's against
 * Rumur's on the same models. For each symmetric model and size it runs,
 * each in a process of its own (peak RSS its own):
 *   - Weft's compiled engine in full (--no-symmetry) and reduced;
 *   - Rumur on Weft's Murphi export (docs/murphi.md), whose symmetric
 *     actors are scalarsets, with --symmetry-reduction off and exhaustive
 *     (an exact canonical form, as Weft's), one thread, cc -O3;
 * and prints states, seconds, states/s and peak RSS, the reduction factor
 * of each tool, and Weft's time against Rumur's. The counts must agree
 * (full with off, reduced with exhaustive: a row that does not says so);
 * test/murphi.test.ts asserts it on the small sizes.
 *
 *   npm run bench:symmetry                  every model and size (a few minutes)
 *   npm run bench:symmetry -- --quick       the small sizes
 *   npm run bench:symmetry -- --markdown    the table as Markdown (bench/README.md)
 *
 * The models: the symmetric filter lock and the owner mutex of
 * test/cases/symmetry/, and the benchmark's gup-two-pinners with its two
 * actor arrays (pinner, user) declared `symmetric` and nothing else
 * changed (the text is rewritten into a temporary file).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModelFile } from '../src/commands/support.ts';
import { compileModel, variantNames } from '../src/pipeline.ts';
import { buildMurphi, RUMUR_OPTIONS } from '../src/export/murphi.ts';
import { group, root } from './common.ts';
import { onPath, run, tempDirs, weftChild } from './processes.ts';

const args = process.argv.slice(2);
const markdown = args.includes('--markdown');
const quick = args.includes('--quick');
const TIME_LIMIT = 1800;

interface Case {
  readonly name: string;
  readonly file: string;
  readonly defines: Record<string, string>;
  readonly quick: boolean;
}

const tmp = mkdtempSync(join(tmpdir(), 'weft-bench-symmetry-'));
tempDirs.add(tmp);
const gup = join(tmp, 'gup-two-pinners-symmetric.weft');
writeFileSync(gup, readFileSync(join(root, 'bench/models/gup-two-pinners.weft'), 'utf8').replace(/^actor (pinner|user)\[/gm, 'symmetric actor $1['));

const CASES: readonly Case[] = [
  ...[4, 5, 6].map((n) => ({ name: 'filter (symmetric)', file: join(root, 'test/cases/symmetry/filter.weft'), defines: { N: String(n) }, quick: n <= 4 })),
  ...[3, 4].map((n) => ({ name: 'mutex-owner', file: join(root, 'test/cases/symmetry/mutex-owner.weft'), defines: { N: String(n) }, quick: n <= 3 })),
  ...[[2, 2], [2, 4], [3, 3], [2, 6], [4, 3]].map(([p, u]) => ({ name: 'gup-two-pinners (symmetric)', file: gup, defines: { PINNERS: String(p), USERS: String(u) }, quick: p! * u! <= 4 })),
];

/** Rumur on the export: states, seconds (wall clock of the verifier alone), peak RSS in bytes, or why not. */
async function rumur(file: string, defines: Record<string, string>, symmetry: 'off' | 'exhaustive'): Promise<{ states: number; seconds: number; rss: number } | string> {
  const loaded = loadModelFile(file);
  if (!loaded.model) return 'does not parse';
  const hasVariants = loaded.model.decls.some((d) => d.kind === 'variant');
  const c = compileModel(loaded.sources, loaded.model, { variant: hasVariants ? variantNames(loaded.model)[0]! : null, defines });
  if (!c.ok) return 'does not check';
  const dir = mkdtempSync(join(tmp, 'rumur-'));
  writeFileSync(join(dir, 'm.m'), buildMurphi(c.program).text);
  const gen = spawnSync('rumur', [...RUMUR_OPTIONS, '--symmetry-reduction', symmetry, 'm.m', '-o', 'm.c'], { cwd: dir, encoding: 'utf8' });
  if (gen.status !== 0) return `rumur failed: ${gen.stderr.trim().split('\n')[0]}`;
  const cc = spawnSync('cc', ['-O3', '-mcx16', '-o', 'm', 'm.c', '-lpthread'], { cwd: dir, encoding: 'utf8' });
  if (cc.status !== 0) return 'cc failed';
  const start = performance.now();
  const r = await run('/usr/bin/time', ['-f', '%M', '-o', 'rss', './m'], dir, TIME_LIMIT);
  const seconds = (performance.now() - start) / 1000;
  const states = /(\d+) states, \d+ rules fired/.exec(r.stdout);
  if (!states) return `no count (exit ${r.code}${r.timedOut ? ', timed out' : ''})`;
  return { states: Number(states[1]), seconds, rss: Number(readFileSync(join(dir, 'rss'), 'utf8').trim().split('\n').pop()) * 1024 };
}

const mib = (b: number): string => (b / 2 ** 20).toFixed(0);
const secs = (s: number): string => s.toFixed(2);
const rate = (n: number, s: number): string => (s > 0.05 ? group(Math.round(n / s)) : '-');
const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(2)}x` : '-');

const header = ['model', 'size', 'tool', 'states', 'seconds', 'states/s', 'peak RSS MiB', 'factor', 'note'];
const rows: string[][] = [];
const haveRumur = onPath('rumur') && onPath('cc') && onPath('/usr/bin/time');
if (!haveRumur) process.stderr.write('rumur, cc or /usr/bin/time missing (bash scripts/install-peers.sh): Weft rows only\n');

try {
  for (const c of CASES.filter((x) => !quick || x.quick)) {
    const size = Object.entries(c.defines).map(([k, v]) => `${k}=${v}`).join(' ');
    const job = { file: c.file, variant: null, defines: c.defines, engine: 'compiled' as const };
    await weftChild({ ...job, prepare: true }, TIME_LIMIT);
    const full = await weftChild({ ...job, symmetry: false }, TIME_LIMIT);
    const reduced = await weftChild({ ...job, symmetry: true }, TIME_LIMIT);
    const out = (tool: string, states: number, seconds: number, rss: number, factor: string, note: string): void => {
      rows.push([c.name, size, tool, group(states), secs(seconds), rate(states, seconds), mib(rss), factor, note]);
      if (!markdown) process.stdout.write(`${rows.at(-1)!.join('  ')}\n`);
    };
    out('weft full', full.states, full.seconds, full.maxRssBytes, '', '');
    out('weft symmetry', reduced.states, reduced.seconds, reduced.maxRssBytes, ratio(full.states, reduced.states), `${ratio(full.seconds, reduced.seconds)} faster than weft full`);
    if (!haveRumur) continue;
    const off = await rumur(c.file, c.defines, 'off');
    const exh = await rumur(c.file, c.defines, 'exhaustive');
    if (typeof off === 'string') rows.push([c.name, size, 'rumur off', '-', '-', '-', '-', '', off]);
    else out('rumur off', off.states, off.seconds, off.rss, '', off.states === full.states ? '' : `NOT Weft's ${group(full.states)}`);
    if (typeof exh === 'string') rows.push([c.name, size, 'rumur exhaustive', '-', '-', '-', '-', '', exh]);
    else out('rumur exhaustive', exh.states, exh.seconds, exh.rss, typeof off === 'string' ? '' : ratio(off.states, exh.states),
      [exh.states === reduced.states ? '' : `NOT Weft's ${group(reduced.states)}`, `weft symmetry ${ratio(exh.seconds, reduced.seconds)} its speed`].filter(Boolean).join('; '));
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
  tempDirs.delete(tmp);
}

const num = (x: string): boolean => /^[0-9,.x-]+$/.test(x);
if (markdown) {
  process.stdout.write(`| ${header.join(' | ')} |\n|${header.map((h) => (['states', 'seconds', 'states/s', 'peak RSS MiB', 'factor'].includes(h) ? ' ---: |' : ' --- |')).join('')}\n`);
  for (const r of rows) process.stdout.write(`| ${r.join(' | ')} |\n`);
} else {
  const widths = header.map((_, j) => Math.max(header[j]!.length, ...rows.map((r) => r[j]!.length)));
  process.stdout.write(`\n${[header, ...rows].map((r) => r.map((x, j) => (num(x) ? x.padStart(widths[j]!) : x.padEnd(widths[j]!))).join('  ').trimEnd()).join('\n')}\n`);
}
