/**
 * Rumur on the hand-written Murphi models (bench/peers/NAME.m): the
 * verifier is generated and compiled once per thread count (Rumur fixes
 * the number of threads when it generates the C), neither step timed, and
 * run under /usr/bin/time for its peak RSS. Rumur prints its time in whole
 * seconds, so the seconds are the run's wall clock, measured here.
 *
 *   rumur --threads T --deadlock-detection stuck --max-errors 1000000000
 *         --counterexample-trace off model.m -o model.c
 *   cc -O3 -mcx16 -o model model.c -lpthread
 *
 * `stuck` is Weft's deadlock (no rule enabled; Rumur's default also calls
 * a state whose rules all leave it unchanged a deadlock); --max-errors
 * keeps the search going past a deadlock so that the whole space is
 * counted; -mcx16 gives gcc the 16-byte compare-and-swap Rumur's lock-free
 * set uses.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Args, type BenchModel, type Row, type Tool } from './common.ts';
import { run, tempDirs } from './processes.ts';

export interface RumurOutput {
  readonly states: number | null;
  readonly rules: number | null;
  /** Deadlocked states reported ("deadlock" errors). */
  readonly deadlocks: number;
  /** The Invariants Rumur found failed (it stops at a failing state: see bench/peers/gup-two-pinners.m). */
  readonly failedInvariants: readonly string[];
  /** Failed Asserts' messages. */
  readonly failedAsserts: readonly string[];
  /** Other errors (assertions, invariants, covers never hit), as Rumur prints them; covers are counted in `covers`. */
  readonly errors: number;
  /** Each cover property's hits; present only when Rumur met no other error (it prints them only then). */
  readonly covers: ReadonlyMap<string, number> | null;
  readonly vectorBytes: number | null;
}

export function parseRumur(out: string): RumurOutput {
  const explored = /(\d+) states, (\d+) rules fired/.exec(out);
  const errors = /(\d+) error\(s\) found/.exec(out);
  const coverLines = [...out.matchAll(/^\s*cover "([^"]*)" (?:hit (\d+) times?|(not hit))/gm)];
  return {
    states: explored ? Number(explored[1]) : null,
    rules: explored ? Number(explored[2]) : null,
    deadlocks: (out.match(/^\s*deadlock\s*$/gm) ?? []).length,
    failedInvariants: [...new Set([...out.matchAll(/^\s*invariant "([^"]*)" failed/gm)].map((x) => x[1]!))].sort(),
    failedAsserts: [...new Set([...out.matchAll(/^\s*Assertion failed: \S+ (.*)$/gm)].map((x) => x[1]!.trim()))].sort(),
    errors: errors ? Number(errors[1]) : 0,
    covers: coverLines.length ? new Map(coverLines.map((c) => [c[1]!, c[3] ? 0 : Number(c[2])])) : null,
    vectorBytes: (() => { const v = /rounded up to (\d+) bytes/.exec(out); return v ? Number(v[1]) : null; })(),
  };
}

/** Generates and compiles the verifier for `threads` threads in `dir`; returns its path. `optimise`: cc's level (-O3; a test's small models take -O1). */
export function buildRumur(dir: string, text: string, threads: number, optimise = '-O3'): string {
  writeFileSync(join(dir, 'model.m'), text);
  const gen = spawnSync('rumur', ['--quiet', '--threads', String(threads), '--deadlock-detection', 'stuck', '--max-errors', '1000000000', '--counterexample-trace', 'off', 'model.m', '--output', 'model.c'], { cwd: dir, encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(`rumur failed: ${(gen.stdout + gen.stderr).trim()}`);
  const cc = spawnSync('cc', [optimise, '-mcx16', '-o', 'model', 'model.c', '-lpthread'], { cwd: dir, encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`cc model.c: ${cc.stderr.split('\n').find((l) => /error/.test(l))?.trim() ?? cc.stderr.trim()}`);
  return join(dir, 'model');
}

const THREADS: readonly { tool: Tool; threads: number }[] = [{ tool: 'rumur-1', threads: 1 }, { tool: 'rumur-2', threads: 2 }];

/** Rumur with 1 and with 2 threads on one Murphi text. */
export async function runRumur(m: BenchModel, size: number, text: string, weftStates: number, args: Args, timeTool: boolean): Promise<Row[]> {
  const top = mkdtempSync(join(tmpdir(), 'weft-bench-rumur-'));
  tempDirs.add(top);
  const base = { model: m.name, size: `${m.option}=${size}` };
  const rows: Row[] = [];
  try {
    for (const { tool, threads } of THREADS) {
      const dir = join(top, tool);
      mkdirSync(dir);
      try {
        const binary = buildRumur(dir, text, threads);
        const rss = join(dir, 'rumur.rss');
        const start = performance.now();
        const r = timeTool ? await run('/usr/bin/time', ['-f', '%M', '-o', rss, binary], dir, args.timeLimit) : await run(binary, [], dir, args.timeLimit);
        const seconds = (performance.now() - start) / 1000;
        const o = parseRumur(r.stdout);
        const rssKb = timeTool && existsSync(rss) ? Number(readFileSync(rss, 'utf8').trim().split('\n').pop()) : NaN;
        const problem = r.timedOut ? `killed after ${args.timeLimit} s` : o.states === null ? `Rumur printed no count (exit ${r.code}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}` : null;
        const notes = [
          problem ?? '',
          o.states !== null && o.states !== weftStates ? `NOT Weft's count (${weftStates})` : '',
          o.deadlocks ? `${o.deadlocks} deadlock${o.deadlocks > 1 ? 's' : ''}` : '',
          'wall clock',
        ].filter(Boolean);
        rows.push({ ...base, tool, complete: problem === null, note: notes.join('; '), states: o.states ?? 0, transitions: o.rules ?? 0, seconds, peakBytes: Number.isFinite(rssKb) ? rssKb * 1024 : null, ownBytes: null, vector: o.vectorBytes });
      } catch (e) {
        rows.push({ ...base, tool, complete: false, note: `failed: ${(e as Error).message.split('\n').slice(0, 3).join(' ')}`, states: 0, transitions: 0, seconds: 0, peakBytes: null, ownBytes: null, vector: null });
      }
    }
    return rows;
  } finally {
    rmSync(top, { recursive: true, force: true });
    tempDirs.delete(top);
  }
}
