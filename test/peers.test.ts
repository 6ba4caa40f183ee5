/**
 * The peers written by hand (bench/peers/: Promela for SPIN, Murphi for
 * Rumur) store exactly Weft's states and give Weft's verdicts, for every
 * variant of every benchmark model at its --quick sizes (bench/models.ts).
 * The counts compared are a real run of Weft's compiled engine, never a
 * recorded number.
 *
 * SPIN: pan built with -DSAFETY -DNOREDUCE (depth-first), run with -c0 so
 * that it counts the whole space past a violation; a model with a never
 * claim (its invariants) is built a second time with -DNOCLAIM, for the
 * end states (Weft's deadlock). Each build must store Weft's count. Its
 * verdicts: an invalid end state is Weft's deadlock; pan names an assert
 * by its expression, not by Weft's property, so what is compared is the
 * number of distinct failed asserts against the number of Weft's violated
 * invariants and asserts. What this can miss: an assert failing for the
 * wrong property while the right one holds, and the reachable targets
 * (the .pml files give them as ltl formulas under -DREACH, not run here).
 *
 * Rumur, one thread: its count; its deadlocks ("stuck"); the names of the
 * failed Invariants and of the covers hit ("violated NAME", "reached
 * NAME"), which must be Weft's violated and reached properties exactly.
 * Rumur prints covers only when it met no other error, so in a run with a
 * deadlock the covers are not compared (said in the test's name).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { check } from '../src/explore/engine.ts';
import { parseModel, variantNames } from '../src/pipeline.ts';
import type { BenchModel } from '../bench/common.ts';
import { MODELS } from '../bench/models.ts';
import { murphiText, peerPath, promelaDefines } from '../bench/peers.ts';
import { buildRumur, parseRumur } from '../bench/rumur.ts';
import { programOf } from '../bench/spin.ts';

const run = promisify(execFile);
const onPath = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const haveSpin = onPath('spin') && onPath('gcc');
const haveRumur = onPath('rumur') && onPath('cc');
const INSTALL = '`bash scripts/install-peers.sh` installs it';

interface Config {
  readonly m: BenchModel;
  readonly size: number;
  readonly variant: string;
  readonly name: string;
}

const configs: Config[] = MODELS.flatMap((m) => {
  const parsed = parseModel({ path: m.file, text: readFileSync(m.file, 'utf8') });
  if (!parsed.model) throw new Error(`${m.file} does not parse`);
  return m.quick.flatMap((size) => variantNames(parsed.model!).map((variant) => ({ m, size, variant, name: `${m.name} ${m.option}=${size} ${variant}` })));
});

interface WeftRun {
  readonly states: number;
  /** Violated invariants, asserts and deadlock. */
  readonly violated: readonly string[];
  readonly reached: readonly string[];
  /** Every reachable target. */
  readonly targets: readonly string[];
  /** Every invariant, assert and reachable target: what the peers' covers may name. */
  readonly properties: readonly string[];
}

const weftRuns = new Map<string, Promise<WeftRun>>();
/** Weft's compiled engine on one configuration, once per configuration for both peers. */
function weft(c: Config): Promise<WeftRun> {
  const cached = weftRuns.get(c.name);
  if (cached) return cached;
  const p = (async (): Promise<WeftRun> => {
    const r = await check(programOf({ ...c.m, variant: c.variant }, c.size), 'compiled', {});
    expect(r.complete).toBe(true);
    // The peers do not model Weft's built-in range and lock checks: they must hold, or the comparison means less.
    expect(r.verdicts.filter((v) => (v.kind === 'ranges' || v.kind === 'locking') && v.status !== 'holds')).toEqual([]);
    const named = (kinds: readonly string[], status: string): string[] => r.verdicts.filter((v) => kinds.includes(v.kind) && v.status === status).map((v) => v.property).sort();
    return {
      states: r.stats.states,
      violated: named(['invariant', 'assert', 'deadlock'], 'violated'),
      reached: named(['reachable'], 'reached'),
      targets: r.verdicts.filter((v) => v.kind === 'reachable').map((v) => v.property).sort(),
      properties: r.verdicts.filter((v) => ['invariant', 'assert', 'reachable'].includes(v.kind)).map((v) => v.property).sort(),
    };
  })();
  weftRuns.set(c.name, p);
  return p;
}

