/**
 * `npm run bench`: Weft's explorers side by side with SPIN on the scalable
 * models in bench/models/, in one run. It only prints figures and ratios;
 * nothing here asserts a timing.
 *
 * Every measured run is a process of its own, so that its peak resident set
 * size is its own: Weft in bench/weft-child.ts (the kernel's high-water
 * mark, process.resourceUsage().maxRSS), SPIN's pan under /usr/bin/time
 * (%M) when that exists. Weft's compiled module is built by a first child
 * (it lands in Weft's cache), so the measured child neither runs nor counts
 * the TypeScript compiler; SPIN's `spin -a` and gcc are not timed either.
 *
 * SPIN runs when `spin` and `gcc` are on PATH and src/export/promela.ts
 * exists: the exported model is compiled with `gcc -O2 -DSAFETY -DNOREDUCE`
 * (depth-first) and with `-DBFS` added (breadth-first, as Weft searches),
 * and pan runs with -c0 (go on after errors), a hash table of 2^w slots for
 * w = ceil(log2(states)) + 1 (Weft's table has the same load: between a
 * quarter and a half), and a depth bound -m that is raised until the search
 * is not cut short (then, if the DFS stack was oversized, run once more
 * with -m just above the depth reached).
 *
 *   npm run bench                          every model and size
 *   npm run bench -- --quick               the small sizes only (a smoke run)
 *   npm run bench -- --only philosophers   one model (repeatable; --only a,b)
 *   npm run bench -- --only philosophers --size 15 --no-spin --no-reference
 *   npm run bench -- --markdown            the table as Markdown (bench/README.md)
 *   npm run bench -- --json out.json       also write every figure as JSON
 *   --time-limit S (per run, default 1200), --max-memory MiB (default 16000, also pan's -DMEMLIM)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileModel, parseModel, variantNames } from '../src/pipeline.ts';
import type { Program } from '../src/lower/ir.ts';
import type { ChildResult, Job } from './weft-child.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const childScript = fileURLToPath(new URL('./weft-child.ts', import.meta.url));

// ---- What is measured ----

interface BenchModel {
  readonly name: string;
  readonly file: string;
  /** The option that sizes the model. */
  readonly option: string;
  readonly sizes: readonly number[];
  /** Sizes of a --quick run. */
  readonly quick: readonly number[];
  /** Sizes the reference (immer) explorer also runs: it is 10-100 times slower. */
  readonly reference: readonly number[];
  /** Other options, fixed. */
  readonly defines?: Record<string, string>;
  /** null: the model's first variant. */
  readonly variant?: string;
}

const MODELS: readonly BenchModel[] = [
  { name: 'filter', file: 'bench/models/filter.weft', option: 'N', sizes: [3, 4, 5, 6], quick: [3, 4], reference: [3, 4] },
  { name: 'philosophers', file: 'bench/models/philosophers.weft', option: 'N', sizes: [5, 6, 12, 13, 14], quick: [5, 6], reference: [5, 6] },
  { name: 'gup-two-pinners', file: 'bench/models/gup-two-pinners.weft', option: 'USERS', sizes: [1, 2, 4, 5, 6], quick: [1, 2], reference: [1] },
];

type Tool = 'weft' | 'weft-ref' | 'spin-dfs' | 'spin-bfs' | 'spin-dfs-noclaim' | 'spin-bfs-noclaim';
const TOOL_NAMES: Record<Tool, string> = { weft: 'weft compiled', 'weft-ref': 'weft reference', 'spin-dfs': 'spin dfs', 'spin-bfs': 'spin bfs', 'spin-dfs-noclaim': 'spin dfs noclaim', 'spin-bfs-noclaim': 'spin bfs noclaim' };

interface Row {
  readonly model: string;
  readonly size: string;
  readonly tool: Tool;
  readonly complete: boolean;
  readonly note: string;
  readonly states: number;
  readonly transitions: number;
  readonly seconds: number;
  /** Peak RSS of the process, or null when it could not be measured. */
  readonly peakBytes: number | null;
  /** The tool's own accounting: Weft's state store, pan's "total actual memory usage". */
  readonly ownBytes: number | null;
  /** Bytes of one state vector (Weft's packed layout; pan's "State-vector N byte"). */
  readonly vector: number | null;
}

// ---- Command line ----

