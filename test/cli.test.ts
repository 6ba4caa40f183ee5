/**
 * The command line, end to end: exit codes, what goes to stdout and stderr,
 * and the exact text of reports and traces, pinned as transcripts under
 * test/cases/cli/*.out (`npm run accept` rewrites them). Runs `main()` in
 * process; test/faults.test.ts spawns the real binary for signals and
 * write errors.
 */
import { describe, expect, it } from 'vitest';
import { internalErrorText, main } from '../src/cli.ts';
import { expectGolden } from './golden.ts';

async function run(args: string[], signal?: AbortSignal): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => { out += s.endsWith('\n') ? s : `${s}\n`; }, err: (s) => { err += s.endsWith('\n') ? s : `${s}\n`; } }, signal);
  return { code, out, err };
}

const dir = 'test/cases/cli';
const transcripts: [name: string, args: string[], code: number][] = [
  ['lost-update', ['check', `${dir}/lost-update.weft`, '--no-stats'], 1],
  ['options-table', ['check', `${dir}/options.weft`, '--all-variants', '--no-stats'], 0],
  ['options-markdown', ['check', `${dir}/options.weft`, '--all-variants', '--markdown'], 0],
  ['options-define', ['check', `${dir}/options.weft`, '--variant', 'locked', '-D', 'limit=3', '--no-stats'], 1],
  ['options-bad-define', ['check', `${dir}/options.weft`, '-D', 'limit=9'], 2],
  ['options-unknown-define', ['check', `${dir}/options.weft`, '-D', 'speed=9'], 2],
  ['options-unknown-variant', ['check', `${dir}/options.weft`, '--variant', 'fast'], 2],
  ['options-empty-variant', ['check', `${dir}/options.weft`, '--variant', ''], 2],
  ['options-define-bool-number', ['check', `${dir}/options.weft`, '-D', 'careful=1'], 2],
  ['options-define-int-word', ['check', `${dir}/options.weft`, '-D', 'limit=abc'], 2],
  ['options-define-twice', ['check', `${dir}/options.weft`, '-D', 'limit=2', '-D', 'limit=3'], 2],
  ['options-define-not-option', ['check', `${dir}/options.weft`, '-D', 'limit'], 2],
  ['enum-define-non-member', ['check', `${dir}/enum-option.weft`, '-D', 'order=both_first'], 2],
  ['enum-define-member', ['check', `${dir}/enum-option.weft`, '-D', 'order=writer_first', '--no-stats'], 0],
  ['compile-empty-variant', ['compile', `${dir}/options.weft`, '--variant', ''], 2],
  ['export-define-twice', ['export', '--promela', `${dir}/options.weft`, '-D', 'careful=true', '-D', 'careful=false'], 2],
  ['html-to-full-device', ['check', `${dir}/lost-update.weft`, '--html', '/dev/full'], 2],
  ['html-to-missing-directory', ['check', `${dir}/lost-update.weft`, '--html', `${dir}/no-such-directory/lost.html`], 2],
  ['html-to-directory', ['check', `${dir}/lost-update.weft`, '--html', dir], 2],
  ['compile-to-full-device', ['compile', `${dir}/lost-update.weft`, '-o', '/dev/full'], 2],
  ['export-to-directory', ['export', '--promela', `${dir}/lost-update.weft`, '-o', dir], 2],
  ['check-a-directory-as-file', ['compile', dir], 2],
  ['max-states', ['check', `${dir}/big.weft`, '--max-states', '500', '--no-stats'], 3],
  ['missing-file', ['check', `${dir}/no-such-model.weft`], 2],
  ['syntax-error', ['check', 'test/cases/diagnostics/W1001-missing-semicolon.weft'], 2],
  ['bad-flag', ['check', '--frobnicate', `${dir}/options.weft`], 2],
  ['bad-limit', ['check', `${dir}/big.weft`, '--max-states', 'lots'], 2],
  ['coverage', ['check', `${dir}/options.weft`, '--coverage', '--no-stats'], 0],
  ['trace-full', ['check', `${dir}/lost-update.weft`, '--trace-style', 'full', '--no-stats'], 1],
  ['bad-trace-style', ['check', `${dir}/lost-update.weft`, '--trace-style', 'long'], 2],
  ['expect-list', ['check', `${dir}/expect-list.weft`, '--no-stats'], 1],
  ['many', ['check', 'test/cases/many', '--no-stats'], 2],
  ['many-files', ['check', 'test/cases/many/handoff.weft', 'models/classic/peterson.weft'], 0],
  ['many-json', ['check', 'test/cases/many', '--json'], 2],
  ['view-not-a-record', ['view', `${dir}/not-a-record.json`], 2],
  ['view-missing', ['view', `${dir}/no-such-record.json`], 2],
  // weft diff and --format mail (docs/mail.md); the flagship's are in test/mail.test.ts.
  ['mail-all-variants', ['check', 'models/classic/refcount.weft', '--all-variants', '--format', 'mail'], 0],
  ['mail-lasso', ['check', 'models/classic/peterson.weft', '--variant', 'peterson_unfair', '--format', 'mail'], 0],
  ['mail-deadlock', ['check', 'models/classic/philosophers5.weft', '--variant', 'left_first', '--format', 'mail'], 0],
  ['diff', ['diff', 'models/classic/refcount.weft', 'unlocked', 'inc_not_zero'], 0],
  ['diff-opens-mail', ['diff', 'models/classic/peterson.weft', 'peterson', 'turn_first', '--format', 'mail'], 0],
  ['diff-reachable', ['diff', 'models/classic/increment3.weft', 'plain', 'atomic_inc'], 0],
  ['diff-incomplete', ['diff', `${dir}/options.weft`, 'sloppy', 'locked', '--max-states', '3'], 3],
  ['diff-unknown-variant', ['diff', `${dir}/options.weft`, 'sloppy', 'fast'], 2],
  ['diff-same-variant', ['diff', `${dir}/options.weft`, 'locked', 'locked'], 2],
  ['diff-no-variants', ['diff', `${dir}/lost-update.weft`, 'default', 'default'], 2],
  ['mail-and-json', ['check', `${dir}/options.weft`, '--format', 'mail', '--json'], 2],
  ['diff-mail-and-json', ['diff', `${dir}/options.weft`, 'sloppy', 'locked', '--format', 'mail', '--json'], 2],
  ['diff-por', ['diff', 'models/classic/refcount.weft', 'unlocked', 'inc_not_zero', '--por'], 0],
  ['diff-symmetry', ['diff', 'test/cases/symmetry/barrier.weft', 'fixed', 'unlocked'], 0],
  ['diff-por-with-reference', ['diff', 'models/classic/refcount.weft', 'unlocked', 'inc_not_zero', '--por', '--engine', 'reference'], 2],
  ['diff-store-with-reference', ['diff', 'models/classic/refcount.weft', 'unlocked', 'inc_not_zero', '--store', 'tree', '--engine', 'reference'], 2],
  ['mail-many', ['check', 'test/cases/many', '--format', 'mail'], 2],
  ['bad-format', ['check', `${dir}/options.weft`, '--format', 'html'], 2],
  ['bad-store', ['check', `${dir}/options.weft`, '--store', 'disk'], 2],
  ['store-with-reference', ['check', `${dir}/options.weft`, '--engine', 'reference', '--store', 'tree'], 2],
  // Proofs: lost-update.proof.json is what `npx weft prove test/cases/cli/lost-update.weft` writes to
  // proofs/lost-update.default.json (move it here after a change to the model or the format); the tampered
  // copy gives step #3 to thread[0]; malformed-proof.json has no steps array.
  ['replay', ['replay', `${dir}/lost-update.proof.json`], 0],
  ['replay-traces-only', ['replay', '--traces-only', `${dir}/lost-update.proof.json`], 0],
  ['replay-tampered', ['replay', `${dir}/lost-update.tampered.json`], 1],
  ['replay-malformed', ['replay', `${dir}/malformed-proof.json`], 2],
  ['replay-not-a-proof', ['replay', `${dir}/not-a-record.json`], 2],
  ['replay-missing', ['replay', `${dir}/no-such-proof.json`], 2],
  ['prove-missing', ['prove', `${dir}/no-such-model.weft`], 2],
  ['prove-syntax-error', ['prove', 'test/cases/diagnostics/W1001-missing-semicolon.weft'], 2],
];

