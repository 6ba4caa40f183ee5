/**
 * proofs/ is the golden set for models/: every model and variant is
 * checked again and must give exactly the stored proof (verdicts, counts,
 * traces), its text traces and the generated docs/models/ page; a proof
 * of a model that has changed since is stale, and a file no model gives
 * any more is extra. Each failure names the file and the command that
 * writes it again. Every stored trace must replay on the reference
 * interpreter, and a tampered one is rejected at the step that was changed.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, proofsOf, staleFiles } from '../src/cli.ts';
import { compileSource, variantNames, parseModel } from '../src/pipeline.ts';
import { check } from '../src/explore/engine.ts';
import { recordsOf, sha256 } from '../src/view/recorded.ts';
import { ownedBy, proofFiles, proofJson, proofStem } from '../src/proofs/prove.ts';
import { readProof } from '../src/proofs/format.ts';
import { replayTrace } from '../src/proofs/replay.ts';
import { commentAbove, commentMarkdown, leadingComment } from '../src/proofs/comments.ts';
import { describeChange } from '../src/proofs/diff.ts';
import { accepting } from './golden.ts';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => { out += `${s}\n`; }, err: (s) => { err += `${s}\n`; } });
  return { code, out, err };
}

const proofNames = (): string[] => readdirSync('proofs').filter((f) => f.endsWith('.json')).sort();

describe('proofs/', () => {
  it('every proof is fresh: the model it proves has not changed since', () => {
    const stale: string[] = [];
    for (const name of proofNames()) {
      const proof = JSON.parse(readFileSync(join('proofs', name), 'utf8')) as { file: string; modelHash: string };
      if (!existsSync(proof.file)) stale.push(`proofs/${name} proves ${proof.file}, which is gone: run \`npx weft prove\` (it removes the proofs of models that are gone)`);
      else if (sha256(readFileSync(proof.file, 'utf8')) !== proof.modelHash) stale.push(`proofs/${name} is stale: ${proof.file} has changed since it was proved; run \`npx weft prove ${proof.file}\` and review the diff`);
    }
    expect(stale, stale.join('\n')).toEqual([]);
  });

  it('checking models/ again gives exactly proofs/ and docs/models/: no verdict, count or trace differs, nothing missing or extra', async () => {
    const proved = await proofsOf(['models']);
    expect(proved.rejected.map((r) => r.what), 'every model under models/ must check').toEqual([]);
    expect(proved.incomplete).toBeNull();
    if (accepting) {
      for (const f of proved.files) writeFileSync(f.path, f.text);
      for (const path of staleFiles(proved, true)) rmSync(path);
      return;
    }
    const problems: string[] = [];
    for (const f of proved.files) {
      if (!existsSync(f.path)) {
        problems.push(`${f.path} is missing: run \`npx weft prove ${f.model}\``);
        continue;
      }
      const stored = readFileSync(f.path, 'utf8');
      if (stored !== f.text) problems.push(`${f.path} differs from what ${f.model} gives now (${describeChange(f.path, stored, f.text).join('; ')}): run \`npx weft prove ${f.model}\` and review the diff`);
    }
    for (const path of staleFiles(proved, true)) problems.push(`${path} is extra: no model under models/ gives it now; run \`npx weft prove\`, which removes it`);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('every stored trace replays on the reference interpreter (weft replay)', async () => {
    const failed: string[] = [];
    for (const name of proofNames()) {
      const r = await run(['replay', join('proofs', name)]);
      if (r.code !== 0) failed.push(`npx weft replay proofs/${name}: exit ${r.code}\n${r.out}${r.err}`);
    }
    expect(failed, failed.join('\n')).toEqual([]);
  });
});

describe('replaying the traces of the test models', () => {
  // Between them they end in every way a trace can: invariants, targets, asserts, range faults in a step and in a
  // property, lock misuse, deadlocks, and traces of length 0.
  const dirs = ['test/cases/semantics', 'test/cases/cli', 'test/cases/many', 'test/cases/coverage'];
  const models = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.weft')).sort().map((f) => join(d, f)));
  for (const path of models) {
    it(path, async () => {
      const file = { path, text: readFileSync(path, 'utf8') };
      const parsed = parseModel(file);
      if (!parsed.model) return; // a test of diagnostics
      const hasVariants = parsed.model.decls.some((d) => d.kind === 'variant');
      for (const variant of variantNames(parsed.model)) {
        const compiled = compileSource(file, { variant: hasVariants ? variant : null, defines: {} });
        if (!compiled.ok) continue;
        const result = await check(compiled.program, 'compiled', { maxStates: 20_000 });
        const read = readProof(JSON.parse(proofFiles(result, 'compiled', 'test')[0]!.text));
        expect(read.ok).toBe(true);
        if (!read.ok) return;
        for (const v of read.proof.verdicts) {
          if (v.trace) expect(replayTrace(compiled.program, v, v.trace), `${variant}: ${v.property}`).toMatchObject({ ok: true });
        }
      }
    });
  }
});

describe('weft replay rejects a tampered proof', () => {
  type Step = { number: number; instance: string; label: string; failed: boolean; changes: unknown[]; state: { shared: Record<string, unknown> } };
  type Trace = { length: number; steps: Step[]; itf: { states: Record<string, unknown>[] } };
  type Proof = { options: Record<string, unknown>; modelHash: string; verdicts: { property: string; trace: Trace | null }[] };

  async function fresh(model: string, variant: string): Promise<string> {
    const proved = await proofsOf([model]);
    return proved.files.find((f) => f.path === `proofs/${proofStem(model)}.${variant}.json`)!.text;
  }

  async function replay(text: string): Promise<{ code: number; out: string; err: string }> {
    const path = join(mkdtempSync(join(tmpdir(), 'weft-proof-')), 'proof.json');
    writeFileSync(path, text);
    const r = await run(['replay', path]);
    expect(r.err).not.toMatch(/\n\s+at .*:\d+:\d+/); // never a stack trace
    return r;
  }

  async function tampered(model: string, variant: string, property: string, change: (t: Trace, p: Proof) => void): Promise<{ code: number; out: string; err: string }> {
    const proof = JSON.parse(await fresh(model, variant)) as Proof;
    change(proof.verdicts.find((v) => v.property === property)!.trace!, proof);
    return replay(JSON.stringify(proof));
  }

  /** Removes step `n` (1-based) and the state after it, and numbers the rest again: a consistent, shorter trace. */
  function removeStep(t: Trace, n: number): void {
    t.steps.splice(n - 1, 1);
    t.itf.states.splice(n, 1);
    t.steps.forEach((s, i) => { s.number = i + 1; });
    t.itf.states.forEach((s, i) => { (s['#meta'] as { index: number }).index = i; });
    t.length = t.steps.length;
  }

  // models/classic/peterson.weft, turn_first, mutual_exclusion: proc[0] yield, proc[1] yield, proc[1] announce,
  // proc[1] enter, proc[0] announce, proc[0] enter.
  const peterson = 'models/classic/peterson.weft';

  it('the untampered proof replays', async () => {
    const r = await replay(await fresh(peterson, 'turn_first'));
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain('✓ invariant mutual_exclusion violated: 6 steps replayed; the invariant is false in the last state');
  });

  it('a step given to another instance', async () => {
    const r = await tampered(peterson, 'turn_first', 'mutual_exclusion', (t) => { t.steps[4]!.instance = 'proc[1]'; });
    expect(r.code).toBe(1);
    expect(r.out).toContain('✗ invariant mutual_exclusion violated: does not replay: step #5 (proc[1] announce): not enabled: proc[1] is not at this step, it is at release');
  });

  it('a stored state value changed, in ITF or in the JSON state', async () => {
    const itf = await tampered(peterson, 'turn_first', 'mutual_exclusion', (t) => { (t.itf.states[3]!.flag as boolean[])[1] = false; });
    expect(itf.code).toBe(1);
    expect(itf.out).toContain('step #3 (proc[1] announce): the state after it differs: flag[1]: the proof has false, the model gives true (ITF state #3)');
    const json = await tampered(peterson, 'turn_first', 'mutual_exclusion', (t) => { t.steps[3]!.state.shared.in_cs = 2; });
    expect(json.code).toBe(1);
    expect(json.out).toContain('step #4 (proc[1] enter): the state after it differs: shared.in_cs: the proof has 2, the model gives 1 (steps[3].state)');
  });

  it('the changed variables of a step', async () => {
    const r = await tampered(peterson, 'turn_first', 'mutual_exclusion', (t) => { t.steps[1]!.changes = []; });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/step #2 \(proc\[1\] yield\): its changed variables differ: changes\[0\]: the proof has nothing/);
  });

  it('a step removed, the rest numbered again', async () => {
    const r = await tampered(peterson, 'turn_first', 'mutual_exclusion', (t) => removeStep(t, 2));
    expect(r.code).toBe(1);
    expect(r.out).toContain('does not replay: step #2 (proc[1] announce): not enabled: proc[1] is not at this step, it is at yield');
  });

  it('a step removed, the numbers left as they were', async () => {
    const r = await tampered(peterson, 'turn_first', 'mutual_exclusion', (t) => { t.steps.splice(1, 1); });
    expect(r.code).toBe(1);
    expect(r.out).toContain('step #2 (proc[1] announce): it is numbered #3, at position 2');
  });

  it('the last step removed: the end no longer shows the property', async () => {
    const r = await tampered(peterson, 'turn_first', 'mutual_exclusion', (t) => removeStep(t, 6));
    expect(r.code).toBe(1);
    expect(r.out).toContain('does not replay: the invariant mutual_exclusion holds in the last state');
    const deadlock = await tampered('models/classic/philosophers5.weft', 'left_first', 'deadlock', (t) => removeStep(t, t.steps.length));
    expect(deadlock.code).toBe(1);
    expect(deadlock.out).toMatch(/builtin deadlock violated: does not replay: no deadlock: philosopher\[\d\] can still move in the last state/);
  });

  it('a failing step that is not the last, or that does not fail', async () => {
    const model = 'models/classic/increment3.weft';
    const moved = await tampered(model, 'plain', 'sum_ok', (t) => { t.steps[0]!.failed = true; });
    expect(moved.code).toBe(1);
    expect(moved.out).toMatch(/step #1 \(thread\[0\] load\): it is marked as failing, but steps follow it/);
    const unmarked = await tampered(model, 'plain', 'sum_ok', (t) => { t.steps.at(-1)!.failed = false; });
    expect(unmarked.code).toBe(1);
    expect(unmarked.out).toMatch(/step #8 \(checker sum_ok\): it only fails here \(an increment was lost\), but the proof does not mark it failed/);
  });

  it('options that are not the variant\'s', async () => {
    const r = await tampered(peterson, 'turn_first', 'mutual_exclusion', (_, p) => { p.options.turn_first = false; });
    expect(r.code).toBe(1);
    expect(r.out).toContain("✗ the options are not variant turn_first's: options.turn_first: the proof has false, the model gives true");
  });

  it('never crashes on a mutated proof: every mutation replays (a value set to what it was), is rejected, or is malformed', async () => {
    const base = JSON.parse(await fresh('models/classic/philosophers5.weft', 'left_first')) as unknown;
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, p: (string | number)[]): void => {
      if (p.length) paths.push(p);
      if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, [...p, Array.isArray(v) ? Number(k) : k]);
    };
    walk(base, []);
    const values = [null, 0, -1, 1.5, 99_999, '', 'philosopher[1]', true, false, [], {}, { '#bigint': '1' }];
    let seed = 7;
    const random = (n: number): number => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return Math.floor((seed / 2 ** 31) * n); };
    const codes = new Set<number>();
    for (let i = 0; i < 120; i++) {
      const proof = structuredClone(base) as Record<string | number, unknown>;
      const path = paths[random(paths.length)]!;
      const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((o, k) => o[k] as Record<string | number, unknown>, proof);
      if (Array.isArray(parent) && random(3) === 0) parent.splice(path.at(-1) as number, 1);
      else parent[path.at(-1)!] = values[random(values.length)];
      const r = await replay(JSON.stringify(proof));
      expect([0, 1, 2], `${path.join('.')}: ${r.out}${r.err}`).toContain(r.code);
      codes.add(r.code);
    }
    expect(codes).toContain(1);
    expect(codes).toContain(2);
  });

  it('a malformed file, a stale proof or a missing model: a diagnostic and exit code 2', async () => {
    const notJson = await replay('{"proof": 1,');
    expect([notJson.code, notJson.err]).toEqual([2, expect.stringMatching(/^weft: error: .*proof\.json is not JSON: /)]);
    const noProof = await replay('{"results": []}');
    expect([noProof.code, noProof.err]).toEqual([2, expect.stringMatching(/is not a Weft proof: no "proof": 1 field/)]);
    const badStep = await tampered(peterson, 'turn_first', 'mutual_exclusion', (t) => { (t.steps[3] as unknown as Record<string, unknown>).instance = 7; });
    expect([badStep.code, badStep.err]).toEqual([2, expect.stringMatching(/is not a Weft proof: verdicts\[0\]\.trace \(mutual_exclusion\)\.steps\[3\]\.instance is not a string/)]);
    const stale = await tampered(peterson, 'turn_first', 'mutual_exclusion', (_, p) => { p.modelHash = '0'.repeat(64); });
    expect([stale.code, stale.err]).toEqual([2, expect.stringMatching(/models\/classic\/peterson\.weft has changed since .* was written \(its sha256 differs\): run `npx weft prove models\/classic\/peterson\.weft`/)]);
    const gone = await tampered(peterson, 'turn_first', 'mutual_exclusion', (_, p) => { (p as unknown as Record<string, unknown>).file = 'models/no-such-model.weft'; });
    expect([gone.code, gone.err]).toEqual([2, expect.stringMatching(/proves models\/no-such-model\.weft, which does not exist/)]);
  });
});

