/**
 * Weft installed as a user installs it, outside the clone: `npm pack` (its
 * `prepack` builds dist/ from src/, scripts/build.mjs), then
 * `npm install -g ./weft-mc-VERSION.tgz` into a temporary prefix (nothing
 * global changes), and the installed `weft`, found on PATH, run in a
 * temporary directory with a temporary HOME: its version, the exit codes
 * 0, 1 and 2, a warm run that cannot load the TypeScript compiler, and
 * Ctrl-C during a search (exit 3 with the report so far), through the
 * installed binary and, in the clone, through `npx weft` and
 * `npm run weft --` (README.md, exit codes). Signals are sent
 * when the child prints its one-line note that the compile cache cannot be
 * written, just before the search (as in test/faults.test.ts), never after
 * a fixed delay, and to the whole process group, as a terminal's Ctrl-C is.
 *
 * The install resolves @ts-morph/bootstrap's dependencies with
 * --prefer-offline: from npm's cache when it has them, else from the
 * registry once. Everything is made under one temporary directory, removed
 * afterwards.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve('.');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const HOLDS = 'shared x: 0..1;\nactor a { s: x = 1; }\ninvariant small: x <= 1;\n';
const VIOLATED = 'shared x: 0..2;\nactor a[2] { s: x += 1; }\ninvariant at_most_one: x <= 1;\n';
const BROKEN = 'shared x: 0..1;\nactor a { s: x = ; }\n';
/** 16^7 states: no machine finishes it before the signal. */
const ENDLESS = 'model endless;\nshared a: 0..15[7];\nactor walker[7] { loop { pick a[self] in 0..15; } }\n';

let tmp: string;
let prefix: string;
let work: string;
let home: string;
let pkgDir: string;

/** The environment of a user's shell: the prefix's bin first on PATH, a fresh HOME, no cache override. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(prefix, 'bin')}${delimiter}${process.env.PATH ?? ''}`, HOME: home, ...extra };
  if (!('WEFT_CACHE_DIR' in extra)) delete env.WEFT_CACHE_DIR;
  delete env.XDG_CACHE_HOME;
  return env;
}

function npm(args: string[], cwd: string): string {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'weft-install-'));
  prefix = join(tmp, 'prefix');
  work = join(tmp, 'work');
  home = join(tmp, 'home');
  for (const d of [work, home]) mkdirSync(d);
  writeFileSync(join(work, 'holds.weft'), HOLDS);
  writeFileSync(join(work, 'violated.weft'), VIOLATED);
  writeFileSync(join(work, 'broken.weft'), BROKEN);
  writeFileSync(join(work, 'endless.weft'), ENDLESS);
  writeFileSync(join(tmp, 'a-file'), '');
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', tmp], ROOT)) as { filename: string }[];
  const tarball = join(tmp, packed[0]!.filename);
  npm(['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], tmp);
  pkgDir = join(prefix, 'lib', 'node_modules', 'weft-mc');
}, 0);
afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

interface Ended { code: number | null; signal: NodeJS.Signals | null; out: string; err: string }

/**
 * Runs `cmd` in its own process group; `onErr` sees stderr as it grows and
 * may send a signal to the whole group, as a terminal's Ctrl-C does.
 */
function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; onErr?: (err: string, signalGroup: (s: NodeJS.Signals) => void) => void } = {}): Promise<Ended> {
  const child = spawn(cmd, args, { cwd: opts.cwd ?? work, env: opts.env ?? userEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); opts.onErr?.(err, (s) => process.kill(-child.pid!, s)); });
  return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, out, err })));
}

