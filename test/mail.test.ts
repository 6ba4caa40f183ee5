/**
 * `--format mail` and `weft diff` (docs/mail.md): on the flagship, every
 * line of the report printable ASCII and at most 80 columns, the race of
 * T1 drawn with the pinner as CPU0 and reclaim as CPU1; one flagship diff
 * pinned as a golden (the classic models' are transcripts in
 * test/cli.test.ts, and are held to 80 columns here too); docs/mail.md's
 * excerpts are what the commands print; text from the model reaches the
 * report as ASCII; `weft diff --json` classifies as the text does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';
import { compileSource } from '../src/pipeline.ts';
import { check } from '../src/explore/engine.ts';
import { formatMail } from '../src/report/mail.ts';
import { expectGolden } from './golden.ts';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => { out += s.endsWith('\n') ? s : `${s}\n`; }, err: (s) => { err += s.endsWith('\n') ? s : `${s}\n`; } });
  return { code, out, err };
}

/** The lines that break the mail rule: wider than 80 columns, or not printable ASCII. */
function badLines(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 80 || /[^\x20-\x7e]/.test(l));
}

describe('--format mail on the flagship', () => {
  it('weft check --all-variants: 80 ASCII columns, a table of every variant by letter, T1 drawn as a race', async () => {
    const r = await run(['check', 'models/gup-writeback.weft', '--all-variants', '--format', 'mail', '--quiet']);
    expect(r.code).toBe(0);
    expect(badLines(r.out)).toEqual([]);
    const variants = Number(/^models\/gup-writeback\.weft: (\d+) variants$/m.exec(r.out)?.[1]);
    expect(variants).toBeGreaterThan(10);
    // The columns are the variants by letter, as many in a block as fit 80 columns, every letter in a block.
    const letters = [...r.out.matchAll(/^ {32}([A-Z](?: {2}[A-Z])*)$/gm)].flatMap((m) => m[1]!.split(/ +/));
    expect(letters).toEqual([...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].slice(0, variants));
    expect(r.out).toContain('A m0_unpatched (');
    const t1 = r.out.slice(r.out.indexOf('m0_unpatched: invariant pin_keeps_fs_data violated'));
    expect(t1).toMatch(/^CPU0 \(pinner\) +CPU1 \(reclaim\)$/m);
    expect(t1).toMatch(/^ +try_to_free_buffers \[#\d+\]$/m);
    expect(t1).toMatch(/^-> invariant pin_keeps_fs_data violated: /m);
  }, 60_000);

  it('weft diff m0_unpatched m1_v9 --format mail', async () => {
    const r = await run(['diff', 'models/gup-writeback.weft', 'm0_unpatched', 'm1_v9', '--format', 'mail', '--quiet']);
    expect(r.code).toBe(0);
    expect(badLines(r.out)).toEqual([]);
    expectGolden('test/cases/mail/gup-m0-m1.out', r.out);
  }, 60_000);
});

describe('--format mail', () => {
  it('every mail and diff transcript keeps to 80 ASCII columns', () => {
    const dir = 'test/cases/cli';
    const files = readdirSync(dir).filter((f) => /^(mail|diff)-?.*\.out$/.test(f) && !/(json|many|unknown|same|no-variants)/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(6);
    // The report is the transcript's stdout; its first line, the command, is the test's.
    const stdout = (t: string): string => t.slice(t.indexOf('--- stdout\n'), t.indexOf('--- stderr\n'));
    for (const f of files) expect(badLines(stdout(readFileSync(`${dir}/${f}`, 'utf8'))), f).toEqual([]);
  });

  it("docs/mail.md's excerpts are what the commands print", async () => {
    const doc = readFileSync('docs/mail.md', 'utf8');
    const blocks = [...doc.matchAll(/```\n\$ npx weft (.*)\n([\s\S]*?)```\n/g)];
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const [, command, text] of blocks) {
      const r = await run([...command!.split(' '), '--quiet']);
      // `...` on a line of its own stands for lines left out.
      for (const piece of text!.split(/^\.\.\.\n/m).filter((x) => x !== '')) expect(r.out, `docs/mail.md: the output of weft ${command} differs`).toContain(piece);
    }
  });

  it('text from the model is printed as ASCII', async () => {
    const text = 'shared x: 0..2;\nactor a { x = 1; }\nactor b { assert(x == 0, "na\u00efve \u2192 wrong"); }\n';
    const compiled = compileSource({ path: 'caf\u00e9.weft', text }, { variant: null, defines: {} });
    if (!compiled.ok) throw new Error('does not compile');
    const result = await check(compiled.program, 'compiled', {});
    const mail = formatMail('caf\u00e9.weft', [{ result, outcomes: [] }]);
    expect(badLines(mail)).toEqual([]);
    expect(mail).toContain('na\\u{ef}ve \\u{2192} wrong');
  });
});

describe('weft diff --json', () => {
  it('classifies each property as the text does', async () => {
    const r = await run(['diff', 'models/classic/increment3.weft', 'plain', 'atomic_inc', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { a: { variant: string }; b: { variant: string }; properties: { property: string; change: string; a: { status: string; steps?: number } }[] };
    expect([json.a.variant, json.b.variant]).toEqual(['plain', 'atomic_inc']);
    const change = Object.fromEntries(json.properties.map((p) => [p.property, p.change]));
    expect(change).toEqual({ lost_one: 'no-longer-reached', lost_two: 'no-longer-reached', sum_ok: 'closes', deadlock: 'holds-both', ranges: 'holds-both', locking: 'holds-both' });
    expect(json.properties.find((p) => p.property === 'sum_ok')!.a).toEqual({ status: 'violated', steps: 8, loopStart: null, end: null });
  });
});
