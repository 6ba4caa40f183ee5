/**
 * A model checked under the LKMM through its shapes (commands/shapes.ts):
 * the flagship names models/gup-barriers.weft, whose variants are the
 * store-buffering shapes its variants rest on. The verdicts themselves
 * are the LKMM mode's on gup-barriers (herd7 checks them through the
 * export in test/litmus-export.test.ts); what is tested here is that the
 * flagship reaches them, reports them by its own variants, shows them on
 * its page, and that a wrong declaration is a diagnostic.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.ts';

const FLAGSHIP = 'models/gup-writeback.weft';

describe('the flagship under the LKMM, through its shapes', () => {
  it('checks every shape and gives each variant its verdicts', async () => {
    const r = await runCli(['check', FLAGSHIP, '--memory-model', 'lkmm']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('gup_writeback under the Linux-kernel memory model: checked through its shapes in models/gup-barriers.weft (declared at models/gup-writeback.weft:');
    expect(r.stdout.match(/expectations: 1 of 1 met/g)).toHaveLength(7);
    const summary = r.stdout.slice(r.stdout.indexOf("gup_writeback's variants"));
    expect(summary).toContain([
      '  m2_v9_reclaim_keeps_pinned, m2_v9_opt_out, m2_v9_no_stable_writes, m6_jan_skip_or_wait, m6_jan_skip_or_bounce',
      '    d824_reclaim: reached pinned_unseen ✓',
      '    d824_reclaim_under_ptl: reached pinned_unseen ✓',
      '    d824_reclaim_smp_mb: unreachable pinned_unseen ✓',
      '  m3c_plan_b_check_then_clear',
      '    plan_b_check_before_clear: reached pinned_unseen ✓',
      '    plan_b_check_before_clear_smp_mb: reached pinned_unseen ✓',
      '  m3d_plan_b_clear_then_check, m3d_plan_b_unpin_redirties',
      '    plan_b_check_after_clear: reached pinned_unseen ✓',
      '    plan_b_check_after_clear_smp_mb: unreachable pinned_unseen ✓',
    ].join('\n'));
  });

  it('checks one variant\'s shapes only, and refuses a variant without shapes', async () => {
    const r = await runCli(['check', FLAGSHIP, '--memory-model', 'lkmm', '--variant', 'm3d_plan_b_clear_then_check']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('gup_barriers (plan_b_check_after_clear) under the Linux-kernel memory model');
    expect(r.stdout).not.toContain('gup_barriers (d824_reclaim)');
    const none = await runCli(['check', FLAGSHIP, '--memory-model', 'lkmm', '--variant', 'm0_unpatched']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("error[W2041]: variant 'm0_unpatched' has no shapes under the LKMM");
    const defined = await runCli(['check', FLAGSHIP, '--memory-model', 'lkmm', '-D', 'plan_b=none']);
    expect(defined.code).toBe(2);
    expect(defined.stderr).toContain('error[W2038]');
  });

  it('gives the shapes and their verdicts as JSON', async () => {
    const r = await runCli(['check', FLAGSHIP, '--memory-model', 'lkmm', '--variant', 'm3c_plan_b_check_then_clear', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { shapes: { model: string; of: { variant: string; shapes: { shape: string; verdicts: { property: string; status: string }[] }[] }[] }; results: { variant: string }[] };
    expect(j.shapes.model).toBe('models/gup-barriers.weft');
    expect(j.shapes.of).toEqual([{ variant: 'm3c_plan_b_check_then_clear', shapes: [
      { shape: 'plan_b_check_before_clear', verdicts: [{ property: 'pinned_unseen', status: 'reached' }, { property: 'data_race', status: 'holds' }] },
      { shape: 'plan_b_check_before_clear_smp_mb', verdicts: [{ property: 'pinned_unseen', status: 'reached' }, { property: 'data_race', status: 'holds' }] },
    ] }]);
    expect(j.results.map((x) => x.variant)).toEqual(['plan_b_check_before_clear', 'plan_b_check_before_clear_smp_mb']);
  });

  it('shows them on its page, in a table and in each variant\'s section', () => {
    const page = readFileSync('docs/models/gup-writeback.md', 'utf8');
    expect(page).toContain('| m3d_plan_b_clear_then_check, m3d_plan_b_unpin_redirties | plan_b_check_after_clear | reached pinned_unseen ✓ |');
    expect(page).toContain('|  | d824_reclaim_smp_mb | unreachable pinned_unseen ✓ |');
    const m3d = page.slice(page.indexOf('\n## m3d_plan_b_clear_then_check\n'));
    expect(m3d.slice(0, m3d.indexOf('\n## ', 5))).toContain('Under the Linux-kernel memory model, through its shapes in [`models/gup-barriers.weft`](../../models/gup-barriers.weft): plan_b_check_after_clear, reached pinned_unseen ✓; plan_b_check_after_clear_smp_mb, unreachable pinned_unseen ✓.');
  });
});

describe('a wrong shapes declaration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-shapes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const SHAPE = 'model sb;\nshared x: 0..1;\nactor a { WRITE_ONCE(x, 1); }\nreachable one: x == 1;\nvariant plain {}\nexpect plain: reached one;\nexpect plain under lkmm: reached one;\n';
  writeFileSync(join(dir, 'sb.weft'), SHAPE);
  writeFileSync(join(dir, 'chain.weft'), `${SHAPE}under lkmm "sb.weft" { plain: plain; }\n`);
  const model = (shapes: string): string => {
    const path = join(dir, `m${Math.random().toString(36).slice(2)}.weft`);
    writeFileSync(path, `model m;\nshared y: bool;\nactor b { y = true; }\nvariant v {}\nvariant w {}\nexpect v: holds deadlock;\nexpect w: holds deadlock;\n${shapes}\n`);
    return path;
  };

  it.each([
    ['under lkmm "sb.weft" { nothing: plain; }', 'W3082', "'nothing' is not a variant of this model"],
    ['under lkmm "sb.weft" { v: plain; v, w: plain; }', 'W3073', "variant 'v' is given shapes under lkmm twice"],
    ['under lkmm "sb.weft" { v: plain; }\nunder lkmm "sb.weft" { w: plain; }', 'W3074', 'the shapes under lkmm are declared twice'],
    ['under sc "sb.weft" { v: plain; }', 'W2037', "unknown memory model 'sc'"],
  ])('%s: %s, under both memory models', async (decl, code, message) => {
    const path = model(decl);
    for (const args of [['check', path], ['check', path, '--memory-model', 'lkmm']]) {
      const r = await runCli(args);
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr).toContain(`error[${code}]: ${message}`);
      expect(r.stderr).toMatch(new RegExp(`--> ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:[89]:\\d+`));
    }
  });

  it.each([
    ['under lkmm "missing.weft" { v: plain; }', 'W6035', 'missing.weft: no such file'],
    ['under lkmm "/etc/passwd" { v: plain; }', 'W6035', 'it is absolute'],
    ['under lkmm "chain.weft" { v: plain; }', 'W6035', 'names shapes of its own'],
    ['under lkmm "sb.weft" { v: plain, fancy; }', 'W6036', "has no variant 'fancy'"],
  ])('%s: %s when the LKMM mode reads the shapes', async (decl, code, message) => {
    const path = model(decl);
    // Under interleavings the shapes' model is not read.
    expect((await runCli(['check', path])).code).toBe(0);
    const r = await runCli(['check', path, '--memory-model', 'lkmm']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error[${code}]`);
    expect(r.stderr).toContain(message);
  });

  it('checks a model\'s own steps with --actors, not its shapes', async () => {
    const path = model('under lkmm "sb.weft" { v: plain; }');
    const r = await runCli(['check', path, '--memory-model', 'lkmm', '--variant', 'v', '--actors', 'b']);
    expect(r.stdout).toContain('m (v) under the Linux-kernel memory model');
    expect(r.stdout).not.toContain('through its shapes');
  });
});
