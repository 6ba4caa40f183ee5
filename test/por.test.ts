/**
 * Partial-order reduction (--por, src/explore/por/) against the full
 * search of the same compiled engine: on every model under models/ and
 * bench/models/, the test models and at least 1,000 random well-typed
 * models, the reduced search must give every safety property the full
 * search's verdict, store no more states, leave liveness undecided, and
 * its traces must be real (they are rebuilt step by step on the reference
 * interpreter, which throws on a step that is not enabled or leads
 * elsewhere), and no shorter than the full search's shortest; and the
 * steps that never fire must be the same.
 *
 * What this can miss: both searches share the compiled step functions and
 * the store, so a bug there shows in both alike (test/agreement.test.ts
 * checks those against the reference interpreter). The reduction's own
 * logic (footprints, persistent sets, the proviso) shares nothing with the
 * full search.
 */
import fc from 'fast-check';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Program } from '../src/lower/ir.ts';
import type { CheckResult } from '../src/explore/verdict.ts';
import { compiledExplorers } from './support/crosscheck.ts';
import { randomModel } from './generators.ts';
import { programsOf } from './support/programs.ts';
import { runCli } from './support/cli.ts';

function weftFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? weftFiles(p) : p.endsWith('.weft') ? [p] : [];
  });
}


/** How the reduced result `por` fails to match the full one, or null. */
function mismatch(full: CheckResult, por: CheckResult): string | null {
  if (!por.reduction) return 'no reduction recorded';
  if (por.stats.states > full.stats.states) return `${por.stats.states} states reduced, ${full.stats.states} in full`;
  for (const [i, f] of full.verdicts.entries()) {
    const r = por.verdicts[i]!;
    if (f.kind === 'liveness') {
      if (r.status !== 'unknown') return `liveness ${f.property} is ${r.status} under --por`;
      continue;
    }
    if (r.status !== f.status) return `${f.kind} ${f.property}: ${f.status} in full, ${r.status} reduced`;
    if (f.trace && (!r.trace || r.trace.steps.length < f.trace.steps.length)) return `${f.property}: a reduced trace shorter than the shortest`;
  }
  // No step is put off for ever (the proviso), so the steps that never fire are the same.
  const never = (r: CheckResult): string => r.coverage.flatMap((c, i) => (c === 0 ? [i] : [])).join(',');
  if (never(full) !== never(por)) return `steps that never fire: ${never(full)} in full, ${never(por)} reduced`;
  return null;
}

/** Full and reduced search of every program; programs whose full search passes `cap` states are skipped and counted. */
async function compare(programs: readonly Program[], cap: number): Promise<{ compared: number; reduced: number; failures: string[] }> {
  const explorers = await compiledExplorers(programs);
  const failures: string[] = [];
  let compared = 0;
  let reduced = 0;
  for (const [i, p] of programs.entries()) {
    const where = `${p.file.path} variant ${p.variant}`;
    try {
      const full = await explorers[i]!({ maxStates: cap });
      if (!full.complete) continue;
      const por = await explorers[i]!({}, { por: true });
      compared++;
      if (por.stats.states < full.stats.states) reduced++;
      const m = mismatch(full, por);
      if (m) failures.push(`${where}: ${m}\n${p.file.text}`);
    } catch (e) {
      failures.push(`${where}: ${e instanceof Error ? e.message : String(e)}\n${p.file.text}`);
    }
  }
  return { compared, reduced, failures };
}

describe('--por keeps the full search\'s safety verdicts', () => {
  it('on the models written to show it (test/cases/por/): exact reduced counts', async () => {
    const counts: Record<string, [number, number]> = { 'independent.weft': [27, 7], 'visible.weft': [27, 27], 'ignoring.weft': [4, 4] };
    for (const [file, [full, reduced]] of Object.entries(counts)) {
      const path = `test/cases/por/${file}`;
      const [program] = programsOf(path, null);
      const [explore] = await compiledExplorers([program!]);
      const a = await explore!({});
      const b = await explore!({}, { por: true });
      expect([a.stats.states, b.stats.states], file).toEqual([full, reduced]);
      expect(mismatch(a, b), file).toBeNull();
    }
  });

  it('on every model under models/ and bench/models/, and the test models', async () => {
    const files = [...weftFiles('models'), ...weftFiles('bench/models'), ...weftFiles('test/cases/semantics'), ...weftFiles('test/cases/por')];
    const programs = files.flatMap((f) => programsOf(f, null));
    // Every model under models/ is in, imports read (the parts under models/gup/ are imported): the flagship's 26 variants too.
    const paths = new Set(programs.map((p) => p.file.path));
    for (const f of weftFiles('models').filter((f) => !f.startsWith('models/gup/'))) expect(paths, f).toContain(f);
    expect(programs.filter((p) => p.model === 'gup_writeback').length).toBeGreaterThanOrEqual(26);
    const { compared, failures } = await compare(programs, 2_000_000);
    expect(failures, `${failures.length} disagree:\n\n${failures.slice(0, 3).join('\n\n')}`).toEqual([]);
    expect(compared).toBe(programs.length);
  }, 0);

  const seed = Date.now() % 2 ** 31;
  it(`on at least 1,000 random well-typed models (seed ${seed})`, async () => {
    const texts = fc.sample(randomModel({ illTyped: false }), { numRuns: 1000, seed });
    const programs = texts.flatMap((t, i) => programsOf(`random-${seed}-${i}.weft`, t));
    const { compared, reduced, failures } = await compare(programs, 20_000);
    expect(failures, `seed ${seed}: ${failures.length} disagree:\n\n${failures.slice(0, 3).join('\n\n')}`).toEqual([]);
    expect(compared, `seed ${seed}: random models small enough to search in full`).toBeGreaterThanOrEqual(1000);
    // A reduction that never reduces would pass everything above.
    expect(reduced, `seed ${seed}`).toBeGreaterThan(0);
  }, 0);
});


describe('--por on the command line', () => {
  it('says the search was reduced, and that traces are shortest within it', async () => {
    const r = await runCli(['check', 'test/cases/por/ignoring.weft', '--por', '--no-stats', '--quiet']);
    // Its one expect line (the violation) is met.
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('partial-order reduction (--por): 1 state expanded with fewer moves; traces are shortest within the reduced search');
  });

  it('leaves liveness undecided, and says so', async () => {
    const r = await runCli(['check', 'models/classic/lost-wakeup.weft', '--variant', 'wait_event_ok', '--por', '--json']);
    const json = JSON.parse(r.stdout) as { results: { reduction: unknown; verdicts: { kind: string; status: string; message: string | null }[] }[] };
    expect(json.results[0]!.reduction).toMatchObject({ kind: 'por' });
    const live = json.results[0]!.verdicts.filter((v) => v.kind === 'liveness');
    for (const v of live) expect(v).toMatchObject({ status: 'unknown', message: expect.stringContaining('--por') });
  });

  it('runs on one thread, and says so when --workers asks for more', async () => {
    const r = await runCli(['check', 'test/cases/por/independent.weft', '--por', '--workers', '2', '--no-stats']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('is checked with --por, which runs on one thread: --workers is ignored');
  });

  it('is refused with the reference engine (W2035)', async () => {
    const r = await runCli(['check', 'test/cases/por/ignoring.weft', '--por', '--engine', 'reference']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('W2035');
  });
});
