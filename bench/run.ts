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
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs as parseCommandLine } from 'node:util';
import { group, type Args, type BenchModel, type Row } from './common.ts';
import { onPath, weftChild } from './processes.ts';
import { loadExporter, programOf, runSpin, type ExportPromela } from './spin.ts';
import { cells, checksInvariants, COLUMNS, compare, streamLine, table, type Comparison } from './table.ts';
import type { Job } from './weft-child.ts';

// ---- What is measured ----
const MODELS: readonly BenchModel[] = [
  { name: 'filter', file: 'bench/models/filter.weft', option: 'N', sizes: [3, 4, 5, 6], quick: [3, 4], reference: [3, 4] },
  { name: 'philosophers', file: 'bench/models/philosophers.weft', option: 'N', sizes: [5, 6, 12, 13, 14], quick: [5, 6], reference: [5, 6] },
  { name: 'gup-two-pinners', file: 'bench/models/gup-two-pinners.weft', option: 'USERS', sizes: [1, 2, 4, 5, 6], quick: [1, 2], reference: [1] },
];

// ---- Command line ----

/** The options, parsed by node:util's parseArgs; `--only` and `--size` repeat or take commas. */
function parseArgs(argv: readonly string[]): Args {
  let parsed;
  try {
    parsed = parseCommandLine({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string', multiple: true, default: [] },
        size: { type: 'string', multiple: true, default: [] },
        'no-spin': { type: 'boolean', default: false },
        'no-reference': { type: 'boolean', default: false },
        markdown: { type: 'boolean', default: false },
        json: { type: 'string' },
        'time-limit': { type: 'string', default: '1200' },
        'max-memory': { type: 'string', default: '16000' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    usage((e as Error).message);
  }
  if (parsed.help) usage(null);
  const a: Args = {
    quick: parsed.quick,
    only: parsed.only.flatMap((o) => o.split(',')),
    sizes: parsed.size.flatMap((x) => x.split(',')).map(Number),
    spin: !parsed['no-spin'],
    reference: !parsed['no-reference'],
    markdown: parsed.markdown,
    json: parsed.json ?? null,
    timeLimit: Number(parsed['time-limit']),
    maxMemory: Number(parsed['max-memory']),
  };
  for (const o of a.only) if (!MODELS.some((m) => m.name === o)) usage(`unknown model ${o} (models: ${MODELS.map((m) => m.name).join(', ')})`);
  if (a.sizes.some((x) => !Number.isInteger(x))) usage('--size takes whole numbers');
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

// ---- Weft ----

async function runWeft(m: BenchModel, size: number, engine: 'compiled' | 'reference', args: Args, workers: 1 | 2 = 1): Promise<Row> {
  const job: Job = {
    file: m.file,
    variant: m.variant ?? null,
    defines: { ...m.defines, [m.option]: String(size) },
    engine,
    timeLimitSeconds: args.timeLimit,
    maxMemoryMiB: args.maxMemory,
    workers,
  };
  if (engine === 'compiled') await weftChild({ ...job, prepare: true }, args.timeLimit);
  // The child's own limit ends it cleanly; the kill is for a child that hangs.
  const r = await weftChild(job, args.timeLimit + 120);
  return {
    model: m.name,
    size: `${m.option}=${size}`,
    tool: engine === 'compiled' ? (workers > 1 ? 'weft-2w' : 'weft') : 'weft-ref',
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
      // The same search on 2 threads (--workers 2; explore/parallel.ts): the same counts, the speed-up in seconds.
      progress(`${key}: weft compiled, 2 workers`);
      push(await runWeft(m, size, 'compiled', args, 2));
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