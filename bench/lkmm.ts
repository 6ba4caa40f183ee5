/**
 * `npm run bench:lkmm`: the LKMM mode against herd7 on the kernel's 50
 * litmus tests (test/cases/litmus/herd/) and Weft's own 17 with plain
 * accesses (test/cases/litmus/plain/): the time each takes for all of a
 * set, and the ratio. Issue 16's target: Weft's engine on the 50 together
 * in no more time than herd7 takes for them. Two figures for Weft: its
 * engine in this process (parse and check each test; what the test suite
 * and a language server pay), and `weft check TEST.litmus` as a command,
 * one process for all the tests as herd7 is run (node's start-up
 * included). The verdicts are the tests' to compare (test/lkmm.test.ts);
 * this prints times only, each the best of three runs.
 *
 *   npm run bench:lkmm
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseLitmus } from '../src/litmus/parse.ts';
import { checkLkmm } from '../src/explore/lkmm/check.ts';
import { root } from './common.ts';

const SETS = ['test/cases/litmus/herd', 'test/cases/litmus/plain'];
const RUNS = 3;

function best(f: () => void): number {
  let t = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    f();
    t = Math.min(t, (performance.now() - start) / 1000);
  }
  return t;
}

function run(cmd: string, args: readonly string[]): void {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')} ...: exit ${r.status}\n${r.stderr.slice(0, 2000)}`);
}

const herd = spawnSync('sh', ['-c', 'command -v herd7'], { encoding: 'utf8' }).stdout.trim();
console.log(`herd7: ${herd || 'not installed (scripts/install-peers.sh builds it)'}; best of ${RUNS} runs each\n`);
console.log('set                       tests  weft engine  weft command  herd7     herd7 / engine  herd7 / command');
for (const set of SETS) {
  const files = readdirSync(join(root, set)).filter((f) => f.endsWith('.litmus')).sort().map((f) => join(set, f));
  const texts = files.map((f) => ({ path: f, text: readFileSync(join(root, f), 'utf8') }));
  const engine = best(() => {
    for (const t of texts) {
      const p = parseLitmus(t);
      if (!p.ok) throw new Error(t.path);
      checkLkmm(p.program);
    }
  });
  // One `weft check` per test would time node's start-up 50 times; herd7 takes every test in one run, so Weft does too, through the library's CLI in one process.
  const command = best(() => run('node', ['--import', 'tsx', '-e', `
    const { main } = await import('./src/cli.ts');
    for (const f of ${JSON.stringify(files)}) { const code = await main(['check', f], { out: () => {}, err: (s) => process.stderr.write(s) }); if (code !== 0) process.exit(code); }
  `]));
  const herdTime = herd ? best(() => run(herd, ['-conf', 'linux-kernel.cfg', ...files])) : NaN;
  const f = (s: number): string => (Number.isNaN(s) ? '-' : `${s.toFixed(2)} s`);
  const ratio = (a: number, b: number): string => (Number.isNaN(a) ? '-' : `${(a / b).toFixed(2)}x`);
  console.log(`${set.padEnd(25)} ${String(files.length).padStart(5)}  ${f(engine).padStart(11)}  ${f(command).padStart(12)}  ${f(herdTime).padStart(8)}  ${ratio(herdTime, engine).padStart(14)}  ${ratio(herdTime, command).padStart(15)}`);
}
