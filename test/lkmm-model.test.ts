/**
 * The LKMM mode on Weft models (explore/lkmm/fromModel.ts): every kernel
 * litmus test of test/cases/litmus/herd/, imported as a Weft model by
 * `weft litmus import`, checked with `--memory-model lkmm`, gives herd7's
 * counts (herd7-counts.txt): the import, lowering, the unrolling into
 * structured code and the properties' conditions keep the test's meaning.
 * What this can miss: the imported models are straight-line code with
 * ifs; loops, awaits, fns and RMWs in conditions are the cases under
 * test/cases/lkmm/, whose expectations herd7 checks through the export.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLitmus } from '../src/litmus/parse.ts';
import { litmusToWeft } from '../src/litmus/toWeft.ts';
import { parseModel } from '../src/pipeline.ts';
import { check } from '../src/check/check.ts';
import { lower } from '../src/lower/lower.ts';
import { checkModelLkmm } from '../src/explore/lkmm/checkModel.ts';
import { checkLkmm } from '../src/explore/lkmm/check.ts';
import { herdAvailable, herdOnText, recordedCounts } from './support/herd.ts';
import { runCli } from './support/cli.ts';

const DIR = 'test/cases/litmus/herd';
const files = readdirSync(DIR).filter((f) => f.endsWith('.litmus')).sort();
const recorded = recordedCounts(readFileSync(`${DIR}/herd7-counts.txt`, 'utf8'));

/** A model's LKMM run, from its text. */
export function lkmmOf(path: string, text: string, opts: { variant?: string; unroll?: number } = {}) {
  const parsed = parseModel({ path, text });
  if (!parsed.model) throw new Error(parsed.diagnostics.map((d) => d.message).join('\n'));
  const checked = check(parsed.sources, parsed.model, { variant: opts.variant ?? null, defines: {} });
  if (!checked.checked) throw new Error(`${path}: ${checked.diagnostics.map((d) => d.message).join('\n')}`);
  const program = lower(checked.checked);
  return checkModelLkmm(program, { unroll: opts.unroll ?? null, atomicSpans: new Set(), modelGlobals: checked.checked.ctx.globals.length });
}

describe('litmus tests imported as Weft models', () => {
  it('keep herd7\'s counts under --memory-model lkmm', () => {
    const refused: string[] = [];
    for (const f of files) {
      const r = parseLitmus({ path: `${DIR}/${f}`, text: readFileSync(`${DIR}/${f}`, 'utf8') });
      if (!r.ok) throw new Error(f);
      const w = litmusToWeft(r.program, f);
      if (!w.ok) { refused.push(f); continue; }
      const ran = lkmmOf(`${f}.weft`, w.text);
      if (!ran.ok) throw new Error(`${f}: ${ran.message}`);
      const outcome = ran.run.properties.find((p) => p.property.name === 'outcome')!;
      const v = checkLkmm(outcome.test).verdict;
      const herd = recorded.get(f)!;
      // exists: the target's executions are herd's positive ones; forall and ~exists: the invariant's violations are herd's negative and positive ones.
      const q = r.program.quantifier;
      const want = q === 'exists' ? { positive: herd.positive, negative: herd.negative } : q === 'forall' ? { positive: herd.negative, negative: herd.positive } : { positive: herd.positive, negative: herd.negative };
      expect({ positive: v.positive, negative: v.negative, flags: ran.run.flags }, f).toEqual({ ...want, flags: herd.flags });
    }
    // A Weft model names the variable it reads: it has no pointers, so no address dependencies.
    expect(refused, 'the tests with pointers').toEqual(['C-MP+o-wmb-o+o-addr-o.litmus', 'C-RomanPenyaev-list-rcu-rr.litmus', 'C-WWC+o+o-r+o-addr-o.litmus']);
  });

  it('keep herd7\'s counts and data-race flags on the tests with plain accesses (test/cases/litmus/plain/)', () => {
    const PLAIN = 'test/cases/litmus/plain';
    const counts = recordedCounts(readFileSync(`${PLAIN}/herd7-counts.txt`, 'utf8'));
    for (const f of readdirSync(PLAIN).filter((x) => x.endsWith('.litmus'))) {
      const r = parseLitmus({ path: `${PLAIN}/${f}`, text: readFileSync(`${PLAIN}/${f}`, 'utf8') });
      if (!r.ok) throw new Error(f);
      const w = litmusToWeft(r.program, f);
      if (!w.ok) throw new Error(`${f}: ${w.why}`);
      const ran = lkmmOf(`${f}.weft`, w.text);
      if (!ran.ok) throw new Error(`${f}: ${ran.message}`);
      const v = checkLkmm(ran.run.properties.find((p) => p.property.name === 'outcome')!.test).verdict;
      const herd = counts.get(f)!;
      expect({ positive: v.positive, negative: v.negative, flags: ran.run.flags }, `${f}\n${w.text}`).toEqual({ positive: herd.positive, negative: herd.negative, flags: herd.flags });
    }
  });
});

