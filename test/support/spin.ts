/**
 * Runs SPIN on an exported Promela model and reads back what Weft reports:
 * the number of stored states and which properties are violated (or, for a
 * reachable target, reached). A test harness, used by the cross-check test
 * (test/promela.test.ts) and the soak script (scripts/soak.ts); the product
 * only exports the Promela (docs/promela.md).
 *
 * The commands are fixed by what the state counts need:
 *   spin -a -o1 -o2   no dead-variable reduction (it would reset locals
 *                     that are not read again, merging states Weft keeps
 *                     apart) and no hiding of write-only variables;
 *   -DSAFETY -DNOREDUCE  safety only, no partial-order reduction;
 *   pan -c0           do not stop at the first violation: every property
 *                     gets its verdict and the whole space is counted.
 * With a never claim pan does not check end states, so a second pan built
 * with -DNOCLAIM looks for deadlocks (invalid end states). A model with
 * liveness properties has an ltl formula each, more never claims: the
 * safety run picks the invariants' claim with -N (or, with none, is the
 * -DNOCLAIM run alone), and checkLiveness runs each formula alone with
 * `pan -a [-f] -N NAME` on a pan built without -DSAFETY.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PromelaModel } from '../../src/export/promela.ts';

const run = promisify(execFile);

/** What one pan run printed, parsed. */
export interface PanRun {
  /** `-DNOCLAIM` or `claim`. */
  readonly build: 'claim' | 'noclaim';
  readonly states: number;
  /** Distinct error messages, without `pan:N:` and `(at depth D)`. */
  readonly messages: readonly string[];
  readonly output: string;
}

export interface SpinResult {
  /** One run, or two when the model has a never claim (with it, and with -DNOCLAIM). */
  readonly runs: readonly PanRun[];
  /** The properties SPIN found violated (reachable targets: reached), `deadlock` included, sorted. */
  readonly found: readonly string[];
  /** Messages that name no property: a sign that the export and this parser disagree. */
  readonly unexplained: readonly string[];
}

export interface SpinOptions {
  /** A directory of its own, for the model, pan.c and pan. */
  readonly dir: string;
  /** gcc's optimisation level for pan (default -O2). */
  readonly optimise?: string;
  /** Build pan with tcc instead (see checkQuickly); `optimise` is then ignored. */
  readonly tcc?: boolean;
  /** pan's search depth limit (-m); a search that hits it is an error here. */
  readonly maxDepth?: number;
  /**
   * log2 of pan's hash table size (-w). It changes only the speed, never the
   * count; pan's default (2^24 slots) costs 130 MB and 70 ms to clear, which
   * for a small model is most of the run.
   */
  readonly hashBits?: number;
}

/** Is tcc on PATH? Asked once. */
let tcc: Promise<boolean> | undefined;
const haveTcc = (): Promise<boolean> => (tcc ??= run('tcc', ['-v']).then(() => true, () => false));

/**
 * SPIN for the cross-checks, whose hundreds of models are small, so that
 * building pan is nearly all of the cost: pan is built with tcc when it is
 * on PATH (scripts/install-peers.sh installs it), in about a tenth of gcc's
 * time, and only when what that pan found is not what `agrees` expects is
 * it built again with gcc -O0, whose answer is the one returned. tcc is not
 * the authority because it has been seen to miscompile pan: tcc 0.9.27
 * reads `a && !(3 <= f * ((c ? 0 : 0) ? 2 : 3))` as false when it is true
 * (a random model of seed 871349601: pan stored 2 states, gcc's 11). So a
 * disagreement is always gcc's; what this can miss is a tcc bug that makes
 * pan agree exactly, counts and verdicts, with a Weft that is wrong.
 */
export async function checkQuickly(model: PromelaModel, opts: Omit<SpinOptions, 'optimise' | 'tcc'>, agrees: (r: SpinResult) => boolean): Promise<SpinResult> {
  if (await haveTcc()) {
    const quick = await checkWithSpin(model, { ...opts, tcc: true }).catch(() => null);
    if (quick && agrees(quick)) return quick;
  }
  return checkWithSpin(model, { ...opts, optimise: '-O0' });
}