interface Args {
  quick: boolean;
  only: string[];
  sizes: number[];
  spin: boolean;
  reference: boolean;
  markdown: boolean;
  json: string | null;
  timeLimit: number;
  maxMemory: number;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { quick: false, only: [], sizes: [], spin: true, reference: true, markdown: false, json: null, timeLimit: 1200, maxMemory: 16000 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--quick': a.quick = true; break;
      case '--only': a.only.push(...value().split(',')); break;
      case '--size': a.sizes.push(...value().split(',').map(Number)); break;
      case '--no-spin': a.spin = false; break;
      case '--no-reference': a.reference = false; break;
      case '--markdown': a.markdown = true; break;
      case '--json': a.json = value(); break;
      case '--time-limit': a.timeLimit = Number(value()); break;
      case '--max-memory': a.maxMemory = Number(value()); break;
      case '--help': case '-h': usage(null); break;
      default: usage(`unknown argument ${arg}`);
    }
  }
  for (const o of a.only) if (!MODELS.some((m) => m.name === o)) usage(`unknown model ${o} (models: ${MODELS.map((m) => m.name).join(', ')})`);
  if (a.sizes.some((s) => !Number.isInteger(s))) usage('--size takes whole numbers');
  if (!(a.timeLimit > 0) || !(a.maxMemory > 0)) usage('--time-limit and --max-memory take positive numbers');
  return a;
}

function usage(problem: string | null): never {
  const text = readFileSync(fileURLToPath(import.meta.url), 'utf8');
  const doc = /^ \* {3}npm run bench[\s\S]*?(?=^ \*\/)/m.exec(text)?.[0].replace(/^ \* ?/gm, '') ?? '';
  if (problem) process.stderr.write(`bench: ${problem}\n`);
  process.stderr.write(`usage:\n${doc}`);
  process.exit(problem ? 2 : 0);
}

// ---- Processes ----

interface Ran {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly timedOut: boolean;
}

/** Process groups of the children running now, and temporary directories, for a clean Ctrl-C. */
const running = new Set<number>();
const tempDirs = new Set<string>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const pid of running) {
      try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
    process.stderr.write(`\nbench: stopped by ${signal}\n`);
    process.exit(130);
  });
}

/**
 * Keeps the first and the last bytes of a stream. pan run with -c0 prints a
 * line per violation it meets, gigabytes on a big model with violated
 * properties; its statistics come at the end.
 */
class Capture {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private dropped = 0;

  /** Lines pan prints once, which the parser needs, kept even when they fall in the part left out. */
  private readonly notable = new Set<string>();
  private carry = '';

  constructor(private readonly limit = 1 << 20) {}

  push(d: Buffer): void {
    const text = this.carry + d.toString('latin1');
    for (const m of text.matchAll(/^.*(?:max search depth too small|out of memory|MEMLIM|not supported in BFS|Search not completed).*$/gm)) this.notable.add(m[0]);
    this.carry = text.slice(Math.max(text.lastIndexOf('\n') + 1, text.length - 200));
    if (this.headBytes < this.limit) {
      this.head.push(d);
      this.headBytes += d.length;
      return;
    }
    this.tail.push(d);
    this.tailBytes += d.length;
    while (this.tailBytes - this.tail[0]!.length >= this.limit) {
      this.tailBytes -= this.tail[0]!.length;
      this.dropped += this.tail.shift()!.length;
    }
  }

  text(): string {
    const gap = this.dropped ? `\n[... ${this.dropped} bytes left out; among them:\n${[...this.notable].join('\n')}\n...]\n` : '';
    return Buffer.concat(this.head).toString() + gap + Buffer.concat(this.tail).toString();
  }
}

/** Runs a command in its own process group, killing the group after `seconds`. */
function run(cmd: string, args: readonly string[], cwd: string, seconds: number): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) running.add(child.pid);
    const out = new Capture();
    const err = new Capture();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    }, seconds * 1000);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (child.pid !== undefined) running.delete(child.pid);
      resolve({ stdout: out.text(), stderr: err.text(), code, timedOut });
    });
  });
}

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

// ---- Weft ----

async function weftChild(job: Job, seconds: number): Promise<ChildResult> {
  const r = await run(process.execPath, ['--import', 'tsx', childScript, JSON.stringify(job)], root, seconds);
  const line = r.stdout.split('\n').find((l) => l.startsWith('WEFT-BENCH '));
  if (!line) throw new Error(`the Weft child failed (exit ${r.code}${r.timedOut ? ', killed after the time limit' : ''}):\n${r.stderr.trim()}`);
  return JSON.parse(line.slice('WEFT-BENCH '.length)) as ChildResult;
}

