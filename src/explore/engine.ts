/**
 * Picks the explorer: `compiled` (the default: the model is compiled to
 * TypeScript step functions over packed states) or `reference` (the immer
 * interpreter, the oracle). Both return the same CheckResult.
 */
import type { Program } from '../lower/ir.ts';
import { computeLayout } from '../emit/layout.ts';
import { emitTs } from '../emit/emitTs.ts';
import { cacheKey, loadModule } from '../emit/cache.ts';
import { runtime } from './runtime.ts';
import { exploreCompiled } from './compiled.ts';
import { explore } from './reference.ts';
import type { CheckResult, Limits } from './verdict.ts';

export const ENGINES = ['compiled', 'reference'] as const;
export type Engine = (typeof ENGINES)[number];

/**
 * Explores `program` with `engine`. `identity` names what the program was
 * built from (model text, variant, options, Weft's version): the compiled
 * module is cached under its hash.
 */
export async function check(program: Program, engine: Engine, limits: Limits, identity: readonly string[]): Promise<CheckResult> {
  if (engine === 'reference') return explore(program, limits);
  const layout = computeLayout(program);
  const loaded = await loadModule(cacheKey(identity), `${program.model}.${program.variant}`, () => emitTs(program, layout));
  const model = loaded.create(runtime);
  if (model.bytes !== layout.bytes) throw new Error(`internal error: the cached module for ${program.model} has another layout; clear ${'the cache'}`);
  return exploreCompiled(program, layout, model, limits);
}
