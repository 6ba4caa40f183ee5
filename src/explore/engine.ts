/**
 * Picks the explorer: `compiled` (the default: the model is compiled to
 * TypeScript step functions over packed states) or `reference` (the immer
 * interpreter, the oracle). Both return the same CheckResult.
 */
import { availableParallelism } from 'node:os';
import type { Program } from '../lower/ir.ts';
import { computeLayout } from '../emit/layout.ts';
import { emitTs } from '../emit/emitTs.ts';
import { loadModule } from '../emit/cache.ts';
import { runtime } from './runtime.ts';
import { exploreCompiled } from './compiled.ts';
import { exploreParallel } from './parallel.ts';
import { liveSlots } from './liveGraph.ts';
import { explore } from './reference.ts';
import type { CheckResult, Limits } from './verdict.ts';
import type { StoreKind } from './stores.ts';

export const ENGINES = ['compiled', 'reference'] as const;
export type Engine = (typeof ENGINES)[number];

export interface EngineOptions {
  /**
   * Where one-line notes go that do not change the result: the compile
   * cache was damaged or cannot be written (the model is compiled again, or
   * in memory). The command line prints them on stderr; by default they
   * are dropped.
   */
  readonly note?: (line: string) => void;
  /** The compiled engine's state store (stores.ts; default `table`). The reference engine has its own. */
  readonly store?: StoreKind;
  /** Partial-order reduction (compiled engine only; explore/por/). */
  readonly por?: boolean;
  /**
   * Symmetry reduction for models with `symmetric` actors (explore/symmetry/):
   * on unless false. The reference engine, --por and liveness properties
   * search every state instead, with a note.
   */
  readonly symmetry?: boolean;
}

/**
 * Explores `program` with `engine`. The compiled module is cached under a
 * hash of the code generated for `program` (emit/cache.ts), so the cache
 * entry is derived from the program itself and no caller names it.
 */
export async function check(program: Program, engine: Engine, limits: Limits, opts: EngineOptions = {}): Promise<CheckResult> {
  const symmetry = symmetryFor(program, engine, opts);
  if (engine === 'reference') {
    if (opts.por) throw new Error('internal error: --por is for the compiled engine (the command refuses it with the reference one)');
    return explore(program, limits);
  }
  const layout = computeLayout(program);
  const loaded = await loadModule(emitTs(program, layout), `${program.model}.${program.variant}`, opts.note ?? (() => {}));
  const model = loaded.create(runtime);
  if (model.bytes !== layout.bytes) throw new Error(`internal error: the compiled module for ${program.model} has another layout`);
  const single = (): Promise<CheckResult> => exploreCompiled(program, layout, model, limits, { ...(opts.store ? { store: opts.store } : {}), por: !!opts.por, symmetry });
  const workers = limits.workers ?? availableParallelism();
  if (workers <= 1) return single();
  // What runs on one thread only: the state graph liveness needs is recorded in expansion order (liveGraph.ts);
  // the tree store is not shared memory (treeStore.ts); the reduction chooses per state as it expands (por/reduce.ts).
  const why = liveSlots(program).length > 0 ? 'has liveness properties, which are checked on one thread'
    : (opts.store ?? 'table') !== 'table' ? 'is checked with --store tree, which runs on one thread'
    : opts.por ? 'is checked with --por, which runs on one thread'
    : symmetry ? 'is checked with symmetry reduction, which runs on one thread'
    : null;
  if (why) {
    if (limits.workers !== undefined) opts.note?.(`weft: note: ${program.model} ${why}: --workers is ignored`);
    return single();
  }
  return exploreParallel(program, layout, model, limits, { workers, js: loaded.js, ...(limits.parallelThreshold !== undefined ? { threshold: limits.parallelThreshold } : {}), ...(limits.parallelRoom !== undefined ? { room: limits.parallelRoom } : {}) });
}

/** Whether to reduce by symmetry, with a note when the model declares it but this search cannot use it. */
function symmetryFor(program: Program, engine: Engine, opts: EngineOptions): boolean {
  if (!program.symmetry.length || opts.symmetry === false) return false;
  const why = engine === 'reference' ? 'the reference engine searches every state'
    : opts.por ? 'it is not combined with --por'
    : liveSlots(program).length > 0 ? 'it does not yet keep the state graph liveness properties need'
    : null;
  if (why) opts.note?.(`weft: note: ${program.model} declares symmetric actors, but ${why}: every state is counted`);
  return why === null;
}