describe('weft prove', () => {
  it('names proofs after the model path under models/, so that directories do not collide', () => {
    expect(proofStem('models/gup-writeback.weft')).toBe('gup-writeback');
    expect(proofStem('models/classic/peterson.weft')).toBe('classic-peterson');
    expect(proofStem('test/cases/cli/lost-update.weft')).toBe('lost-update');
    expect(ownedBy('classic-peterson', 'classic-peterson.turn_first.json')).toBe(true);
    expect(ownedBy('classic-peterson', 'classic-peterson.turn_first.mutual_exclusion.txt')).toBe(true);
    expect(ownedBy('lock', 'lock.v2.default.json')).toBe(false);
    expect(ownedBy('classic', 'classic-peterson.turn_first.json')).toBe(false);
  });

  it('turns model comments into Markdown: prose and lists as written, indented columns in a text block', () => {
    const source = [
      '// Title line.',
      '//',
      '// Who does what:',
      '//   pinner   pins the folio',
      '//            and writes it',
      '//   reclaim  frees buffers',
      '//',
      '// Abstractions:',
      '//   - one folio, one PTE',
      '//     (enough here)',
      '//   - no <linux/mm.h> details',
      '# not a comment',
      'model m;',
      '',
      '// ---- Variants ----',
      '',
      '// The fix.',
      'variant fixed {}',
    ].join('\n');
    expect(commentMarkdown(leadingComment(source))).toEqual([
      'Title line.',
      '',
      'Who does what:',
      '',
      '```text',
      'pinner   pins the folio',
      '         and writes it',
      'reclaim  frees buffers',
      '```',
      '',
      'Abstractions:',
      '',
      '- one folio, one PTE',
      '  (enough here)',
      '- no &lt;linux/mm.h> details',
    ]);
    expect(commentAbove(source, source.indexOf('variant fixed'))).toEqual(['The fix.']);
  });

  it('says what changed in a proof: verdicts, trace lengths and counts first', () => {
    const proof = (status: string, length: number | null, states: number) => JSON.stringify({ stats: { states, transitions: 1, depth: 1 }, verdicts: [{ property: 'p', status, trace: length === null ? null : { length } }] });
    expect(describeChange('proofs/x.default.json', proof('violated', 17, 100), proof('holds', null, 90))).toEqual(['states 100 -> 90', 'p violated (17) -> holds']);
    expect(describeChange('docs/models/x.md', 'a\nb c d\n', 'a\nb x d\n')).toEqual(['line 2: "b c d" -> "b x d"']);
  });

  it('writes proofs as JSON that reads back the same, a trace step per line', () => {
    const value = { a: 1, verdicts: [{ p: 'x', trace: { steps: [{ n: 1, changes: [{ path: 'x', before: '0', after: '1' }] }, { n: 2, changes: [] }], vars: ['x', 'y'] } }], empty: [], none: {} };
    const text = proofJson(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text.split('\n')).toContain('        "steps": [');
    expect(text.split('\n')).toContain('          {"n":1,"changes":[{"path":"x","before":"0","after":"1"}]},');
    expect(text).toContain('"vars": ["x","y"]');
  });

  it('records an enum option by its member name, in the proof and when checking it again', async () => {
    const text = 'enum Order { first, second }\noption order: Order = first;\nshared x: 0..1;\nactor a { if (order == second) x = 1; }\nvariant one {}\nvariant two { order = second; }\n';
    const r = compileSource({ path: 'models/enum-option.weft', text }, { variant: 'two', defines: {} });
    if (!r.ok) throw new Error('does not compile');
    expect(r.program.options).toEqual({ order: 'second' });
    const proof = JSON.parse(proofFiles(await check(r.program, 'reference', {}), 'compiled', '0.0.0')[0]!.text) as { options: unknown };
    expect(proof.options).toEqual({ order: 'second' });
    expect(readProof(proof).ok).toBe(true);
    // `weft view` checks a record again with its options as -D values: the member's name must compile to the same program.
    const records = recordsOf(proof);
    if (!records.ok) throw new Error(records.why);
    const again = compileSource({ path: 'models/enum-option.weft', text }, { variant: 'two', defines: records.records[0]!.defines });
    expect(again.ok && again.program.options).toEqual({ order: 'second' });
  });
});