async function runWeft(m: BenchModel, size: number, engine: 'compiled' | 'reference', args: Args): Promise<Row> {
  const job: Job = {
    file: m.file,
    variant: m.variant ?? null,
    defines: { ...m.defines, [m.option]: String(size) },
    engine,
    timeLimitSeconds: args.timeLimit,
    maxMemoryMiB: args.maxMemory,
  };
  if (engine === 'compiled') await weftChild({ ...job, prepare: true }, args.timeLimit);
  // The child's own limit ends it cleanly; the kill is for a child that hangs.
  const r = await weftChild(job, args.timeLimit + 120);
  return {
    model: m.name,
    size: `${m.option}=${size}`,
    tool: engine === 'compiled' ? 'weft' : 'weft-ref',
    complete: r.complete,
    note: r.complete ? '' : `incomplete: ${r.reason}`,
    states: r.states,
    transitions: r.transitions,
    seconds: r.seconds,
    peakBytes: r.maxRssBytes,
    ownBytes: r.storeBytes,
    vector: r.vectorBytes,
  };
}

// ---- SPIN ----

type ExportPromela = (program: Program) => string;

async function loadExporter(): Promise<ExportPromela | string> {
  const path = join(root, 'src', 'export', 'promela.ts');
  if (!existsSync(path)) return 'src/export/promela.ts does not exist yet';
  const mod = (await import(pathToFileURL(path).href)) as { exportPromela?: ExportPromela };
  if (typeof mod.exportPromela !== 'function') return 'src/export/promela.ts exports no exportPromela()';
  return mod.exportPromela;
}

