/**
 * `npm run bench:startup`: how long a `weft check` takes from process start
 * to exit, against SPIN's whole pipeline on Weft's Promela export of the
 * same model (`spin -a` + gcc + `./pan`, also process start to exit). Two
 * comparisons (bench/README.md records them):
 *
 * - a trivial model, warm compile cache, against `spin -a` + `gcc -O0` +
 *   `./pan` (SPIN's quickest pipeline);
 * - the flagship's first check (models/gup-writeback.weft, its first
 *   variant) with a cold cache, the TypeScript compile of the generated
 *   model included, against `spin -a` + `gcc -O2` + `./pan`.
 *
 * Weft is measured as installed: `npm pack` (which builds dist/) and
 * `npm install -g` into a temporary prefix, as test/install.test.ts does;
 * and, for comparison, as a clone runs it (`node bin/weft.js`, the sources
 * through tsx). Each figure is the median of --runs runs (default 5). It
 * prints figures only; nothing asserts a timing.
 *
 *   npm run bench:startup [-- --runs N] [--markdown]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 5) || 5;
const markdown = args.includes('--markdown');

const TRIVIAL = 'shared x: 0..1;\nactor a { s: x = 1; }\ninvariant small: x <= 1;\n';
const FLAGSHIP = join(root, 'models', 'gup-writeback.weft');

const tmp = mkdtempSync(join(tmpdir(), 'weft-bench-startup-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => process.exit(130));

function sh(cmd: string, argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { seconds: number; out: string; stdout: string; code: number | null } {
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { cwd: opts.cwd ?? tmp, env: opts.env ?? process.env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.error) throw r.error;
  return { seconds, out: r.stdout + r.stderr, stdout: r.stdout, code: r.status };
}

function must(cmd: string, argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { seconds: number; out: string; stdout: string } {
  const r = sh(cmd, argv, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.code}:\n${r.out.slice(-2000)}`);
  return r;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function times(n: number, f: () => number): number {
  return median(Array.from({ length: n }, f));
}

// Weft as a user installs it.
process.stderr.write('packing and installing Weft into a temporary prefix...\n');
const packed = JSON.parse(must('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: root }).stdout.replace(/^[^[]*/, '')) as { filename: string }[];
const prefix = join(tmp, 'prefix');
must('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(tmp, packed[0]!.filename)]);
const installed = join(prefix, 'bin', 'weft');
const clone = [join(root, 'bin', 'weft.js')];
const env = (cache: string): NodeJS.ProcessEnv => ({ ...process.env, WEFT_CACHE_DIR: cache, PATH: `${join(prefix, 'bin')}${delimiter}${process.env.PATH ?? ''}` });

const work = join(tmp, 'work');
mkdirSync(work);
writeFileSync(join(work, 'trivial.weft'), TRIVIAL);

/** `weft check FILE` from process start to exit; the exit code must be 0. */
function weft(bin: string[], file: string, cache: string): number {
  const [cmd, ...pre] = bin[0]!.endsWith('.js') ? [process.execPath, ...bin] : bin;
  return must(cmd!, [...pre, 'check', file, '-q', '--no-stats'], { cwd: work, env: env(cache) }).seconds;
}

/** SPIN's pipeline on Weft's export of `file`: spin -a, gcc at `opt`, ./pan; each run in a fresh directory. */
function spin(file: string, opt: string): { seconds: number; states: string } {
  const pml = must(installed, ['export', '--promela', file], { cwd: work, env: env(join(tmp, 'export-cache')) }).stdout;
  let states = '';
  let n = 0;
  const seconds = times(runs, () => {
    const dir = join(tmp, `spin-${opt}-${n++}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'model.pml'), pml);
    const t0 = performance.now();
    must('spin', ['-a', '-o1', '-o2', 'model.pml'], { cwd: dir });
    must('gcc', [opt, '-DSAFETY', '-DNOREDUCE', '-w', '-o', 'pan', 'pan.c'], { cwd: dir });
    const pan = sh('./pan', ['-m10000000', '-c0', '-n'], { cwd: dir });
    const t = (performance.now() - t0) / 1000;
    if (/max search depth too small/.test(pan.out) || !/states, stored/.test(pan.out)) throw new Error(`pan did not complete:\n${pan.out}`);
    states = /([0-9.e+]+) states, stored/.exec(pan.out)![1]!;
    rmSync(dir, { recursive: true, force: true });
    return t;
  });
  return { seconds, states };
}

const spinOk = sh('sh', ['-c', 'command -v spin && command -v gcc']).code === 0;
if (!spinOk) process.stderr.write('spin or gcc is not on PATH (bash scripts/install-peers.sh installs them): SPIN rows left out\n');

interface Row { what: string; weft: number; spin: number | null; spinWhat: string }
const rows: Row[] = [];
const trivial = join(work, 'trivial.weft');

process.stderr.write('trivial model...\n');
const warm = join(tmp, 'warm-cache');
weft([installed], trivial, warm);
weft(clone, trivial, warm);
const spinTrivial = spinOk ? spin(trivial, '-O0') : null;
rows.push({ what: 'trivial model, warm cache, installed `weft`', weft: times(runs, () => weft([installed], trivial, warm)), spin: spinTrivial?.seconds ?? null, spinWhat: '`spin -a` + `gcc -O0` + `./pan`' });
rows.push({ what: 'trivial model, warm cache, clone `node bin/weft.js` (tsx)', weft: times(runs, () => weft(clone, trivial, warm)), spin: spinTrivial?.seconds ?? null, spinWhat: '`spin -a` + `gcc -O0` + `./pan`' });
rows.push({ what: '`weft --version`, installed', weft: times(runs, () => must(installed, ['--version']).seconds), spin: null, spinWhat: '' });

process.stderr.write('flagship...\n');
const spinFlagship = spinOk ? spin(FLAGSHIP, '-O2') : null;
let cold = 0;
rows.push({ what: 'flagship first variant, cold cache (TypeScript compile included), installed `weft`', weft: times(runs, () => weft([installed], FLAGSHIP, join(tmp, `cold-${cold++}`))), spin: spinFlagship?.seconds ?? null, spinWhat: '`spin -a` + `gcc -O2` + `./pan`' });
rows.push({ what: 'flagship first variant, warm cache, installed `weft`', weft: times(runs, () => weft([installed], FLAGSHIP, join(tmp, 'cold-0'))), spin: spinFlagship?.seconds ?? null, spinWhat: '`spin -a` + `gcc -O2` + `./pan`' });
rows.push({ what: 'flagship first variant, cold cache, clone `node bin/weft.js` (tsx)', weft: times(runs, () => weft(clone, FLAGSHIP, join(tmp, `cold-${cold++}`))), spin: spinFlagship?.seconds ?? null, spinWhat: '`spin -a` + `gcc -O2` + `./pan`' });

const f = (s: number) => `${s.toFixed(3)} s`;
const ratio = (r: Row) => (r.spin === null ? '' : `${(r.weft / r.spin).toFixed(2)}`);
const flagshipStates = spinFlagship ? ` (pan: ${spinFlagship.states} states)` : '';
if (markdown) {
  console.log(`| run | Weft | SPIN | SPIN's pipeline | Weft/SPIN |\n| --- | ---: | ---: | --- | ---: |`);
  for (const r of rows) console.log(`| ${r.what} | ${f(r.weft)} | ${r.spin === null ? '' : f(r.spin)} | ${r.spinWhat} | ${ratio(r)} |`);
} else {
  for (const r of rows) console.log(`${r.what.padEnd(92)} ${f(r.weft).padStart(9)}${r.spin === null ? '' : `   SPIN ${f(r.spin)}   Weft/SPIN ${ratio(r)}`}`);
}
console.log(`\nmedian of ${runs} runs each; node ${process.version}; ${readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? ''}${flagshipStates}`);
