/**
 * A liveness check at scale, Weft's compiled engine against SPIN on Weft's
 * Promela export: dining philosophers (bench/models/philosophers.weft,
 * variant `ordered`, N philosophers, 1,118,878 states at N = 12) with
 *
 *   liveness someone_eats: always eventually eating > 0;
 *
 * under weak fairness, every philosopher's default. It holds (every cycle
 * of the ordered variant passes through a meal), so both tools must search
 * everything: Weft its whole state graph and then the fair strongly
 * connected components, pan its whole product with the claim, and with -f
 * the copies of its fairness construction, without an acceptance cycle to
 * stop at. A property that fails could be decided by either after a
 * fraction of the space, depending on search order, which says little.
 *
 *   npm run bench:liveness [-- --size N] [-- --time-limit S] [-- --max-memory MiB]
 *
 * Weft: bench/weft-child.ts in a process of its own (module built by a
 * first child, so the TypeScript compiler is neither run nor counted);
 * seconds are the whole check, liveness verdicts included. SPIN: `spin -a
 * -o1 -o2`, gcc -O2 with the defines the export asks for (-DNOREDUCE,
 * -DNFAIR) and -DMEMLIM, `pan -a -f -N someone_eats -n`, with a hash table
 * of 2^w slots for w = ceil(log2(4 * Weft's states)) and a depth bound
 * raised until the search is not cut short, then set just above the depth
 * reached (pan allocates its DFS stack up front: the figures are that
 * run's); spin and gcc are not timed.
 * Peak memory is each process's peak RSS (/usr/bin/time for pan). It only
 * prints figures; nothing here asserts a timing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compileModel, parseModel } from '../src/pipeline.ts';
import { buildPromela } from '../src/export/promela.ts';
import { promelaRefusals } from '../src/export/promelaRange.ts';
import { group, root } from './common.ts';
import { onPath, run, tempDirs, weftChild } from './processes.ts';
import type { Job } from './weft-child.ts';

const PROPERTY = 'someone_eats';
const LIVENESS = `\nliveness ${PROPERTY}: always eventually eating > 0;\n`;
const VARIANT = 'ordered';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '12' },
    'time-limit': { type: 'string', default: '1800' },
    'max-memory': { type: 'string', default: '16000' },
  },
});
const size = Number(values.size);
const timeLimit = Number(values['time-limit']);
const maxMemory = Number(values['max-memory']);
const mib = (bytes: number | null): string => (bytes === null ? '-' : group(bytes / 2 ** 20));

interface Figures {
  readonly tool: string;
  readonly verdict: string;
  readonly states: number;
  readonly note: string;
  readonly seconds: number;
  readonly peakBytes: number | null;
}

async function main(): Promise<void> {
  if (!onPath('spin') || !onPath('gcc')) throw new Error('spin or gcc is not on PATH (bash scripts/install-peers.sh installs them)');
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-live-'));
  tempDirs.add(dir);
  try {
    const file = join(dir, 'philosophers-live.weft');
    writeFileSync(file, readFileSync(join(root, 'bench/models/philosophers.weft'), 'utf8') + LIVENESS);
    process.stdout.write(`Liveness benchmark: node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}), ${group(totalmem() / 2 ** 30)} GiB; ${spawnSync('spin', ['-V'], { encoding: 'utf8' }).stdout.trim()}\n`);
    process.stdout.write(`philosophers N=${size}, variant ${VARIANT}, liveness ${PROPERTY}: always eventually eating > 0 (weak fairness)\n\n`);
    const weft = await runWeft(file);
    const spin = await runSpin(file, dir, weft.states);
    report([weft, spin]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
}

async function runWeft(file: string): Promise<Figures> {
  const job: Job = { file, variant: VARIANT, defines: { N: String(size) }, engine: 'compiled', timeLimitSeconds: timeLimit, maxMemoryMiB: maxMemory };
  await weftChild({ ...job, prepare: true }, timeLimit);
  const r = await weftChild(job, timeLimit + 120);
  if (!r.complete) throw new Error(`Weft's search is incomplete: ${r.reason}`);
  return {
    tool: 'weft compiled',
    verdict: r.violated.includes(PROPERTY) ? 'violated' : 'holds',
    states: r.states,
    note: `search ${r.seconds.toFixed(2)} s, then the liveness verdicts`,
    seconds: r.wallSeconds,
    peakBytes: r.maxRssBytes,
  };
}

async function runSpin(file: string, dir: string, weftStates: number): Promise<Figures> {
  const text = readFileSync(file, 'utf8');
  const source = { path: file, text };
  const c = compileModel(source, parseModel(source).model!, { variant: VARIANT, defines: { N: String(size) } });
  if (!c.ok) throw new Error(`the model does not check: ${c.diagnostics[0]?.message}`);
  const refused = promelaRefusals(c.program);
  if (refused.length) throw new Error(`the export refuses the model: ${refused[0]!.message}`);
  const model = buildPromela(c.program);
  const live = model.liveness;
  if (!live) throw new Error(`the export leaves the liveness properties out: ${model.omittedLiveness?.[0]?.reason ?? 'it has none'}`);
  writeFileSync(join(dir, 'model.pml'), model.text);
  const spin = spawnSync('spin', ['-a', '-o1', '-o2', 'model.pml'], { cwd: dir, encoding: 'utf8' });
  if (spin.status !== 0) throw new Error(`spin -a failed: ${spin.stdout}${spin.stderr}`);
  const gcc = spawnSync('gcc', ['-O2', '-w', ...live.defines, `-DMEMLIM=${maxMemory}`, '-o', 'pan', 'pan.c'], { cwd: dir, encoding: 'utf8' });
  if (gcc.status !== 0) throw new Error(`gcc failed: ${gcc.stderr}`);
  const w = Math.ceil(Math.log2(4 * weftStates));
  const timeTool = existsSync('/usr/bin/time');
  // The nested search goes deep: pan's depth bound is raised until the search is not cut short, and since pan
  // allocates its whole DFS stack up front, the run reported is one with the bound just above the depth reached.
  let tight = false;
  for (let depth = 10 * weftStates; ; depth *= 4) {
    const args = ['-a', ...(live.weakFairness ? ['-f'] : []), '-N', live.claims.get(PROPERTY)!, `-m${depth}`, `-w${w}`, '-n'];
    const rss = join(dir, 'pan.rss');
    const r = timeTool ? await run('/usr/bin/time', ['-f', '%M', '-o', rss, './pan', ...args], dir, timeLimit) : await run('./pan', args, dir, timeLimit);
    const out = r.stdout;
    if (r.timedOut) throw new Error(`pan was killed after ${timeLimit} s`);
    if (/max search depth too small/.test(out)) continue;
    const num = (re: RegExp): number => Number(re.exec(out)?.[1] ?? NaN);
    const stored = num(/^\s*(\d+) states, stored/m);
    if (!Number.isFinite(stored)) throw new Error(`pan printed no statistics:\n${out.slice(-2000)}`);
    const visited = num(/states, stored \(([\d.e+]+) visited\)/);
    const reached = num(/depth reached (\d+)/);
    if (!tight && depth > 2 * (reached + 1000)) {
      tight = true;
      depth = (reached + 1000) / 4;
      continue;
    }
    return {
      tool: `spin pan ${args.slice(0, live.weakFairness ? 2 : 1).join(' ')}`,
      verdict: /acceptance cycle/.test(out) ? 'violated' : 'holds',
      states: stored,
      note: `${Number.isFinite(visited) ? `${group(visited)} visited, ` : ''}${group(num(/(\d+) transitions/))} transitions, depth ${group(num(/depth reached (\d+)/))}; pan's own memory ${group(num(/([\d.]+)\s+total actual memory usage/))} MiB; ${args.join(' ')}`,
      seconds: num(/pan: elapsed time ([\d.e+]+) seconds/),
      peakBytes: timeTool && existsSync(rss) ? Number(readFileSync(rss, 'utf8').trim().split('\n').pop()) * 1024 : null,
    };
  }
}

function report(rows: readonly Figures[]): void {
  const [weft, spin] = rows as [Figures, Figures];
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  process.stdout.write(`${line(['tool', 'verdict', 'states stored', 'seconds', 'states/s', 'peak RSS MiB', 'note'])}\n| --- | --- | ---: | ---: | ---: | ---: | --- |\n`);
  for (const r of rows) process.stdout.write(`${line([r.tool, r.verdict, group(r.states), r.seconds.toFixed(2), group(r.states / r.seconds), mib(r.peakBytes), r.note])}\n`);
  process.stdout.write(`\npan stores the product of the system with the claim and, with -f, its fairness copies: its "states" are not Weft's.\n`);
  process.stdout.write(`Weft / SPIN: time ${(weft.seconds / spin.seconds).toFixed(2)}x, peak memory ${weft.peakBytes && spin.peakBytes ? `${(weft.peakBytes / spin.peakBytes).toFixed(2)}x` : '-'}; `);
  process.stdout.write(`Weft's states per second of each tool: ${group(weft.states / weft.seconds)} vs ${group(weft.states / spin.seconds)} (${(spin.seconds / weft.seconds).toFixed(2)}x)\n`);
  if (weft.verdict !== spin.verdict) process.stdout.write(`VERDICTS DIFFER: Weft ${weft.verdict}, SPIN ${spin.verdict}\n`);
}

await main();
