/**
 * proofs/ is the golden set for models/: every model and variant is
 * checked again and must give exactly the stored proof (verdicts, counts,
 * traces), its text traces and the generated docs/models/ page; a proof
 * of a model that has changed since is stale, and a file no model gives
 * any more is extra. Each failure names the file and the command that
 * writes it again. Every claim of every proof must check (`weft replay`);
 * test/replay.test.ts tampers with proofs.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, proofsOf, staleFiles } from '../src/cli.ts';
import { compileSource, variantNames, parseModel } from '../src/pipeline.ts';
import { check } from '../src/explore/engine.ts';
import { recordsOf } from '../src/view/recorded.ts';
import { modelHash, ownedBy, proofFiles, proofJson, proofStem } from '../src/proofs/prove.ts';
import { loadModelFile } from '../src/commands/support.ts';
import { readProof } from '../src/proofs/format.ts';
import { replayTrace } from '../src/proofs/replay.ts';
import { consistencyOf } from '../src/proofs/claims.ts';
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
      // The hash covers every file the model reads, its imports included.
      else if (modelHash(loadModelFile(proof.file).sources) !== proof.modelHash) stale.push(`proofs/${name} is stale: ${proof.file} (or a file it imports) has changed since it was proved; run \`npx weft prove ${proof.file}\` and review the diff`);
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

  it('every claim of every proof checks (weft replay): the traces on the reference interpreter, the rest against a search', async () => {
    // The test above has just searched every variant again and found exactly the stored proof, so every claim a
    // fresh search checks (the counts, each holds and unreachable, shortest traces, coverage) holds already: the
    // flagship's proofs, whose searches take seconds each, are replayed --traces-only; the small models' in full.
    const failed: string[] = [];
    for (const name of proofNames()) {
      const args = ['replay', ...(name.startsWith('gup-') ? ['--traces-only'] : []), join('proofs', name)];
      const r = await run(args);
      if (r.code !== 0) failed.push(`npx weft ${args.join(' ')}: exit ${r.code}\n${r.out}${r.err}`);
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
        const read = readProof(JSON.parse(proofFiles(result, 'compiled', '0.0.0-test')[0]!.text));
        expect(read, variant).toMatchObject({ ok: true });
        if (!read.ok) return;
        // What `weft replay` checks of a proof before its traces holds of every complete search.
        if (result.complete) expect(consistencyOf(compiled.program, read.proof, variantNames(parsed.model)), variant).toBeNull();
        for (const v of read.proof.verdicts) {
          if (v.trace) expect(replayTrace(compiled.program, v, v.trace), `${variant}: ${v.property}`).toMatchObject({ ok: true });
        }
      }
    });
  }
});

describe('weft prove', () => {
  it('names proofs after the model path under models/, so that directories do not collide', () => {
    expect(proofStem('models/gup-writeback.weft')).toBe('gup-writeback');
    expect(proofStem('models/classic/peterson.weft')).toBe('classic-peterson');
    expect(proofStem('test/cases/cli/lost-update.weft')).toBe('lost-update');
    expect(ownedBy('classic-peterson', 'classic-peterson.turn_first.json')).toBe(true);
    expect(ownedBy('classic-peterson', 'classic-peterson.turn_first.mutual_exclusion.txt')).toBe(true);
    expect(ownedBy('filter', 'filter.default.excl[0][-1].txt')).toBe(true);
    expect(ownedBy('filter', 'filter.default.excl[0.txt')).toBe(false);
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
