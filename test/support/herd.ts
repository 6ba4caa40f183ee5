/**
 * Runs herd7 with the Linux-kernel memory model (scripts/herd7/ builds and
 * installs it) on a litmus test, and reads its answer: the observation and
 * its counts of allowed executions that satisfy the condition and that do
 * not, and the flags it raised (`Flag data-race`).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const herdAvailable = spawnSync('sh', ['-c', 'command -v herd7'], { stdio: 'ignore' }).status === 0;

export interface HerdResult {
  readonly observation: string;
  readonly positive: number;
  readonly negative: number;
  readonly flags: readonly string[];
}

export async function herdOnFile(path: string): Promise<HerdResult> {
  const { stdout } = await run('herd7', ['-conf', 'linux-kernel.cfg', path], { maxBuffer: 1 << 26 });
  return parseHerd(stdout);
}

export async function herdOnText(text: string): Promise<HerdResult> {
  const dir = await mkdtemp(join(tmpdir(), 'weft-herd-'));
  try {
    await writeFile(join(dir, 't.litmus'), text);
    return await herdOnFile(join(dir, 't.litmus'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function parseHerd(out: string): HerdResult {
  const m = /^Observation \S+ (\w+) (\d+) (\d+)/m.exec(out);
  if (!m) throw new Error(`no Observation line in herd7's output:\n${out.slice(0, 2000)}`);
  const flags = [...out.matchAll(/^Flag (\S+)/gm)].map((f) => f[1]!).sort();
  return { observation: m[1]!, positive: Number(m[2]), negative: Number(m[3]), flags };
}

/** herd7's answers on the 50 tests of test/cases/litmus/herd/, as herd7-counts.txt records them. */
export function recordedCounts(text: string): Map<string, HerdResult> {
  const out = new Map<string, HerdResult>();
  for (const line of text.split('\n')) {
    const m = /^(\S+) (\w+) (\d+) (\d+)(?: flags (.*))?$/.exec(line);
    if (m) out.set(m[1]!, { observation: m[2]!, positive: Number(m[3]), negative: Number(m[4]), flags: m[5] ? m[5].split(' ').sort() : [] });
  }
  return out;
}