/** Is `spin` on PATH (and gcc, which pan needs)? */
export async function spinAvailable(): Promise<boolean> {
  try {
    await run('spin', ['-V']);
    await run('gcc', ['--version']);
    return true;
  } catch {
    return false;
  }
}

export async function checkWithSpin(model: PromelaModel, opts: SpinOptions): Promise<SpinResult> {
  const file = 'model.pml';
  await writeFile(join(opts.dir, file), model.text);
  // spin -a writes pan.c and friends into the working directory.
  await run('spin', ['-a', '-o1', '-o2', file], { cwd: opts.dir });
  // With ltl formulas there is always a claim: the safety-only pan is then the -DNOCLAIM one.
  const builds: PanRun['build'][] = model.hasClaim ? ['claim', 'noclaim'] : model.liveness ? ['noclaim'] : ['claim'];
  const runs = await Promise.all(builds.map((b) => buildAndRun(b, opts, model.claimName)));

  const byFlag = new Map([...model.flags].map(([property, flag]) => [flag, property]));
  const found = new Set<string>();
  const unexplained: string[] = [];
  for (const r of runs) {
    for (const m of r.messages) {
      const flag = /^assertion violated (\w+)$/.exec(m)?.[1];
      const property = flag === undefined ? (m === 'invalid end state' ? 'deadlock' : undefined) : byFlag.get(flag);
      if (property === undefined) unexplained.push(m);
      else found.add(property);
    }
  }
  return { runs, found: [...found].sort(), unexplained };
}

async function buildAndRun(build: PanRun['build'], opts: SpinOptions, claimName: string | undefined): Promise<PanRun> {
  const exe = build === 'claim' ? 'pan' : 'pan_noclaim';
  await compilePan(exe, ['-DSAFETY', '-DNOREDUCE', ...(build === 'noclaim' ? ['-DNOCLAIM'] : [])], opts);
  const pick = build === 'claim' && claimName !== undefined ? ['-N', claimName] : [];
  const stdout = await runPan(exe, [...pick, `-m${opts.maxDepth ?? 1_000_000}`, '-c0', ...(opts.hashBits === undefined ? [] : [`-w${opts.hashBits}`])], opts.dir);
  return { build, ...parsePan(stdout), output: stdout };
}

async function compilePan(exe: string, defines: readonly string[], opts: SpinOptions): Promise<void> {
  const cc = opts.tcc ? ['tcc'] : ['gcc', opts.optimise ?? '-O2'];
  await run(cc[0]!, [...cc.slice(1), '-w', ...defines, '-o', exe, 'pan.c'], { cwd: opts.dir });
}

/** pan's standard output; pan exits non-zero when it refuses a model at start-up, and what it printed says why (parsePan). */
async function runPan(exe: string, args: readonly string[], dir: string): Promise<string> {
  return run(`./${exe}`, args, { cwd: dir, maxBuffer: 64 * 1024 * 1024 }).then(
    (r) => r.stdout,
    (e: { stdout?: string }) => {
      if (typeof e.stdout !== 'string' || e.stdout === '') throw e;
      return e.stdout;
    },
  );
}

/** One liveness property's pan run: `pan -a [-f] -N NAME -c0`. */
export interface LtlRun {
  readonly property: string;
  /** Violated when pan found an acceptance cycle. */
  readonly verdict: 'holds' | 'violated';
  /**
   * The properties whose flags pan found violated on the way: only steps
   * assert (the run has no invariants' claim). A failing step returns to
   * its own label, a move in pan that is no transition in Weft, so where
   * this is not empty the verdict need not be Weft's (docs/promela.md).
   */
  readonly faults: readonly string[];
  readonly states: number;
  readonly output: string;
}

