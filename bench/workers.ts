/**
 * `npm run bench:workers`: --workers 2 against 1 on the largest size of
 * each benchmark model, run after run. One pair of runs (what bench/run.ts
 * prints) is at the mercy of a shared machine: on this 2-core VM the same
 * pair has given 1.31x and 1.8x an hour apart. So each configuration runs
 * K times, 1 and 2 workers taking turns (what slows the machine for a
 * while slows both), and the ratio is printed for every pair, with the
 * median and the range. The counts of every run must be the same (the
 * tests assert it; here a difference stops the run).
 *
 *   npm run bench:workers                        every model, 3 pairs each
 *   npm run bench:workers -- --only filter --runs 5
 */
import { parseArgs } from 'node:util';
import { group, median } from './common.ts';
import { MODELS } from './models.ts';
import { weftChild } from './processes.ts';
import type { ChildResult, Job } from './weft-child.ts';

const { values } = parseArgs({ options: { only: { type: 'string', multiple: true, default: [] }, runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write('--runs takes a whole number of at least 1\n');
  process.exit(2);
}
const only = values.only.flatMap((s) => s.split(','));
const LIMIT = 1200;

for (const m of MODELS.filter((x) => !only.length || only.includes(x.name))) {
  const size = m.sizes[m.sizes.length - 1]!;
  const job = (workers: number): Job => ({ file: m.file, variant: m.variant ?? null, defines: { ...m.defines, [m.option]: String(size) }, engine: 'compiled', workers, timeLimitSeconds: LIMIT });
  // The compiled module lands in Weft's cache first, so that no measured run compiles it.
  await weftChild({ ...job(1), prepare: true }, LIMIT);
  const ratios: number[] = [];
  const seconds: [number[], number[]] = [[], []];
  let counts: string | null = null;
  process.stdout.write(`${m.name} ${m.option}=${size}\n`);
  for (let i = 0; i < runs; i++) {
    const pair: ChildResult[] = [];
    for (const w of [1, 2]) {
      const r = await weftChild(job(w), LIMIT + 120);
      const c = `${group(r.states)} states, ${group(r.transitions)} transitions`;
      if (!r.complete) throw new Error(`${m.name}: ${w} worker(s) did not finish (${r.reason})`);
      if (counts !== null && c !== counts) throw new Error(`${m.name}: ${w} worker(s) found ${c}, against ${counts}`);
      counts = c;
      pair.push(r);
    }
    const [one, two] = pair as [ChildResult, ChildResult];
    seconds[0].push(one.seconds);
    seconds[1].push(two.seconds);
    ratios.push(one.seconds / two.seconds);
    process.stdout.write(`  run ${i + 1}: 1 worker ${one.seconds.toFixed(2)} s, 2 workers ${two.seconds.toFixed(2)} s, ${(one.seconds / two.seconds).toFixed(2)}x\n`);
  }
  process.stdout.write(`  ${counts}; median 1 worker ${median(seconds[0]).toFixed(2)} s, 2 workers ${median(seconds[1]).toFixed(2)} s; ` +
    `2 / 1 median ${median(ratios).toFixed(2)}x (from ${Math.min(...ratios).toFixed(2)}x to ${Math.max(...ratios).toFixed(2)}x; target 1.80x)\n`);
}
