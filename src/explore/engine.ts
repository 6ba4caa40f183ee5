/**
 * Picks the explorer: `compiled` (the default: the model is compiled to
 * TypeScript step functions over packed states) or `reference` (the immer
 * interpreter, the oracle). Both return the same CheckResult.
 */
import type { Program } from '../lower/ir.ts';
import { computeLayout } from '../emit/layout.ts';
import { emitTs } from '../emit/emitTs.ts';
import { loadModule } from '../emit/cache.ts';
import { runtime } from './runtime.ts';
import { exploreCompiled } from './compiled.ts';
import { explore } from './reference.ts';
import type { CheckResult, Limits } from './verdict.ts';

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
  /** Partial-order reduction (compiled engine only; explore/por/). */
  readonly por?: boolean;
}

/**
 * Explores `program` with `engine`. The compiled module is cached under a
 * hash of the code generated for `program` (emit/cache.ts), so the cache
 * entry is derived from the program itself and no caller names it.
 */
export async function check(program: Program, engine: Engine, limits: Limits, opts: EngineOptions = {}): Promise<CheckResult> {
  if (engine === 'reference') {
    if (opts.por) throw new Error('internal error: --por is for the compiled engine (the command refuses it with the reference one)');
    return explore(program, limits);
  }
  const layout = computeLayout(program);
  const loaded = await loadModule(emitTs(program, layout), `${program.model}.${program.variant}`, opts.note ?? (() => {}));
  const model = loaded.create(runtime);
  if (model.bytes !== layout.bytes) throw new Error(`internal error: the compiled module for ${program.model} has another layout`);
  return exploreCompiled(program, layout, model, limits, { por: !!opts.por });
}
