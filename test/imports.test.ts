/**
 * Models in several files (`import`, src/syntax/imports.ts) and variants
 * that replace a fn (src/check/overrides.ts), on the models of
 * test/cases/imports/: counter.weft imports parts/state.weft and
 * parts/bump.weft, which imports parts/state.weft too (a diamond: read
 * once); locked.weft is a proposal that imports counter.weft and replaces
 * bump() in its variant `locked`. Pinned here: the command line's
 * transcripts (test/cases/imports/*.out), the file every position names
 * (text, JSON, ITF, HTML, Promela), the state counts and verdicts of both
 * engines, SPIN's agreement, the proofs' staleness when an imported file
 * changes, and the diagnostics of a cycle, a missing file, a name declared
 * in two files, and the limits over the files together.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';
import { loadModelFile } from '../src/commands/support.ts';
import { compileModel, parseModel, variantNames, type Reader } from '../src/pipeline.ts';
import type { Program } from '../src/lower/ir.ts';
import { check } from '../src/explore/engine.ts';
import { toJson } from '../src/report/json.ts';
import { exportPromela } from '../src/export/promela.ts';
import { htmlInputOf, renderHtml } from '../src/view/html.ts';
import { modelHash } from '../src/proofs/prove.ts';
import { sha256 } from '../src/view/recorded.ts';
import { formatDiagnostic } from '../src/text/diagnostic.ts';
import { filesOf, lineCol } from '../src/text/source.ts';
import { MAX_FILES } from '../src/syntax/imports.ts';
import { MAX_FILE_SIZE, MAX_TOKENS } from '../src/syntax/scan.ts';
import { spinAvailable } from './support/spin.ts';
import { exporters, spinAgrees } from './support/crosscheck.ts';
import { expectGolden } from './golden.ts';

const dir = 'test/cases/imports';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => { out += s.endsWith('\n') ? s : `${s}\n`; }, err: (s) => { err += s.endsWith('\n') ? s : `${s}\n`; } });
  return { code, out, err };
}

/** Every variant of a model on disk, compiled. */
function programs(path: string): Program[] {
  const loaded = loadModelFile(path);
  if (!loaded.model) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  const model = loaded.model;
  return variantNames(model).map((v) => {
    const r = compileModel(loaded.sources, model, { variant: v, defines: {} });
    if (!r.ok) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
    return r.program;
  });
}

/** Diagnostics of a model read from memory: `files` by path, the first the main one. */
function memoryDiagnostics(files: Record<string, string>): string[] {
  const [main, ...rest] = Object.entries(files);
  const read: Reader = (path) => {
    const f = rest.find(([p]) => p === path);
    return f ? { ok: true, id: path, text: f[1] } : { ok: false, why: 'no such file' };
  };
  const parsed = parseModel({ path: main![0], text: main![1] }, read);
  if (!parsed.model) return parsed.diagnostics.map((d) => d.code);
  const r = compileModel(parsed.sources, parsed.model, { variant: variantNames(parsed.model)[0]!, defines: {} });
  return r.ok ? [] : r.diagnostics.map((d) => d.code);
}

const transcripts: [name: string, args: string[], code: number][] = [
  ['counter', ['check', `${dir}/counter.weft`, '--no-stats'], 0],
  ['locked-all', ['check', `${dir}/locked.weft`, '--all-variants', '--traces', '--no-stats'], 0],
  ['locked-coverage', ['check', `${dir}/locked.weft`, '--variant', 'locked', '--coverage', '--no-stats'], 0],
  ['locked-promela', ['export', '--promela', `${dir}/locked.weft`, '--variant', 'locked'], 0],
  ['cycle', ['check', `${dir}/cycle-a.weft`], 2],
  ['missing', ['check', `${dir}/missing.weft`], 2],
  ['twice', ['check', `${dir}/twice.weft`], 2],
  ['directory', ['check', dir, '--no-stats'], 2],
];

describe('weft with models of several files: transcripts', () => {
  for (const [name, args, code] of transcripts) {
    it(`${name}: weft ${args.join(' ')}`, async () => {
      const r = await run(args);
      expectGolden(`${dir}/${name}.out`, `$ weft ${args.join(' ')}\nexit ${r.code}\n--- stdout\n${r.out}--- stderr\n${r.err}`);
      expect(r.code).toBe(code);
    });
  }
});

