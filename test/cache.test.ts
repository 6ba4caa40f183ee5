/**
 * The compile cache cannot be poisoned by accident: a missing, short,
 * corrupt or edited entry is compiled again with a one-line note, and the
 * verdict is the one the model gives; a cache directory that cannot be
 * written is a note, and the model is compiled in memory. Each test works
 * in its own temporary cache directory, removed afterwards.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileSource } from '../src/pipeline.ts';
import { check } from '../src/explore/engine.ts';
import { main } from '../src/cli.ts';

// `both` is reached; code edited never to report it would say unreachable.
const MODEL = 'shared x: 0..2;\nactor t[2] { var r: 0..2; r = x; x = r + 1; }\ninvariant small: x <= 2;\nreachable both: x == 2;\n';

let tmp: string;
const before = process.env.WEFT_CACHE_DIR;

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'weft-cache-test-'));
  process.env.WEFT_CACHE_DIR = join(tmp, 'cache');
});

afterEach(() => {
  chmodSync(tmp, 0o755);
  rmSync(tmp, { recursive: true, force: true });
  if (before === undefined) delete process.env.WEFT_CACHE_DIR;
  else process.env.WEFT_CACHE_DIR = before;
});

async function checkModel(): Promise<{ reached: string; notes: string[] }> {
  const r = compileSource({ path: 'm.weft', text: MODEL }, { variant: null, defines: {} });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  const notes: string[] = [];
  const result = await check(r.program, 'compiled', {}, { note: (n) => notes.push(n) });
  return { reached: result.verdicts.find((v) => v.property === 'both')!.status, notes };
}

function entry(): string {
  const [name] = readdirSync(process.env.WEFT_CACHE_DIR!).filter((f) => f.endsWith('.mjs'));
  return join(process.env.WEFT_CACHE_DIR!, name!);
}

describe('compile cache integrity', () => {
  it('a second run loads the entry without a note', async () => {
    expect(await checkModel()).toEqual({ reached: 'reached', notes: [] });
    expect(await checkModel()).toEqual({ reached: 'reached', notes: [] });
  });

  const damage: [string, (text: string) => string, RegExp][] = [
    ['truncated', (t) => t.slice(0, Math.floor(t.length / 2)), /checksum does not match/],
    ['empty', () => '', /no checksum line/],
    ['garbage', () => '\x00\xff garbage {{{ not javascript', /no checksum line/],
    ['without its checksum line (an older entry)', (t) => t.slice(t.indexOf('\n') + 1), /no checksum line/],
    // Valid JavaScript that changes the verdict: the reachable target is never reported.
    ['edited into valid but wrong code', (t) => t.replace(/found\(\d+\)/g, 'void 0'), /checksum does not match/],
  ];
  for (const [what, edit, why] of damage) {
    it(`an entry ${what} is compiled again, with a note`, async () => {
      await checkModel();
      const path = entry();
      const edited = edit(readFileSync(path, 'utf8'));
      expect(edited).not.toBe(readFileSync(path, 'utf8'));
      writeFileSync(path, edited);
      const again = await checkModel();
      expect(again.reached).toBe('reached');
      expect(again.notes).toHaveLength(1);
      expect(again.notes[0]).toMatch(why);
      expect(again.notes[0]).toMatch(/^weft: note: the cached compiled model .* is damaged .*; compiling it again$/);
      // The entry was written again: the next run is quiet.
      expect(await checkModel()).toEqual({ reached: 'reached', notes: [] });
    });
  }

  it('an entry that is a directory is compiled again, with a note', async () => {
    await checkModel();
    const path = entry();
    rmSync(path);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path);
    const again = await checkModel();
    expect(again.reached).toBe('reached');
    expect(again.notes.join('\n')).toMatch(/damaged \(cannot read it: EISDIR\)/);
  });

  it('a cache directory under a file falls back to compiling in memory, with a note', async () => {
    writeFileSync(join(tmp, 'file'), '');
    process.env.WEFT_CACHE_DIR = join(tmp, 'file', 'cache');
    const r = await checkModel();
    expect(r.reached).toBe('reached');
    expect(r.notes).toEqual([`weft: note: cannot write the compile cache ${process.env.WEFT_CACHE_DIR} (ENOTDIR); compiling in memory`]);
  });

  it.skipIf(process.getuid?.() === 0)('a read-only cache directory falls back to compiling in memory, with a note', async () => {
    chmodSync(tmp, 0o555);
    const r = await checkModel();
    expect(r.reached).toBe('reached');
    expect(r.notes.join('\n')).toMatch(/cannot write the compile cache .* \(EACCES\); compiling in memory/);
  });

  it('the command line prints the note on stderr and exits as the model says', async () => {
    writeFileSync(join(tmp, 'file'), '');
    process.env.WEFT_CACHE_DIR = join(tmp, 'file', 'cache');
    writeFileSync(join(tmp, 'm.weft'), MODEL);
    let out = '';
    let err = '';
    const code = await main(['check', join(tmp, 'm.weft'), '--no-stats'], { out: (s) => { out += `${s}\n`; }, err: (s) => { err += `${s}\n`; } });
    expect(code).toBe(0);
    expect(out).toMatch(/reachable +both +reached/);
    expect(err).toMatch(/^weft: note: cannot write the compile cache .* \(ENOTDIR\); compiling in memory\n$/);
  });
});
