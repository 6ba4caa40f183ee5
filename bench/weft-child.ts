/**
 * One Weft run for bench/run.ts, in a process of its own so that its peak
 * resident set size (process.resourceUsage().maxRSS, the kernel's
 * high-water mark) belongs to this run alone.
 *
 *   node --import tsx bench/weft-child.ts '<json Job>'
 *
 * With `prepare`, it only builds the compiled module (which lands in Weft's
 * cache), so that the measured run afterwards loads it from the cache and
 * the TypeScript compiler's memory is not counted. Prints one line
 * `WEFT-BENCH {json}` on standard output.
 */
import { readFileSync } from 'node:fs';
import { compileModel, parseModel, variantNames } from '../src/pipeline.ts';
import { check, type Engine } from '../src/explore/engine.ts';
import { computeLayout } from '../src/emit/layout.ts';
import type { StoreKind } from '../src/explore/stores.ts';

export interface Job {
  readonly file: string;
  /** null: the model's first variant (or `default`). */
  readonly variant: string | null;
  readonly defines: Record<string, string>;
  readonly engine: Engine;
  /** The compiled engine's state store (default: table). */
  readonly store?: StoreKind;
  readonly prepare?: boolean;
  readonly timeLimitSeconds?: number;
  readonly maxMemoryMiB?: number;
  /** Threads of the compiled engine (--workers); 1 unless given, today's single-threaded engine. */
  readonly workers?: number;
  /** Symmetry reduction, for a model with symmetric actors; off unless given, so that the count is every state, as the peers count. */
  readonly symmetry?: boolean;
}

export interface ChildResult {
  readonly variant: string;
  readonly complete: boolean;
  readonly reason: string | null;
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly seconds: number;
  /** The engine's own accounting of its state store (null for the reference engine). */
  readonly storeBytes: number | null;
  /** The engine's sampled RSS high-water mark. */
  readonly sampledPeakBytes: number;
  /** The kernel's RSS high-water mark for this whole process. */
  readonly maxRssBytes: number;
  /** Bytes of one packed state vector. */
  readonly vectorBytes: number;
  readonly violated: string[];
  /** Wall-clock seconds of the whole check, liveness verdicts included (`seconds` is the search's, which ends before them). */
  readonly wallSeconds: number;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '') as Job;
  const file = { path: job.file, text: readFileSync(job.file, 'utf8') };
  const parsed = parseModel(file);
  if (!parsed.model) throw new Error(`${job.file} does not parse`);
  const hasVariants = parsed.model.decls.some((d) => d.kind === 'variant');
  const variant = job.variant ?? variantNames(parsed.model)[0]!;
  const compiled = compileModel(file, parsed.model, { variant: hasVariants ? variant : null, defines: job.defines });
  if (!compiled.ok) throw new Error(`${job.file} does not check: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  const limits = {
    ...(job.prepare ? { maxStates: 1 } : {}),
    ...(job.timeLimitSeconds ? { timeLimitSeconds: job.timeLimitSeconds } : {}),
    ...(job.maxMemoryMiB ? { maxMemoryBytes: job.maxMemoryMiB * 2 ** 20 } : {}),
    workers: job.workers ?? 1,
  };
  const start = performance.now();
  const r = await check(compiled.program, job.engine, limits, { ...(job.store ? { store: job.store } : {}), symmetry: job.symmetry ?? false });
  const wallSeconds = (performance.now() - start) / 1000;
  const stats = r.stats as typeof r.stats & { storeBytes?: number | null };
  const out: ChildResult = {
    variant,
    complete: r.complete,
    reason: r.reason ?? null,
    states: stats.states,
    transitions: stats.transitions,
    depth: stats.depth,
    seconds: stats.seconds,
    storeBytes: stats.storeBytes ?? null,
    sampledPeakBytes: stats.peakMemoryBytes,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    vectorBytes: computeLayout(compiled.program).bytes,
    violated: r.verdicts.filter((v) => v.status === 'violated').map((v) => v.property),
    wallSeconds,
  };
  process.stdout.write(`WEFT-BENCH ${JSON.stringify(out)}\n`);
}

await main();
