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
 * The peers written by hand (bench/peers/, bench/peers.ts) run as well:
 * SPIN on NAME.pml (DFS, BFS, DFS with SPIN's partial-order reduction, and
 * with -DNOCLAIM where it has a claim) and Rumur on NAME.m with 1 and 2
 * threads (bench/rumur.ts), when `rumur` and `cc` are on PATH.
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
 *   npm run bench -- --only philosophers --size 15 --no-spin --no-rumur --no-reference
 *   npm run bench -- --markdown            the table as Markdown (bench/README.md)
 *   npm run bench -- --json out.json       also write every figure as JSON
 *   --time-limit S (per run, default 1200), --max-memory MiB (default 16000, also pan's -DMEMLIM)
 *   --pairs K (default 3): on every size of at least 100,000 states, 1 and
 *     2 workers run K times in turn and the --workers target is read from
 *     the median of the K ratios (one pair is at the mercy of a shared
 *     machine: see bench/workers.ts); the table shows the first pair
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs as parseCommandLine } from 'node:util';
import { group, median, type Args, type BenchModel, type Row } from './common.ts';
import { MODELS } from './models.ts';
import { murphiText, runHandSpin } from './peers.ts';
import { onPath, weftChild } from './processes.ts';
import { runRumur } from './rumur.ts';
import { loadExporter, programOf, runSpin, type ExportPromela } from './spin.ts';
import { cells, checksInvariants, COLUMNS, compare, fullSearch, streamLine, table, type Comparison } from './table.ts';
import type { Job } from './weft-child.ts';
import type { StoreKind } from '../src/explore/stores.ts';

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
        'no-rumur': { type: 'boolean', default: false },
        'no-reference': { type: 'boolean', default: false },
        markdown: { type: 'boolean', default: false },
        json: { type: 'string' },
        'time-limit': { type: 'string', default: '1200' },
        'max-memory': { type: 'string', default: '16000' },
        pairs: { type: 'string', default: '3' },
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
    rumur: !parsed['no-rumur'],
    reference: !parsed['no-reference'],
    markdown: parsed.markdown,
    json: parsed.json ?? null,
    timeLimit: Number(parsed['time-limit']),
    maxMemory: Number(parsed['max-memory']),
    pairs: Number(parsed.pairs),
  };
  for (const o of a.only) if (!MODELS.some((m) => m.name === o)) usage(`unknown model ${o} (models: ${MODELS.map((m) => m.name).join(', ')})`);
  if (a.sizes.some((x) => !Number.isInteger(x))) usage('--size takes whole numbers');
  if (!(a.timeLimit > 0) || !(a.maxMemory > 0)) usage('--time-limit and --max-memory take positive numbers');
  if (!Number.isInteger(a.pairs) || a.pairs < 1) usage('--pairs takes a whole number of at least 1');
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

