/**
 * The compiled engine against the reference interpreter: for every model
 * we ship or test, and for at least 200 random well-typed models per run,
 * both must report the same verdicts (traces included, step by step), the
 * same numbers of states and transitions, the same depth, and stop at the
 * same point when a state limit cuts the search short. All generated
 * modules are type-checked and compiled in one TypeScript program.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModel, parseModel, variantNames } from '../src/pipeline.ts';
import type { Program } from '../src/lower/ir.ts';
import { computeLayout } from '../src/emit/layout.ts';
import { emitTs } from '../src/emit/emitTs.ts';
import { compileTs } from '../src/emit/compileTs.ts';
import { importJs } from '../src/emit/cache.ts';
import { runtime } from '../src/explore/runtime.ts';
import { exploreCompiled } from '../src/explore/compiled.ts';
import { explore } from '../src/explore/reference.ts';
import type { CheckResult } from '../src/explore/verdict.ts';
import { randomModel } from './generators.ts';

function weftFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? weftFiles(p) : p.endsWith('.weft') ? [p] : [];
  });
}

/** Every configuration of a model text. */
function programsOf(path: string, text: string): Program[] {
  const file = { path, text };
  const model = parseModel(file).model;
  if (!model) return [];
  const hasVariants = model.decls.some((d) => d.kind === 'variant');
  return variantNames(model).flatMap((v) => {
    const r = compileModel(file, model, { variant: hasVariants ? v : null, defines: {} });
    return r.ok ? [r.program] : [];
  });
}

/** Coverage is compared on complete searches only: where a cut-off search stops inside a state's expansion is the engine's own business. */
function summary(r: CheckResult): unknown {
  return { complete: r.complete, reason: r.reason, states: r.stats.states, transitions: r.stats.transitions, depth: r.stats.depth, verdicts: r.verdicts, coverage: r.complete ? r.coverage : null };
}

async function agree(programs: readonly Program[], maxStates?: number): Promise<void> {
  const names = programs.map((p, i) => `m${i}`);
  const layouts = programs.map(computeLayout);
  const js = compileTs(programs.map((p, i) => ({ name: names[i]!, ...emitTs(p, layouts[i]!) })));
  for (let i = 0; i < programs.length; i++) {
    const p = programs[i]!;
    const model = (await importJs(js.get(names[i]!)!))(runtime);
    const compiled = await exploreCompiled(p, layouts[i]!, model, { maxStates });
    const reference = await explore(p, { maxStates });
    expect(summary(compiled), `${p.file.path} variant ${p.variant}:\n${p.file.text}`).toEqual(summary(reference));
  }
}

describe('compiled and reference engines agree', () => {
  const files = [...weftFiles('models'), ...weftFiles('test/cases/semantics'), 'test/cases/cli/options.weft', 'test/cases/cli/lost-update.weft'];
  it(`on every model under models/ and the test models (${files.length} files)`, async () => {
    const programs = files.flatMap((f) => programsOf(f, readFileSync(f, 'utf8')));
    expect(programs.length).toBeGreaterThan(files.length);
    await agree(programs);
  }, 300_000);

  it('on the examples of docs/language.md', async () => {
    const doc = readFileSync('docs/language.md', 'utf8');
    const programs = [...doc.matchAll(/```weft\n([\s\S]*?)```/g)].flatMap((m, i) => programsOf(`docs/language.md#${i}`, m[1]!));
    expect(programs.length).toBeGreaterThan(15);
    await agree(programs);
  }, 120_000);

  it('on at least 200 random well-typed models (a state limit of 3,000 included)', async () => {
    const seed = Date.now() % 2 ** 31;
    const texts = fc.sample(randomModel({ illTyped: false }), { numRuns: 260, seed });
    const programs = texts.flatMap((t, i) => programsOf(`random-${seed}-${i}.weft`, t));
    expect(programs.length, `seed ${seed}`).toBeGreaterThanOrEqual(200);
    await agree(programs, 3000);
  }, 300_000);
});