/** The models with `expect ... under lkmm` lines, and the --unroll each needs (those with loops). */
const MODELS: readonly (readonly [string, number | null])[] = [
  ...readdirSync('models/classic').filter((f) => f.endsWith('.weft')).map((f) => [`models/classic/${f}`, null] as const),
  ...readdirSync('test/cases/lkmm').filter((f) => f.endsWith('.weft')).map((f) => [`test/cases/lkmm/${f}`, f === 'bounded-loop.weft' ? 2 : f === 'retry-loop.weft' ? 1 : null] as const),
].filter(([f]) => readFileSync(f, 'utf8').includes(' under lkmm:'));

describe('models with expectations under the LKMM', () => {
  it.each(MODELS)('%s meets them (weft check --memory-model lkmm --all-variants)', async (file, unroll) => {
    const r = await runCli(['check', file, '--memory-model', 'lkmm', '--all-variants', ...(unroll ? ['--unroll', String(unroll)] : [])]);
    const text = r.stdout + r.stderr;
    const code = r.code;
    expect(text).not.toContain('✗');
    expect(code, text).toBe(0);
    expect(text).toMatch(/expectations: (\d+) of \1 met/);
  });

  it('has the classic barrier models', () => {
    expect(MODELS.map(([f]) => f)).toEqual(expect.arrayContaining(['models/classic/message-passing.weft', 'models/classic/store-buffering.weft', 'models/classic/seqlock-reader.weft', 'models/classic/wait-wake-flag.weft']));
  });

  it('asks for --unroll on a model with a loop, and says whether the bound cut an execution', async () => {
    const a = await runCli(['check', 'test/cases/lkmm/bounded-loop.weft', '--memory-model', 'lkmm']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('error[W6032]');
    const b = await runCli(['check', 'test/cases/lkmm/retry-loop.weft', '--memory-model', 'lkmm', '--unroll', '1']);
    expect(b.stdout).toContain('loops unrolled 1 times; some allowed executions go round more often');
    const c = await runCli(['check', 'test/cases/lkmm/bounded-loop.weft', '--memory-model', 'lkmm', '--unroll', '2']);
    expect(c.stdout).toContain('loops unrolled 2 times; no allowed execution goes round more often');
    // Too many runs is a diagnostic, never an internal error.
    const d = await runCli(['check', 'models/classic/seqlock.weft', '--memory-model', 'lkmm', '--unroll', '1', '--variant', 'retry']);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('error[W6030]');
  });
});

describe('the LKMM report as JSON and HTML', () => {
  it('gives each property its verdict, execution and cycle, and draws the execution', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-lkmm-'));
    try {
      const html = join(dir, 'sb.html');
      const j = await runCli(['check', 'models/classic/store-buffering.weft', '--memory-model', 'lkmm', '--variant', 'no_barrier', '--json', '--html', html]);
      expect(j.code).toBe(0);
      const r = JSON.parse(j.stdout).results[0];
      expect(r.memoryModel).toBe('lkmm');
      const p = r.properties.find((x: { property: string }) => x.property === 'both_missed');
      expect(p).toMatchObject({ status: 'reached', observation: 'Sometimes', positive: 1, negative: 3 });
      expect(p.cycle.edges.map((e: { relation: string }) => e.relation)).toEqual(['po', 'fre', 'po', 'fre']);
      expect(p.fixText).toMatch(/^an smp_mb\(\) between lines \d+ and \d+, and an smp_mb\(\) between lines \d+ and \d+$/);
      const page = readFileSync(html, 'utf8');
      expect(page).toContain('<svg class="exec"');
      expect(page).toContain('reached <code>both_missed</code>');
      expect(page.match(/class="cyc"/g)?.length).toBe(4);
      expect(page).toContain('forbids this outcome (checked)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('escapes what the model says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-lkmm-'));
    try {
      writeFileSync(join(dir, 'm.weft'), 'model m; // <script>alert(1)</script>\nshared x: 0..1;\nactor a { WRITE_ONCE(x, 1); }\nactor b { var r: 0..1; r = READ_ONCE(x); done: {} }\nreachable saw: b@done && b.r == 1;\nexpect default under lkmm: reached saw;\n');
      const r = await runCli(['check', join(dir, 'm.weft'), '--memory-model', 'lkmm', '--html', join(dir, 'm.html')]);
      expect(r.code, r.stderr).toBe(0);
      const page = readFileSync(join(dir, 'm.html'), 'utf8');
      expect(page).not.toContain('<script>');
      expect(page).toContain('&lt;script&gt;');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a chosen set of actors and steps (--actors)', () => {
  const FILE = 'test/cases/lkmm/slice.weft';
  const SLICE = 'producer@publish,consumer@..log';

  it('refuses the whole model, whose loop, atomic step and choice have no meaning in one execution', async () => {
    const r = await runCli(['check', FILE, '--memory-model', 'lkmm', '--unroll', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[W6031]');
  });

  it.each([['plain', 'reached'], ['with_barriers', 'unreachable']] as const)('checks message passing from the chosen steps (%s: stale %s), and says which steps it took', async (variant, stale) => {
    const r = await runCli(['check', FILE, '--memory-model', 'lkmm', '--variant', variant, '--actors', SLICE]);
    // (1 where the model has no `under lkmm` line for a verdict: its lines are for interleavings)
    expect(r.code, r.stderr).not.toBe(2);
    expect(r.stdout).toContain(`only the actors and steps ${SLICE} (--actors)`);
    expect(r.stdout).toMatch(new RegExp(`^  ${stale} +stale$`, 'm'));
    // The consumer stops at log, and noise, left out, stands at its start.
    expect(r.stdout).toMatch(/^ {2}reached +stopped_at_log$/m);
  });

  it.runIf(herdAvailable).each(['plain', 'with_barriers'])('exports the chosen steps as a litmus test herd7 agrees with (%s)', async (variant) => {
    const r = await runCli(['litmus', 'export', FILE, '--variant', variant, '--property', 'stale', '--actors', SLICE]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`--actors ${SLICE}`);
    // Only the two threads, and none of the producer's loop.
    expect(r.stdout).toMatch(/^P1\(/m);
    expect(r.stdout).not.toMatch(/^P2\(/m);
    expect(r.stdout).not.toContain('buffer');
    const herd = await herdOnText(r.stdout);
    const parsed = parseLitmus({ path: 'slice.litmus', text: r.stdout });
    if (!parsed.ok) throw new Error(r.stdout);
    const v = checkLkmm(parsed.program).verdict;
    expect(herd).toEqual({ observation: v.observation, positive: v.positive, negative: v.negative, flags: v.flags });
    expect(herd.observation).toBe(variant === 'plain' ? 'Sometimes' : 'Never');
  });

  it.each([
    ['nobody', "no actor or instance 'nobody'"],
    ['producer@nowhere', "producer has no label 'nowhere' (its labels: publish)"],
    ['producer@', "'producer@' is not NAME"],
    ['producer,producer', 'producer is chosen twice'],
  ])('says what is wrong with --actors %s', async (actors, message) => {
    const r = await runCli(['check', FILE, '--memory-model', 'lkmm', '--actors', actors]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[W2040]');
    expect(r.stderr).toContain(message);
  });

  it('refuses an rwsem only where a chosen actor takes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-slice-'));
    try {
      const path = join(dir, 'rw.weft');
      writeFileSync(path, 'model rw;\nshared sem: rwsem;\nshared x: 0..1;\nactor w { WRITE_ONCE(x, 1); }\nactor r { down_read(sem); up_read(sem); }\nreachable set: x == 1;\n');
      const both = await runCli(['check', path, '--memory-model', 'lkmm']);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('an rwsem (the LKMM has spinlocks only)');
      const one = await runCli(['check', path, '--memory-model', 'lkmm', '--actors', 'w']);
      expect(one.code, one.stderr).not.toBe(2);
      expect(one.stdout).toMatch(/^ {2}reached +set$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is for the LKMM mode only', async () => {
    const r = await runCli(['check', FILE, '--actors', 'producer']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[W2038]');
  });
});