function programOf(m: BenchModel, size: number): Program {
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

interface SpinMode {
  readonly tool: Tool;
  readonly defines: readonly string[];
}

async function runSpin(m: BenchModel, size: number, pml: string, weftStates: number, args: Args, timeTool: boolean): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-spin-'));
  tempDirs.add(dir);
  const base = { model: m.name, size: `${m.option}=${size}` };
  const claim = /^never\s*\{/m.test(pml);
  const modes: SpinMode[] = [
    { tool: 'spin-dfs', defines: [] },
    { tool: 'spin-bfs', defines: ['-DBFS'] },
    // pan checks end states (Weft's deadlock) only without a claim; with -DNOCLAIM it ignores the claim (the invariants).
    ...(claim ? [{ tool: 'spin-dfs-noclaim', defines: ['-DNOCLAIM'] }, { tool: 'spin-bfs-noclaim', defines: ['-DNOCLAIM', '-DBFS'] }] satisfies SpinMode[] : []),
  ];
  const rows: Row[] = [];
  try {
    for (const mode of modes) {
      try {
        rows.push(await runSpinMode(dir, mode, pml, weftStates, args, timeTool, base));
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

async function runSpinMode(top: string, mode: SpinMode, pml: string, weftStates: number, args: Args, timeTool: boolean, base: { model: string; size: string }): Promise<Row> {
  const bfs = mode.defines.includes('-DBFS');
  const dir = join(top, mode.tool);
  mkdirSync(dir);
  // pan refuses BFS on a model with `hidden` variables; a hidden byte that is never written is as good as a plain one.
  const text = bfs ? pml.replace(/^hidden\s+/gm, '') : pml;
  writeFileSync(join(dir, 'model.pml'), text);
  const spin = spawnSync('spin', ['-a', '-o1', '-o2', 'model.pml'], { cwd: dir, encoding: 'utf8' });
  if (spin.status !== 0) throw new Error(`spin -a failed: ${(spin.stdout + spin.stderr).trim()}`);
  const flags = ['-O2', '-DSAFETY', '-DNOREDUCE', ...mode.defines, `-DMEMLIM=${args.maxMemory}`, '-w', '-o', 'pan', 'pan.c'];
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
    r.nominal !== null && r.nominal !== r.stored ? `${group(r.stored)} stored with atomic intermediates` : '',
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

// ---- Printing ----

const group = (n: number): string => Math.round(n).toLocaleString('en-US');
const rate = (r: Row): number | null => (r.seconds > 0 ? r.states / r.seconds : null);
/** Memory per stored state: peak RSS when measured, else the tool's own figure. */
const perState = (r: Row): number | null => {
  const b = r.peakBytes ?? r.ownBytes;
  return b === null || r.states === 0 ? null : b / r.states;
};

const COLUMNS = ['model', 'size', 'tool', 'states', 'transitions', 'seconds', 'states/s', 'peak RSS MiB', 'RSS B/state', 'own B/state', 'vector B', 'note'];

function cells(r: Row): string[] {
  const sps = rate(r);
  const rss = r.peakBytes === null ? null : r.peakBytes / r.states;
  return [
    r.model,
    r.size,
    TOOL_NAMES[r.tool],
    group(r.states),
    group(r.transitions),
    r.seconds.toFixed(2),
    sps === null ? '-' : group(sps),
    r.peakBytes === null ? '-' : group(r.peakBytes / 2 ** 20),
    rss === null || r.states === 0 ? '-' : group(rss),
    r.ownBytes === null || r.states === 0 ? '-' : group(r.ownBytes / r.states),
    r.vector === null ? '-' : String(r.vector),
    r.note,
  ];
}

const numeric = (i: number): boolean => i >= 3 && i <= 10;
/** Column widths of the rows printed while the benchmark runs. */
const STREAM_WIDTHS = [15, 8, 16, 11, 13, 8, 10, 12, 11, 11, 8, 0];

function streamLine(c: readonly string[]): string {
  return c.map((x, i) => (numeric(i) ? x.padStart(STREAM_WIDTHS[i]!) : x.padEnd(STREAM_WIDTHS[i]!))).join('  ').trimEnd();
}

function table(rows: readonly string[][], markdown: boolean): string {
  if (markdown) {
    const line = (c: readonly string[]): string => `| ${c.join(' | ')} |`;
    return [line(COLUMNS), line(COLUMNS.map((_, i) => (numeric(i) ? '---:' : '---'))), ...rows.map(line)].join('\n');
  }
  const widths = COLUMNS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (c: readonly string[]): string => c.map((x, i) => (numeric(i) ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}

interface Comparison {
  readonly line: string;
  readonly fast: boolean;
  readonly small: boolean;
}

/** Weft against SPIN's best of `spin` (complete runs), per metric: the fastest and the leanest mode. */
function compare(weft: Row, spin: readonly Row[]): Comparison | null {
  const done = spin.filter((r) => r.complete && rate(r) !== null && perState(r) !== null);
  const wRate = rate(weft);
  const wMem = perState(weft);
  if (!done.length || wRate === null || wMem === null || !weft.complete) return null;
  const fastest = done.reduce((a, b) => (rate(b)! > rate(a)! ? b : a));
  const leanest = done.reduce((a, b) => (perState(b)! < perState(a)! ? b : a));
  const mismatch = done.filter((r) => r.states !== weft.states);
  const line = `states/s ${ratio(wRate, rate(fastest)!)} (${TOOL_NAMES[fastest.tool]}: ${group(rate(fastest)!)}), `
    + `peak B/state ${ratio(wMem, perState(leanest)!)} (${TOOL_NAMES[leanest.tool]}: ${group(perState(leanest)!)})`
    + (mismatch.length ? `; NOTE: state counts differ (${mismatch.map((r) => `${TOOL_NAMES[r.tool]} ${group(r.states)}`).join(', ')}), not exact` : '');
  return { line, fast: wRate >= rate(fastest)!, small: wMem <= perState(leanest)! };
}

/** SPIN's modes that check what Weft checks: all but the -DNOCLAIM ones when there is a claim. */
const checksInvariants = (r: Row): boolean => !r.tool.endsWith('noclaim');

// ---- Main ----

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const models = MODELS.filter((m) => !args.only.length || args.only.includes(m.name));
  const timeTool = existsSync('/usr/bin/time');
  let exporter: ExportPromela | null = null;
  let spinWhy = '';
  if (!args.spin) spinWhy = '--no-spin';
  else if (!onPath('spin') || !onPath('gcc')) spinWhy = 'spin or gcc is not on PATH (scripts/install-peers.sh installs them)';
  else {
    const e = await loadExporter();
    if (typeof e === 'string') spinWhy = e;
    else exporter = e;
  }

  const spinVersion = exporter ? spawnSync('spin', ['-V'], { encoding: 'utf8' }).stdout.trim() : '';
  process.stdout.write(`Weft benchmark: node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}), ${group(totalmem() / 2 ** 30)} GiB\n`);
  process.stdout.write(exporter ? `SPIN: ${spinVersion}; peak RSS of pan ${timeTool ? 'by /usr/bin/time' : 'not measurable without /usr/bin/time: its own memory figure is used'}\n` : `SPIN: not run (${spinWhy})\n`);
  const baseline = await runWeft(MODELS[0]!, MODELS[0]!.quick[0]!, 'compiled', args);
  process.stdout.write(`Weft's fixed cost: a run of ${group(baseline.states)} states peaks at ${group(baseline.peakBytes! / 2 ** 20)} MiB RSS (Node, tsx and Weft's front end; the TypeScript compiler is not loaded when the compiled model is in the cache)\n\n`);

  const rows: Row[] = [];
  const progress = (s: string): void => { if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${s}`); };
  // Rows are printed as they come (a big configuration takes minutes), then once more as one table.
  process.stdout.write(`${streamLine(COLUMNS)}\n`);
  const push = (...more: Row[]): void => {
    rows.push(...more);
    progress('');
    for (const r of more) process.stdout.write(`${streamLine(cells(r))}\n`);
  };
  const comparisons: { key: string; weft: Row; any: Comparison | null; same: Comparison | null }[] = [];
  for (const m of models) {
    const sizes = args.sizes.length ? args.sizes : args.quick ? m.quick : m.sizes;
    for (const size of sizes) {
      const key = `${m.name} ${m.option}=${size}`;
      progress(`${key}: weft compiled`);
      const weft = await runWeft(m, size, 'compiled', args);
      push(weft);
      if (args.reference && m.reference.includes(size)) {
        progress(`${key}: weft reference`);
        push(await runWeft(m, size, 'reference', args));
      }
      if (exporter) {
        progress(`${key}: spin`);
        try {
          const spin = await runSpin(m, size, exporter(programOf(m, size)), weft.states, args, timeTool);
          push(...spin);
          comparisons.push({ key, weft, any: compare(weft, spin), same: compare(weft, spin.filter(checksInvariants)) });
        } catch (e) {
          push({ model: m.name, size: `${m.option}=${size}`, tool: 'spin-dfs', complete: false, note: `failed: ${(e as Error).message.split('\n')[0]}`, states: 0, transitions: 0, seconds: 0, peakBytes: null, ownBytes: null, vector: null });
        }
      }
      progress('');
    }
  }

  process.stdout.write(`\nAll runs:\n${table(rows.map(cells), args.markdown)}\n`);
  process.stdout.write(`\nRSS B/state: peak resident set size of the process / states stored (Weft's includes its fixed cost).\n`);
  process.stdout.write(`own B/state: Weft's state store (vectors, parent links, hash table) or pan's "total actual memory usage", / states.\n`);

  // Below this many states pan's run is over within its clock's resolution (0.01 s) and the fixed costs dominate.
  const MIN_COMPARED = 100_000;
  const compared = comparisons.filter((c) => c.any && c.weft.states >= MIN_COMPARED);
  if (compared.length) {
    process.stdout.write(`\nWeft (compiled) / SPIN's best mode, per metric (states/s above 1x and B/state below 1x favour Weft);\n`);
    process.stdout.write(`"any mode" includes pan -DNOCLAIM, which skips the invariants (Weft checks them), "same checks" excludes it:\n`);
    for (const c of compared) {
      process.stdout.write(`${c.key}\n  any mode:    ${c.any!.line}\n`);
      if (c.same && c.same.line !== c.any!.line) process.stdout.write(`  same checks: ${c.same.line}\n`);
    }
    const largest = compared.reduce((a, b) => (b.weft.states > a.weft.states ? b : a));
    const verdict = (x: Comparison | null, k: 'fast' | 'small'): string => (x === null ? 'no complete SPIN run' : x[k] ? 'holds' : 'DOES NOT HOLD');
    process.stdout.write(`\nTargets, on the largest model compared (${largest.key}, ${group(largest.weft.states)} states):           any mode / same checks\n`);
    process.stdout.write(`  Weft's states/s at least SPIN's best mode's:        ${verdict(largest.any, 'fast')} / ${verdict(largest.same, 'fast')}\n`);
    process.stdout.write(`  Weft's peak memory per stored state at most SPIN's: ${verdict(largest.any, 'small')} / ${verdict(largest.same, 'small')}\n`);
  } else {
    process.stdout.write(`\nNo comparison with SPIN: ${spinWhy || (comparisons.length ? `no configuration of ${group(MIN_COMPARED)} states or more` : 'no SPIN run completed')}.\n`);
  }
  if (args.json) writeFileSync(args.json, `${JSON.stringify({ baseline, rows }, null, 2)}\n`);
}

await main();