describe('the packed package, installed with npm install -g', () => {
  it('ships the built JavaScript, the grammar and the contract, and no TypeScript sources to compile at start-up', () => {
    expect(existsSync(join(pkgDir, 'dist', 'cli.js'))).toBe(true);
    expect(existsSync(join(pkgDir, 'grammar', 'weft.ohm'))).toBe(true);
    expect(existsSync(join(pkgDir, 'src', 'emit', 'contract.ts'))).toBe(true);
    expect(existsSync(join(pkgDir, 'src', 'cli.ts'))).toBe(false);
    expect(readdirSync(join(pkgDir, 'node_modules'))).not.toContain('tsx');
  });

  it('puts weft on PATH, and weft --version prints package.json\'s version', async () => {
    const which = spawnSync('sh', ['-c', 'command -v weft'], { env: userEnv(), encoding: 'utf8' });
    expect(which.stdout.trim()).toBe(join(prefix, 'bin', 'weft'));
    const r = await run('weft', ['--version']);
    expect([r.code, r.out, r.err]).toEqual([0, `${VERSION}\n`, '']);
  });

  it('checks a model outside the clone: exit 0, and the compile cache in the user\'s cache directory', async () => {
    const r = await run('weft', ['check', 'holds.weft', '--no-stats']);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/invariant\s+small\s+holds/);
    expect(r.code).toBe(0);
    expect(readdirSync(join(home, '.cache', 'weft')).filter((f) => f.endsWith('.mjs'))).toHaveLength(1);
  });

  it('a warm run does not load the TypeScript compiler: it works with the compiler gone', async () => {
    await run('weft', ['check', 'holds.weft', '--no-stats']);
    // @ts-morph/common holds the TypeScript compiler @ts-morph/bootstrap loads; bootstrap's package.json stays (its version is in the cache key).
    const tsMorph = join(pkgDir, 'node_modules', '@ts-morph', 'common');
    const aside = join(tmp, 'ts-morph-aside');
    renameSync(tsMorph, aside);
    try {
      const warm = await run('weft', ['check', 'holds.weft', '--no-stats']);
      expect([warm.code, warm.err]).toEqual([0, '']);
      // The same model under a cache of its own misses, and then the compiler is needed: the test can fail.
      const cold = await run('weft', ['check', 'holds.weft', '--no-stats'], { env: userEnv({ WEFT_CACHE_DIR: join(tmp, 'cold-cache') }) });
      expect(cold.code).not.toBe(0);
      expect(cold.err).toMatch(/weft: internal error: Cannot find module '@ts-morph\/common'/);
    } finally {
      renameSync(aside, tsMorph);
    }
  });

  it('exit 1 for a violated property, with its trace', async () => {
    const r = await run('weft', ['check', 'violated.weft', '--no-stats']);
    expect(r.out).toMatch(/invariant at_most_one violated after 2 steps/);
    expect(r.code).toBe(1);
  });

  it('exit 2 for a syntax error, with the file, line and column', async () => {
    const r = await run('weft', ['check', 'broken.weft']);
    expect(r.err).toMatch(/broken\.weft:2:\d+/);
    expect(r.code).toBe(2);
  });

  it('--workers 2 runs worker threads from dist/worker.js, with the single thread\'s output, and exits', async () => {
    const args = ['check', join(ROOT, 'bench', 'models', 'philosophers.weft'), '-D', 'N=10', '--no-stats', '-q'];
    const one = await run('weft', [...args, '--workers', '1']);
    const two = await run('weft', [...args, '--workers', '2']);
    expect(two.err).toBe('');
    expect([two.code, two.out]).toEqual([one.code, one.out]);
    expect(one.out).toMatch(/deadlock/);
  });

  it('checks the flagship from the clone\'s models/, imports included', async () => {
    const r = await run('weft', ['check', join(ROOT, 'models', 'gup-writeback.weft'), '--no-stats', '-q']);
    expect(r.out).toMatch(/expectations: (\d+) of \1 met/);
    expect(r.code).toBe(0);
  });
});

describe('Ctrl-C ends the search with the report so far and exit 3', () => {
  const ctrlC = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) => {
    let sent = false;
    return run(cmd, args, {
      cwd,
      env: { ...env, WEFT_CACHE_DIR: join(tmp, 'a-file', 'cache') },
      onErr: (err, signalGroup) => { if (!sent && err.includes('compiling in memory')) { sent = true; signalGroup('SIGINT'); } },
    }).then((r) => ({ ...r, sent }));
  };

  it('the installed weft', async () => {
    const r = await ctrlC('weft', ['check', 'endless.weft', '--no-stats'], work, userEnv());
    expect(r.sent).toBe(true);
    expect(r.out).toMatch(/search incomplete: interrupted/);
    expect(r.out).toMatch(/[\d,]+ states?, [\d,]+ transitions?/);
    expect([r.code, r.signal]).toEqual([3, null]);
  });

  it('npx weft in the clone (npm forwards the same Ctrl-C again; .npmrc runs the bin through bash, not dash)', async () => {
    const r = await ctrlC('npx', ['weft', 'check', join(work, 'endless.weft'), '--no-stats'], ROOT, process.env);
    expect(r.sent).toBe(true);
    expect(r.out).toMatch(/search incomplete: interrupted/);
    expect([r.code, r.signal]).toEqual([3, null]);
  });

  it('npm run weft -- in the clone', async () => {
    const r = await ctrlC('npm', ['run', '--silent', 'weft', '--', 'check', join(work, 'endless.weft'), '--no-stats'], ROOT, process.env);
    expect(r.sent).toBe(true);
    expect(r.out).toMatch(/search incomplete: interrupted/);
    expect([r.code, r.signal]).toEqual([3, null]);
  });
});