export interface LivenessResult {
  readonly runs: readonly LtlRun[];
  /** Messages that are neither an acceptance cycle nor a flag: a sign that the export and this parser disagree. */
  readonly unexplained: readonly string[];
}

/**
 * Each liveness property of an export on its own pan run, as the exported
 * header says: spin -a -o1 -o2, pan built without -DSAFETY (acceptance
 * cycles) and with the export's defines (-DNOREDUCE, and -DNFAIR where -f
 * needs room for more processes), `pan -a [-f] -N NAME -c0`, -f when the
 * export asks for weak fairness. -c0 so that a reachable fault is reported
 * even where a cycle is found first.
 */
export async function checkLiveness(model: PromelaModel, opts: SpinOptions): Promise<LivenessResult> {
  const live = model.liveness;
  if (!live) return { runs: [], unexplained: [] };
  const file = 'model.pml';
  await writeFile(join(opts.dir, file), model.text);
  await run('spin', ['-a', '-o1', '-o2', file], { cwd: opts.dir });
  await compilePan('pan_ltl', live.defines, opts);
  const byFlag = new Map([...model.flags].map(([property, flag]) => [flag, property]));
  const unexplained: string[] = [];
  const runs: LtlRun[] = [];
  for (const [property, claim] of live.claims) {
    const args = ['-a', ...(live.weakFairness ? ['-f'] : []), '-N', claim, `-m${opts.maxDepth ?? 1_000_000}`, '-c0', '-n', ...(opts.hashBits === undefined ? [] : [`-w${opts.hashBits}`])];
    const output = await runPan('pan_ltl', args, opts.dir);
    // pan names the claim it ran: `never claim + (NAME)`.
    if (/never claim\s+\+ \((\w+)\)/.exec(output)?.[1] !== claim) throw new Error(`pan did not check the formula ${claim}:\n${output}`);
    const { states, messages } = parsePan(output);
    const faults = new Set<string>();
    let cycle = false;
    for (const m of messages) {
      const flag = /^assertion violated (\w+)$/.exec(m)?.[1];
      const p = flag === undefined ? undefined : byFlag.get(flag);
      if (m === 'acceptance cycle') cycle = true;
      else if (p !== undefined) faults.add(p);
      else unexplained.push(m);
    }
    runs.push({ property, verdict: cycle ? 'violated' : 'holds', faults: [...faults].sort(), states, output });
  }
  return { runs, unexplained };
}

/** checkLiveness as checkQuickly checks safety: pan built by tcc, and again by gcc -O0 when what it found is not what `agrees` expects. */
export async function livenessQuickly(model: PromelaModel, opts: Omit<SpinOptions, 'optimise' | 'tcc'>, agrees: (r: LivenessResult) => boolean): Promise<LivenessResult> {
  if (await haveTcc()) {
    const quick = await checkLiveness(model, { ...opts, tcc: true }).catch(() => null);
    if (quick && agrees(quick)) return quick;
  }
  return checkLiveness(model, { ...opts, optimise: '-O0' });
}

/** The stored-state count and the distinct error messages of pan's output; throws when the search was not complete. */
export function parsePan(output: string): { states: number; messages: string[] } {
  // pan refuses some models at start-up ("error: proctype ... has unconditional self-loop").
  const refused = /^error: .*$/m.exec(output);
  if (refused) throw new Error(`pan refused the model: ${refused[0]}`);
  if (/max search depth too small/.test(output)) throw new Error('pan hit its depth limit (-m): the search is incomplete');
  const states = /^\s*(\d+) states, stored/m.exec(output);
  if (!states) throw new Error(`pan printed no state count:\n${output}`);
  // pan prints a message only when it differs from the one before: collect the distinct ones.
  const messages = [...new Set([...output.matchAll(/^pan:\d+: (.*?) \(at depth -?\d+\)$/gm)].map((m) => m[1]!))];
  return { states: Number(states[1]), messages };
}