describe('weft check transcripts', () => {
  for (const [name, args, code] of transcripts) {
    it(`${name}: weft ${args.join(' ')}`, async () => {
      const r = await run(args);
      expectGolden(`${dir}/${name}.out`, `$ weft ${args.join(' ')}\nexit ${r.code}\n--- stdout\n${r.out}--- stderr\n${r.err}`);
      expect(r.code).toBe(code);
      expect(r.err).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // never a stack trace
    });
  }
});

describe('weft check', () => {
  it('is deterministic: the same trace on every run', async () => {
    const a = await run(['check', `${dir}/lost-update.weft`, '--no-stats']);
    const b = await run(['check', `${dir}/lost-update.weft`, '--no-stats']);
    expect(a.out).toBe(b.out);
  });

  it('an interrupted run reports what it found, with exit code 3', async () => {
    const r = await run(['check', `${dir}/big.weft`, '--no-stats'], AbortSignal.abort());
    expect(r.code).toBe(3);
    expect(r.out).toContain('interrupted');
  });

  it('--time-limit ends a run with exit code 3', async () => {
    const r = await run(['check', `${dir}/big.weft`, '--time-limit', '0.2']);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/time limit/);
  });

  it('--max-memory ends a run cleanly before the limit, with exit code 3', async () => {
    const r = await run(['check', `${dir}/big.weft`, '--max-memory', '1']);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/the memory limit was reached/);
  });

  it('--html writes the trace view beside the text report', async () => {
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const tmp = mkdtempSync(`${tmpdir()}/weft-html-`);
    try {
      const out = `${tmp}/lost.html`;
      const r = await run(['check', `${dir}/lost-update.weft`, '--html', out, '--no-stats']);
      expect(r.code).toBe(1);
      expect(r.out).toContain('assert all_counted violated after 8 steps');
      const page = readFileSync(out, 'utf8');
      expect(page).toMatch(/^<!doctype html>/i);
      expect(page.match(/data-testid="step"/g)).toHaveLength(8);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('--all-variants --html writes one page: the property × variant table linked to every variant\'s traces', async () => {
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const tmp = mkdtempSync(`${tmpdir()}/weft-html-`);
    try {
      const out = `${tmp}/all.html`;
      const r = await run(['check', `${dir}/options.weft`, '--all-variants', '--html', out, '--no-stats']);
      expect(r.code).toBe(0);
      expect(r.out).toContain('test/cases/cli/options.weft: 2 variants');
      const page = readFileSync(out, 'utf8');
      expect(page.match(/data-testid="variant"/g)).toHaveLength(2);
      // sloppy violates within_limit (4 steps); both reach at_limit: three cells link to a trace, each on the page.
      const links = [...page.matchAll(/data-testid="cell"[^>]*><a href="#([^"]+)"/g)].map((m) => m[1]!);
      expect(links).toEqual(['v-sloppy-trace-within_limit', 'v-sloppy-trace-at_limit', 'v-locked-trace-at_limit']);
      for (const id of links) expect(page.match(new RegExp(`id="${id}"`, 'g')), id).toHaveLength(1);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  // The compact table (report/table.ts): letters for variants, blocks when they do not fit.
  const widest = (text: string): number => Math.max(...text.split('\n').map((l) => [...l].length));
  it('--all-variants: the table of 30 variants with long names fits in 100 columns, every variant in it', async () => {
    const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const tmp = mkdtempSync(`${tmpdir()}/weft-table-`);
    try {
      const names = Array.from({ length: 30 }, (_, i) => `variant_with_a_rather_long_name_${String(i).padStart(2, '0')}`);
      const variants = names.map((n, i) => `variant ${n} { careful = ${i % 3 === 0}; }\n` +
        `expect ${n}: ${i % 3 === 0 ? 'holds' : 'violated'} within_limit;\nexpect ${n}: reached at_limit;\n`);
      const model = readFileSync(`${dir}/options.weft`, 'utf8').replace(/^variant[\s\S]*$/m, variants.join(''));
      writeFileSync(`${tmp}/many.weft`, model);
      for (const stats of [[], ['--no-stats']]) {
        const r = await run(['check', `${tmp}/many.weft`, '--all-variants', ...stats]);
        expect(r.code, r.err).toBe(0);
        expect(widest(r.out), r.out).toBeLessThanOrEqual(100);
        // Each variant is a letter: every name in the legend under the table once, A to AD in the heads.
        for (const [i, n] of names.entries()) expect(r.out.match(new RegExp(`^${i < 26 ? String.fromCharCode(65 + i) : `A${String.fromCharCode(65 + i - 26)}`} ${n} \\(`, 'gm')), n).toHaveLength(1);
        const heads = [...r.out.matchAll(/^ {10,}((?:[A-Z]{1,2} +)*[A-Z]{1,2})$/gm)].flatMap((m) => m[1]!.split(/ +/));
        expect(heads).toHaveLength(30);
        // sloppy (i % 3 != 0) violates within_limit: its row reads X . . and so on, for every variant, in its block.
        const rows = [...r.out.matchAll(/^ {2}within_limit +(.*)$/gm)].flatMap((m) => m[1]!.trim().split(/ +/));
        expect(rows).toEqual(names.map((_, i) => (i % 3 === 0 ? '.' : 'X')));
      }
      // The Markdown table is the wordy one, however wide.
      const md = await run(['check', `${tmp}/many.weft`, '--all-variants', '--markdown', '--no-stats']);
      expect(md.out).toContain(`| property | ${names.join(' | ')} |`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('--all-variants: the flagship\'s table (26 variants) fits in 100 columns', async () => {
    const r = await run(['check', 'models/gup-writeback.weft', '--all-variants', '--no-stats']);
    expect(r.code, r.err).toBe(0);
    expect(widest(r.out), r.out).toBeLessThanOrEqual(100);
    const variants = (await import('../src/pipeline.ts')).variantNames((await import('../src/commands/support.ts')).loadModelFile('models/gup-writeback.weft').model!);
    expect(variants.length).toBeGreaterThanOrEqual(26);
    for (const v of variants) expect(r.out, v).toMatch(new RegExp(`^[A-Z]{1,2} ${v} \\(`, 'm'));
  }, 0);

  it('weft check DIR: a line per model, its variants under it, in 80 columns', async () => {
    const r = await run(['check', 'models/classic', '--no-stats']);
    expect(r.code, r.err).toBe(0);
    expect(widest(r.out), r.out).toBeLessThanOrEqual(80);
    expect(r.out).toMatch(/^models\/classic\/peterson\.weft\n {2}peterson +20 /m);
  });

  it('weft check FILE: the other variants are named in 80 columns', async () => {
    const r = await run(['check', 'models/gup-writeback.weft', '--no-stats', '--quiet']);
    const tail = r.out.slice(r.out.lastIndexOf('\n('));
    expect(tail).toMatch(/^\n\(\d+ more variants: m1_v9, /);
    expect(widest(tail), tail).toBeLessThanOrEqual(80);
  });

  it('weft view pages a recorded check; a changed model is refused', async () => {
    const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const tmp = mkdtempSync(`${tmpdir()}/weft-view-`);
    try {
      const r = await run(['check', `${dir}/lost-update.weft`, '--json']);
      writeFileSync(`${tmp}/lost.json`, r.out);
      const v = await run(['view', `${tmp}/lost.json`]);
      expect(v.code).toBe(0);
      expect(v.out).toBe(`${tmp}/lost.html: lost_update, variant default, 1 trace\n`);
      expect(readFileSync(`${tmp}/lost.html`, 'utf8').match(/data-testid="step"/g)).toHaveLength(8);
      // A record with a hash of another text: the model changed since.
      writeFileSync(`${tmp}/stale.json`, JSON.stringify({ file: `${dir}/lost-update.weft`, variant: 'default', options: {}, modelHash: '0'.repeat(64) }));
      const stale = await run(['view', `${tmp}/stale.json`]);
      expect(stale.code).toBe(2);
      expect(stale.err).toMatch(/has changed since .* was recorded/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('--json follows docs/json.md', async () => {
    const r = await run(['check', `${dir}/lost-update.weft`, '--json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as { weft: string; results: { variant: string; complete: boolean; verdicts: { property: string; status: string; trace?: { steps: unknown[] } }[]; expectations: { met: boolean }[] }[] };
    expect(json.results).toHaveLength(1);
    const all = json.results[0]!.verdicts.find((v) => v.property === 'all_counted')!;
    expect(all.status).toBe('violated');
    expect(all.trace!.steps.length).toBeGreaterThan(0);
    expect(json.results[0]!.expectations.some((e) => e.met === false)).toBe(true);
  });
});

describe('an internal error', () => {
  it('says "internal error" once, whether or not the message said it', () => {
    const tail = '\nThis is a bug in Weft; please report it with the model that caused it.';
    expect(internalErrorText(new Error('internal error: state 3 is not a successor of its parent'))).toBe(`weft: internal error: state 3 is not a successor of its parent${tail}`);
    expect(internalErrorText(new Error('Cannot find module x'))).toBe(`weft: internal error: Cannot find module x${tail}`);
    expect(internalErrorText('thrown text')).toBe(`weft: internal error: thrown text${tail}`);
  });
});

describe('weft diff searches as weft check does', () => {
  const args = ['diff', 'test/cases/symmetry/barrier.weft', 'fixed', 'unlocked'];
  interface Side { states: number; reduction: { kind: string } | null }
  interface DiffJson { a: Side; b: Side; properties: { property: string; change: string; a: { status: string } | null; b: { status: string } | null }[] }
  const json = async (more: string[]): Promise<DiffJson> => JSON.parse((await run([...more, '--json'])).out) as DiffJson;
  // What B does to each property, and both verdicts (not their traces' lengths, which a reduced search may change).
  const verdicts = (j: DiffJson): string[] => j.properties.map((p) => `${p.property} ${p.change} ${p.a?.status} ${p.b?.status}`);

  it('--store tree: the same report, byte for byte', async () => {
    const [table, tree] = await Promise.all([run([...args]), run([...args, '--store', 'tree'])]);
    expect(tree).toEqual(table);
    expect(table.code).toBe(0);
  });

  it('--no-symmetry: the same verdicts from more states, and no line about the reduction', async () => {
    const [reduced, full, text] = await Promise.all([json(args), json([...args, '--no-symmetry']), run([...args, '--no-symmetry'])]);
    expect(verdicts(full)).toEqual(verdicts(reduced));
    expect(verdicts(reduced)).toContain('ranges opens holds violated');
    expect([reduced.a.reduction?.kind, reduced.b.reduction?.kind, full.a.reduction, full.b.reduction]).toEqual(['symmetry', 'symmetry', null, null]);
    expect(full.a.states).toBeGreaterThan(reduced.a.states);
    expect(full.b.states).toBeGreaterThan(reduced.b.states);
    expect(text.out).not.toMatch(/reduction/);
  });

  it('--por: the same verdicts as the full search, and the JSON says which side was reduced', async () => {
    const refcount = ['diff', 'models/classic/refcount.weft', 'unlocked', 'inc_not_zero'];
    const [full, por] = await Promise.all([json(refcount), json([...refcount, '--por'])]);
    expect(verdicts(por)).toEqual(verdicts(full));
    expect(verdicts(full)).toContain('no_use_after_free closes violated holds');
    expect([por.a.reduction?.kind, por.b.reduction?.kind, full.a.reduction, full.b.reduction]).toEqual(['por', 'por', null, null]);
    expect(por.a.states).toBeLessThan(full.a.states);
  });
});