async function runWeft(m: BenchModel, size: number, engine: 'compiled' | 'reference', args: Args, opts: { store?: StoreKind; workers?: 1 | 2 } = {}): Promise<Row> {
  const store = opts.store ?? 'table';
  const workers = opts.workers ?? 1;
  const job: Job = {
    store,
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
    tool: engine === 'reference' ? 'weft-ref' : store === 'tree' ? 'weft-tree' : workers > 1 ? 'weft-2w' : 'weft',
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

/** A row for a peer that failed before it could run. */
function failed(m: BenchModel, size: number, tool: Row['tool'], e: unknown): Row {
  return { model: m.name, size: `${m.option}=${size}`, tool, complete: false, note: `failed: ${(e as Error).message.split('\n')[0]}`, states: 0, transitions: 0, seconds: 0, peakBytes: null, ownBytes: null, vector: null };
}

// ---- Main ----

// Below this many states pan's run is over within its clock's resolution (0.01 s) and the fixed costs dominate.
const MIN_COMPARED = 100_000;

/** Seconds of 1 and 2 workers, pair by pair (the first pair is the table's rows). */
interface Pairs { one: number[]; two: number[] }

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

  // The hand-written Promela needs no exporter, only spin and gcc.
  const handSpin = args.spin && onPath('spin') && onPath('gcc');
  const rumurWhy = !args.rumur ? '--no-rumur' : !onPath('rumur') || !onPath('cc') ? 'rumur or cc is not on PATH (scripts/install-peers.sh installs them)' : '';
  const spinVersion = handSpin ? spawnSync('spin', ['-V'], { encoding: 'utf8' }).stdout.trim() : '';
  process.stdout.write(`Weft benchmark: node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}), ${group(totalmem() / 2 ** 30)} GiB\n`);
  process.stdout.write(handSpin ? `SPIN: ${spinVersion}; peak RSS of pan ${timeTool ? 'by /usr/bin/time' : 'not measurable without /usr/bin/time: its own memory figure is used'}${exporter ? '' : `; on the export not run (${spinWhy})`}\n` : `SPIN: not run (${spinWhy})\n`);
  process.stdout.write(rumurWhy ? `Rumur: not run (${rumurWhy})\n` : `Rumur: ${spawnSync('rumur', ['--version'], { encoding: 'utf8' }).stdout.trim()}; seconds by the wall clock, peak RSS ${timeTool ? 'by /usr/bin/time' : 'not measured'}\n`);
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
  const pairs = new Map<string, Pairs>();
  const comparisons: { key: string; weft: Row; any: Comparison | null; same: Comparison | null; hand: Comparison | null; rumur: Comparison | null }[] = [];
  for (const m of models) {
    const sizes = args.sizes.length ? args.sizes : args.quick ? m.quick : m.sizes;
    for (const size of sizes) {
      const key = `${m.name} ${m.option}=${size}`;
      progress(`${key}: weft compiled`);
      const weft = await runWeft(m, size, 'compiled', args);
      push(weft);
      progress(`${key}: weft compiled --store tree`);
      push(await runWeft(m, size, 'compiled', args, { store: 'tree' }));
      // The same search on 2 threads (--workers 2; explore/parallel.ts): the same counts, the speed-up in seconds.
      progress(`${key}: weft compiled, 2 workers`);
      const two = await runWeft(m, size, 'compiled', args, { workers: 2 });
      push(two);
      if (weft.complete && two.complete && weft.states >= MIN_COMPARED) pairs.set(key, await morePairs(m, size, args, weft, two, key, progress));
      if (args.reference && m.reference.includes(size)) {
        progress(`${key}: weft reference`);
        push(await runWeft(m, size, 'reference', args));
      }
      const c = { key, weft, any: null as Comparison | null, same: null as Comparison | null, hand: null as Comparison | null, rumur: null as Comparison | null };
      if (exporter) {
        progress(`${key}: spin`);
        try {
          const spin = await runSpin(m, size, exporter(programOf(m, size)), weft.states, args, timeTool);
          push(...spin);
          c.any = compare(weft, spin);
          c.same = compare(weft, spin.filter(checksInvariants));
        } catch (e) {
          push(failed(m, size, 'spin-dfs', e));
        }
      }
      if (handSpin) {
        progress(`${key}: spin on the hand-written model`);
        try {
          const hand = await runHandSpin(m, size, weft.states, args, timeTool);
          push(...hand);
          c.hand = compare(weft, hand.filter((r) => checksInvariants(r) && fullSearch(r)));
        } catch (e) {
          push(failed(m, size, 'spin-hand-dfs', e));
        }
      }
      if (!rumurWhy) {
        progress(`${key}: rumur`);
        try {
          const rumur = await runRumur(m, size, murphiText(m, size), weft.states, args, timeTool);
          push(...rumur);
          c.rumur = compare(weft, rumur);
        } catch (e) {
          push(failed(m, size, 'rumur-1', e));
        }
      }
      comparisons.push(c);
      progress('');
    }
  }

  process.stdout.write(`\nAll runs:\n${table(rows.map(cells), args.markdown)}\n`);
  process.stdout.write(`\nRSS B/state: peak resident set size of the process / states stored (Weft's includes its fixed cost).\n`);
  process.stdout.write(`own B/state: Weft's state store (vectors, parent links, hash table) or pan's "total actual memory usage", / states.\n`);

  const compared = comparisons.filter((c) => (c.any || c.hand || c.rumur) && c.weft.states >= MIN_COMPARED);
  if (compared.length) {
    process.stdout.write(`\nWeft (compiled) / each peer's best mode, per metric (states/s above 1x and B/state below 1x favour Weft);\n`);
    process.stdout.write(`best: the fastest and the leanest complete run. SPIN on the export: "any mode" includes pan -DNOCLAIM, which skips\n`);
    process.stdout.write(`the invariants (Weft checks them), "same checks" excludes it; the hand-written peers: the same checks, full searches\n`);
    process.stdout.write(`(SPIN's partial-order reduction is left out, as Weft's --por is: npm run bench:por compares the two; its factor is in the table's note):\n`);
    for (const c of compared) {
      process.stdout.write(`${c.key}\n`);
      if (c.any) process.stdout.write(`  spin, export, any mode:    ${c.any.line}\n`);
      if (c.same && c.same.line !== c.any?.line) process.stdout.write(`  spin, export, same checks: ${c.same.line}\n`);
      if (c.hand) process.stdout.write(`  spin, by hand:             ${c.hand.line}\n`);
      if (c.rumur) process.stdout.write(`  rumur, by hand:            ${c.rumur.line}\n`);
    }
    const largest = compared.reduce((a, b) => (b.weft.states > a.weft.states ? b : a));
    const verdict = (x: Comparison | null, k: 'fast' | 'small'): string => (x === null ? 'no complete run' : x[k] ? 'holds' : 'DOES NOT HOLD');
    process.stdout.write(`\nTargets, on the largest model compared (${largest.key}, ${group(largest.weft.states)} states):\n`);
    process.stdout.write(`                                                     export any / export same / spin by hand / rumur\n`);
    process.stdout.write(`  Weft's states/s at least the peer's best mode's:    ${(['any', 'same', 'hand', 'rumur'] as const).map((k) => verdict(largest[k], 'fast')).join(' / ')}\n`);
    process.stdout.write(`  Weft's peak memory per stored state at most its:   ${(['any', 'same', 'hand', 'rumur'] as const).map((k) => verdict(largest[k], 'small')).join(' / ')}\n`);
  } else {
    process.stdout.write(`\nNo comparison with a peer: ${spinWhy && rumurWhy && !handSpin ? `${spinWhy}; ${rumurWhy}` : comparisons.length ? `no configuration of ${group(MIN_COMPARED)} states or more` : 'no peer run completed'}.\n`);
  }
  workersTarget(rows, pairs);
  if (args.json) writeFileSync(args.json, `${JSON.stringify({ baseline, rows, workerPairs: Object.fromEntries(pairs) }, null, 2)}\n`);
}


/**
 * The pairs after the first: 1 worker, then 2, `args.pairs - 1` times
 * (taking turns, so that what slows the machine for a while slows both).
 * Every run must find the first pair's counts; a run that differs or does
 * not finish stops the benchmark, as in bench/workers.ts.
 */
async function morePairs(m: BenchModel, size: number, args: Args, one: Row, two: Row, key: string, progress: (s: string) => void): Promise<Pairs> {
  const p: Pairs = { one: [one.seconds], two: [two.seconds] };
  for (let i = 1; i < args.pairs; i++) {
    for (const w of [1, 2] as const) {
      progress(`${key}: weft compiled, ${w} worker${w > 1 ? 's' : ''}, pair ${i + 1} of ${args.pairs}`);
      const r = await runWeft(m, size, 'compiled', args, { workers: w });
      if (!r.complete || r.states !== one.states || r.transitions !== one.transitions) {
        throw new Error(`${key}: ${w} worker(s) found ${group(r.states)} states, ${group(r.transitions)} transitions${r.complete ? '' : ` (${r.note})`}, against ${group(one.states)}, ${group(one.transitions)}`);
      }
      (w === 1 ? p.one : p.two).push(r.seconds);
    }
  }
  return p;
}

/**
 * The --workers target (issue 15): on every configuration of at least
 * MIN_COMPARED states, 2 workers at least 1.8 times the speed of 1 (today's
 * single-threaded engine, which --workers 1 runs), and faster than Rumur
 * with 2 threads. Speed is the search's seconds for the same states; the
 * ratio is the median over the pairs, printed with its range.
 */
function workersTarget(rows: readonly Row[], pairs: ReadonlyMap<string, Pairs>): void {
  if (!pairs.size) return;
  const k = [...pairs.values()][0]!.one.length;
  process.stdout.write(`\n--workers 2 against 1 worker (target: at least 1.80x; the median of ${k} pair${k > 1 ? 's' : ''} run in turn, with the range) and against Rumur with 2 threads (target: above 1x), by seconds:\n`);
  for (const [key, p] of pairs) {
    const ratios = p.one.map((s, i) => s / p.two[i]!);
    const speedup = median(ratios);
    const range = ratios.length > 1 ? ` (${Math.min(...ratios).toFixed(2)}x to ${Math.max(...ratios).toFixed(2)}x)` : '';
    const line = [`  ${key.padEnd(24)} ${speedup.toFixed(2)}x 1 worker${range} (${speedup >= 1.8 ? 'holds' : 'DOES NOT HOLD'})`];
    const rumur = rows.find((r) => `${r.model} ${r.size}` === key && r.tool === 'rumur-2' && r.complete && r.seconds > 0);
    const two = median(p.two);
    if (rumur) line.push(`${(rumur.seconds / two).toFixed(2)}x rumur 2 threads (${rumur.seconds > two ? 'holds' : 'DOES NOT HOLD'})`);
    process.stdout.write(`${line.join(', ')}\n`);
  }
}

await main();
