/** Child processes of the benchmark: run with a time limit, output captured head and tail, all killed on Ctrl-C. */
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { root } from './common.ts';
import type { ChildResult, Job } from './weft-child.ts';

export interface Ran {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly timedOut: boolean;
}

/** Process groups of the children running now, and temporary directories, for a clean Ctrl-C. */
const running = new Set<number>();
export const tempDirs = new Set<string>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const pid of running) {
      try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
    process.stderr.write(`\nbench: stopped by ${signal}\n`);
    process.exit(130);
  });
}

/**
 * Keeps the first and the last bytes of a stream. pan run with -c0 prints a
 * line per violation it meets, gigabytes on a big model with violated
 * properties; its statistics come at the end.
 */
class Capture {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private dropped = 0;

  /** Lines pan prints once, which the parser needs, kept even when they fall in the part left out. */
  private readonly notable = new Set<string>();
  private carry = '';

  constructor(private readonly limit = 1 << 20) {}

  push(d: Buffer): void {
    const text = this.carry + d.toString('latin1');
    for (const m of text.matchAll(/^.*(?:max search depth too small|out of memory|MEMLIM|not supported in BFS|Search not completed).*$/gm)) this.notable.add(m[0]);
    this.carry = text.slice(Math.max(text.lastIndexOf('\n') + 1, text.length - 200));
    if (this.headBytes < this.limit) {
      this.head.push(d);
      this.headBytes += d.length;
      return;
    }
    this.tail.push(d);
    this.tailBytes += d.length;
    while (this.tailBytes - this.tail[0]!.length >= this.limit) {
      this.tailBytes -= this.tail[0]!.length;
      this.dropped += this.tail.shift()!.length;
    }
  }

  text(): string {
    const gap = this.dropped ? `\n[... ${this.dropped} bytes left out; among them:\n${[...this.notable].join('\n')}\n...]\n` : '';
    return Buffer.concat(this.head).toString() + gap + Buffer.concat(this.tail).toString();
  }
}

/** Runs a command in its own process group, killing the group after `seconds`. */
export function run(cmd: string, args: readonly string[], cwd: string, seconds: number): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) running.add(child.pid);
    const out = new Capture();
    const err = new Capture();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    }, seconds * 1000);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (child.pid !== undefined) running.delete(child.pid);
      resolve({ stdout: out.text(), stderr: err.text(), code, timedOut });
    });
  });
}

export function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}
const childScript = fileURLToPath(new URL('./weft-child.ts', import.meta.url));

/** One Weft run in a process of its own (bench/weft-child.ts), killed after `seconds`. */
export async function weftChild(job: Job, seconds: number): Promise<ChildResult> {
  const r = await run(process.execPath, ['--import', 'tsx', childScript, JSON.stringify(job)], root, seconds);
  const line = r.stdout.split('\n').find((l) => l.startsWith('WEFT-BENCH '));
  if (!line) throw new Error(`the Weft child failed (exit ${r.code}${r.timedOut ? ', killed after the time limit' : ''}):\n${r.stderr.trim()}`);
  return JSON.parse(line.slice('WEFT-BENCH '.length)) as ChildResult;
}
