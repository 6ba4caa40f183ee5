/**
 * Faults end cleanly, on the real binary: SIGINT and SIGTERM end a search
 * with the report so far and exit 3; a write error on standard output is
 * one line and exit 2; a FIFO is refused, never waited on. Signals are sent
 * when the child says it is about to search (no fixed delay): the child's
 * compile cache is a path under a regular file, so it prints a one-line
 * note just before the search starts. Everything is made under a temporary
 * directory removed afterwards.
 */
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';

const BIN = resolve('bin/weft.js');
const LOST_UPDATE = resolve('test/cases/cli/lost-update.weft');
/** 16^7 states: no machine finishes it before the signal. */
const ENDLESS = 'model endless;\nshared a: 0..15[7];\nactor walker[7] { loop { pick a[self] in 0..15; } }\n';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'weft-faults-'));
  writeFileSync(join(tmp, 'endless.weft'), ENDLESS);
  writeFileSync(join(tmp, 'a-file'), '');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Ended { code: number | null; signal: NodeJS.Signals | null; out: string; err: string }

/** Runs the binary; `onErr` sees stderr as it grows and may act on the child. */
function weft(args: string[], opts: { stdout?: number; stderr?: number; cwd?: string; cache?: string; onErr?: (err: string, kill: (s: NodeJS.Signals) => void) => void } = {}): Promise<Ended> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    env: { ...process.env, WEFT_CACHE_DIR: opts.cache ?? join(tmp, 'cache') },
    stdio: ['ignore', opts.stdout ?? 'pipe', opts.stderr ?? 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { err += d.toString(); opts.onErr?.(err, (s) => child.kill(s)); });
  return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, out, err })));
}

describe('signals', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} ends the search with the report so far and exit code 3`, async () => {
      let sent = false;
      const r = await weft(['check', join(tmp, 'endless.weft'), '--no-stats'], {
        cache: join(tmp, 'a-file', 'cache'),
        onErr: (err, kill) => { if (!sent && err.includes('compiling in memory')) { sent = true; kill(signal); } },
      });
      expect(sent).toBe(true);
      expect(r.err).toMatch(/^weft: note: cannot write the compile cache .*; compiling in memory\n$/);
      expect(r.out).toMatch(/search incomplete: interrupted/);
      expect(r.out).toMatch(/[\d,]+ states?, [\d,]+ transitions?/);
      expect([r.code, r.signal]).toEqual([3, null]);
    });
  }
});

describe('write errors', () => {
  for (const args of [['check', LOST_UPDATE], ['check', LOST_UPDATE, '--json'], ['compile', LOST_UPDATE], ['export', '--promela', LOST_UPDATE]]) {
    it(`weft ${args[0]}${args.includes('--json') ? ' --json' : ''} with standard output on /dev/full: one line, exit 2`, async () => {
      const full = openSync('/dev/full', 'w');
      try {
        const r = await weft(args, { stdout: full });
        expect(r.err).toBe('weft: error[W5006]: cannot write standard output: no space left on device (ENOSPC)\n');
        expect(r.code).toBe(2);
      } finally {
        closeSync(full);
      }
    });
  }

  it('standard error on /dev/full: the exit code still says what happened', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = await weft(['check', join(tmp, 'no-such.weft')], { stderr: full });
      expect(r.code).toBe(2);
    } finally {
      closeSync(full);
    }
  });

  it('weft prove where proofs/ cannot be made: one line naming it, exit 2', async () => {
    const dir = join(tmp, 'prove');
    mkdirSync(dir);
    writeFileSync(join(dir, 'm.weft'), 'model m;\nshared x: 0..1;\nactor a { x = 1; }\ninvariant ok: x <= 1;\n');
    writeFileSync(join(dir, 'proofs'), 'a file where the directory would be');
    const r = await weft(['prove', 'm.weft'], { cwd: dir });
    expect(r.err).toMatch(/^weft: error\[W5006\]: cannot write proofs: .*\n$/);
    expect(r.code).toBe(2);
  });
});

describe('FIFOs are refused, not waited on', () => {
  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(args, { out: (s) => { out += `${s}\n`; }, err: (s) => { err += `${s}\n`; } });
    return { code, out, err };
  }

  it('as the model file, as an output, and inside a directory of models', async () => {
    const dir = join(tmp, 'fifos');
    mkdirSync(dir);
    const fifo = join(dir, 'model.weft');
    execFileSync('mkfifo', [fifo]);
    const input = await run(['check', fifo]);
    expect(input).toEqual({ code: 2, out: '', err: `weft: error[W5005]: cannot read ${fifo}: it is a FIFO, not a file\n` });
    for (const args of [['check', LOST_UPDATE, '--html', fifo], ['compile', LOST_UPDATE, '-o', fifo], ['export', '--promela', LOST_UPDATE, '-o', fifo]]) {
      const output = await run(args);
      expect(output).toEqual({ code: 2, out: '', err: `weft: error[W5006]: cannot write ${fifo}: it is a FIFO, not a file\n` });
    }
    writeFileSync(join(dir, 'ok.weft'), 'model ok;\nshared x: 0..1;\nactor a { x = 1; }\ninvariant fine: x <= 1;\n');
    const many = await run(['check', dir, '--no-stats']);
    expect(many.code).toBe(2);
    // The summary heads each model with its path; its rows (here the error) are under it.
    expect(many.out).toMatch(/model\.weft\n.*cannot read .*: it is a FIFO, not a file/);
    expect(many.out).toMatch(/ok\.weft\n +default /);
    expect(existsSync(fifo)).toBe(true);
  });
});
