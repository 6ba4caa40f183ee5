/**
 * Where a worker thread of the parallel search (parallel.ts) gets its code.
 * The installed package runs dist/worker.js, which scripts/build.mjs built.
 * A clone runs from its TypeScript sources, and there worker.ts and what it
 * imports are bundled once per process, in memory, with esbuild (which
 * tsx, the clone's way of running TypeScript, is built on), and each worker
 * starts from that one module.
 *
 * Why not register tsx in each worker, as the main thread does: a worker
 * that did took 150 to 600 ms to load the model on this 2-core machine
 * (tsx's loader thread and its esbuild service, per worker, beside a
 * search that keeps a core busy), and the search goes on alone until the
 * workers are up. The bundle is made asynchronously, asked for when the
 * search starts: its messages to and from esbuild are answered only when
 * the main thread's event loop turns, which a running search lets it do
 * every 50 ms or so, and it takes about 150 ms, against the 0.2 s or more
 * before a search's levels are big enough for workers. Made synchronously
 * it blocked the search for 90 to 100 ms (esbuild's first synchronous
 * build starts a process of its own).
 *
 * Workers get no execArgv: their code is complete JavaScript, and what
 * the main thread was started with (`node --import tsx`, say) would load
 * a TypeScript loader into every worker for nothing.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

let bundled: Promise<URL> | null = null;

/** The worker's module: dist/worker.js beside a built parallel.js, or the sources bundled into a data: URL (once a process). */
export function workerCode(): Promise<URL> {
  if (!import.meta.url.endsWith('.ts')) return Promise.resolve(new URL('./worker.js', import.meta.url));
  bundled ??= bundle();
  return bundled;
}

async function bundle(): Promise<URL> {
  // esbuild is a development dependency: a clone has it (as tsx's own), the installed package never comes here.
  const { build } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./worker.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  });
  return new URL(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0]!.contents).toString('base64')}`);
}

/** Starts a worker of the parallel search from `code` (workerCode's) with `options` (its workerData). */
export function startWorker(code: URL, options: WorkerOptions): Worker {
  return new Worker(code, { ...options, execArgv: [] });
}