async function inTemp<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'weft-peers-'));
  try {
    return await f(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('SPIN on the hand-written Promela stores Weft\'s states and finds its violations', () => {
  if (!haveSpin) {
    it.skip(`skipped: spin (or gcc) is not on PATH; ${INSTALL}`, () => {});
    return;
  }
  for (const c of configs) {
    it(c.name, async () => {
      const w = await weft(c);
      await inTemp(async (dir) => {
        const pml = peerPath(c.m, 'pml');
        await run('spin', ['-a', ...promelaDefines(c.m, c.size, c.variant), pml], { cwd: dir });
        const claim = /^never\s*\{/m.test(readFileSync(pml, 'utf8'));
        let deadlock = false;
        const asserts = new Set<string>();
        for (const build of claim ? ['', '-DNOCLAIM'] : ['']) {
          await run('gcc', ['-O1', '-DSAFETY', '-DNOREDUCE', ...(build ? [build] : []), '-w', '-o', 'pan', 'pan.c'], { cwd: dir });
          const { stdout } = await run('./pan', ['-c0', '-n', '-m1000000', '-w20'], { cwd: dir, maxBuffer: 1 << 30 });
          expect(stdout, 'the search was cut by the depth bound').not.toMatch(/max search depth too small/);
          expect(Number(/(\d+) states, stored/.exec(stdout)?.[1]), `states stored by pan ${build || '(with the claim)'}`).toBe(w.states);
          if (build === '-DNOCLAIM' || !claim) deadlock = /^pan:\d+: invalid end state/m.test(stdout);
          for (const a of stdout.matchAll(/assertion violated (.*) \(at depth/g)) asserts.add(a[1]!.trim());
        }
        expect(deadlock, 'an invalid end state is a deadlock').toBe(w.violated.includes('deadlock'));
        expect(asserts.size, `distinct failed asserts (${[...asserts].join(', ')}) against Weft's violated ${w.violated.join(', ')}`).toBe(w.violated.filter((p) => p !== 'deadlock').length);
      });
    }, 0);
  }
});

describe('Rumur on the hand-written Murphi counts Weft\'s states and gives its verdicts', () => {
  if (!haveRumur) {
    it.skip(`skipped: rumur (or cc) is not on PATH; ${INSTALL}`, () => {});
    return;
  }
  for (const c of configs) {
    it(c.name, async () => {
      const w = await weft(c);
      await inTemp(async (dir) => {
        const binary = buildRumur(dir, murphiText(c.m, c.size, c.variant), 1, '-O1');
        const { stdout } = await run(binary, [], { cwd: dir, maxBuffer: 1 << 30 }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
        const o = parseRumur(stdout);
        expect(o.states).toBe(w.states);
        expect(o.failedAsserts).toEqual([]);
        const text = murphiText(c.m, c.size, c.variant);
        const coverNames = [...text.matchAll(/^cover "(\w+) (\w+)"/gm)].map((x) => ({ kind: x[1]!, property: x[2]! }));
        // Every cover names a property of Weft's, and says which verdict it stands for.
        for (const cv of coverNames) {
          expect(['violated', 'reached']).toContain(cv.kind);
          expect(w.properties).toContain(cv.property);
        }
        const violatedCovers = o.covers ? coverNames.filter((cv) => cv.kind === 'violated' && o.covers!.get(`violated ${cv.property}`)! > 0).map((cv) => cv.property) : [];
        if (!o.covers) {
          // Rumur leaves its covers out only after another error: here, the deadlock, where no cover stands for a violation.
          expect(o.deadlocks).toBeGreaterThan(0);
          expect(coverNames.filter((cv) => cv.kind === 'violated')).toEqual([]);
        }
        const violated = [...o.failedInvariants, ...violatedCovers, ...(o.deadlocks > 0 ? ['deadlock'] : [])].sort();
        expect(violated).toEqual(w.violated);
        if (o.covers) {
          const reachedCovers = coverNames.filter((cv) => cv.kind === 'reached');
          // Rumur's covers are every reachable target of Weft's, hit exactly where Weft reaches it.
          expect(reachedCovers.map((cv) => cv.property).sort()).toEqual(w.targets);
          expect(reachedCovers.filter((cv) => o.covers!.get(`reached ${cv.property}`)! > 0).map((cv) => cv.property).sort()).toEqual(w.reached);
        }
      });
    }, 0);
  }
});