describe('a model of several files', () => {
  it('reads each file once, a diamond included, and declares an imported file first', () => {
    const loaded = loadModelFile(`${dir}/counter.weft`);
    expect(filesOf(loaded.sources).map((f) => f.path)).toEqual([`${dir}/counter.weft`, `${dir}/parts/state.weft`, `${dir}/parts/bump.weft`]);
    // C's #include order: state (at its first import), then bump, then counter's own.
    const names = loaded.model!.decls.map((d) => ('name' in d ? d.name.name : d.kind));
    expect(names).toEqual(['N', 'count', 'done', 'bump', 'worker', 'counted', 'racy', 'expect']);
    expect(loaded.model!.name?.name).toBe('counter');
  });

  it('has the state counts and verdicts it should on both engines; the replaced fn changes the verdict', async () => {
    for (const engine of ['reference', 'compiled'] as const) {
      const results = await Promise.all(programs(`${dir}/locked.weft`).map((p) => check(p, engine, {})));
      const summary = results.map((r) => [r.program.variant, r.stats.states, r.verdicts.find((v) => v.property === 'counted')!.status]);
      expect(summary, engine).toEqual([['racy', 28, 'violated'], ['locked', 31, 'holds']]);
    }
    const [alone] = await Promise.all(programs(`${dir}/counter.weft`).map((p) => check(p, 'reference', {})));
    expect(alone!.stats.states).toBe(28);
  });

  it('names the file of every position: steps, verdicts, coverage, ITF', async () => {
    const [racy] = programs(`${dir}/counter.weft`);
    const json = toJson(await check(racy!, 'reference', {}), { stats: false }) as unknown as JsonResult;
    const counted = json.verdicts.find((v) => v.property === 'counted')!;
    expect([counted.file, counted.line]).toEqual([`${dir}/counter.weft`, 13]);
    const steps = counted.trace!.steps.map((s) => `${s.label} ${s.file}:${s.line}:${s.column}`);
    expect(steps).toEqual([
      `read ${dir}/parts/bump.weft:6:9`, `read ${dir}/parts/bump.weft:6:9`, `write ${dir}/parts/bump.weft:7:10`,
      `finish ${dir}/counter.weft:10:11`, `write ${dir}/parts/bump.weft:7:10`, `finish ${dir}/counter.weft:10:11`,
    ]);
    expect(json.coverage.map((c) => `${c.file}:${c.line}`)).toEqual([`${dir}/parts/bump.weft:6`, `${dir}/parts/bump.weft:7`, `${dir}/counter.weft:10`]);
    // ITF: a line is the model file's unless the step names its file.
    const itf = counted.trace!.itf.states.slice(1).map((s) => s['#meta'].step);
    expect(itf.map((s) => [s.file ?? null, s.line])).toEqual([
      [`${dir}/parts/bump.weft`, 6], [`${dir}/parts/bump.weft`, 6], [`${dir}/parts/bump.weft`, 7], [null, 10], [`${dir}/parts/bump.weft`, 7], [null, 10],
    ]);
  });

  it('the HTML view shows every file, and links each step to its line in its file', async () => {
    const [racy] = programs(`${dir}/counter.weft`);
    const html = renderHtml(htmlInputOf(await check(racy!, 'reference', {}), { stats: false }));
    expect([...html.matchAll(/data-testid="source-file">([^<]*)</g)].map((m) => m[1])).toEqual([`${dir}/parts/state.weft`, `${dir}/parts/bump.weft`]);
    // A step's data-line is the key of one line of one file; the link shows that file's line.
    const first = /data-testid="step" data-step="1"[^>]*data-line="(\d+)"[\s\S]*?<a class="loc" href="#L(\d+)" data-line="\d+" title="([^"]*)">([^<]*)</.exec(html)!;
    expect(first[1]).toBe(first[2]);
    expect([first[3], first[4]]).toEqual([`${dir}/parts/bump.weft:6`, 'bump.weft:6']);
    const line = new RegExp(`<div class="line" id="L${first[1]}" data-line="${first[1]}"><a class="ln" href="#L${first[1]}" tabindex="-1">(\\d+)</a><code>(.*?)</code>`).exec(html)!;
    expect(line[1]).toBe('6');
    expect(line[2]).toContain('read');
    // Every key is one line: no two lines share an anchor.
    const ids = [...html.matchAll(/<div class="line[^"]*" id="(L\d+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('the Promela export names each line with its file, relative to the main file', () => {
    const text = exportPromela(programs(`${dir}/locked.weft`)[1]!);
    expect(text).toContain('It imports counter.weft, parts/state.weft, parts/bump.weft');
    expect(text).toContain('/* actor worker (counter.weft:7)');
    expect(text).toContain('/* read: t = count;  locked.weft:11 */');
    expect(text).toContain('/* invariant counted (counter.weft:13) */');
  });

  it('a proof covers every file the model reads: editing an imported file makes it stale', () => {
    // A single file is hashed as it always was, so that existing proofs stay fresh.
    const single = loadModelFile('models/classic/peterson.weft').sources;
    expect(modelHash(single)).toBe(sha256(single.text));
    const sources = loadModelFile(`${dir}/counter.weft`).sources;
    expect(modelHash(sources)).not.toBe(sha256(readFileSync(`${dir}/counter.weft`, 'utf8')));

    const root = mkdtempSync(join(tmpdir(), 'weft-imports-'));
    try {
      const work = join(root, 'work');
      mkdirSync(join(work, 'models'), { recursive: true });
      cpSync(`${dir}/counter.weft`, join(work, 'models/counter.weft'));
      cpSync(`${dir}/parts`, join(work, 'models/parts'), { recursive: true });
      const weft = (...args: string[]): { status: number | null; out: string } => {
        const r = spawnSync(process.execPath, [resolve('bin/weft.js'), ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, TSX_DISABLE_CACHE: '1' } });
        return { status: r.status, out: r.stdout + r.stderr };
      };
      const proved = weft('prove');
      expect(proved.status, proved.out).toBe(0);
      // parts/ is not a model of its own: only counter.weft is proved.
      expect(proved.out).toContain('models/counter.weft, variant racy: 28 states; violated counted (6)');
      expect(proved.out).not.toContain('models/parts/');
      const fresh = weft('replay', 'proofs/counter.racy.json');
      expect(fresh.status, fresh.out).toBe(0);
      const proof = JSON.parse(readFileSync(join(work, 'proofs/counter.racy.json'), 'utf8')) as { steps?: unknown; verdicts: { trace: { steps: { file: string }[] } | null }[] };
      expect(proof.verdicts.flatMap((v) => v.trace?.steps.map((s) => s.file) ?? [])).toContain('models/parts/bump.weft');
      // weft view checks the same hash, and its page shows the imported files.
      const viewed = weft('view', 'proofs/counter.racy.json', '-o', 'counter.html');
      expect(viewed.status, viewed.out).toBe(0);
      expect(readFileSync(join(work, 'counter.html'), 'utf8')).toContain('data-testid="source-file">models/parts/bump.weft<');

      // A comment added to an imported file: the proof is stale.
      const bump = join(work, 'models/parts/bump.weft');
      writeFileSync(bump, `${readFileSync(bump, 'utf8')}// edited\n`);
      const stale = weft('replay', 'proofs/counter.racy.json');
      expect(stale.status).toBe(2);
      expect(stale.out).toContain('models/counter.weft or a file it imports has changed since proofs/counter.racy.json was written (its sha256 differs)');
      expect(weft('view', 'proofs/counter.racy.json', '-o', 'counter.html').status).toBe(2);
      // Proved again, it is fresh again.
      expect(weft('prove').status).toBe(0);
      expect(weft('replay', 'proofs/counter.racy.json').status).toBe(0);
      // An imported file removed: stale too, not a stack trace.
      rmSync(join(work, 'models/parts/state.weft'));
      const gone = weft('replay', 'proofs/counter.racy.json');
      expect(gone.status).toBe(2);
      expect(gone.out).toContain('or a file it imports has changed');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);

  it('a file reached by two paths (a symbolic link) is one file', () => {
    const root = mkdtempSync(join(tmpdir(), 'weft-imports-'));
    try {
      writeFileSync(join(root, 'state.weft'), 'shared x: bool;\n');
      symlinkSync('.', join(root, 'here'));
      writeFileSync(join(root, 'main.weft'), 'import "state.weft";\nimport "here/state.weft";\nactor a { x = true; }\n');
      const loaded = loadModelFile(join(root, 'main.weft'));
      expect(loaded.diagnostics).toEqual([]);
      expect(filesOf(loaded.sources)).toHaveLength(2);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('an import of a directory is W1031 at the import', () => {
    const root = mkdtempSync(join(tmpdir(), 'weft-imports-'));
    try {
      mkdirSync(join(root, 'sub.weft'));
      writeFileSync(join(root, 'main.weft'), 'import "sub.weft";\nactor a { skip; }\n');
      const d = loadModelFile(join(root, 'main.weft')).diagnostics;
      expect(d.map((x) => x.code)).toEqual(['W1031']);
      expect(d[0]!.message).toContain('it is a directory, not a file');
      expect(lineCol(d[0]!.file, d[0]!.span.start)).toMatchObject({ path: join(root, 'main.weft'), line: 1, col: 8 });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('the limits hold for the files together', () => {
    const chain: Record<string, string> = {};
    for (let i = 0; i <= MAX_FILES; i++) chain[`f${i}.weft`] = `import "f${i + 1}.weft";\n`;
    chain[`f${MAX_FILES + 1}.weft`] = 'actor a { skip; }\n';
    expect(memoryDiagnostics(chain)).toContain('W1034');
    const big = `// ${'x'.repeat(MAX_FILE_SIZE / 2)}\n`;
    expect(memoryDiagnostics({ 'a.weft': `import "b.weft";\n${big}actor a { skip; }\n`, 'b.weft': big })).toEqual(['W1034']);
    // Two files of some 13,000 tokens each (`const bK = 1;` is five): each within the limit, not both.
    const consts = (prefix: string): string => Array.from({ length: Math.ceil(MAX_TOKENS / 10) + 100 }, (_, i) => `const ${prefix}${i} = 1;\n`).join('');
    expect(memoryDiagnostics({ 'b.weft': `${consts('b')}actor a { skip; }\n` })).toEqual([]);
    expect(memoryDiagnostics({ 'a.weft': 'import "b.weft";\nimport "c.weft";\nactor a { skip; }\n', 'b.weft': consts('b'), 'c.weft': consts('c') })).toEqual(['W1008']);
  });

  it('a replacement cannot call the fn it replaces, and a variant replaces a fn once', () => {
    const base = 'shared x: 0..3;\nfn put(v: 0..3) { x = v; }\nactor a { put(1); }\n';
    expect(memoryDiagnostics({ 'm.weft': `${base}variant v { fn put(v: 0..3) { put(v); } }\n` })).toContain('W4003');
    expect(memoryDiagnostics({ 'm.weft': `${base}variant v { fn put(v: 0..3) { x = v; } fn put(w: 0..3) { x = w; } }\n` })).toEqual(['W2002']);
    // A replacement's own errors show when its variant is checked; its signature is checked in every variant.
    expect(memoryDiagnostics({ 'm.weft': `${base}variant first {}\nvariant v { fn put(v: 0..3) { y = v; } }\n` })).toEqual([]);
    expect(memoryDiagnostics({ 'm.weft': `${base}variant first {}\nvariant v { fn put(v: bool) { skip; } }\n` })).toEqual(['W4040']);
    // Ranges must be identical: a call passing a 0..3 place must stay a call of it.
    expect(memoryDiagnostics({ 'm.weft': `${base}variant v { fn put(v: 0..2) { x = v; } }\n` })).toEqual(['W4040']);
  });

  it('an imported file\'s model line is ignored; the main file names the model', () => {
    const loaded = parseModel({ path: 'main.weft', text: 'import "part.weft";\nactor a { x = true; }\n' }, (p) => ({ ok: true, id: p, text: 'model part;\nshared x: bool;\n' }));
    expect(loaded.diagnostics).toEqual([]);
    const r = compileModel(loaded.sources, loaded.model!, { variant: null, defines: {} });
    expect(r.ok && r.program.model).toBe('main');
  });
});

describe('SPIN agrees on a model of several files', async () => {
  if (!(await spinAvailable())) {
    it.skip('SPIN cross-check skipped: spin (or gcc) is not on PATH', () => {});
    return;
  }
  const { exporters: exps } = await exporters();
  const loaded = loadModelFile(`${dir}/locked.weft`);
  for (const variant of variantNames(loaded.model!)) {
    for (const [name, exporter] of exps) {
      it(`locked.weft (${variant}) [${name}]`, async () => {
        const config = { variant, defines: {} };
        const r = compileModel(loaded.sources, loaded.model!, config);
        if (!r.ok) throw new Error('does not compile');
        const weft = await check(r.program, 'compiled', {});
        const outcome = await spinAgrees({ file: loaded.sources, model: loaded.model!, config, program: r.program }, weft, exporter);
        expect(outcome).toEqual({ kind: 'agrees', omitted: [] });
      }, 60_000);
    }
  }
});

interface JsonPosition { file: string | null; line: number | null; column: number | null }
interface JsonResult {
  verdicts: (JsonPosition & { property: string; trace: { steps: (JsonPosition & { label: string })[]; itf: { states: { '#meta': { step: { file?: string; line: number } } }[] } } | null })[];
  coverage: JsonPosition[];
}
