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
import type { Program } from '../src/lower/ir.ts';
import { compiledExplorers, enginesDiffer } from './support/crosscheck.ts';
import { randomModel } from './generators.ts';
import { programsOf } from './support/programs.ts';

function weftFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? weftFiles(p) : p.endsWith('.weft') ? [p] : [];
  });
}


/**
 * Both engines on every program; every disagreement (a difference, or an
 * engine that throws, e.g. generated code that does not compile) is
 * collected, so that one failure names all the models that show one.
 */
async function agree(programs: readonly Program[], maxStates?: number): Promise<void> {
  const explorers = await compiledExplorers(programs);
  const failures: string[] = [];
  for (const [i, p] of programs.entries()) {
    const where = `${p.file.path} variant ${p.variant}`;
    try {
      const { diff } = await enginesDiffer(p, explorers[i]!, maxStates);
      if (diff !== null) failures.push(`${where}: compiled ≠ reference at ${diff}\n${p.file.text}`);
    } catch (e) {
      failures.push(`${where}: ${e instanceof Error ? e.message : String(e)}\n${p.file.text}`);
    }
  }
  expect(failures, `${failures.length} of ${programs.length} programs disagree:\n\n${failures.slice(0, 5).join('\n\n')}`).toEqual([]);
}

/** Random models' front end runs here too: one that throws is a failure named with its model. */
function randomPrograms(seed: number, count: number): { programs: Program[]; crashes: string[] } {
  const texts = fc.sample(randomModel({ illTyped: false }), { numRuns: count, seed });
  const crashes: string[] = [];
  const programs = texts.flatMap((t, i) => {
    try {
      return programsOf(`random-${seed}-${i}.weft`, t);
    } catch (e) {
      crashes.push(`random-${seed}-${i}.weft: ${e instanceof Error ? e.message : String(e)}\n${t}`);
      return [];
    }
  });
  return { programs, crashes };
}

// The heavy tests have no time limit (0): each does a bounded amount of work
// (bounded models, a state limit), so a slow machine makes them slow, not wrong.
describe('compiled and reference engines agree', () => {
  const files = [...weftFiles('models'), ...weftFiles('test/cases/semantics'), 'test/cases/cli/options.weft', 'test/cases/cli/lost-update.weft'];
  it(`on every model under models/ and the test models (${files.length} files)`, async () => {
    const programs = files.flatMap((f) => programsOf(f, readFileSync(f, 'utf8')));
    expect(programs.length).toBeGreaterThan(files.length);
    await agree(programs);
  }, 0);

  it('on the examples of docs/language.md', async () => {
    const doc = readFileSync('docs/language.md', 'utf8');
    const programs = [...doc.matchAll(/```weft\n([\s\S]*?)```/g)].flatMap((m, i) => programsOf(`docs/language.md#${i}`, m[1]!));
    expect(programs.length).toBeGreaterThan(15);
    await agree(programs);
  }, 0);

  const seed = Number(process.env.WEFT_SEED ?? Date.now() % 2 ** 31);
  it(`on at least 200 random well-typed models (seed ${seed}; a state limit of 3,000 included)`, async () => {
    const { programs, crashes } = randomPrograms(seed, 180);
    expect.soft(crashes, `${crashes.length} random models crash the front end:\n\n${crashes.slice(0, 3).join('\n\n')}`).toEqual([]);
    expect(programs.length, `seed ${seed}`).toBeGreaterThanOrEqual(200);
    await agree(programs, 3000);
  }, 0);
});
